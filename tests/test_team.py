"""One study on many laptops: merging imports (forgotten codes, same title, ambiguous selections), study kits,
respondent-code prefixes and a synthesis over every laptop's interviews."""

from __future__ import annotations

from pathlib import Path

from klantreis_tui.engine import Slot
from klantreis_tui.services import Services
from tests.test_exchange import open_db


def interview(services: Services, study_id: str, interviewer: str = "", code: str | None = None) -> str:
    """A completed interview with the small script: consent given, one step."""
    iv = services.start_interview(study_id, "klein", respondent_code=code, interviewer=interviewer)
    services.answer(iv.id, Slot("mee"), "j")
    services.answer(iv.id, Slot("citaten"), "j")
    services.insert_step(iv.id, description=f"Stap van {interviewer or 'iemand'}")
    services.finish(iv.id)
    return iv.id


# --- the forgotten-code bug ---------------------------------------------------------------------------------


def test_import_never_hands_out_a_forgotten_code_again(tmp_path: Path) -> None:
    laptop_a, laptop_b = open_db(tmp_path / "a.db"), open_db(tmp_path / "b.db")
    study = laptop_a.create_study("Schuldhulpverlening 2026")
    laptop_b.store.add_study(study)  # the same study on both laptops
    forgotten = laptop_a.interview(interview(laptop_a, study.id)).respondent_id
    assert laptop_a.respondent(forgotten).code == "R01"
    laptop_a.forget_respondent(forgotten)
    from_b = interview(laptop_b, study.id)  # B hands out R01 to somebody else
    assert laptop_b.interview_record(from_b).respondent.code == "R01"

    report = laptop_a.import_bundle(laptop_b.export_bundle([from_b]))

    assert report.added == 1
    assert report.renamed == [("R01", "R02", study.title)]
    assert laptop_a.interview_record(from_b).respondent.code == "R02"
    assert "R01" not in {r.code for r in laptop_a.store.respondents_of(study.id)}
    laptop_a.close()
    laptop_b.close()
