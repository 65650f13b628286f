"""One study on many laptops: merging imports (forgotten codes, same title, ambiguous selections), study kits,
respondent-code prefixes and a synthesis over every laptop's interviews."""

from __future__ import annotations

import json
from pathlib import Path

from klantreis_tui.engine import Slot
from klantreis_tui.exchange import read_bundle
from klantreis_tui.services import Services
from tests.test_exchange import cli, db_digest, open_db


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


# --- same title, other study; ambiguous selections ------------------------------------------------------------


def two_laptops_same_title(tmp_path: Path) -> tuple[Path, Path, str, str]:
    """Laptop A and B each created "Schuldhulpverlening 2026" themselves: two ids, one title. A has 2 interviews,
    B 3 (codes R01..R03 on both). Returns the database paths and the bundle B exported."""
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    laptop_a, laptop_b = open_db(a), open_db(b)
    study_a = laptop_a.create_study("Schuldhulpverlening 2026")
    study_b = laptop_b.create_study("Schuldhulpverlening 2026")
    for _ in range(2):
        interview(laptop_a, study_a.id, "AB")
    for _ in range(3):
        interview(laptop_b, study_b.id, "CD")
    (tmp_path / "b.json").write_bytes(laptop_b.bundle_bytes(laptop_b.export_bundle(laptop_b.select_interviews())))
    laptop_a.close()
    laptop_b.close()
    return a, tmp_path / "b.json", study_a.id, study_b.id


def test_same_title_other_study_is_refused_without_merge_into(tmp_path: Path) -> None:
    a, bundle, study_a, study_b = two_laptops_same_title(tmp_path)
    before = db_digest(a)
    result = cli(tmp_path, "--db", str(a), "import", str(bundle))
    assert result.returncode == 1
    assert f"Onderzoek 'Schuldhulpverlening 2026' ({study_b[:8]}) in het bestand" in result.stderr
    assert f"--merge-into {study_a[:8]}" in result.stderr
    assert f"  {study_a[:8]}  Schuldhulpverlening 2026  (2 interviews," in result.stderr
    assert "Er is niets geïmporteerd." in result.stderr
    assert db_digest(a) == before


def test_merge_into_adds_the_interviews_to_the_study_here_and_renames_codes(tmp_path: Path) -> None:
    a, bundle, study_a, _ = two_laptops_same_title(tmp_path)
    result = cli(tmp_path, "--db", str(a), "import", str(bundle), "--merge-into", study_a[:8])
    assert result.returncode == 0, result.stderr
    assert f"aan 'Schuldhulpverlening 2026' hier ({study_a[:8]}) toegevoegd" in result.stderr
    laptop_a = open_db(a)
    assert [row.study.id for row in laptop_a.list_studies()] == [study_a]
    codes = sorted(r.code for r in laptop_a.store.respondents_of(study_a))
    assert codes == ["R01", "R02", "R03", "R04", "R05"]
    synthesis = laptop_a.summary_text(laptop_a.select_interviews(study="Schuldhulpverlening 2026"), synthesis=True)
    assert "**Aantal respondenten:** 5" in synthesis
    # repeated: nothing added twice
    again = laptop_a.import_bundle(read_bundle(bundle), merge_into=study_a)
    assert (again.added, again.skipped) == (0, 3)
    laptop_a.close()


def test_ambiguous_study_and_respondent_are_refused_with_short_ids(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    services = open_db(db)
    first = services.create_study("Inburgering")
    second = services.create_study("Inburgering")
    interview(services, first.id)
    iv = interview(services, second.id)
    services.close()

    result = cli(tmp_path, "--db", str(db), "export", "--study", "Inburgering")
    assert result.returncode == 1
    assert "'Inburgering' komt overeen met 2 onderzoeken" in result.stderr
    assert f"  {first.id[:8]}  Inburgering  (1 interview," in result.stderr
    assert f"  {second.id[:8]}  Inburgering  (1 interview," in result.stderr
    # the short id typed back chooses one
    chosen = cli(tmp_path, "--db", str(db), "export", "--study", second.id[:8])
    assert chosen.returncode == 0, chosen.stderr
    assert [i["id"] for i in json.loads(chosen.stdout)["interviews"]] == [iv]

    result = cli(tmp_path, "--db", str(db), "summary", "--respondent", "R01")
    assert result.returncode == 1
    assert "Code R01 komt overeen met 2 respondenten" in result.stderr
    services = open_db(db)
    respondent = services.interview(iv).respondent_id
    services.close()
    assert f"  R01  respondent {respondent[:8]}  in 'Inburgering' (onderzoek {second.id[:8]})" in result.stderr
    chosen = cli(tmp_path, "--db", str(db), "summary", "--respondent", respondent[:8])
    assert chosen.returncode == 0, chosen.stderr

    result = cli(tmp_path, "--db", str(db), "forget", "R01", "--yes")
    assert result.returncode == 1
    assert f"respondent {respondent[:8]}" in result.stderr
    forgotten = cli(tmp_path, "--db", str(db), "forget", "R01", "--study", second.id[:8], "--yes")
    assert forgotten.returncode == 0, forgotten.stderr
    services = open_db(db)
    assert [r.code for r in services.store.respondents_of(second.id)] == []
    assert [r.code for r in services.store.respondents_of(first.id)] == ["R01"]
    services.close()
