"""The heartbeat (emotion curve) drawn as an inline SVG for HTML summaries and reports."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# (xml.sax.saxutils has these two, but importing it brings urllib, http.client and ssl: 9 ms of a first summary)
_ATTRIBUTE = str.maketrans({"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` escaped, as ``xml.sax.saxutils.escape``."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    """An attribute value escaped and quoted, as ``xml.sax.saxutils.quoteattr``."""
    data = escape(text).translate(_ATTRIBUTE)
    if '"' in data:
        return '"%s"' % data.replace('"', "&quot;") if "'" in data else "'%s'" % data
    return '"%s"' % data

from klantreis_tui.models.palette import CURRENT, DESIRED, GRID, NEUTRAL, SPREAD, score_colour

#: Space around the plot, in SVG units. The top edge of the plot is +2, the bottom edge -2:
#: ``y = MARGIN_TOP + (2 - score) * (height - MARGIN_TOP - MARGIN_BOTTOM) / 4``.
MARGIN_TOP = 16
MARGIN_BOTTOM = 24
MARGIN_LEFT = 40
MARGIN_RIGHT = 16

SCORE_MAX = 2
SCORE_MIN = -2

#: the lines of the plot, in the colours of every heartbeat (models.palette)
ZERO_LINE = f'stroke="{NEUTRAL}" stroke-width="1.2"'
GRID_LINE = f'stroke="{GRID}" stroke-width="1" stroke-dasharray="3 3"'


def _num(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros, so the output is stable."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def score_y(score: float, height: int) -> float:
    """The y coordinate of a score: linear, +2 at the top of the plot and -2 at the bottom."""
    plot = height - MARGIN_TOP - MARGIN_BOTTOM
    return MARGIN_TOP + (SCORE_MAX - score) * plot / (SCORE_MAX - SCORE_MIN)


def step_x(index: int, count: int, width: int) -> float:
    """The x coordinate of step ``index`` (0-based): the middle of its column."""
    plot = width - MARGIN_LEFT - MARGIN_RIGHT
    return MARGIN_LEFT + (index + 0.5) * plot / max(1, count)


def svg_heartbeat(
    scores: Sequence[float | None],
    width: int = 640,
    height: int = 200,
    title: str = "",
    labels: Sequence[str] | None = None,
    desired: Sequence[float | None] | None = None,
    spreads: Sequence[tuple[float, float] | None] | None = None,
    legend: tuple[str, str] | None = None,
) -> str:
    """An ``<svg>`` element: grid lines for -2..+2, step numbers, a polyline and one circle per scored step.

    Each circle carries ``data-step`` (1-based step number) and ``data-score``. Steps without a score
    get a column but no point. ``labels`` replaces the step numbers under the axis (for phases).
    ``spreads`` draws, per column, a vertical bar from the lowest to the highest score (``class="spread"``);
    ``desired`` a second, dashed curve with open diamonds (``class="desired"``, ``data-score``): the desired
    journey beside the current one; ``legend`` names the two curves (current, desired) above the plot.
    The output depends only on the arguments.
    """
    count = len(scores)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="heartbeat" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img"'
        + (f" aria-label={quoteattr(title)}>" if title else ">")
    ]
    if title:
        out.append(f"<title>{escape(title)}</title>")
    left, right = MARGIN_LEFT, width - MARGIN_RIGHT
    out.append('<g class="grid" font-family="sans-serif" font-size="11" fill="#444">')
    for level in range(SCORE_MAX, SCORE_MIN - 1, -1):
        y = _num(score_y(level, height))
        stroke = ZERO_LINE if level == 0 else GRID_LINE
        out.append(f'<line x1="{left}" y1="{y}" x2="{right}" y2="{y}" {stroke}/>')
        label = f"+{level}" if level > 0 else str(level)
        out.append(f'<text x="{left - 8}" y="{y}" text-anchor="end" dominant-baseline="middle">{label}</text>')
    bottom = _num(score_y(SCORE_MIN, height))
    out.append(f'<line x1="{left}" y1="{_num(MARGIN_TOP)}" x2="{left}" y2="{bottom}" stroke="{NEUTRAL}" stroke-width="1"/>')
    axis_y = _num(height - MARGIN_BOTTOM / 3)
    for index in range(count):
        label = labels[index] if labels is not None and index < len(labels) else str(index + 1)
        out.append(
            f'<text x="{_num(step_x(index, count, width))}" y="{axis_y}" text-anchor="middle">{escape(label)}</text>'
        )
    out.append("</g>")
    for index, spread in enumerate(spreads or ()):
        if spread is not None and index < count:
            x = _num(step_x(index, count, width))
            out.append(
                f'<line class="spread" x1="{x}" y1="{_num(score_y(spread[1], height))}" x2="{x}" '
                f'y2="{_num(score_y(spread[0], height))}" stroke="{SPREAD}" stroke-width="6" stroke-linecap="round" '
                f'stroke-opacity="0.35"/>'
            )
    if desired is not None:
        out.extend(_desired_curve(desired, count, width, height))
    if legend is not None:
        out.append(
            f'<g class="legend" font-family="sans-serif" font-size="11" fill="#333">'
            f'<line x1="{left}" y1="6" x2="{left + 18}" y2="6" stroke="{CURRENT}" stroke-width="2"/>'
            f'<text x="{left + 22}" y="6" dominant-baseline="middle">{escape(legend[0])}</text>'
            f'<line x1="{left + 160}" y1="6" x2="{left + 178}" y2="6" stroke="{DESIRED}" stroke-width="2" '
            f'stroke-dasharray="5 4"/>'
            f'<text x="{left + 182}" y="6" dominant-baseline="middle">{escape(legend[1])}</text></g>'
        )
    points = [
        (index, score, step_x(index, count, width), score_y(score, height))
        for index, score in enumerate(scores)
        if score is not None
    ]
    if len(points) >= 2:
        path = " ".join(f"{_num(x)},{_num(y)}" for _, _, x, y in points)
        out.append(f'<polyline class="curve" points="{path}" fill="none" stroke="{CURRENT}" stroke-width="2"/>')
    for index, score, x, y in points:
        # coloured by the score as on the poster; outlined in the curve's colour, so that a light one shows on white
        out.append(
            f'<circle class="point" cx="{_num(x)}" cy="{_num(y)}" r="5" fill="{score_colour(score)}" '
            f'stroke="{CURRENT}" stroke-width="1" data-step="{index + 1}" data-score="{_num(score)}"/>'
        )
    out.append("</svg>")
    return "\n".join(out)


def _desired_curve(desired: Sequence[float | None], count: int, width: int, height: int) -> list[str]:
    """The desired journey: a dashed polyline and an open diamond per phase that has a desired score."""
    points = [
        (index, score, step_x(index, count, width), score_y(score, height))
        for index, score in enumerate(desired)
        if score is not None and index < count
    ]
    out = []
    if len(points) >= 2:
        path = " ".join(f"{_num(x)},{_num(y)}" for _, _, x, y in points)
        out.append(
            f'<polyline class="desired-curve" points="{path}" fill="none" stroke="{DESIRED}" '
            f'stroke-width="2" stroke-dasharray="5 4"/>'
        )
    for index, score, x, y in points:
        diamond = f"{_num(x)},{_num(y - 6)} {_num(x + 6)},{_num(y)} {_num(x)},{_num(y + 6)} {_num(x - 6)},{_num(y)}"
        out.append(
            f'<polygon class="desired" points="{diamond}" fill="#fff" stroke="{DESIRED}" stroke-width="2" '
            f'data-step="{index + 1}" data-score="{_num(score)}"/>'
        )
    return out


class LazySvg:
    """An SVG heartbeat drawn only when a template shows it (Markdown templates never do).

    Renders through ``str()`` and ``__html__`` (so ``{{ x | safe }}`` and autoescaping both work).
    """

    def __init__(self, scores: Sequence[int | None], **options: Any):
        self.scores = list(scores)
        self.options = options
        self._text: str | None = None

    def __str__(self) -> str:
        if self._text is None:
            self._text = svg_heartbeat(self.scores, **self.options)
        return self._text

    def __html__(self) -> str:
        return str(self)

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))
