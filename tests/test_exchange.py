"""Export and import: the JSON bundle round-trips, merges safely, and a bad bundle changes nothing."""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klantreis_tui.engine import Slot
from klantreis_tui.exchange import BundleError, bundle_json, csv_bytes, csv_tables, parse_bundle
from klantreis_tui.models.records import Respondent
from klantreis_tui.question_sets import bundled_dir
from klantreis_tui.services import Services
from tests.conftest import SMALL_SET
from tests.test_snapshots import fill_debts_interview

FIXED = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)


def export(services: Services) -> bytes:
    bundle = services.export_bundle(services.select_interviews())
    return bundle_json(bundle.model_copy(update={"exported_at": FIXED}))


def fresh(folder: Path, name: str) -> Services:
    return Services.open(folder / f"{name}.db", [bundled_dir()])


def test_round_trip_of_a_real_interview_is_identical(services, tmp_path):
    interview = fill_debts_interview(services, steps=6)
    services.answer(interview.id, Slot("werk"), "Nu bijstand 🙂\nen vrijwilligerswerk")  # a second revision
    first = export(services)
    target = fresh(tmp_path, "target")
    report = target.import_bundle(parse_bundle(first, "b.json"))
    assert (report.added, report.skipped, report.renamed) == (2, 0, [])
    assert export(target) == first
    target.close()


texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=30)
words = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12).map(str.strip).filter(bool)
json_values = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), texts, st.lists(words, max_size=3))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    interviews=st.lists(
        st.fixed_dictionaries(
            {
                "steps": st.lists(
                    st.fixed_dictionaries(
                        {
                            "description": texts,
                            "phase": texts,
                            "instances": st.lists(words, max_size=3),
                            "emotion": st.one_of(st.none(), st.integers(-2, 2)),
                            "quotes": st.lists(texts, max_size=2),
                            "moment_of_truth": st.booleans(),
                        }
                    ),
                    max_size=4,
                ),
                "answers": st.lists(st.tuples(st.sampled_from(["werk", "segment", "x_vrij"]), json_values), max_size=5),
                "consent": st.booleans(),
            }
        ),
        min_size=1,
        max_size=3,
    )
)
def test_round_trip_property(interviews):
    with tempfile.TemporaryDirectory() as folder:
        source = fresh(Path(folder), "source")
        study = source.create_study("Eigenschap ✓")
        for generated in interviews:
            interview = source.start_interview(study.id, "vng-algemeen", interviewer="ÅB")
            source.answer(interview.id, Slot("toestemming_deelname"), "j")
            source.answer(interview.id, Slot("toestemming_citaten"), "j" if generated["consent"] else "n")
            for step in generated["steps"]:
                source.insert_step(interview.id, **step)
            for question, value in generated["answers"]:
                source.store.add_answer(interview.id, question, value)
        first = export(source)
        target = fresh(Path(folder), "target")
        target.import_bundle(parse_bundle(first, "b.json"))
        assert export(target) == first
        source.close()
        target.close()


def test_importing_twice_makes_no_duplicate(services, tmp_path):
    fill_debts_interview(services, steps=3)
    data = export(services)
    target = fresh(tmp_path, "target")
    target.import_bundle(parse_bundle(data, "b.json"))
    counts = target.store.counts()
    report = target.import_bundle(parse_bundle(data, "b.json"))
    assert (report.added, report.skipped) == (0, 2)
    assert target.store.counts() == counts
    target.close()


