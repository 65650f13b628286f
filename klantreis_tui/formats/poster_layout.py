"""Where everything goes on the poster: phases as columns, lanes as rows, the step cards spread over sheets.

The first sheet holds every lane: leefwereld (the steps), systeemwereld (organisations and channels), the
heartbeat, quotes, knelpunten and kansen. A phase with more steps than its column holds continues on a next
sheet, which repeats the header and the phases and holds only the steps and the heartbeat of the steps on it
(a taller lane). Every text is wrapped to its cell and cut with an ellipsis when the cell is full.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from klantreis_tui.formats.poster_shapes import (
    ASCENT, BAND, DESCENT, FAINT, IDEA, INK, MUTED, PAIN, PHASE_FILL, PHASE_INK, RULE, SHEET_H, SHEET_W, Line, Rect,
    Sheet, Star, TextBox,
)
from klantreis_tui.models.palette import EMOTION, MOMENT
from klantreis_tui.formats.text_layout import clean, fill, text_width, with_ellipsis, wrap
from klantreis_tui.models.journey_view import JourneyView, ViewPhase

MARGIN = 12.0
LABEL_W = 32.0  # the lane titles' column
COLUMNS_X = MARGIN + LABEL_W
COLUMNS_W = SHEET_W - MARGIN - COLUMNS_X
PAD = 1.8  # inside a column, each side
PHASES_Y = 41.0
PHASES_H = 12.0
LANES_Y = PHASES_Y + PHASES_H + 2.0
LANES_BOTTOM = SHEET_H - MARGIN - 7.0
GAP = 1.2  # between lanes

SIZE = 2.7  # body text (about 7.7 pt)
SMALL = 2.3
LH = 1.27  # line height, as a share of the font size

#: the lanes of the first sheet and of a continuation sheet, with their share of the height
FULL_LANES = (("steps", 66), ("system", 27), ("heart", 50), ("quotes", 29), ("pains", 24), ("ideas", 24))
NEXT_LANES = (("steps", 168), ("heart", 52))

CARD_PAD = 1.3  # above and below a card's text
CARD_GAP = 1.3
CARD_NUMBER_W = 5.4  # the number disc at a card's left
MAX_CARD_LINES = 4
MIN_CARD_LINES = 2


@dataclass(frozen=True)
class Lane:
    kind: str
    top: float
    bottom: float


#: the first sheet's steps lane: as high as its fullest phase needs, within these bounds
MIN_STEPS_H = 38.0
MAX_STEPS_H = 82.0


def lanes(kinds: tuple[tuple[str, int], ...], steps_height: float | None = None) -> list[Lane]:
    """The lanes stacked from ``LANES_Y`` to ``LANES_BOTTOM``, each as high as its share; with
    ``steps_height`` the steps lane is that high and the others share the rest."""
    space = LANES_BOTTOM - LANES_Y - GAP * (len(kinds) - 1)
    if steps_height is not None:
        kinds = tuple((kind, share) for kind, share in kinds if kind != "steps")
        space -= steps_height
    total = sum(share for _, share in kinds)
    result, y = [], LANES_Y
    if steps_height is not None:
        result.append(Lane("steps", y, y + steps_height))
        y += steps_height + GAP
    for kind, share in kinds:
        height = space * share / total
        result.append(Lane(kind, y, y + height))
        y += height + GAP
    return result


EMPTY_SHARE = 0.5  # a phase with nothing in it gets a narrower column


def _has_content(phase: ViewPhase) -> bool:
    return bool(phase.steps or phase.score.n or phase.desired is not None or phase.organisations or phase.quotes
                or phase.pain_points or phase.opportunities or phase.themes)


def columns(view: JourneyView) -> list[tuple[float, float]]:
    """Per phase its column's left edge and width: the phases with something in them share the room, an
    empty phase gets half a share (it shows as such, without taking the room of the others)."""
    shares = [1.0 if _has_content(p) else EMPTY_SHARE for p in view.phases]
    total = sum(shares) or 1.0
    result, x = [], COLUMNS_X
    for share in shares:
        width = COLUMNS_W * share / total
        result.append((x, width))
        x += width
    return result


# --- step cards over sheets --------------------------------------------------------------------------------------


def card_text_width(col_w: float, moment: bool) -> float:
    return col_w - 2 * PAD - CARD_NUMBER_W - 1.4 - (3.4 if moment else 0.0)


def card_height(lines: int) -> float:
    return 2 * CARD_PAD + max(1, lines) * SIZE * LH


def _card_lines(description: str, width: float) -> int:
    """The lines a step's description needs (at most ``MAX_CARD_LINES``; an empty one shows a dash)."""
    return max(1, min(MAX_CARD_LINES, len(wrap(clean(description), width, SIZE, limit=MAX_CARD_LINES))))


