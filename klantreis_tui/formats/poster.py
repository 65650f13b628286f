"""The klantreis visual: one interview's or one persona's journey as a poster, A3 landscape, as SVG and HTML.

``poster_sheets`` lays it out (the boxes tests check), ``poster_svgs`` gives one standalone SVG per sheet,
``poster_svg`` one sheet, ``poster_html`` a self-contained page that prints one sheet per A3 landscape page.
A phase with more steps than its column holds continues on a second sheet: a second page in the HTML, a second
SVG document from ``poster_svgs`` (the command line writes it next to the first, ``-2`` before the extension).
"""

from __future__ import annotations

from datetime import date
from xml.sax.saxutils import escape

from klantreis_tui.formats.poster_draw import sheet_svg
from klantreis_tui.formats.poster_layout import layout
from klantreis_tui.formats.poster_shapes import Sheet
from klantreis_tui.formats.text_layout import clean
from klantreis_tui.i18n import N_, current_language, t, using_language
from klantreis_tui.models.journey_view import JourneyView

#: Every word on the poster, as source texts for the catalog.
POSTER_WORDS: dict[str, str] = {
    "kicker_interview": N_("Customer journey · interview"),
    "kicker_persona": N_("Customer journey · persona"),
    "continued": N_("continued"),
    "title_interview": N_("Journey of {code}"),
    "goal": N_("Goal"),
    "based_on": N_("Based on"),
    "draft": N_("Draft"),
    "draft_note": N_("made automatically from the interviews; check it before you share it"),
    "sheet_of": N_("Sheet {number} of {count}"),
    "no_phases": N_("No phases and no steps yet"),
    "no_phase": N_("without a phase"),
    "steps_n": N_("{n} steps"),
    "steps_1": N_("1 step"),
    "here": N_("on this sheet"),
    "see_sheet_1": N_("on an earlier sheet"),
    "outside_list": N_("not among the study's phases"),
    "unphased": N_("no phase given"),
    "lane_steps": N_("Life world"),
    "lane_steps_sub": N_("What the person does and experiences"),
    "lane_system": N_("System world"),
    "lane_system_sub": N_("Organisations and channels"),
    "lane_heart": N_("Heartbeat"),
    "lane_heart_sub": N_("Experience from −2 to +2"),
    "lane_quotes": N_("Quotes"),
    "lane_quotes_sub": N_("In their own words"),
    "lane_pains": N_("Pain points"),
    "lane_pains_sub": N_("What went wrong or took effort"),
    "lane_ideas": N_("Opportunities"),
    "lane_ideas_sub": N_("What would have helped"),
    "no_steps": N_("no steps"),
    "very_negative": N_("very negative"),
    "very_positive": N_("very positive"),
    "legend_current": N_("heartbeat"),
    "legend_desired": N_("desired heartbeat"),
    "legend_moment": N_("moment of truth"),
    "legend_neutral": N_("neutral (0)"),
}


def poster_words(lang: str | None = None) -> dict[str, str]:
    """The poster's words in ``lang`` (Dutch for anything but "en"; default: the current language)."""
    with using_language("en" if (lang or current_language()) == "en" else "nl"):
        return {key: t(text) for key, text in POSTER_WORDS.items()}


def poster_sheets(view: JourneyView, lang: str | None = None, today: date | None = None) -> list[Sheet]:
    """The poster laid out: one ``Sheet`` per printed page, with every text box, face and curve on it."""
    return layout(view, poster_words(lang), today or date.today())


def _title(view: JourneyView, words: dict[str, str]) -> str:
    name = clean(view.title)
    return name if view.kind == "persona" else words["title_interview"].format(code=name)


def poster_svgs(view: JourneyView, lang: str | None = None, today: date | None = None) -> list[str]:
    """One standalone SVG document per sheet (A3 landscape: width 420mm, height 297mm, user units in mm)."""
    words = poster_words(lang)
    title = _title(view, words)
    return [sheet_svg(sheet, title) for sheet in layout(view, words, today or date.today())]


def poster_svg(view: JourneyView, lang: str | None = None, *, sheet: int = 1, today: date | None = None) -> str:
    """Sheet ``sheet`` (from 1) of the poster as a standalone SVG document; a journey that fits one sheet has
    only sheet 1 (``poster_svgs`` gives them all)."""
    sheets = poster_svgs(view, lang, today)
    if not 1 <= sheet <= len(sheets):
        raise ValueError(f"sheet {sheet} of {len(sheets)}")
    return sheets[sheet - 1]


PAGE_CSS = """
@page { size: A3 landscape; margin: 0; }
html, body { margin: 0; padding: 0; }
body { background: #e8ecf0; }
.sheet { width: 420mm; height: 297mm; margin: 8mm auto; background: #ffffff; overflow: hidden;
  box-shadow: 0 0.6mm 3mm rgba(31, 42, 55, 0.18); break-after: page; page-break-after: always; }
.sheet:last-child { break-after: auto; page-break-after: auto; }
.sheet svg { display: block; width: 420mm; height: 297mm; }
@media print {
  html, body { background: #ffffff; }
  .sheet { margin: 0; box-shadow: none; }
}
"""


def poster_html(view: JourneyView, lang: str | None = None, today: date | None = None) -> str:
    """A self-contained HTML page (no external resources): each sheet an inline SVG on its own A3 landscape
    page (``@page { size: A3 landscape }``; the sheet carries its own white margin of 12 mm)."""
    language = "en" if (lang or current_language()) == "en" else "nl"
    words = poster_words(language)
    title = _title(view, words)
    sheets = layout(view, words, today or date.today())
    body = "\n".join(f'<section class="sheet">\n{sheet_svg(s, title, declaration=False)}</section>' for s in sheets)
    return (
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{PAGE_CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