def test_clashing_respondent_code_is_renamed_and_reported(services, tmp_path):
    interview = fill_debts_interview(services, steps=2)
    data = export(services)
    target = fresh(tmp_path, "target")
    bundle = parse_bundle(data, "b.json")
    # the same study exists on the other laptop, where R02 is somebody else
    study = bundle.studies[0]
    target.store.add_study(study)
    target.store.add_respondent(Respondent(study_id=study.id, code="R02", segment="iemand anders"))
    report = target.import_bundle(bundle)
    assert report.added == 2
    assert report.renamed == [("R02", "R03", study.title)]
    codes = {r.code: r for r in target.store.respondents_of(study.id)}
    assert codes["R02"].segment == "iemand anders"
    imported = target.interview_record(interview.id)
    assert imported.respondent.code == "R03"
    assert [s.description for s in imported.steps] == [s.description for s in services.steps(interview.id)]
    original = services.interview_record(interview.id)
    assert [(a.question_id, a.revision, a.recorded_at) for a in imported.answers] == [
        (a.question_id, a.revision, a.recorded_at) for a in original.answers
    ]
    target.close()


# --- malformed bundles: each refused whole, with its message, and nothing changes -----------------


def _valid(services) -> dict:
    fill_debts_interview(services, steps=2)
    return json.loads(export(services))


