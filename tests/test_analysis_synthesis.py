"""The analysis parts of the synthesis on a hand-built study, every figure computed by hand: themes ranked by
respondents (average emotion, phases in the study's order, organisations, quotes), pain points without a
theme, the hand-overs between organisations, and saturation."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from klantreis_tui.models import Consent, InterviewRecord, InterviewStatus
from klantreis_tui.models.themes import Theme, ThemeLink
from klantreis_tui.rendering.summary import study_context
from klantreis_tui.rendering.templates import render
from tests.conftest import make_interview, make_respondent, make_step, make_study

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc)
STUDY = make_study("Bijstand", id="s", phases=["aanvraag", "besluit"])


def record(code: str, day: int, steps: list[dict]) -> InterviewRecord:
    respondent = make_respondent(STUDY.id, code, id=f"r-{code}")
    interview = make_interview(STUDY.id, respondent.id, id=f"i-{code}", status=InterviewStatus.afgerond,
                               started_at=T0 + timedelta(days=day))
    consents = [Consent(interview_id=interview.id, item=item, granted=True, text_version="t1", question_set_version="2")
                for item in ("participation", "quotes")]
    built = [make_step(interview.id, n, id=f"{code}-{n}", **fields) for n, fields in enumerate(steps, 1)]
    return InterviewRecord(study=STUDY, respondent=respondent, interview=interview, consents=consents, steps=built)


RECORDS = [
    record("R03", 3, [{"phase": "besluit", "instances": ["UWV"], "emotion": 0, "pain_point": "wachttijd"}]),
    record("R01", 1, [
        {"phase": "aanvraag", "instances": ["Gemeente"], "emotion": -2, "pain_point": "lang wachten"},
        {"phase": "besluit", "instances": ["UWV"], "emotion": -1, "pain_point": "brief onduidelijk",
         "quotes": ["Ik snapte er niks van"]},
    ]),
    record("R02", 2, [
        {"phase": "aanvraag", "instances": ["Gemeente"], "emotion": -1, "pain_point": "zes weken gewacht"},
        {"phase": "besluit", "instances": ["Uitvoeringsinstituut"], "emotion": 1, "pain_point": "niemand belde terug"},
    ]),
]
WAIT = Theme(id="t-wait", study_id="s", name="Wachten")
LETTERS = Theme(id="t-letters", study_id="s", name="Brieven", description="Brieven die niemand begrijpt")
LINKS = [
    ThemeLink(theme_id="t-letters", step_id="R01-2", field="pain_point"),
    ThemeLink(theme_id="t-letters", step_id="R01-2", field="quotes", item=0),
    ThemeLink(theme_id="t-wait", step_id="R01-1", field="pain_point"),
    ThemeLink(theme_id="t-wait", step_id="R02-1", field="pain_point"),
    ThemeLink(theme_id="t-wait", step_id="R03-1", field="pain_point"),
]
NAMES = {"instances": {"uitvoeringsinstituut": "UWV"}, "channels": {}}


def context():
    return study_context(STUDY, RECORDS, {}, NAMES, [LETTERS, WAIT], LINKS)


def test_themes_ranked_by_respondents_with_emotion_phases_organisations_and_quotes():
    themes = context()["themes"]
    assert [(t["rank"], t["name"], t["respondent_count"], t["respondents"]) for t in themes] == [
        (1, "Wachten", 3, ["R01", "R02", "R03"]),
        (2, "Brieven", 1, ["R01"]),
    ]
    wait, letters = themes
    assert (wait["emotion_average"], wait["phases"], wait["organisations"]) == (-1.0, ["aanvraag", "besluit"], ["Gemeente", "UWV"])
    assert (letters["emotion_average"], letters["phases"], letters["organisations"]) == (-1.0, ["besluit"], ["UWV"])
    assert letters["quotes"] == [{"code": "R01", "text": "Ik snapte er niks van"}]
    assert context()["unassigned_pain_points"] == [
        {"code": "R02", "number": 2, "phase": "besluit", "text": "niemand belde terug"}
    ]


def test_handovers_between_organisations_with_the_emotion_where_the_resident_lands():
    # R01 and R02 both go from the municipality to UWV (R02 typed "Uitvoeringsinstituut"): -1 and +1
    assert context()["handovers"] == [
        {"from": "Gemeente", "to": "UWV", "count": 2, "respondent_count": 2, "emotion_average": 0.0,
         "emotion_average_text": "0"}
    ]


def test_saturation_per_interview_in_the_order_they_were_held():
    ctx = context()
    rows = [(r["code"], r["new_themes"], r["new_organisations"], r["new_pain_points"]) for r in ctx["saturation"]]
    # R01: both themes, both organisations, both pain points; R02: only the unassigned pain point;
    # R03: its pain point belongs to a theme R01 brought
    assert rows == [("R01", 2, 2, 2), ("R02", 0, 0, 1), ("R03", 0, 0, 0)]
    assert ctx["saturated_codes"] == ["R03"]
    text = render("study.md.j2", ctx)
    assert "R03: niets nieuws meer." in text
    assert "1. **Wachten**: 3 respondenten (R01, R02, R03), gem. beleving -1" in text
    assert "| Gemeente | UWV | 2 | 2 | 0 |" in text
