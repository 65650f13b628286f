"""The journey view of one interview (``Services.interview_view``): the study's phases in order with the steps
grouped under them, phases outside the study's list kept and marked, canonical names, quotes only with consent,
personal data redacted unless asked."""

from __future__ import annotations

from klantreis_tui.models import Consent
from klantreis_tui.models.themes import Theme, ThemeLink
from tests.conftest import make_interview, make_respondent, make_study


def _interview(services, steps, quotes_consent: bool | None = True, phases=("oriëntatie", "aanvraag", "besluit")):
    store = services.store
    study = store.add_study(make_study("Bijstand", phases=list(phases), trigger="Baan verloren"))
    respondent = store.add_respondent(make_respondent(study.id, "R07", segment="alleenstaand", age_band="35-44"))
    interview = store.add_interview(make_interview(study.id, respondent.id))
    store.record_consent(Consent(interview_id=interview.id, item="participation", granted=True, text_version="t1",
                                 question_set_version="2"))
    if quotes_consent is not None:
        store.record_consent(Consent(interview_id=interview.id, item="quotes", granted=quotes_consent,
                                     text_version="t1", question_set_version="2"))
    built = [store.insert_step(interview.id, **fields) for fields in steps]
    return study, interview, built


STEPS = [
    {"phase": "Aanvraag", "description": "Vult het formulier in", "instances": ["gemeente", "UWV"],
     "channels": ["website"], "emotion": -1, "quotes": ["Ik snapte het niet"], "pain_point": "Te veel vragen"},
    {"phase": "bezwaar", "description": "Maakt bezwaar", "instances": ["Gemeente"], "emotion": -2,
     "moment_of_truth": True, "opportunity": "Eerst bellen"},
    {"phase": "aanvraag", "description": "Belt 06-12345678 terug", "channels": ["Telefoon", "website"], "emotion": 1},
    {"phase": "", "description": "Wacht", "emotion": None},
]


def test_phases_in_the_study_order_with_unknown_and_unphased_steps_kept(services):
    _, interview, _ = _interview(services, STEPS)
    view = services.interview_view(interview.id)
    assert view.kind == "interview" and view.title == "R07" and view.respondents == ("R07",)
    assert view.subtitle == "Bijstand · Baan verloren · alleenstaand · 35-44"
    assert [(p.name, p.known, len(p.steps)) for p in view.phases] == [
        ("oriëntatie", True, 0), ("aanvraag", True, 2), ("besluit", True, 0), ("bezwaar", False, 1), ("", False, 1),
    ]
    aanvraag = view.phases[1]
    assert [s.description for s in aanvraag.steps] == ["Vult het formulier in", "Belt [telefoonnummer] terug"]
    assert (aanvraag.score.median, aanvraag.score.low, aanvraag.score.high, aanvraag.score.n) == (0.0, -1, 1, 2)
    assert view.phases[0].score.n == 0 and view.phases[0].score.median is None
    assert view.phases[4].score.n == 0  # the only step has no score
    assert aanvraag.pain_points == ("Te veel vragen",) and aanvraag.quotes == ("Ik snapte het niet",)
    assert view.phases[3].moments_of_truth == ("Maakt bezwaar",) and view.phases[3].steps[0].moment_of_truth
    assert view.phases[3].opportunities == ("Eerst bellen",)


def test_organisations_and_channels_under_their_canonical_names(services):
    study, interview, _ = _interview(services, STEPS)
    services.merge_names(study.id, "instances", ["gemeente"], "Gemeente Utrecht")
    services.merge_names(study.id, "channels", ["telefoon"], "telefonisch")
    view = services.interview_view(interview.id)
    assert view.phases[1].steps[0].instances == ("Gemeente Utrecht", "UWV")
    assert view.phases[1].organisations == ("Gemeente Utrecht", "UWV")
    assert view.phases[1].channels == ("website", "telefonisch")
    assert view.phases[3].organisations == ("Gemeente Utrecht",)  # "Gemeente" is the same spelling's key


def test_quotes_only_with_consent(services):
    for consent in (False, None):
        _, interview, _ = _interview(services, STEPS, quotes_consent=consent)
        view = services.interview_view(interview.id)
        assert all(not p.quotes and all(not s.quotes for s in p.steps) for p in view.phases), consent


def test_personal_data_redacted_unless_asked(services):
    _, interview, _ = _interview(services, STEPS)
    assert "06-12345678" not in str(services.interview_view(interview.id))
    kept = services.interview_view(interview.id, redact=False)
    assert kept.phases[1].steps[1].description == "Belt 06-12345678 terug"


def test_themes_of_a_phase_heaviest_first(services):
    study, interview, steps = _interview(services, STEPS)
    store = services.store
    for theme in (Theme(id="t-a", study_id=study.id, name="Formulieren"), Theme(id="t-b", study_id=study.id, name="Bereikbaarheid")):
        store.put_theme(theme)
    store.put_theme_links([
        ThemeLink(theme_id="t-a", step_id=steps[0].id, field="pain_point"),
        ThemeLink(theme_id="t-b", step_id=steps[0].id, field="quotes", item=0),  # evidence, not weight
    ])
    assert services.interview_view(interview.id).phases[1].themes == ("Formulieren",)
