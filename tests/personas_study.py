"""A small hand-built study for the persona tests: four respondents, two of segment ZZP, themes, a merged name.

The figures the tests expect are worked out by hand in tests/test_persona_journey.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from klantreis_tui.models import Consent, InterviewStatus
from klantreis_tui.models.themes import ThemeLink
from klantreis_tui.services import Services
from tests.conftest import make_interview, make_respondent, make_step

PHASES = ["oriëntatie", "aanvraag", "wachten", "besluit"]

#: per respondent: segment, quote consent, steps (phase, description, emotion, instances, channels, extra fields)
STUDY = {
    "R01": ("ZZP", True, [
        ("oriëntatie", "Website bekeken", 0, ["gemeente"], ["website"], {}),
        ("aanvraag", "Formulier ingevuld", -1, ["Gemeente"], ["website"], {"pain_point": "formulier te lang"}),
        ("aanvraag", "Gebeld", -2, ["UWV"], ["telefoon"], {
            "pain_point": "niemand wist het", "quotes": ["Ik werd van het kastje naar de muur gestuurd."],
            "moment_of_truth": True, "opportunity": "een vaste contactpersoon"}),
        ("nazorg", "Brief gekregen", 1, [], ["brief"], {}),
    ]),
    "R02": ("zzp ", False, [
        ("oriëntatie", "website bekeken", 1, ["gemeente"], ["website"], {}),
        ("aanvraag", "Formulier ingevuld", 0, ["gemeente"], [], {"pain_point": "Formulier te lang."}),
        ("besluit", "Besluit ontvangen", 2, ["gemeente"], ["brief"], {"quotes": ["Eindelijk duidelijkheid."]}),
    ]),
    "R03": ("Werkzoekend", True, [
        ("aanvraag", "Gebeld", -1, ["UWV"], ["telefoon"], {}),
        ("aanvraag", "Nog eens gebeld", None, ["UWV"], ["telefoon"], {}),
    ]),
    "R04": ("", True, [
        ("aanvraag", "Gebeld", -1, ["UWV"], ["telefoon"], {}),
    ]),
}


@dataclass
class Built:
    study_id: str
    respondents: dict[str, str]  # code -> id
    steps: dict[tuple[str, int], str]  # (code, position) -> step id
    themes: dict[str, str]  # name -> id


def build(services: Services) -> Built:
    """The study above, with the themes 'Lange formulieren' (the form pain points of R01 and R02) and 'Kastje
    en muur' (R01's quote), and 'UWV' merged into 'UWV Werkbedrijf'."""
    study = services.create_study("Bijstand", phases=PHASES)
    respondents, steps = {}, {}
    for code, (segment, quotes_ok, rows) in STUDY.items():
        respondent = make_respondent(study.id, code, segment=segment)
        interview = make_interview(study.id, respondent.id, status=InterviewStatus.afgerond)
        consents = [
            Consent(interview_id=interview.id, item=item, granted=granted, text_version="t1", question_set_version="2")
            for item, granted in (("participation", True), ("quotes", quotes_ok))
        ]
        built = []
        for n, (phase, description, emotion, instances, channels, extra) in enumerate(rows, 1):
            step = make_step(interview.id, n, phase=phase, description=description, emotion=emotion,
                             instances=instances, channels=channels, **extra)
            built.append(step)
            steps[(code, n)] = step.id
        services.store.insert_records(respondents=[respondent], interviews=[interview], consents=consents, steps=built)
        respondents[code] = respondent.id
    forms = services.create_theme(study.id, "Lange formulieren")
    wall = services.create_theme(study.id, "Kastje en muur")
    services.store.put_theme_links([
        ThemeLink(theme_id=forms.id, step_id=steps[("R01", 2)], field="pain_point"),
        ThemeLink(theme_id=forms.id, step_id=steps[("R02", 2)], field="pain_point"),
        ThemeLink(theme_id=wall.id, step_id=steps[("R01", 3)], field="quotes", item=0),
    ])
    services.merge_names(study.id, "instances", ["UWV"], "UWV Werkbedrijf")
    return Built(study.id, respondents, steps, {"Lange formulieren": forms.id, "Kastje en muur": wall.id})
