"""Writes the bundle corpus of tests/test_exchange.py: one small valid bundle and malformed variants of it.

Run from the repository root after changing this file: ``python tests/bundles/make_bundles.py``.
tests/test_exchange.py checks that the files on disk are exactly what this script makes.
"""

from __future__ import annotations

import copy
import json
import sys
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent.parent))

from klantreis_tui.exchange import bundle_json  # noqa: E402
from klantreis_tui.models.bundle import Bundle  # noqa: E402
from klantreis_tui.models.names import NameVariant  # noqa: E402
from klantreis_tui.models.personas import Action, ActionLink, DesiredScore, Persona, PersonaRespondent  # noqa: E402
from klantreis_tui.models.records import Answer, Consent, InterviewStatus  # noqa: E402
from tests.conftest import make_interview, make_respondent, make_step, make_study  # noqa: E402

NAMESPACE = uuid.UUID("6f1c2a8e-2b7d-4c1e-9a55-0d3b4e5f6a7b")
T0 = datetime(2026, 2, 10, 10, 0, tzinfo=timezone.utc)


def uid(name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, name))


STUDY = uid("study")
OTHER_STUDY = uid("other-study")
R01, R02 = uid("respondent-R01"), uid("respondent-R02")
I1, I2 = uid("interview-1"), uid("interview-2")
S1, S2, S3 = uid("step-1"), uid("step-2"), uid("step-3")
MISSING = uid("nowhere")
P1, A1 = uid("persona-1"), uid("action-1")

STEPS = [
    make_step(
        I1, 1, id=S1, phase="oriëntatie",
        description="Krijgt een aanmaning van het energiebedrijf 😟", instances=["Energiebedrijf"],
        channels=["brief"], emotion=-2, emotion_words=["paniek", "schaamte"],
        quotes=["Ik durfde de envelop niet open te maken."],
        pain_point='Toon van de brief; "laatste waarschuwing"', duration="2 weken", moment_of_truth=True,
    ),
    make_step(
        I1, 2, id=S2, phase="aanvraag",
        description="Belt de gemeente en wordt twee keer doorverbonden",
        instances=["Gemeente KCC", "Schuldhulpverlening"], channels=["telefoon"], emotion=None,
        pain_point="Niemand voelt zich eigenaar", opportunity="Eén vast aanspreekpunt",
    ),
    make_step(
        I1, 3, id=S3, phase="besluit",
        description="Gesprek met de budgetcoach,\nafspraken op papier", instances=["Schuldhulpverlening", "Vrijwilliger"],
        channels=["gesprek", "huisbezoek"], emotion=1, emotion_words=["opluchting"],
        quotes=["Eindelijk rust in mijn hoofd."], opportunity="Sneller een eerste gesprek",
    ),
]


def _answers() -> list[Answer]:
    at = iter(T0 + timedelta(minutes=n) for n in range(1, 100))
    rows: list[tuple[str, str, str, int, object, dict[str, bool]]] = [
        (I1, "mee", "", 1, True, {}),
        (I1, "citaten", "", 1, True, {}),
        (I1, "leeftijd", "", 1, 44, {}),
        (I1, "digitaal", "", 1, "tel", {}),
        (I1, "hulp", "", 1, 'Mijn dochter; "zij" belt\nvoor mij', {}),
        (I1, "postcode", "", 1, None, {"skipped": True}),
        (I1, "leeftijd", "", 2, 45, {}),  # corrected later: a second revision
    ]
    for step, (what, who, emotion) in zip(
        STEPS,
        [
            ("Krijgt een aanmaning van het energiebedrijf 😟", ["Energiebedrijf"], -2),
            ("Belt de gemeente en wordt twee keer doorverbonden", ["Gemeente KCC", "Schuldhulpverlening"], None),
            ("Gesprek met de budgetcoach,\nafspraken op papier", ["Schuldhulpverlening", "Vrijwilliger"], 1),
        ],
    ):
        rows.append((I1, "wat", step.id, 1, what, {}))
        rows.append((I1, "wie", step.id, 1, who, {}))
        rows.append((I1, "emotie", step.id, 1, emotion, {"skipped": emotion is None}))
    rows += [
        (I1, "@reis", "", 1, True, {}),
        # a question no longer in the set (its kind unknown): any plain value, a table too, is kept
        (I1, "notitie_oud", "", 1, {"notitie": "Wil het verslag", "bellen": False}, {}),
        (I1, "notitie_oud", "", 2, None, {"retracted": True}),
        (I2, "mee", "", 1, False, {}),
    ]
    return [
        Answer(interview_id=i, question_id=q, step_id=s, revision=r, value=v, recorded_at=next(at), **flags)
        for i, q, s, r, v, flags in rows
    ]


