"""The draft narrative of an interview summary: golden stories of the example journeys in both languages, and
the rules that make them read as a story (verbs given a subject, phases announced, one paragraph a step, quotes
only with consent, typed line breaks kept in the summaries).

Regenerate the golden stories after an intended change with ``KLANTREIS_UPDATE_GOLDEN=1 pytest tests/test_narrative.py``
and read the diff (a native speaker, preferably) before committing it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from klantreis_tui.i18n import using_language
from klantreis_tui.models import Answer
from klantreis_tui.rendering.narrative import _opens_with_verb
from klantreis_tui.rendering.summary import interview_context
from klantreis_tui.rendering.templates import render
from tests.test_rendering import NAMES, STARTED, build_record, check_golden, journey, vng  # noqa: F401 - fixture


def story(name: str, vng, lang: str = "nl", **changes) -> list[str]:
    data = journey(name)
    record = build_record(data, **changes)
    with using_language(lang):
        return interview_context(record, vng)["narrative"]


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("name", NAMES)
def test_narrative_matches_golden(name, lang, vng):
    check_golden(f"narrative/{name}.{lang}.md", "\n\n".join(story(name, vng, lang)) + "\n")


def test_one_paragraph_a_step_and_each_phase_announced_where_it_begins(vng):
    paragraphs = story("johan-paspoort", vng)
    assert len(paragraphs) == 1 + 5 + 1  # opening, five steps, closing
    assert paragraphs[1].startswith("De reis begint in de fase ‘orientatie’. Eerst belt de respondent")
    assert paragraphs[2].startswith("Dan volgt de fase ‘aanvraag’. Zoon maakt online")
    assert paragraphs[3].startswith("Daarna moet de respondent ondanks afspraak")  # same phase: no new announcement
    assert paragraphs[5].startswith("De laatste fase is ‘afhalen’.")
    assert "Stap " not in " ".join(paragraphs)


def test_the_opening_says_trigger_and_expectation_without_a_colon_after_a_verb(vng):
    opening = story("johan-paspoort", vng)[0]
    assert "De aanleiding: de respondent wil zijn dochter in New York bezoeken" in opening
    assert "De verwachting vooraf: snel een afspraak" in opening
    assert "verwachtte:" not in opening
    assert "De reis telt vijf stappen in drie fasen: orientatie, aanvraag en afhalen." in opening


def test_organisations_channels_feelings_pain_points_ideas_and_quotes_are_woven_in(vng):
    text = " ".join(story("jan-schulden", vng))
    assert "Het contact met Gemeente schuldhulpverlening verloopt via een webformulier." in text
    assert "De betrokken organisaties: Zorgverzekeraar en energiebedrijf." in text
    assert "Het knelpunt: schaamte; incassokosten lopen op." in text
    assert "Wat had geholpen: vroegsignalering van betalingsachterstanden." in text
    assert "“Ik zat toch al in een traject?” zegt de respondent." in text
    assert "Dit is een moment van de waarheid in de reis." in text
    assert "De beleving loopt uiteen van zeer negatief (stappen 1 en 5) tot positief (stappen 4 en 6)." in text


def test_what_the_note_already_says_is_not_repeated(vng):
    paragraphs = story("johan-paspoort", vng)
    # "Belt ..." is by phone, "maakt online" is the website, "een sms" the text message: not said again.
    assert "verloopt telefonisch" not in paragraphs[1] and "online (" not in paragraphs[2] and "per sms" not in paragraphs[5]
    # Burgerzaken at the desk in steps 3 and 4: said once.
    assert "Burgerzaken" in paragraphs[3] and "Burgerzaken" not in paragraphs[4]


@pytest.mark.parametrize("consent", [False, None])
def test_no_quote_in_the_story_without_quote_consent(consent, vng):
    data = journey("jan-schulden")
    for lang in ("nl", "en"):
        text = " ".join(story("jan-schulden", vng, lang, quotes=consent))
        assert "“" not in text
        assert not any(step["quote"] in text for step in data["steps"])


def test_a_phase_the_interviewer_repeated_in_the_note_is_said_once(vng):
    data = journey("jan-schulden")
    record = build_record(data)
    record.steps[5].phase = "besluit"
    record.steps[5].description = "besluit: budgetbeheer start"
    text = " ".join(interview_context(record, vng)["narrative"])
    assert "De laatste fase is ‘besluit’. Budgetbeheer start." in text
    assert "besluit: " not in text.lower()


@pytest.mark.parametrize(
    ("note", "lang", "verb"),
    [
        ("Belt de gemeente voor een afspraak", "nl", True),
        ("Meldt zich aan voor schuldhulp", "nl", True),
        ("Wacht", "nl", True),
        ("Post komt binnen", "nl", False),
        ("Het duurt lang", "nl", False),
        ("Contact met de gemeente", "nl", False),
        ("Besluit: afgewezen", "nl", False),
        ("Eerst belt hij", "nl", False),
        ("Woningcorporatie belt over huurachterstand", "nl", False),
        ("Calls the municipality", "en", True),
        ("Letters arrive", "en", False),
        ("This takes long", "en", False),
    ],
)
def test_a_note_that_opens_with_a_verb_gets_the_respondent_as_subject(note, lang, verb):
    assert _opens_with_verb(note, lang) is verb


def test_typed_line_breaks_are_kept_in_markdown_and_html(vng):
    record = build_record(journey("johan-paspoort"))
    record.answers[0] = Answer(
        interview_id=record.interview.id, question_id="aanleiding", revision=1, recorded_at=STARTED,
        value="Paspoort verlopen.\r\n\r\nDochter woont in New York.",
    )
    record.steps[0].pain_point = "Keuzemenu\nverwijst door"
    context = interview_context(record, vng)
    markdown = render("interview.md.j2", context)
    assert "Paspoort verlopen.\\\nDochter woont in New York." in markdown
    assert "- Stap 1 (orientatie): Keuzemenu\\\n  verwijst door" in markdown
    html = render("interview.html.j2", context)
    ET.fromstring(html)  # still well-formed
    assert "<p>Paspoort verlopen.<br/>Dochter woont in New York.</p>" in html
    assert "Keuzemenu<br/>verwijst door</li>" in html
