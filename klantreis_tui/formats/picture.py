"""The heartbeat (emotion curve, -2..+2 per step or per phase) drawn as a PNG picture for Word documents.

Drawn with Pillow, imported inside the function. The same look as the HTML heartbeat: grid lines for every
level, a darker neutral line, the curve through the scored points, each point coloured by its score, and the
step numbers (or phase names) under the axis. A step without a score keeps its column but gets no point. The
colours are those of every heartbeat (``models.palette``).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence

from klantreis_tui.formats.text import office_text
from klantreis_tui.models import palette

SCORE_MIN, SCORE_MAX = -2, 2
#: the colours of every heartbeat (models.palette), as Pillow draws them
CURVE = palette.rgb(palette.CURRENT)
GRID = palette.rgb(palette.GRID)
ZERO = palette.rgb(palette.NEUTRAL)
DESIRED = palette.rgb(palette.DESIRED)  # the desired heartbeat: dashed, hollow diamonds
MOMENT = palette.rgb(palette.MOMENT)
#: drawn large and placed smaller, so the picture stays sharp when printed (about 200 dpi at 16 cm)
WIDTH, HEIGHT = 1280, 480
LEFT, RIGHT, TOP, BOTTOM = 120, 40, 48, 80


#: fonts with the accented letters of Dutch (oriëntatie), found by Pillow in the system's font folders
#: (Linux, Windows, macOS); the first one present is used
FONTS = ("DejaVuSans.ttf", "LiberationSans-Regular.ttf", "NotoSans-Regular.ttf", "arial.ttf", "Arial.ttf",
         "segoeui.ttf", "Helvetica.ttc", "Arial Unicode.ttf")


@functools.lru_cache(maxsize=8)
def _font(size: int):  # type: ignore[no-untyped-def]
    from PIL import ImageFont

    for name in FONTS:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    try:
        return ImageFont.load_default(size=size)  # Pillow's own scalable font (no accents in every version)
    except (TypeError, OSError):  # an old Pillow or one without FreeType: its bitmap font
        return ImageFont.load_default()


def _dashed(draw, x1: float, y1: float, x2: float, y2: float) -> None:  # type: ignore[no-untyped-def]
    """A dashed line (the desired curve) from (x1, y1) to (x2, y2)."""
    length = max(1.0, ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5)
    steps = int(length // 16)
    for k in range(steps + 1):
        a, b = k * 16 / length, min(1.0, (k * 16 + 9) / length)
        if a >= 1:
            break
        draw.line([(x1 + (x2 - x1) * a, y1 + (y2 - y1) * a), (x1 + (x2 - x1) * b, y1 + (y2 - y1) * b)], fill=DESIRED, width=4)


def _fit(draw, text: str, font, room: float) -> str:  # type: ignore[no-untyped-def]
    """``text`` shortened with an ellipsis so that it is at most ``room`` pixels wide."""
    if draw.textlength(text, font=font) <= room:
        return text
    while text and draw.textlength(text + "…", font=font) > room:
        text = text[:-1]
    return text + "…"


def heartbeat_png(
    scores: Sequence[float | None], labels: Sequence[str] | None = None, marked: Sequence[bool] | None = None,
    axis: Sequence[str] = ("-2", "-1", "0", "+1", "+2"), desired: Sequence[float | None] | None = None,
    legend: tuple[str, str] | None = None,
) -> bytes:
    """The heartbeat as PNG bytes. ``labels`` replaces the step numbers under the axis (phase names);
    ``marked`` rings the points of the moments of truth; ``axis`` are the level labels from -2 up;
    ``desired`` a second curve (the desired heartbeat of a persona), dashed in blue; ``legend`` names the two."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    small, normal = _font(22), _font(26)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = max(1, len(scores))

    def y_of(score: float) -> float:
        return TOP + (SCORE_MAX - score) * plot_h / (SCORE_MAX - SCORE_MIN)

    def x_of(index: int) -> float:
        return LEFT + (index + 0.5) * plot_w / count

    for level, text in zip(range(SCORE_MIN, SCORE_MAX + 1), axis):
        y = y_of(level)
        if level == 0:
            draw.line([(LEFT, y), (WIDTH - RIGHT, y)], fill=ZERO, width=3)
        else:
            for x in range(LEFT, WIDTH - RIGHT, 18):  # dashed
                draw.line([(x, y), (min(x + 9, WIDTH - RIGHT), y)], fill=GRID, width=2)
        shown = _fit(draw, office_text(text), normal, LEFT - 16)
        draw.text((LEFT - 12, y), shown, fill=ZERO if level == 0 else (90, 90, 90), font=normal, anchor="rm")
    column = plot_w / count
    for index in range(len(scores)):
        text = office_text(labels[index]) if labels is not None and index < len(labels) else str(index + 1)
        font = small if labels is not None else normal
        draw.text((x_of(index), HEIGHT - BOTTOM + 24), _fit(draw, text, font, column - 8), fill=(60, 60, 60),
                  font=font, anchor="mt")
    points = [(x_of(i), y_of(max(SCORE_MIN, min(SCORE_MAX, s))), s) for i, s in enumerate(scores) if s is not None]
    if len(points) > 1:
        draw.line([(x, y) for x, y, _ in points], fill=CURVE, width=4, joint="curve")
    radius = max(7, min(14, int(column / 5)))
    if desired is not None:
        wanted = [(x_of(i), y_of(max(SCORE_MIN, min(SCORE_MAX, s)))) for i, s in enumerate(desired) if s is not None]
        for (x1, y1), (x2, y2) in zip(wanted, wanted[1:]):
            _dashed(draw, x1, y1, x2, y2)
        for x, y in wanted:
            r = radius - 1
            draw.polygon([(x, y - r), (x + r, y), (x, y + r), (x - r, y)], fill="white", outline=DESIRED, width=3)
    if legend is not None:
        x = LEFT
        for text, dashed in ((legend[0], False), (legend[1], True)):
            if dashed:
                _dashed(draw, x, 16, x + 40, 16)
            else:
                draw.line([(x, 16), (x + 40, 16)], fill=CURVE, width=4)
            shown = office_text(text)
            draw.text((x + 50, 16), shown, fill=(60, 60, 60), font=small, anchor="lm")
            x += 50 + int(draw.textlength(shown, font=small)) + 40
    marks = list(marked or [])
    for index, score in enumerate(scores):
        if score is None:
            continue
        x, y = x_of(index), y_of(max(SCORE_MIN, min(SCORE_MAX, score)))
        if index < len(marks) and marks[index]:
            ring = radius + 8
            draw.ellipse([x - ring, y - ring, x + ring, y + ring], outline=MOMENT, width=4)
        # coloured by the score as on the poster; outlined in the curve's colour, so that a light one shows on white
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=palette.rgb(palette.score_colour(score)),
                     outline=CURVE, width=2)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True, dpi=(200, 200))
    return out.getvalue()