def valid() -> Bundle:
    return Bundle(
        format="klantreis-bundle",
        schema_version=1,
        app_version="0.1.0",
        exported_at=datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc),
        studies=[
            make_study(
                "Schulden regelen – wijk Noord", id=STUDY, doelgroep="Inwoners met betalingsachterstanden",
                trigger="Een aanmaning", journey_start="Eerste aanmaning", journey_end="Schuldregeling rond",
                phases=["oriëntatie", "aanvraag", "wachten", "besluit", "nazorg"],
                retention_until=date(2027, 3, 1), created_at=datetime(2026, 2, 2, 9, 0, tzinfo=timezone.utc),
            )
        ],
        respondents=[
            make_respondent(STUDY, "R01", id=R01, age_band="45-54", segment="alleenstaand, zonder werk",
                            tags=["pilot", "wijk Noord"]),
            make_respondent(STUDY, "R02", id=R02, age_band="25-34", segment="gezin met kinderen"),
        ],
        interviews=[
            make_interview(STUDY, R01, id=I1, interviewer="AB", started_at=T0, ended_at=T0 + timedelta(minutes=65),
                           status=InterviewStatus.afgerond),
            make_interview(STUDY, R02, id=I2, interviewer="CD", started_at=T0 + timedelta(days=1),
                           ended_at=T0 + timedelta(days=1, minutes=2), status=InterviewStatus.geen_toestemming),
        ],
        consents=[
            Consent(interview_id=I1, item="participation", granted=True, text_version="t1", question_set_version="2",
                    recorded_at=T0 + timedelta(minutes=1)),
            Consent(interview_id=I1, item="quotes", granted=True, text_version="t1", question_set_version="2",
                    recorded_at=T0 + timedelta(minutes=2)),
            Consent(interview_id=I2, item="participation", granted=False, text_version="t1", question_set_version="2",
                    recorded_at=T0 + timedelta(days=1, minutes=1)),
        ],
        answers=_answers(),
        steps=STEPS,
        spellings=[NameVariant(study_id=STUDY, field="instances", variant="Belastingsdienst", canonical="Belastingdienst")],
        personas=[Persona(
            id=P1, study_id=STUDY, name="Alleenstaande met schulden", segment="alleenstaand, zonder werk",
            story="Sinds het ontslag liggen de brieven ongeopend op tafel.", goal="Rust en overzicht",
            context="Woont alleen; de buurvrouw helpt met post",
        )],
        persona_respondents=[PersonaRespondent(persona_id=P1, respondent_id=R01)],
        desired_scores=[DesiredScore(persona_id=P1, phase="aanvraag", score=1, ideas=["Eén vast aanspreekpunt"])],
        actions=[Action(
            id=A1, study_id=STUDY, title="Vast aanspreekpunt schulden", organisation="Gemeente",
            owner_role="teamleider KCC", time_estimate="3 maanden", cost_estimate="€ 20.000", status="planned",
        )],
        action_links=[
            ActionLink(action_id=A1, kind="idea", target_id=S2), ActionLink(action_id=A1, kind="persona", target_id=P1),
        ],
    )


# --- the malformed variants: each changes one thing ---------------------------------------------

Json = dict[str, object]


