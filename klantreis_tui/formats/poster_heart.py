"""The heartbeat lane of the poster: the neutral line, a face at every score, the curve through them, the
desired curve (dashed) where the view has desired scores, moments of truth marked, and "n = 0" where nothing
was scored.

An interview is drawn step by step (its steps' scores, spread over their phase's column); a persona phase by
phase (the median of its respondents with the spread from lowest to highest, and n).
"""

from __future__ import annotations


from klantreis_tui.formats.poster_layout import COLUMNS_W, COLUMNS_X, LH, PAD, SMALL, Lane
from klantreis_tui.formats.poster_shapes import FAINT, MUTED, Curve, Face, Line, Rect, Sheet, Star, TextBox
from klantreis_tui.models.journey_view import JourneyView
from klantreis_tui.models.palette import CURRENT, DESIRED, NEUTRAL, SPREAD

TOP_ROOM = 6.5  # above +2: a face, and a moment's star over it
BOTTOM_ROOM = 8.5  # below -2: a face, the step number under it, and the "n =" row


def heartbeat(sheet: Sheet, view: JourneyView, lane: Lane, cards, numbers: list[list[int]], words: dict[str, str]) -> None:
    top, bottom = lane.top + TOP_ROOM, lane.bottom - BOTTOM_ROOM
    sheet.plot = (top, bottom)
    zero = sheet.score_y(0)
    right = COLUMNS_X + COLUMNS_W
    # the good half and the bad half, tinted; lines at every score, the neutral one stronger
    sheet.rects.append(Rect(COLUMNS_X, lane.top + 0.8, COLUMNS_W, zero - lane.top - 0.8, fill="#edf5ef", role="positive-half"))
    sheet.rects.append(Rect(COLUMNS_X, zero, COLUMNS_W, lane.bottom - 0.8 - zero, fill="#faefea", role="negative-half"))
    for level in (2, 1, -1, -2):
        y = sheet.score_y(level)
        sheet.lines.append(Line(COLUMNS_X, y, right, y, "#ffffff", 0.35, role="grid"))
    sheet.lines.append(Line(COLUMNS_X, zero, right, zero, NEUTRAL, 0.35, dash="1.6 1.2", role="neutral"))
    for level, label in ((2, "+2"), (0, "0"), (-2, "−2")):
        sheet.texts.append(TextBox(COLUMNS_X - 1.6, sheet.score_y(level) + 0.8, (label,), SMALL, SMALL * LH, "axis",
                                   fill=MUTED, anchor="end"))
    n_row = lane.bottom - 1.9
    if view.kind == "persona":
        points = _phase_medians(sheet, view, n_row)
    else:
        points = _step_scores(sheet, view, cards, numbers, n_row)
    if len(points) >= 2:
        sheet.curves.insert(0, Curve(tuple(points), CURRENT, 0.6, role="current"))
    centres = [x + w / 2 for x, w in sheet.columns]
    desired = [
        (centres[i], sheet.score_y(max(-2.0, min(2.0, float(p.desired)))))
        for i, p in enumerate(view.phases) if p.desired is not None
    ]
    if len(desired) >= 2:
        sheet.curves.append(Curve(tuple(desired), DESIRED, 0.55, dash="2.2 1.4", role="desired"))
    for i, phase in enumerate(view.phases):
        if phase.desired is not None:
            score = max(-2.0, min(2.0, float(phase.desired)))
            sheet.faces.append(Face(centres[i], sheet.score_y(score), 1.25, score, "desired", phase=i))


def _n_label(sheet: Sheet, x: float, y: float, n: int) -> None:
    sheet.texts.append(TextBox(x, y, (f"n = {n}",), SMALL, SMALL * LH, "n", fill=MUTED if n else FAINT, anchor="middle"))


def _phase_medians(sheet: Sheet, view: JourneyView, n_row: float) -> list[tuple[float, float]]:
    points = []
    for i, phase in enumerate(view.phases):
        col_x, col_w = sheet.columns[i]
        radius = max(1.2, min(3.0, col_w / 2 - 1.5))
        cx = col_x + col_w / 2
        score = phase.score
        _n_label(sheet, cx, n_row, score.n)
        if score.median is None:
            continue
        median = max(-2.0, min(2.0, float(score.median)))
        cy = sheet.score_y(median)
        if score.low is not None and score.high is not None and score.low != score.high:
            y_low, y_high = sheet.score_y(score.low), sheet.score_y(score.high)
            sheet.lines.append(Line(cx, y_high, cx, y_low, SPREAD, 0.35, role="spread"))
            for y in (y_low, y_high):
                sheet.lines.append(Line(cx - 1.1, y, cx + 1.1, y, SPREAD, 0.35, role="spread"))
        moment = bool(phase.moments_of_truth)
        sheet.faces.append(Face(cx, cy, radius, median, "current", phase=i, moment=moment))
        if moment:
            sheet.stars.append(Star(cx + radius + 1.6, cy - radius - 0.2, 1.3))
        points.append((cx, cy))
    return points


def _step_scores(
    sheet: Sheet, view: JourneyView, cards, numbers: list[list[int]], n_row: float
) -> list[tuple[float, float]]:
    points = []
    first = sheet.full
    for i, phase in enumerate(view.phases):
        shown = [step_index for step_index, _ in cards[i]]
        col_x, col_w = sheet.columns[i]
        x0 = col_x + PAD
        if not shown:
            if first or not phase.steps:
                _n_label(sheet, x0 + col_w / 2 - PAD, n_row, 0)
            continue
        spacing = (col_w - 2 * PAD) / len(shown)
        radius = max(0.9, min(2.7, spacing / 2 - 0.3))
        scored = 0
        for slot, step_index in enumerate(shown):
            step = phase.steps[step_index]
            if step.emotion is None:
                continue
            scored += 1
            score = max(-2, min(2, step.emotion))
            cx, cy = x0 + (slot + 0.5) * spacing, sheet.score_y(score)
            number = numbers[i][step_index]
            sheet.faces.append(Face(cx, cy, radius, score, "current", step=number, phase=i, moment=step.moment_of_truth))
            if step.moment_of_truth:
                sheet.stars.append(Star(cx, cy - radius - 2.0, 1.3))
            if spacing >= 3.4:
                sheet.texts.append(TextBox(cx, cy + radius + 2.3, (str(number),), 1.9, 2.4, "face-number", fill=MUTED,
                                           anchor="middle"))
            points.append((cx, cy))
        if not scored:
            _n_label(sheet, x0 + col_w / 2 - PAD, n_row, 0)
    return points