def fit_cards(needed: list[int], height: float) -> list[int]:
    """How many lines each of the first cards gets in a lane of ``height``: as many cards as fit with at most
    ``MIN_CARD_LINES`` lines each (at least one card), then spare room given a line at a time, in order."""
    lines: list[int] = []
    used = 0.0
    for need in needed:
        want = min(need, MIN_CARD_LINES)
        extra = card_height(want) + (CARD_GAP if lines else 0.0)
        if lines and used + extra > height:
            break
        lines.append(want)
        used += extra
    grown = True
    while grown:
        grown = False
        for index, need in enumerate(needed[: len(lines)]):
            if lines[index] < need and used + SIZE * LH <= height:
                lines[index] += 1
                used += SIZE * LH
                grown = True
    return lines


def first_steps_height(view: JourneyView) -> float:
    """The first sheet's steps lane: room for the fullest phase's cards at their natural length, within
    ``MIN_STEPS_H`` .. ``MAX_STEPS_H``."""
    widths = [w for _, w in columns(view)]
    need = 0.0
    for phase, width in zip(view.phases, widths):
        cards = [card_height(_card_lines(s.description, card_text_width(width, s.moment_of_truth))) for s in phase.steps]
        need = max(need, sum(cards) + CARD_GAP * max(0, len(cards) - 1))
    return max(MIN_STEPS_H, min(MAX_STEPS_H, need + 2 * PAD + 0.5))


@dataclass(frozen=True)
class CardPlan:
    """Per sheet, per phase: the steps (index in the phase) drawn there and the lines each card gets."""

    sheets: tuple[tuple[tuple[tuple[int, int], ...], ...], ...]


def plan_cards(view: JourneyView) -> CardPlan:
    """Spread every phase's steps over as many sheets as the fullest phase needs."""
    count = len(view.phases)
    widths = [w for _, w in columns(view)]
    heights = [first_steps_height(view) - 2 * PAD]
    next_height = [lane.bottom - lane.top - 2 * PAD for lane in lanes(NEXT_LANES) if lane.kind == "steps"][0]
    needed = [
        [_card_lines(s.description, card_text_width(widths[i], s.moment_of_truth)) for s in phase.steps]
        for i, phase in enumerate(view.phases)
    ]
    start = [0] * count
    sheets = []
    while True:
        height = heights[0] if not sheets else next_height
        sheet = []
        for index in range(count):
            rest = needed[index][start[index]:]
            lines = fit_cards(rest, height) if rest else []
            sheet.append(tuple((start[index] + i, n) for i, n in enumerate(lines)))
            start[index] += len(lines)
        sheets.append(tuple(sheet))
        if all(start[i] >= len(needed[i]) for i in range(count)):
            break
    return CardPlan(tuple(sheets))


# --- text cells ----------------------------------------------------------------------------------------------


