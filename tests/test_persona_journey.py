"""A persona's derived journey, computed by hand for the small study of tests/personas_study.py.

Persona 'Zelfstandige' = R01 + R02. Per phase, a respondent's score is the median of their scored steps there:
- oriëntatie: R01 0, R02 +1            -> median 0.5, spread 0..1, n 2
- aanvraag:   R01 median(-1, -2) = -1.5, R02 0 -> median -0.75, spread -1.5..0, n 2
- wachten:    nobody                   -> n 0
- besluit:    R02 +2                   -> median 2, n 1
- nazorg:     not in the study's list (known False); R01 +1 -> n 1
"""

from __future__ import annotations

from klantreis_tui.services import Services
from tests.personas_study import build


def phases_of(view):
    return {p.name: p for p in view.phases}


def test_medians_spreads_and_the_order_of_phases(services: Services):
    built = build(services)
    persona = services.create_persona(built.study_id, "Zelfstandige", segment="ZZP", goal="Snel een uitkering")
    services.set_persona_respondents(persona.id, [built.respondents["R02"], built.respondents["R01"]])
    view = services.persona_view(persona.id)
    assert view.kind == "persona" and view.title == "Zelfstandige" and view.goal == "Snel een uitkering"
    assert view.respondents == ("R01", "R02")
    assert [(p.name, p.known) for p in view.phases] == [
        ("oriëntatie", True), ("aanvraag", True), ("wachten", True), ("besluit", True), ("nazorg", False),
    ]
    scores = {p.name: (p.score.median, p.score.low, p.score.high, p.score.n) for p in view.phases}
    assert scores == {
        "oriëntatie": (0.5, 0, 1, 2),
        "aanvraag": (-0.75, -1.5, 0, 2),
        "wachten": (None, None, None, 0),
        "besluit": (2, 2, 2, 1),
        "nazorg": (1, 1, 1, 1),
    }


def test_main_steps_organisations_themes_and_evidence(services: Services):
    built = build(services)
    persona = services.create_persona(built.study_id, "Zelfstandige")
    services.set_persona_respondents(persona.id, [built.respondents["R01"], built.respondents["R02"]])
    aanvraag = phases_of(services.persona_view(persona.id))["aanvraag"]
    # told by both respondents first, then R01's call
    assert [s.description for s in aanvraag.steps] == ["Formulier ingevuld", "Gebeld"]
    assert aanvraag.steps[1].instances == ("UWV Werkbedrijf",) and aanvraag.steps[1].moment_of_truth
    # 'Gemeente' and 'gemeente' are one organisation (two respondents), UWV under its merged name (one)
    assert aanvraag.organisations == ("Gemeente", "UWV Werkbedrijf")
    assert aanvraag.channels == ("website", "telefoon")
    # 'Lange formulieren' weighs two respondents, 'Kastje en muur' one
    assert aanvraag.themes == ("Lange formulieren", "Kastje en muur")
    # the same pain point in other case and punctuation counts once
    assert aanvraag.pain_points == ("formulier te lang", "niemand wist het")
    assert aanvraag.opportunities == ("een vaste contactpersoon",)
    assert aanvraag.quotes == ("Ik werd van het kastje naar de muur gestuurd.",)
    assert aanvraag.moments_of_truth == ("Gebeld",)


def test_quotes_only_with_consent(services: Services):
    built = build(services)
    persona = services.create_persona(built.study_id, "Zelfstandige")
    services.set_persona_respondents(persona.id, [built.respondents["R02"]])
    besluit = phases_of(services.persona_view(persona.id))["besluit"]
    assert besluit.steps[0].description == "Besluit ontvangen"
    assert besluit.quotes == () and besluit.steps[0].quotes == ()  # R02 refused quote use


def test_desired_scores_and_ideas_per_phase(services: Services):
    built = build(services)
    persona = services.create_persona(built.study_id, "Zelfstandige")
    services.set_desired(persona.id, "aanvraag", 1, ["Eén loket", "  "])
    services.set_desired(persona.id, "Wachten", None, ["Bericht over de stand van zaken"])
    view = services.persona_view(persona.id)
    assert view.has_desired
    by_name = phases_of(view)
    assert (by_name["aanvraag"].desired, by_name["aanvraag"].desired_ideas) == (1.0, ("Eén loket",))
    # stored as 'Wachten', shown in the study's own phase 'wachten'
    assert (by_name["wachten"].desired, by_name["wachten"].desired_ideas) == (None, ("Bericht over de stand van zaken",))
    assert by_name["besluit"].desired is None


def test_a_persona_without_respondents(services: Services):
    built = build(services)
    persona = services.create_persona(built.study_id, "Nog leeg")
    view = services.persona_view(persona.id)
    assert view.respondents == ()
    assert [p.name for p in view.phases] == ["oriëntatie", "aanvraag", "wachten", "besluit"]
    assert all(p.score.n == 0 and p.score.median is None and p.steps == () for p in view.phases)
    assert not view.has_desired


def test_an_unfinished_interview_does_not_count(services: Services):
    built = build(services)
    persona = services.create_persona(built.study_id, "Bellers")
    services.set_persona_respondents(persona.id, [built.respondents["R03"]])
    aanvraag = phases_of(services.persona_view(persona.id))["aanvraag"]
    assert (aanvraag.score.median, aanvraag.score.n) == (-1, 1)  # the unscored step is left out
    interview = services.list_interviews(built.study_id)
    r03 = next(row.interview for row in interview if row.interview.respondent_id == built.respondents["R03"])
    services.store.conn.execute("UPDATE interviews SET status = 'bezig' WHERE id = ?", [r03.id])
    services.store.conn.commit()
    assert phases_of(services.persona_view(persona.id))["aanvraag"].score.n == 0
