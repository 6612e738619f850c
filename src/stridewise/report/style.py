"""One look for every chart: the Okabe-Ito palette, severity colours, surface hatches, font sizes, figure sizes.

Okabe & Ito (2008), "Color Universal Design": eight colours that stay apart for the common colour-vision
deficiencies. Where two of them print as the same grey (orange and sky blue), a hatch or a text label tells them
apart, so a report printed in black and white still reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from stridewise.report.agg import ReportCanvas
from stridewise.risk.model import Severity

# --- palette (Okabe-Ito); the comment gives the CIE L* lightness, which is what survives greyscale -------------
BLUE: Final = "#0072B2"  # L* 46
ORANGE: Final = "#E69F00"  # L* 71
VERMILLION: Final = "#D55E00"  # L* 54
BLUISH_GREEN: Final = "#009E73"  # L* 58
SKY_BLUE: Final = "#56B4E9"  # L* 70
REDDISH_PURPLE: Final = "#CC79A7"  # L* 61
YELLOW: Final = "#F0E442"  # L* 89
GREY: Final = "#999999"  # L* 63
DARK_GREY: Final = "#444444"  # text that is not data
LIGHT_GREY: Final = "#DDDDDD"  # grid lines, shaded bands
INK: Final = "#222222"  # titles and data text

# Severity: lightness falls as severity rises (84, 71, 54), so the order shows without colour; rows also say the word.
SEVERITY_COLOUR: Final[dict[Severity, str]] = {
    Severity.INFO: "#A6D8F5",  # sky blue tinted towards white, L* 84
    Severity.ELEVATED: ORANGE,
    Severity.HIGH: VERMILLION,
}
# Text drawn on a severity badge: dark on the light fills, white on vermillion.
SEVERITY_TEXT: Final[dict[Severity, str]] = {Severity.INFO: INK, Severity.ELEVATED: INK, Severity.HIGH: "white"}

# Week-over-week change of weekly distance. The 10% line is the runners' "10% rule" (convention); 30% is the
# weekly_progression rule's default (Nielsen et al. 2014, EVIDENCE.md).
CHANGE_STEADY_MAX: Final = 0.10
CHANGE_HIGH_MIN: Final = 0.30
CHANGE_DROP: Final = SKY_BLUE  # down more than 10%
CHANGE_STEADY: Final = BLUE  # within +-10%, or no previous week
CHANGE_UP: Final = ORANGE  # +10% to +30%
CHANGE_UP_HATCH: Final = "//"  # orange and sky blue print as the same grey
CHANGE_SURGE: Final = VERMILLION  # more than +30%
CHANGE_SURGE_HATCH: Final = "xx"  # vermillion and blue are close in grey too

# One colour and one hatch per surface (frames.SURFACES), so the stacked bars survive greyscale.
SURFACE_COLOUR: Final[dict[str, str]] = {
    "road": BLUE, "unpaved": ORANGE, "trail": BLUISH_GREEN, "track": VERMILLION, "treadmill": REDDISH_PURPLE,
    "mixed": YELLOW, "unknown": GREY,
}
SURFACE_HATCH: Final[dict[str, str]] = {
    "road": "", "unpaved": "oo", "trail": "//", "track": "..", "treadmill": "xx", "mixed": "\\\\", "unknown": "--",
}

# White hatching, except on yellow, where white lines would vanish (yellow is the lightest fill, L* 89).
SURFACE_HATCH_COLOUR: Final[dict[str, str]] = {
    surface: DARK_GREY if colour == YELLOW else "white" for surface, colour in SURFACE_COLOUR.items()}

# --- type, in points; at 100 dpi a 9 pt tick label is 12 px high ---------------------------------------------
TITLE_PT: Final = 12.0
LABEL_PT: Final = 10.0
TICK_PT: Final = 9.0
NOTE_PT: Final = 8.5  # legends, bar annotations, the "no data" note
TITLE_PAD_PT: Final = 20.0  # between a chart's title and its plot: the legend row sits there

# --- sizes ---------------------------------------------------------------------------------------------------
DPI: Final = 100  # 1 inch = 100 px: sizes in pixels stay round numbers
CHART_WIDTH_PX: Final = 900  # a report column on a laptop screen
CHART_HEIGHT_PX: Final = 420
HATCH_LINEWIDTH: Final = 0.6
HATCH_COLOUR: Final = "white"  # the same on every bar, whatever its edge (matplotlib otherwise uses the edge colour)
EDGE: Final = "white"  # thin white edges separate stacked and adjacent bars
DAY_MARK_WIDTH_PT: Final = 0.6  # matplotlib's width of a minor tick


@dataclass(frozen=True)
class Margins:
    """Pixels between a figure's edge and its plot area: the room for the title, legend, ticks and axis labels."""

    left: int
    right: int
    top: int
    bottom: int


