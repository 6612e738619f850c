"""The Agg canvas every report figure is drawn on: matplotlib's own, with its text work remembered between figures.

A report draws the same texts again and again: the week ticks of three charts, every title, axis label and legend
entry of every week a batch renders. Matplotlib's Agg renderer lays out and rasterises each of them from scratch,
glyph by glyph, and its cache of text sizes lives with the renderer, which each figure makes anew. Here:

- figures of one pixel size and resolution share one renderer (:func:`shared_renderer`), so matplotlib's own cache
  of text sizes serves every figure of that size, not only the one that measured the text;
- :class:`TextCachingRenderer` keeps, for the process, each text's glyph layout and each glyph's rasterised bitmap
  at each sub-pixel offset (FreeType's 1/64 px), and draws them as :meth:`RendererAgg.draw_text` would; and each
  font's line height, which matplotlib otherwise reads from the font file's tables for every text it places.

The pixels are the same as matplotlib's (tests/test_report_pixels.py compares every chart and the card with a plain
``FigureCanvasAgg``): a glyph is rasterised from its outline moved by a whole number of 1/64 px, and moving it by
whole pixels moves its bitmap by whole pixels, so one bitmap per glyph, size and sub-pixel offset serves every
position. The cached path uses matplotlib 3.11's private text-drawing calls; where they are missing (another
matplotlib), or for mathtext and TeX, matplotlib draws the text itself.
"""

from __future__ import annotations

import math
from typing import Any, Final

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.font_manager import FontProperties, fontManager, get_font
from matplotlib.ft2font import FT2Font, RenderMode

# Renderers kept, one per figure pixel size and resolution, the least recently used dropped first: a report uses
# three (the charts, the shoe chart, the card at its number of flag rows, of which there are seven). Holding more
# only keeps memory (a 990 x 462 px renderer is 1.8 MB, the card 4-5 MB).
MAX_RENDERERS: Final = 8
# Texts and glyph bitmaps remembered. A report lays out about 200 distinct texts and a batch a few thousand; a
# glyph bitmap is about 200 bytes. Past these counts the cache starts again (a few MB at most).
MAX_LAYOUTS: Final = 20_000
MAX_GLYPHS: Final = 100_000
# FreeType positions in 26.6 fixed point: 64 units to the pixel.
SUBPIXELS: Final = 64

