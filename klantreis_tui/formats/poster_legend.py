"""The poster's legend, top right: the five faces from very negative to very positive, and what the lines and
marks mean (current heartbeat, desired heartbeat when there is one, moment of truth, neutral)."""

from __future__ import annotations

from klantreis_tui.formats.poster_shapes import MUTED, SHEET_W, Face, Line, Sheet, Star, TextBox
from klantreis_tui.formats.text_layout import clean, text_width
from klantreis_tui.models.journey_view import JourneyView
from klantreis_tui.models.palette import CURRENT, DESIRED, MOMENT, NEUTRAL

RIGHT = SHEET_W - 12.0
SIZE = 2.3
FACE_R = 2.1
FACE_STEP = 5.6
SAMPLE_W = 7.0


def legend(sheet: Sheet, view: JourneyView, words: dict[str, str]) -> float:
    """Draw the legend against the right margin; returns its left edge (the title stays left of it)."""
    low, high = clean(words["very_negative"]), clean(words["very_positive"])
    faces_w = 4 * FACE_STEP + 2 * FACE_R
    row1 = text_width(low, SIZE) + 2.0 + faces_w + 2.0 + text_width(high, SIZE)
    samples: list[tuple[str, str]] = [("current", words["legend_current"])]
    if view.has_desired:
        samples.append(("desired", words["legend_desired"]))
    samples += [("moment", words["legend_moment"]), ("neutral", words["legend_neutral"])]
    row2 = sum(SAMPLE_W + 1.6 + text_width(clean(label), SIZE) + 4.0 for _, label in samples) - 4.0
    width = max(row1, row2)
    left = RIGHT - width
    # row 1: very negative (faces -2 .. +2 with their numbers) very positive
    y_faces = 18.6
    x = RIGHT - row1
    sheet.texts.append(TextBox(x, y_faces + 0.8, (low,), SIZE, SIZE * 1.27, "legend", fill=MUTED))
    x += text_width(low, SIZE) + 2.0 + FACE_R
    for score in (-2, -1, 0, 1, 2):
        sheet.faces.append(Face(x, y_faces, FACE_R, score, "legend"))
        label = f"+{score}" if score > 0 else "−2" if score == -2 else "−1" if score == -1 else "0"
        sheet.texts.append(TextBox(x, y_faces + FACE_R + 2.5, (label,), 1.9, 2.4, "legend", fill=MUTED, anchor="middle"))
        x += FACE_STEP
    x += -FACE_STEP + FACE_R + 2.0
    sheet.texts.append(TextBox(x, y_faces + 0.8, (high,), SIZE, SIZE * 1.27, "legend", fill=MUTED))
    # row 2: the lines and marks
    y = 30.8
    x = RIGHT - row2
    for kind, label in samples:
        mid = y - 0.75
        if kind == "current":
            sheet.lines.append(Line(x, mid, x + SAMPLE_W, mid, CURRENT, 0.6, role="legend"))
        elif kind == "desired":
            sheet.lines.append(Line(x, mid, x + SAMPLE_W, mid, DESIRED, 0.55, dash="2.2 1.4", role="legend"))
        elif kind == "moment":
            sheet.stars.append(Star(x + SAMPLE_W / 2, mid, 1.4, MOMENT, role="legend"))
        else:
            sheet.lines.append(Line(x, mid, x + SAMPLE_W, mid, NEUTRAL, 0.35, dash="1.6 1.2", role="legend"))
        x += SAMPLE_W + 1.6
        sheet.texts.append(TextBox(x, y, (clean(label),), SIZE, SIZE * 1.27, "legend", fill=MUTED))
        x += text_width(clean(label), SIZE) + 4.0
    return left
