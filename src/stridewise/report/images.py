"""Finished figures to PNG bytes, drawn on the Agg canvas each figure was made with (:func:`style.new_figure`).

No ``bbox_inches="tight"`` and no layout engine: the layout is fixed when the figure is made, so a figure is drawn
exactly once, then encoded.
"""

from __future__ import annotations

import gc
import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from stridewise.report import style as s

# Resolution of the charts embedded in the HTML page: 900 px at 100 dpi become 990 px, sharp on a phone and small
# enough to keep the page light.
CHART_DPI: Final = 110
# zlib level of the PNG files. Measured on the report's charts (docs/performance.md): level 3 compresses twice as fast
# as zlib's default 6; RGB without the (always opaque) alpha channel makes the files 9% smaller.
PNG_COMPRESS_LEVEL: Final = 3
# PNG row filter "None" on every row. Charts are flat colours on white: unfiltered rows compress as well as
# Pillow's adaptive choice of filter per row (the seven images of a report: 313 KiB against 327 KiB), and choosing
# the filter was half of Pillow's encoding time. Pillow offers no way to choose it, hence the writer below.
PNG_FILTER_NONE: Final = 0
INCHES_PER_METRE: Final = 1 / 0.0254  # PNG states the resolution in pixels per metre
# Allocations between two young-generation garbage collections while a report draws (Python's default is 700).
# A report's figures make some 30,000 objects, all in reference cycles: with the default they outlive a few young
# collections while they are drawn, reach the oldest generation and are freed only by full collections, which walk
# every object of the process (pandas, matplotlib) and took a tenth of a report's time. mypy raises it likewise.
FIGURE_GC_THRESHOLD: Final = 200_000


def figure_png(figure: Figure, dpi: int = s.DPI) -> bytes:
    """``figure`` as an RGB PNG at ``dpi``, drawn once on its Agg canvas."""
    canvas = figure.canvas
    assert isinstance(canvas, FigureCanvasAgg), "figures come from style.new_figure"
    made_at = figure.dpi
    figure.set_dpi(dpi)
    try:
        canvas.draw()  # type: ignore[no-untyped-call]  # the one draw of this figure
        # matplotlib leaves buffer_rgba unannotated; the pixels are read before another figure is drawn (agg.py).
        return rgb_png(np.asarray(canvas.buffer_rgba())[:, :, :3], dpi)  # type: ignore[no-untyped-call]
    finally:
        figure.set_dpi(made_at)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def rgb_png(pixels: np.ndarray[Any, np.dtype[np.uint8]], dpi: int) -> bytes:
    """A PNG file (8-bit RGB, every row unfiltered, ``dpi`` recorded) of ``pixels``, an array height x width x 3."""
    height, width, _ = pixels.shape
    rows = np.empty((height, 1 + 3 * width), dtype=np.uint8)
    rows[:, 0] = PNG_FILTER_NONE
    channels = rows[:, 1:].reshape(height, width, 3)  # a view of the rows
    for channel in range(3):  # a channel at a time: 8x faster than numpy's copy of 3-byte pixels out of 4-byte ones
        channels[:, :, channel] = pixels[:, :, channel]
    per_metre = round(dpi * INCHES_PER_METRE)
    return b"".join((
        b"\x89PNG\r\n\x1a\n",
        _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),  # 8 bits, truecolour, no interlace
        _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),  # 1: the unit is the metre
        _chunk(b"IDAT", zlib.compress(rows.data, PNG_COMPRESS_LEVEL)),
        _chunk(b"IEND", b""),
    ))


@contextmanager
def figures_die_young() -> Iterator[None]:
    """Draw a report's figures with a large young generation, then free them with one young collection."""
    thresholds = gc.get_threshold()
    gc.set_threshold(FIGURE_GC_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.collect(0)


def chart_png(figure: Figure) -> bytes:
    """A report chart as the HTML page embeds it."""
    return figure_png(figure, CHART_DPI)


def card_png(figure: Figure) -> bytes:
    """The summary card, one figure pixel per image pixel."""
    return figure_png(figure, s.DPI)


def warm_up() -> None:
    """Pay once what the first chart of a process pays: matplotlib's Agg canvas and the fonts each chart uses
    (regular, bold, italic), loaded by drawing a small figure that is thrown away.
    """
    figure = s.new_figure(200, 50)
    for x, (weight, style) in enumerate((("normal", "normal"), ("bold", "normal"), ("normal", "italic"))):
        figure.text(x / 3, 0.5, "W39 21 Sep 0.50", fontsize=s.TICK_PT, fontweight=weight, style=style)
    figure_png(figure)