# Fixed layouts instead of constrained layout, which measured every label at save time and drew each figure twice
# (it was ~40% of a report's time). The figures are those constrained layout found for these charts (matplotlib
# 3.11, DejaVu Sans, the type sizes above) with 8 px round the edge, rounded up to leave room for one more digit.
TITLE_ROOM_PX: Final = 47  # a title, and the legend row beside it (TITLE_PAD_PT)
Y_LABELS_PX: Final = 58  # y tick labels up to "0.50" or "300" and the y axis label
WEEK_AXIS_PX: Final = 67  # two-line week ticks ("W39" over "21 Sep") and the x axis label
DATE_AXIS_PX: Final = 50  # one-line date ticks and the x axis label
TICK_OVERHANG_PX: Final = 24  # the last tick label may reach past the plot's right edge by half its width
TWIN_AXIS_PX: Final = 60  # a right-hand axis: its tick labels (up to "100") and its label
WEEK_CHART: Final = Margins(Y_LABELS_PX, TICK_OVERHANG_PX, TITLE_ROOM_PX, WEEK_AXIS_PX)
DATE_CHART: Final = Margins(Y_LABELS_PX, TICK_OVERHANG_PX, TITLE_ROOM_PX, DATE_AXIS_PX)
WEEK_TWIN_CHART: Final = Margins(Y_LABELS_PX, TWIN_AXIS_PX, TITLE_ROOM_PX, WEEK_AXIS_PX)
DATE_TWIN_CHART: Final = Margins(Y_LABELS_PX, TWIN_AXIS_PX, TITLE_ROOM_PX, DATE_AXIS_PX)


def new_figure(width_px: int = CHART_WIDTH_PX, height_px: int = CHART_HEIGHT_PX, *, dpi: int = DPI) -> Figure:
    """A pyplot-free Figure of ``width_px`` x ``height_px`` pixels at ``dpi`` on the Agg canvas, without a layout
    engine: each part is placed where :func:`add_plot` says, so that saving the figure draws it once.
    """
    figure = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi)
    ReportCanvas(figure)  # Agg, chosen explicitly (no backend look-up, no pyplot), texts remembered (agg.py)
    return figure


def add_plot(figure: Figure, margins: Margins, *, top_px: int = 0, height_px: int | None = None) -> Axes:
    """An Axes ``margins`` inside the band of ``figure`` that starts ``top_px`` down and is ``height_px`` high
    (default: the whole figure).
    """
    width, full_height = figure.bbox.width, figure.bbox.height
    band = full_height - top_px if height_px is None else height_px
    bottom = full_height - top_px - band + margins.bottom
    return figure.add_axes((margins.left / width, bottom / full_height,
                            (width - margins.left - margins.right) / width,
                            (band - margins.top - margins.bottom) / full_height))


def text_width_px(text: str, size_pt: float, dpi: int = DPI) -> float:
    """How wide ``text`` is drawn at ``size_pt`` in the default font, without drawing anything."""
    width_pt, _, _ = _TEXT_TO_PATH.get_text_width_height_descent(text, FontProperties(size=size_pt), ismath=False)
    return float(width_pt) * dpi / 72


_TEXT_TO_PATH: Final = TextToPath()


def style_axes(ax: Axes) -> None:
    """The common look: no top and right frame, a light horizontal grid behind the data, readable ticks."""
    ax.spines[["top", "right"]].set_visible(False)
    ax.spines[["left", "bottom"]].set_color(DARK_GREY)
    ax.tick_params(labelsize=TICK_PT, colors=DARK_GREY)
    ax.grid(axis="y", color=LIGHT_GREY, linewidth=0.8)
    ax.set_axisbelow(True)


def no_data(ax: Axes, note: str = "No data for these weeks") -> None:
    """An empty chart says so in its middle instead of showing blank axes (and no made-up 0-1 scale)."""
    ax.set_yticks([])
    ax.text(0.5, 0.5, note, transform=ax.transAxes, ha="center", va="center", fontsize=LABEL_PT, color=DARK_GREY,
            gid="no-data")