# A glyph to draw: (font, glyph index, x, y) in pixels from the text's origin, y up, as FT2Font._layout gives.
Glyph = tuple[Any, int, float, float]
_layouts: dict[tuple[Any, ...], tuple[Glyph, ...]] = {}
_glyphs: dict[tuple[Any, ...], tuple[np.ndarray[Any, np.dtype[np.uint8]], int, int]] = {}
_heights: dict[tuple[Any, ...], tuple[float, float, float]] = {}
_renderers: dict[tuple[int, int, float], RendererAgg] = {}
# Where a font states its line height, as matplotlib.text.Text._get_layout reads it: (table, gap, ascent, descent).
HEIGHT_TABLES: Final = (("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                        ("hhea", "lineGap", "ascent", "descent"))
# The matplotlib 3.11 calls the cached path makes (FT2Font._layout, _set_transform, _render_glyph).
TEXT_CACHE_IN_USE: Final = (hasattr(RendererAgg, "_prepare_font") and hasattr(fontManager, "_find_fonts_by_props")
                             and all(hasattr(FT2Font, name) for name in ("_layout", "_set_transform", "_render_glyph")))


def _font_of(prop: FontProperties) -> Any:
    """The FT2Font matplotlib draws ``prop`` with (its first font and fallbacks), as ``RendererAgg`` finds it: by the
    rcParams in force (a family such as "sans-serif" is resolved through them), so a cache keyed by it never serves
    a text drawn under other settings.
    """
    return get_font(fontManager._find_fonts_by_props(prop))


class TextCachingRenderer(RendererAgg):
    """:class:`RendererAgg` that remembers text layouts and glyph bitmaps for the process (see the module)."""

    def draw_text(self, gc: Any, x: float, y: float, s: str, prop: FontProperties, angle: float,
                  ismath: bool | str = False, mtext: Any = None) -> None:
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        if ismath or not TEXT_CACHE_IN_USE:
            super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)  # type: ignore[no-untyped-call]
            return
        flags = get_hinting_flag()  # type: ignore[no-untyped-call]
        size = prop.get_size_in_points()
        key = (s, _font_of(prop), size, self.dpi, flags, features, language)
        layout = _layouts.get(key)
        if layout is None:
            font = self._prepare_font(prop)  # type: ignore[no-untyped-call]  # the same font, cleared and sized
            layout = tuple((item.ft_object, item.glyph_index, item.x, item.y)
                           for item in font._layout(s, flags=flags, features=features, language=language))
            if len(_layouts) >= MAX_LAYOUTS:
                _layouts.clear()
            _layouts[key] = layout
        self._draw_glyphs(gc, x, y, angle, size, flags, layout)

    def _get_font_height_metrics(self, prop: FontProperties) -> tuple[float | None, float | None, float | None]:
        """Ascent, descent and line gap of ``prop``'s font, in pixels: what ``Text._get_layout`` computes when a
        renderer lacks this method (matplotlib asks renderers for it first), remembered per font, size and dpi.
        """
        if not TEXT_CACHE_IN_USE:
            return None, None, None
        font = _font_of(prop)
        key = (font, prop.get_size_in_points(), self.dpi)
        metrics = _heights.get(key)
        if metrics is None:
            for table_name, gap_key, ascent_key, descent_key in HEIGHT_TABLES:
                table = font.get_sfnt_table(table_name)
                if table is None:
                    continue
                # The same arithmetic, in the same order, as matplotlib's: the same floats.
                scale = 1 / font.get_sfnt_table("head")["unitsPerEm"] * prop.get_size_in_points() * self.dpi / 72
                metrics = (table[ascent_key] * scale, -table[descent_key] * scale, table[gap_key] * scale)
                break
            else:
                return None, None, None  # matplotlib measures the text instead
            _heights[key] = metrics
        return metrics

    def _draw_glyphs(self, gc: Any, x: float, y: float, angle: float, size: float, flags: Any,
                     layout: tuple[Glyph, ...]) -> None:
        """:meth:`RendererAgg._draw_text_glyphs_and_boxes` for plain glyphs, each bitmap rasterised once."""
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        matrix = (0x10000 * np.array([[cos, -sin], [sin, cos]])).round().astype(int)
        matrix_key = tuple(matrix.ravel().tolist())
        antialiased = bool(gc.get_antialiased())
        for font, glyph_index, dx, dy in layout:
            # The glyph's origin in 26.6 units, exactly as matplotlib computes it (FreeType's y is upwards).
            at_x = round(0x40 * (x + dx * cos - dy * sin))
            at_y = round(0x40 * (self.height - y + dx * sin + dy * cos))
            whole_x, part_x = divmod(at_x, SUBPIXELS)
            whole_y, part_y = divmod(at_y, SUBPIXELS)
            key = (font, size, self.dpi, glyph_index, matrix_key, part_x, part_y, flags, antialiased)
            cached = _glyphs.get(key)
            if cached is None:
                font.set_size(size, self.dpi)
                font._set_transform(matrix, [part_x, part_y])
                bitmap = font._render_glyph(glyph_index, flags,
                                            RenderMode.NORMAL if antialiased else RenderMode.MONO)
                buffer = np.array(bitmap.buffer, dtype=np.uint8)  # a copy: FreeType reuses its glyph slot
                if not antialiased:
                    buffer *= 0xFF
                cached = (buffer, bitmap.left, bitmap.top)
                if len(_glyphs) >= MAX_GLYPHS:
                    _glyphs.clear()
                _glyphs[key] = cached
            buffer, left, top = cached
            # draw_text_image's y is downwards and names the bitmap's bottom row.
            self._renderer.draw_text_image(buffer, left + whole_x, int(self.height) - (top + whole_y)
                                           + buffer.shape[0], 0, gc)


def cached_counts() -> dict[str, int]:
    """How many text layouts, glyph bitmaps and renderers the process holds (for tests and benchmarks)."""
    return {"layouts": len(_layouts), "glyphs": len(_glyphs), "fonts": len(_heights), "renderers": len(_renderers)}


def shared_renderer(width: int, height: int, dpi: float) -> RendererAgg:
    """The one renderer of figures ``width`` x ``height`` px at ``dpi``: its text sizes are measured once."""
    key = (width, height, dpi)
    renderer = _renderers.pop(key, None)
    if renderer is None:
        if len(_renderers) >= MAX_RENDERERS:
            _renderers.pop(next(iter(_renderers)))  # the one used least recently
        renderer = TextCachingRenderer(width, height, dpi)  # type: ignore[no-untyped-call]
    _renderers[key] = renderer  # last: the most recently used
    return renderer


class ReportCanvas(FigureCanvasAgg):
    """The Agg canvas, drawing on the renderer its figure's size shares (:func:`shared_renderer`).

    The pixels of a draw are valid until another figure of the same size is drawn: read them (``buffer_rgba``,
    ``print_png``) before drawing the next figure, as ``images.figure_png`` and ``savefig`` do.
    """

    def get_renderer(self) -> RendererAgg:
        width, height = self.get_width_height(physical=True)
        renderer = self.renderer = shared_renderer(width, height, self.figure.dpi)
        return renderer


__all__ = ["TEXT_CACHE_IN_USE", "ReportCanvas", "TextCachingRenderer", "cached_counts", "shared_renderer"]