def item_list(
    sheet: Sheet, items: list[tuple[str, str, bool, str]], x: float, top: float, width: float, height: float,
    bullet: str | None, size: float = SIZE, italic: bool = False,
) -> None:
    """Items (text, role, bold, colour) one under the other in a cell from ``top``, ``height`` high; a text
    longer than the room left is cut with an ellipsis, and so is the last one shown when more follow."""
    lh = size * LH
    bottom = top + height
    indent = 2.4 if bullet else 0.0

    def room(baseline: float) -> int:
        """How many lines fit from this first baseline down to the cell's bottom."""
        return int((bottom - baseline - DESCENT * size) // lh) + 1

    y = top + ASCENT * size + 0.2
    for index, (text, role, bold, colour) in enumerate(items):
        if room(y) <= 0:
            break
        block = fill(text, width - indent, size, room(y), bold=bold)
        if not block.lines:
            continue
        lines, cut = list(block.lines), block.cut
        next_y = y + len(lines) * lh + 0.35 * lh
        if index < len(items) - 1 and room(next_y) <= 0 and not cut:  # the cell ends here, items follow: say so
            lines[-1] = with_ellipsis(lines[-1], width - indent, size, bold)
            cut = True
        sheet.texts.append(TextBox(x + indent, y, tuple(lines), size, lh, role, bold=bold, italic=italic, fill=colour, cut=cut))
        if bullet:
            sheet.rects.append(Rect(x + 0.3, y - 0.36 * size - 0.55, 1.1, 1.1, fill=bullet, rx=0.55, role="bullet"))
        if cut:
            break
        y = next_y


def empty_mark(sheet: Sheet, x: float, top: float, text: str) -> None:
    sheet.texts.append(TextBox(x, top + 0.93 * SMALL + 0.4, (text,), SMALL, SMALL * LH, "empty", italic=True, fill=FAINT))


# --- the sheets --------------------------------------------------------------------------------------------------


#: the most phases side by side on a sheet; more continue on the next sheet (every column stays readable)
MAX_COLUMNS = 12


def layout(view: JourneyView, words: dict[str, str], today: date) -> list[Sheet]:
    """Every sheet of the poster of ``view`` (``words``: its labels in the poster's language): per group of at
    most ``MAX_COLUMNS`` phases a first sheet with every lane, then as many continuation sheets as its fullest
    phase needs. Steps are numbered through the whole journey."""
    numbers, next_number = [], 1
    for phase in view.phases:
        numbers.append(list(range(next_number, next_number + len(phase.steps))))
        next_number += len(phase.steps)
    starts = list(range(0, len(view.phases), MAX_COLUMNS)) or [0]
    groups = [(start, replace(view, phases=view.phases[start:start + MAX_COLUMNS])) for start in starts]
    plans = [(start, part, plan_cards(part)) for start, part in groups]
    count = sum(len(plan.sheets) for _, _, plan in plans)
    sheets: list[Sheet] = []
    for start, part, plan in plans:
        part_numbers = numbers[start:start + MAX_COLUMNS]
        for index, cards in enumerate(plan.sheets):
            sheet = Sheet(number=len(sheets) + 1, count=count, columns=columns(part), full=index == 0)
            _header(sheet, view, words, today)
            rows = lanes(FULL_LANES, first_steps_height(part)) if index == 0 else lanes(NEXT_LANES)
            _phase_heads(sheet, part, words, cards, first=index == 0, numbers=part_numbers)
            for lane in rows:
                _lane_frame(sheet, lane, words)
                if lane.kind == "steps":
                    _steps(sheet, part, lane, cards, part_numbers, words)
                elif lane.kind == "heart":
                    _heart(sheet, part, lane, cards, part_numbers, words)
                else:
                    _cells(sheet, part, lane, words)
            sheet.steps_shown = {start + i: shown for i, shown in sheet.steps_shown.items()}
            sheet.first_phase = start
            sheets.append(sheet)
    return sheets


def _header(sheet: Sheet, view: JourneyView, words: dict[str, str], today: date) -> None:
    from klantreis_tui.formats.poster_legend import legend

    left = legend(sheet, view, words)
    width = left - 6 - MARGIN
    kicker = words["kicker_persona"] if view.kind == "persona" else words["kicker_interview"]
    if sheet.number > 1:
        kicker = f"{kicker} · {words['continued']}"
    kicker_line = fill(kicker.upper(), width, 2.6, 1, bold=True, spacing=0.25)
    sheet.texts.append(TextBox(MARGIN, 16.0, kicker_line.lines, 2.6, 3.2, "kicker", bold=True, fill=MUTED, spacing=0.25))
    title = clean(view.title) if view.kind == "persona" else words["title_interview"].format(code=clean(view.title))
    block = fill(title, width, 8.0, 1, bold=True)
    sheet.texts.append(TextBox(MARGIN, 25.5, block.lines, 8.0, 9.0, "title", bold=True, cut=block.cut))
    y = 31.6
    if view.subtitle.strip():
        sub = fill(view.subtitle, width, 3.4, 1)
        sheet.texts.append(TextBox(MARGIN, y, sub.lines, 3.4, 4.2, "subtitle", fill=MUTED, cut=sub.cut))
        y += 4.6
    extra = []
    if view.kind == "persona":
        if view.goal.strip():
            extra.append(f"{words['goal']}: {view.goal}")
        if view.context.strip():
            extra.append(view.context)
        if view.respondents:
            extra.append(f"{words['based_on']}: {', '.join(view.respondents)} (n = {len(view.respondents)})")
    if extra and y < PHASES_Y - 2.2:
        line = fill(" · ".join(extra), width, 2.7, 1)
        sheet.texts.append(TextBox(MARGIN, y, line.lines, 2.7, 3.4, "goal", fill=MUTED, cut=line.cut))
    # the footer: a draft, of when, which sheet
    foot_y = SHEET_H - MARGIN + 0.6
    sheet.lines.append(Line(MARGIN, foot_y - 4.4, SHEET_W - MARGIN, foot_y - 4.4, RULE, 0.25, role="footer"))
    stamp = f"{words['draft'].upper()} · {today.isoformat()} · {words['draft_note']}"
    page = words["sheet_of"].format(number=sheet.number, count=sheet.count)
    page_w = text_width(page, SMALL)
    note = fill(stamp, SHEET_W - 2 * MARGIN - page_w - 8, SMALL, 1)
    sheet.texts.append(TextBox(MARGIN, foot_y, note.lines, SMALL, SMALL * LH, "footer", fill=MUTED, cut=note.cut))
    sheet.texts.append(TextBox(SHEET_W - MARGIN, foot_y, (page,), SMALL, SMALL * LH, "sheet", fill=MUTED, anchor="end"))


def _phase_heads(
    sheet: Sheet, view: JourneyView, words: dict[str, str], cards, first: bool, numbers: list[list[int]]
) -> None:
    count = len(view.phases)
    if not count:
        sheet.texts.append(TextBox(COLUMNS_X, PHASES_Y + 6, (words["no_phases"],), SIZE, SIZE * LH, "empty", italic=True, fill=FAINT))
    for index, phase in enumerate(view.phases):
        col_x, col_w = sheet.columns[index]
        x = col_x + 0.6
        w = col_w - 1.2
        if phase.known:
            sheet.rects.append(Rect(x, PHASES_Y, w, PHASES_H, fill=PHASE_FILL, rx=1.2, role="phase"))
        else:
            sheet.rects.append(Rect(x, PHASES_Y, w, PHASES_H, fill="#ffffff", stroke=FAINT, stroke_width=0.3, rx=1.2,
                                    dash="1.2 0.9", role="phase-unknown"))
        name = phase.name if phase.name.strip() else words["no_phase"]
        colour = PHASE_INK if phase.known else MUTED
        head = fill(name, w - 2 * PAD, 3.2, 1, bold=True)
        facts_y, facts_size = PHASES_Y + 9.4, SMALL
        if head.cut:  # a long name (or a narrow column): two smaller lines
            head = fill(name, w - 2 * PAD, 2.6, 2, bold=True)
            sheet.texts.append(TextBox(x + PAD, PHASES_Y + 3.9, head.lines, 2.6, 3.1, "phase", bold=True, fill=colour, cut=head.cut))
            facts_y, facts_size = PHASES_Y + 10.4, 2.0
        else:
            sheet.texts.append(TextBox(x + PAD, PHASES_Y + 4.9, head.lines, 3.2, 4.0, "phase", bold=True, fill=colour))
        shown = [numbers[index][i] for i, _ in cards[index]]
        if view.kind == "persona":
            facts = f"n = {phase.score.n}"
        else:
            facts = words["steps_n"].format(n=len(phase.steps)) if len(phase.steps) != 1 else words["steps_1"]
            if len(shown) < len(phase.steps) and shown:
                facts = f"{facts} · {words['here']} {shown[0]}–{shown[-1]}"
            elif not first and not shown and phase.steps:
                facts = f"{facts} · {words['see_sheet_1']}"
        if not phase.known:
            facts = f"{facts} · {words['outside_list'] if phase.name.strip() else words['unphased']}"
        line = fill(facts, w - 2 * PAD, facts_size, 1)
        sheet.texts.append(TextBox(x + PAD, facts_y, line.lines, facts_size, facts_size * LH, "phase-facts", fill=MUTED, cut=line.cut))


LANE_WORDS = {
    "steps": ("lane_steps", "lane_steps_sub"),
    "system": ("lane_system", "lane_system_sub"),
    "heart": ("lane_heart", "lane_heart_sub"),
    "quotes": ("lane_quotes", "lane_quotes_sub"),
    "pains": ("lane_pains", "lane_pains_sub"),
    "ideas": ("lane_ideas", "lane_ideas_sub"),
}


def lane_title_size(words: dict[str, str], width: float) -> float:
    """One size for every lane title: the largest (up to 2.5) at which each of their words fits on a line
    (a long word, SYSTEEMWERELD, is not broken)."""
    size = 2.5
    titles = [words[key].upper() for key, _ in LANE_WORDS.values()]
    longest = max((w for title in titles for w in title.split()), key=lambda w: text_width(w, 1.0, True), default="")
    while size > 1.8 and text_width(longest, size, True, 0.12) > width:
        size -= 0.05
    return round(size, 2)


def _lane_frame(sheet: Sheet, lane: Lane, words: dict[str, str]) -> None:
    """The lane's band, its title in the left column and the thin rules between the phases."""
    height = lane.bottom - lane.top
    sheet.rects.append(Rect(MARGIN, lane.top, SHEET_W - 2 * MARGIN, height, fill=BAND, rx=1.0, role=f"lane-{lane.kind}"))
    title_key, sub_key = LANE_WORDS[lane.kind]
    width = LABEL_W - 8.0  # the heartbeat's axis labels stand at the right of the column
    text = words[title_key].upper()
    title_w = width + 4.0  # above the axis labels
    size = lane_title_size(words, title_w)
    title = fill(text, title_w, size, 2, bold=True, spacing=0.12)
    sheet.texts.append(TextBox(MARGIN + 2.0, lane.top + 4.6, title.lines, size, 3.1, "lane", bold=True, fill=INK, spacing=0.12, cut=title.cut))
    room = int((height - 6.5 - len(title.lines) * 3.1) // (SMALL * LH))
    if room > 0:
        sub = fill(words[sub_key], width, SMALL, min(room, 4))
        y = lane.top + 4.6 + len(title.lines) * 3.1 + 0.9
        sheet.texts.append(TextBox(MARGIN + 2.0, y, sub.lines, SMALL, SMALL * LH, "lane-sub", fill=MUTED, cut=sub.cut))
    for x, _ in sheet.columns[1:]:
        sheet.lines.append(Line(x, lane.top + 1.5, x, lane.bottom - 1.5, "#ffffff", 0.6, role="column"))


def _steps(sheet: Sheet, view: JourneyView, lane: Lane, cards, numbers: list[list[int]], words: dict[str, str]) -> None:
    for index, phase in enumerate(view.phases):
        col_x, col_w = sheet.columns[index]
        x = col_x + PAD
        w = col_w - 2 * PAD
        shown = cards[index]
        sheet.steps_shown[index] = [numbers[index][i] for i, _ in shown]
        if not shown:
            if not phase.steps:  # (on a next sheet, a phase whose steps are all on an earlier one stays empty)
                empty_mark(sheet, x + 0.4, lane.top + PAD, words["no_steps"])
            continue
        y = lane.top + PAD
        for step_index, lines in shown:
            step = phase.steps[step_index]
            number = numbers[index][step_index]
            h = card_height(lines)
            moment = step.moment_of_truth
            sheet.rects.append(Rect(x, y, w, h, fill="#ffffff", stroke=MOMENT if moment else RULE,
                                    stroke_width=0.45 if moment else 0.25, rx=1.0, role="card"))
            colour = EMOTION[max(-2, min(2, step.emotion))] if step.emotion is not None else "#e4e8ec"
            disc = 3.8
            sheet.rects.append(Rect(x + 1.0, y + CARD_PAD - 0.1, disc, disc, fill=colour, rx=disc / 2, role="card-number"))
            ink = "#ffffff" if step.emotion is not None and abs(step.emotion) >= 2 else INK
            sheet.texts.append(TextBox(x + 1.0 + disc / 2, y + CARD_PAD + 2.55, (str(number),), 2.1, 2.6, "step-number",
                                       bold=True, fill=ink, anchor="middle"))
            text_w = card_text_width(col_w, moment)
            description = step.description if step.description.strip() else "—"
            block = fill(description, text_w, SIZE, lines)
            sheet.texts.append(TextBox(x + CARD_NUMBER_W + 0.4, y + CARD_PAD + 0.93 * SIZE - 0.2, block.lines, SIZE,
                                       SIZE * LH, "step", fill=INK, cut=block.cut))
            if moment:
                sheet.stars.append(Star(x + w - 2.3, y + 2.6, 1.55))
            y += h + CARD_GAP


def _cells(sheet: Sheet, view: JourneyView, lane: Lane, words: dict[str, str]) -> None:
    for index, phase in enumerate(view.phases):
        col_x, col_w = sheet.columns[index]
        x = col_x + PAD
        w = col_w - 2 * PAD
        top = lane.top + PAD
        height = lane.bottom - lane.top - 2 * PAD
        items = _lane_items(lane.kind, phase)
        if not items:
            empty_mark(sheet, x, top, "—")
            continue
        bullet = {"system": None, "quotes": None, "pains": PAIN, "ideas": IDEA}[lane.kind]
        item_list(sheet, items, x, top, w, height, bullet, italic=lane.kind == "quotes")


def _lane_items(kind: str, phase: ViewPhase) -> list[tuple[str, str, bool, str]]:
    if kind == "system":
        items = [(name, "organisation", True, INK) for name in phase.organisations]
        if phase.channels:
            items.append(("via " + ", ".join(phase.channels), "channel", False, MUTED))
        return items
    if kind == "quotes":
        return [(f"“{clean(q)}”", "quote", False, MUTED) for q in phase.quotes]
    if kind == "pains":
        return [(name, "theme", True, INK) for name in phase.themes] + [(p, "pain", False, INK) for p in phase.pain_points]
    return [(o, "idea", False, INK) for o in phase.opportunities] + \
        [(i, "desired-idea", False, INK) for i in phase.desired_ideas if i not in phase.opportunities]


def _heart(sheet: Sheet, view: JourneyView, lane: Lane, cards, numbers: list[list[int]], words: dict[str, str]) -> None:
    from klantreis_tui.formats.poster_heart import heartbeat

    heartbeat(sheet, view, lane, cards, numbers, words)


__all__ = ["Lane", "columns", "layout", "lanes", "plan_cards"]