def _mutate(name: str, bundle: dict) -> bytes:
    data = copy.deepcopy(bundle)
    text = json.dumps(data)
    if name == "bad_json":
        return b"{format: klantreis-bundle}"
    if name == "truncated":
        return text.encode()[: len(text) // 2]
    if name == "empty":
        return b""
    if name == "not_utf8":
        return b"\xff\xfe\x00{"
    if name == "a_list":
        return b"[]"
    if name == "no_format":
        del data["format"]
    if name == "wrong_format":
        data["format"] = "iets-anders"
    if name == "newer_version":
        data["schema_version"] = 2
    if name == "version_as_text":
        data["schema_version"] = "1"
    if name == "missing_field":
        del data["interviews"][0]["respondent_id"]
    if name == "wrong_type":
        data["steps"][0]["emotion"] = "hoog"
    if name == "emotion_out_of_range":
        data["steps"][0]["emotion"] = 7
    if name == "unknown_field":
        data["interviews"][0]["naam"] = "Jan Jansen"
    if name == "duplicate_interview":
        data["interviews"].append(data["interviews"][0])
    if name == "duplicate_revision":
        data["answers"].append(data["answers"][0])
    if name == "orphan_answer":
        data["answers"][0]["interview_id"] = "00000000-0000-4000-8000-000000000000"
    if name == "respondent_other_study":
        data["studies"].append({**data["studies"][0], "id": "11111111-1111-4111-8111-111111111111"})
        data["respondents"][0]["study_id"] = "11111111-1111-4111-8111-111111111111"
    if name == "duplicate_code":
        data["respondents"][1]["code"] = data["respondents"][0]["code"]
    return json.dumps(data).encode()


MALFORMED = {
    "bad_json": "geen geldige JSON",
    "truncated": "is het bestand afgebroken?",
    "empty": "geen geldige JSON",
    "not_utf8": "geen UTF-8-tekst",
    "a_list": "dit is geen klantreis-bundel",
    "no_format": "dit is geen klantreis-bundel",
    "wrong_format": "dit is geen klantreis-bundel",
    "newer_version": "schemaversie 2, gemaakt door een nieuwere klantreis",
    "version_as_text": "schema_version",
    "missing_field": "interviews.0.respondent_id: Field required",
    "wrong_type": "steps.0.emotion",
    "emotion_out_of_range": "steps.0.emotion: Input should be less than or equal to 2",
    "unknown_field": "interviews.0.naam: Extra inputs are not permitted",
    "duplicate_interview": "interview",
    "duplicate_revision": "answer",
    "orphan_answer": "interview missing",
    "respondent_other_study": "respondent belongs to another study",
    "duplicate_code": "respondent code",
}


def _db_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_bundle_is_refused_whole(services, tmp_path, name):
    data = _mutate(name, _valid(services))
    target = fresh(tmp_path, "target")
    before = target.store.counts()
    with pytest.raises(BundleError) as info:
        target.import_bundle(parse_bundle(data, "kapot.json"))
    message = str(info.value)
    assert message.startswith("kapot.json: ")
    assert MALFORMED[name] in message
    assert message.endswith("Er is niets geïmporteerd.")
    assert target.store.counts() == before
    target.close()


@pytest.mark.parametrize("name", ["truncated", "newer_version", "orphan_answer", "duplicate_interview"])
def test_malformed_bundle_through_the_command_line(services, tmp_path, name):
    bundle = tmp_path / f"{name}.json"
    bundle.write_bytes(_mutate(name, _valid(services)))
    db = tmp_path / "doel.db"
    fresh(tmp_path, "doel").close()
    before = _db_digest(db)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KLANTREIS_")}
    env.update(HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"))
    result = subprocess.run(
        [sys.executable, "-m", "klantreis_tui", "--db", str(db), "import", str(bundle)],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert result.returncode == 1
    assert MALFORMED[name] in result.stderr and "Traceback" not in result.stderr
    assert _db_digest(db) == before


# --- CSV ------------------------------------------------------------------------------------------


def test_csv_tables_read_back(services):
    interview = fill_debts_interview(services, steps=3)
    services.update_step(services.steps(interview.id)[0].id, pain_point='Brief met "rood"; daarna\nbellen')
    tables = csv_tables(services.interview_records(services.select_interviews()))
    for excel_nl, delimiter in ((False, ","), (True, ";")):
        data = csv_bytes(tables["steps"], excel_nl=excel_nl)
        assert data.startswith(b"\xef\xbb\xbf") is excel_nl
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))
        header, body = rows[0], [r for r in rows[1:] if r[2] == "R02"]
        assert header[:6] == ["interview_id", "study", "respondent", "position", "phase", "description"]
        assert [(r[3], r[4], r[5], r[6], r[8]) for r in body] == [
            ("1", "voor de hulp", "Maakt de post niet meer open", "Zorgverzekeraar | energiebedrijf", "-2"),
            ("2", "voor de hulp", "Woningcorporatie belt over huurachterstand en verwijst door", "Woningcorporatie", "-1"),
            ("3", "aanmelding", "Meldt zich aan voor schuldhulp en wacht zes weken", "Gemeente schuldhulpverlening", "-1"),
        ]
        assert body[0][header.index("pain_point")] == 'Brief met "rood"; daarna\nbellen'


def test_csv_export_command_writes_three_files(services, tmp_path):
    fill_debts_interview(services, steps=2)
    services.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KLANTREIS_")}
    env.update(HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"))
    out = tmp_path / "csv"
    result = subprocess.run(
        [sys.executable, "-m", "klantreis_tui", "--db", str(tmp_path / "k.db"), "--question-sets",
         str(tmp_path / "sets"), "export", "--format", "csv", "--excel-nl", "-o", str(out)],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["answers.csv", "interviews.csv", "steps.csv"]
    interviews = list(csv.DictReader(io.StringIO((out / "interviews.csv").read_text("utf-8-sig")), delimiter=";"))
    assert sorted(r["respondent"] for r in interviews) == ["R01", "R02"]


def test_quotes_left_out_of_csv_without_quote_consent(services):
    study = services.create_study("Citaten")
    interview = services.start_interview(study.id, "klein")
    services.answer(interview.id, Slot("mee"), "j")
    services.answer(interview.id, Slot("citaten"), "n")
    services.insert_step(interview.id, description="Belt", quotes=["Letterlijk gezegd"])
    tables = csv_tables(services.interview_records([interview.id]))
    assert "Letterlijk gezegd" not in csv_bytes(tables["steps"]).decode()


def test_bundle_is_pseudonymous(services):
    fill_debts_interview(services, steps=1)
    data = json.loads(export(services))
    assert data["pseudonymous"] is True
    assert all(set(r) == {"id", "study_id", "code", "age_band", "segment", "tags"} for r in data["respondents"])


def test_small_set_fixture_is_the_one_used(qs_dir):
    # the CLI test above reads the question sets from the fixture folder
    assert (qs_dir / "klein.yaml").read_text(encoding="utf-8") == SMALL_SET
