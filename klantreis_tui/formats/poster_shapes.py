"""What a poster sheet is made of before it becomes SVG: text boxes (with the box each occupies), rectangles,
lines, faces, curves and stars, in millimetres on an A3 landscape sheet. Tests read these; ``poster_svg`` draws them."""

from __future__ import annotations

from dataclasses import dataclass, field

from klantreis_tui.formats.text_layout import text_width
from klantreis_tui.models.palette import MOMENT

#: A3 landscape, in millimetres (the SVG's user units)
SHEET_W = 420.0
SHEET_H = 297.0

# a calm palette: slate ink, soft rules; the heartbeat's colours (emotion, desired, moment) are models.palette's
INK = "#1f2a37"
MUTED = "#56616e"
FAINT = "#8c96a1"
RULE = "#d3d9df"
BAND = "#f5f7f9"
PHASE_FILL = "#e2ebf2"
PHASE_INK = "#1d3b53"
PAIN = "#b5533f"
IDEA = "#3c8a5d"

#: the top of a line's glyphs above its baseline, and the bottom below it, as a share of the font size (Arial)
ASCENT = 0.93
DESCENT = 0.24


@dataclass(frozen=True)
class TextBox:
    """Lines of text with the first baseline at ``y``; ``x`` is the left edge, centre or right edge by ``anchor``."""

    x: float
    y: float
    lines: tuple[str, ...]
    size: float
    line_height: float
    role: str  # what it is: "step", "quote", "pain", "title", ... (tests look for texts by role)
    bold: bool = False
    italic: bool = False
    fill: str = INK
    anchor: str = "start"
    cut: bool = False  # something was left out: the last line ends with an ellipsis
    spacing: float = 0.0  # letter spacing (small capitals of the lane titles)

    @property
    def text(self) -> str:
        return " ".join(self.lines)

    @property
    def width(self) -> float:
        return max((text_width(line, self.size, self.bold, self.spacing) for line in self.lines), default=0.0)

    @property
    def box(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of the inked area, as measured on the safe side."""
        width = self.width
        left = self.x - (width / 2 if self.anchor == "middle" else width if self.anchor == "end" else 0.0)
        top = self.y - ASCENT * self.size
        bottom = self.y + (len(self.lines) - 1) * self.line_height + DESCENT * self.size
        return (left, top, left + width, bottom)


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str = "none"
    stroke: str = "none"
    stroke_width: float = 0.3
    rx: float = 0.0
    dash: str = ""
    role: str = ""


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = RULE
    width: float = 0.3
    dash: str = ""
    role: str = ""


@dataclass(frozen=True)
class Face:
    """A face drawn as shapes: its colour and mouth follow the score (a median may be a half)."""

    cx: float
    cy: float
    r: float
    score: float
    role: str = "current"  # "current", "desired", "legend"
    step: int = 0  # the step's number (0: a phase median or a legend face)
    phase: int = -1  # the phase's index in the view (-1: the legend)
    moment: bool = False  # a moment of truth: ringed


@dataclass(frozen=True)
class Curve:
    """A line through ``points`` (x, y) in order; drawn smooth between them, passing through each."""

    points: tuple[tuple[float, float], ...]
    stroke: str = INK
    width: float = 0.6
    dash: str = ""
    role: str = "current"


@dataclass(frozen=True)
class Star:
    cx: float
    cy: float
    r: float
    fill: str = MOMENT
    role: str = "moment"


@dataclass
class Sheet:
    """One printed page: number (from 1) of ``count``, and everything on it."""

    number: int
    count: int
    texts: list[TextBox] = field(default_factory=list)
    rects: list[Rect] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    faces: list[Face] = field(default_factory=list)
    curves: list[Curve] = field(default_factory=list)
    stars: list[Star] = field(default_factory=list)
    #: the index (in the view) of the first phase on this sheet: a journey of many phases spans sheets
    first_phase: int = 0
    #: the first sheet of its phases, with every lane (False: a continuation with steps and heartbeat only)
    full: bool = True
    #: per phase index (in the view): the numbers of the steps drawn on this sheet
    steps_shown: dict[int, list[int]] = field(default_factory=dict)
    #: per phase: its column's left edge and width
    columns: list[tuple[float, float]] = field(default_factory=list)
    #: the heartbeat's plot: y of +2 and of -2
    plot: tuple[float, float] = (0.0, 0.0)

    def score_y(self, score: float) -> float:
        top, bottom = self.plot
        return top + (2 - score) * (bottom - top) / 4

    def texts_of(self, role: str) -> list[TextBox]:
        return [t for t in self.texts if t.role == role]