def _edit(change: Callable[[Json], None]) -> Callable[[bytes], bytes]:
    def make(data: bytes) -> bytes:
        bundle = json.loads(data)
        change(bundle)
        return (json.dumps(bundle, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    return make


def _answer(bundle: Json, question: str, revision: int = 1) -> dict:
    return next(a for a in bundle["answers"] if a["question_id"] == question and a["revision"] == revision)  # type: ignore[union-attr]


def _other_study(bundle: Json) -> None:
    bundle["studies"].append({**bundle["studies"][0], "id": OTHER_STUDY, "title": "Ander onderzoek"})  # type: ignore[union-attr]
    bundle["respondents"][1]["study_id"] = OTHER_STUDY  # type: ignore[index]


def _truncate(data: bytes) -> bytes:
    cut = len(data) // 2
    while data[cut] & 0xC0 == 0x80:  # cut between characters, as a copy that stopped early does
        cut -= 1
    return data[:cut]


MUTATIONS: dict[str, Callable[[bytes], bytes]] = {
    # not JSON, or not a bundle at all
    "bad_json.json": lambda d: d.replace(b'"format": "klantreis-bundle",', b'"format": "klantreis-bundle"', 1),
    "truncated.json": _truncate,
    "empty.json": lambda d: b"",
    "utf16.json": lambda d: d.decode("utf-8").encode("utf-16"),  # as PowerShell's '>' writes it
    "a_list.json": lambda d: b"[" + d.rstrip() + b"]\n",
    "no_format.json": _edit(lambda b: b.pop("format")),
    "wrong_format.json": _edit(lambda b: b.update(format="klantreis-export")),
    # versions
    "newer_version.json": _edit(lambda b: b.update(schema_version=2)),
    "older_version.json": _edit(lambda b: b.update(schema_version=0)),
    "version_as_text.json": _edit(lambda b: b.update(schema_version="1")),
    # fields
    "missing_field.json": _edit(lambda b: b["interviews"][0].pop("respondent_id")),  # type: ignore[index]
    "emotion_as_text.json": _edit(lambda b: b["steps"][0].update(emotion="hoog")),  # type: ignore[index]
    "emotion_out_of_range.json": _edit(lambda b: b["steps"][2].update(emotion=7)),  # type: ignore[index]
    "bool_as_text.json": _edit(lambda b: b["steps"][0].update(moment_of_truth="true")),  # type: ignore[index]
    "revision_zero.json": _edit(lambda b: _answer(b, "mee").update(revision=0)),
    "bad_status.json": _edit(lambda b: b["interviews"][0].update(status="klaar")),  # type: ignore[index]
    "name_as_code.json": _edit(lambda b: b["respondents"][0].update(code="Jan de Vries")),  # type: ignore[index]
    "unknown_field.json": _edit(lambda b: b["respondents"][0].update(naam="Jan de Vries")),  # type: ignore[index]
    "unknown_top_field.json": _edit(lambda b: b.update(opmerking="van laptop 2")),
    # links and duplicates
    "duplicate_interview.json": _edit(lambda b: b["interviews"].append(copy.deepcopy(b["interviews"][0]))),  # type: ignore[index,union-attr]
    "duplicate_revision.json": _edit(lambda b: b["answers"].append(copy.deepcopy(_answer(b, "leeftijd", 2)))),  # type: ignore[union-attr]
    "duplicate_step_position.json": _edit(lambda b: b["steps"][1].update(position=1)),  # type: ignore[index]
    "orphan_answer.json": _edit(lambda b: _answer(b, "hulp").update(interview_id=MISSING)),
    "respondent_other_study.json": _edit(_other_study),
    "duplicate_code.json": _edit(lambda b: b["respondents"][1].update(code="R01")),  # type: ignore[index]
    "missing_study.json": _edit(lambda b: b.update(studies=[])),
    "time_without_zone.json": _edit(lambda b: b["interviews"][1].update(started_at="2026-02-11T14:00:00")),  # type: ignore[index]
    "step_position_gap.json": _edit(lambda b: b["steps"][2].update(position=5)),  # type: ignore[index]
    "nan_value.json": lambda d: d.replace(b'"value": 44,', b'"value": NaN,', 1),
    # persona's and actions
    "duplicate_persona.json": _edit(lambda b: b["personas"].append(copy.deepcopy(b["personas"][0]))),  # type: ignore[index,union-attr]
    "persona_id_not_uuid.json": _edit(lambda b: b["persona_respondents"][0].update(persona_id="../persona")),  # type: ignore[index]
    "action_status_unknown.json": _edit(lambda b: b["actions"][0].update(status="misschien")),  # type: ignore[index]
}


def build() -> dict[str, bytes]:
    """Every corpus file by name, as bytes."""
    base = bundle_json(valid())
    files = {"valid.json": base, "valid_with_bom.json": b"\xef\xbb\xbf" + base}
    files.update({name: make(base) for name, make in MUTATIONS.items()})
    return files


def main() -> None:
    for name, data in build().items():
        (HERE / name).write_bytes(data)
        print(f"{name:32} {len(data):6} bytes")


if __name__ == "__main__":
    main()
