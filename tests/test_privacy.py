"""Privacy by default: quotes without consent, the key table, redaction, forgetting, retention, busy interviews."""

from __future__ import annotations

import json
import sqlite3
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from klantreis_tui.engine import Ended, LoopPrompt
from klantreis_tui.exchange import bundle_json, csv_tables, parse_bundle
from klantreis_tui.question_sets import bundled_dir
from klantreis_tui.services import Services

QUOTE = "Ik hing een uur in de wacht bij de Belastingdienst, echt waar"
BSN = "111222333"  # passes the elfproef
PHONE = "06-12345678"
EMAIL = "jan.jansen@example.nl"

BASE = {
    "toestemming_deelname": "j", "toestemming_opname": "n", "toestemming_citaten": "j",
    "leeftijd": "45-54", "huishouden": "alleen", "werk": "Buschauffeur", "digitaal": "zelf",
    "segment": "Werkende ouder", "aanleiding": "Brief over huurtoeslag", "verwachting": "Snelle hulp",
}
STEP = {
    "stap_wat": "Belde het nummer op de brief", "stap_fase": "oriëntatie", "stap_instantie": "Belastingdienst",
    "stap_kanaal": "telefoon", "stap_emotie": "-1", "stap_woorden": "machteloos", "stap_citaat": QUOTE,
    "stap_knelpunt": "Niemand wist het antwoord", "stap_kans": "Eén vast aanspreekpunt", "stap_duur": "twee weken",
}


def interview(services: Services, study_id: str, code: str, quotes: str = "j", **changes: str) -> str:
    """A completed vng-algemeen interview with one step, entered through the services."""
    iv = services.start_interview(study_id, "vng-algemeen", respondent_code=code)
    answers = {**BASE, "toestemming_citaten": quotes, **STEP, **changes}
    steps_left = 1
    while not isinstance(position := services.state(iv.id).current(), Ended):
        if isinstance(position, LoopPrompt):
            services.loop_answer(iv.id, position, steps_left > 0)
            steps_left -= 1
        else:
            services.answer(iv.id, position, answers.get(position.question_id, ""))
    services.finish(iv.id)
    return iv.id


@pytest.fixture
def study(services):
    return services.create_study("Huurtoeslag terugbetalen")


# --- quotes without consent -----------------------------------------------------------------------


def test_quotes_of_a_refusing_respondent_leave_no_export(services, study):
    refused = interview(services, study.id, "R01", quotes="n")
    granted = interview(services, study.id, "R02", quotes="j")
    # stored as typed: the interviewer's record is complete
    assert services.interview_record(refused).steps[0].quotes == [QUOTE]

    bundle = services.export_bundle([refused, granted])
    quotes = {s.interview_id: s.quotes for s in bundle.steps}
    assert quotes == {refused: [], granted: [QUOTE]}
    assert QUOTE.encode() in bundle_json(services.export_bundle([granted]))
    assert QUOTE.encode() not in bundle_json(services.export_bundle([refused]))

    tables = csv_tables(services.export_records([refused]))
    assert not any(QUOTE in cell for rows in tables.values() for row in rows for cell in row)
    tables = csv_tables(services.export_records([granted]))
    assert any(QUOTE in cell for row in tables["answers"] for cell in row)


def test_synthesis_and_summary_leave_out_refused_quotes(services, study):
    refused = interview(services, study.id, "R01", quotes="n")
    assert QUOTE not in services.interview_summary(refused)
    assert QUOTE not in services.study_synthesis([refused])
    granted = interview(services, study.id, "R02", quotes="j")
    assert QUOTE in services.interview_summary(granted)


# --- personal data in free text ----------------------------------------------------------------------


def test_personal_data_is_redacted_in_summaries_and_exports_by_default(services, study):
    knelpunt = f"Mijn BSN {BSN} stond verkeerd; bel me op {PHONE} of mail {EMAIL}"
    iv = interview(services, study.id, "R01", stap_knelpunt=knelpunt)
    stored = services.interview_record(iv).steps[0].pain_point
    assert stored == knelpunt  # kept as typed in the database

    summary = services.interview_summary(iv)
    bundle = bundle_json(services.export_bundle([iv]))
    csv_text = json.dumps(csv_tables(services.export_records([iv])), ensure_ascii=False)
    for text in (summary, bundle.decode(), csv_text):
        for secret in (BSN, PHONE, EMAIL):
            assert secret not in text
    assert "[BSN]" in summary and "[telefoonnummer]" in summary and "[e-mailadres]" in summary
    assert parse_bundle(bundle, "x").personal_data_redacted is True

    kept = services.export_bundle([iv], keep_personal_data=True)
    assert kept.personal_data_redacted is False
    assert kept.steps[0].pain_point == knelpunt
    assert BSN in services.interview_summary(iv, keep_personal_data=True)


def test_redaction_labels_follow_the_language(tmp_path, qs_dir, english):
    english = Services.open(tmp_path / "en.db", [bundled_dir(), qs_dir])
    try:
        study = english.create_study("Study")
        iv = interview(english, study.id, "R01", stap_knelpunt=f"call {PHONE}")
        assert "[phone number]" in english.interview_summary(iv)
    finally:
        english.close()


# --- the key table ---------------------------------------------------------------------------------


def test_identities_stay_apart_and_leave_only_when_asked(services, study, tmp_path):
    iv = interview(services, study.id, "R01")
    respondent_id = services.interview(iv).respondent_id
    services.set_identity(respondent_id, name="Jan Jansen", contact=EMAIL)

    record = services.interview_record(iv)
    assert "Jan Jansen" not in record.model_dump_json()
    assert "Jan Jansen" not in services.interview_summary(iv)
    plain = services.export_bundle([iv])
    assert plain.identities == [] and plain.pseudonymous is True
    assert b"Jan Jansen" not in bundle_json(plain)

    full = services.export_bundle([iv], include_identities=True)
    assert [i.name for i in full.identities] == ["Jan Jansen"]
    assert full.pseudonymous is False

    # carried to another laptop: the key comes along only in the bundle that has it
    other = Services.open(tmp_path / "other.db", [bundled_dir()])
    try:
        report = other.import_bundle(parse_bundle(bundle_json(full), "b.json"))
        assert report.identities == 1
        assert other.identity(respondent_id).name == "Jan Jansen"
    finally:
        other.close()


def test_clearing_every_field_removes_the_key(services, study):
    iv = interview(services, study.id, "R01")
    respondent_id = services.interview(iv).respondent_id
    services.set_identity(respondent_id, name="Jan")
    assert services.identity(respondent_id) is not None
    assert services.set_identity(respondent_id, name=" ", contact="", note="") is None
    assert services.identity(respondent_id) is None


def test_a_bundle_with_an_identity_of_an_unknown_respondent_is_refused(services, study):
    iv = interview(services, study.id, "R01")
    services.set_identity(services.interview(iv).respondent_id, name="Jan")
    raw = json.loads(bundle_json(services.export_bundle([iv], include_identities=True)))
    raw["identities"][0]["respondent_id"] = "00000000-0000-4000-8000-000000000000"  # a UUID of nobody
    from klantreis_tui.exchange import BundleError

    with pytest.raises(BundleError, match="respondent ontbreekt"):
        parse_bundle(json.dumps(raw).encode(), "b.json")


# --- forgetting ----------------------------------------------------------------------------------------


def file_bytes(db: Path) -> bytes:
    """The database file and its write-ahead log, as they lie on disk."""
    data = db.read_bytes()
    wal = db.with_name(db.name + "-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def test_forget_removes_every_trace_from_the_file(services, study, tmp_path):
    secret = "Vertrouwelijk citaat over de schuld bij Kredietbank Zuid nummer 77"
    gone = interview(services, study.id, "R01", stap_citaat=secret)
    kept = interview(services, study.id, "R02")
    respondent_id = services.interview(gone).respondent_id
    services.set_identity(respondent_id, name="Mevrouw Geheimhouding", contact="0612345678")
    db = tmp_path / "k.db"
    assert secret.encode() in file_bytes(db)

    report = services.forget_respondent(respondent_id)

    assert report.counts["interviews"] == 1 and report.counts["steps"] == 1 and report.counts["answers"] > 10
    assert report.log_emptied
    raw = file_bytes(db)
    assert secret.encode() not in raw
    assert b"Mevrouw Geheimhouding" not in raw
    # the other respondent is untouched
    assert services.select_interviews() == [kept]
    assert services.interview_record(kept).steps[0].quotes == [QUOTE]
    # a log line, without content
    log = services.privacy_log()
    assert [entry["action"] for entry in log] == ["forget"]
    assert secret not in json.dumps(log) and "Geheimhouding" not in json.dumps(log)
    assert log[0]["detail"]["interviews"] == 1


def test_forget_reaches_the_backups(services, study, tmp_path):
    from klantreis_tui.storage.backup import list_backups, make_backup

    secret = "Citaat dat ook in de reservekopie zit"
    gone = interview(services, study.id, "R01", stap_citaat=secret)
    interview(services, study.id, "R02")
    db = tmp_path / "k.db"
    make_backup(db)
    backups = list_backups(db)
    assert backups and secret.encode() in backups[0].path.read_bytes()

    report = services.forget_respondent(services.interview(gone).respondent_id)

    assert report.backups_cleaned == [backups[0].path] and report.backups_failed == []
    assert secret.encode() not in backups[0].path.read_bytes()
    with sqlite3.connect(backups[0].path) as conn:
        assert conn.execute("select count(*) from interviews").fetchone()[0] == 1


def test_find_respondents_by_code_and_study(services, study):
    other = services.create_study("Paspoort")
    interview(services, study.id, "R01")
    services.start_interview(other.id, "vng-algemeen", respondent_code="R01")
    assert len(services.find_respondents("R01")) == 2
    [(found_study, respondent)] = services.find_respondents("R01", "Paspoort")
    assert found_study.id == other.id and respondent.code == "R01"
    assert services.find_respondents("R09") == []


# --- retention ---------------------------------------------------------------------------------------------


def test_purge_removes_only_expired_studies(services, tmp_path):
    old = services.create_study("Oud onderzoek", retention_until=date.today() - timedelta(days=1))
    current = services.create_study("Lopend onderzoek", retention_until=date.today() + timedelta(days=30))
    endless = services.create_study("Zonder datum")
    interview(services, old.id, "R01", stap_citaat="Citaat uit het oude onderzoek")
    kept = interview(services, current.id, "R01")

    assert [r.study.id for r in services.expired_studies()] == [old.id]
    report = services.purge_studies([old.id])

    assert report.counts == {"studies": 1, "respondents": 1, "interviews": 1, "answers": report.counts["answers"],
                             "steps": 1, "consents": 3}
    assert {r.study.id for r in services.list_studies()} == {current.id, endless.id}
    assert services.select_interviews() == [kept]
    assert b"Citaat uit het oude onderzoek" not in file_bytes(tmp_path / "k.db")
    assert services.privacy_log()[-1]["action"] == "purge"


# --- two instances --------------------------------------------------------------------------------------


def test_an_interview_open_in_one_instance_is_busy_in_the_other(services, study, tmp_path, qs_dir):
    iv = services.start_interview(study.id, "vng-algemeen")
    second = Services.open(tmp_path / "k.db", [bundled_dir(), qs_dir])
    try:
        assert services.claim_interview(iv.id) is None
        busy = second.claim_interview(iv.id)
        assert busy is not None and busy.pid > 0
        assert iv.id in second.busy_interviews()
        assert iv.id not in services.busy_interviews()  # not busy for the instance that has it
        services.release_interview(iv.id)
        assert second.claim_interview(iv.id) is None
        assert iv.id in services.busy_interviews()
    finally:
        second.close()
    # closing releases every claim of that instance
    assert services.busy_interviews() == {}


def test_a_claim_of_a_process_that_is_gone_is_taken_over(services, study):
    iv = services.start_interview(study.id, "vng-algemeen")
    import socket

    services.store.db.execute(
        "INSERT INTO interview_claims VALUES (?, 'other', ?, ?, ?)",
        [iv.id, socket.gethostname(), 2**22 + 12345, "2999-01-01T00:00:00+00:00"],
    )
    assert services.busy_interviews() == {}
    assert services.claim_interview(iv.id) is None


def test_a_claim_that_stopped_refreshing_expires(services, study):
    iv = services.start_interview(study.id, "vng-algemeen")
    services.store.db.execute(
        "INSERT INTO interview_claims VALUES (?, 'other', 'andere-laptop', 1, ?)", [iv.id, "2020-01-01T00:00:00+00:00"]
    )
    assert services.claim_interview(iv.id) is None
    services.store.db.execute(
        "UPDATE interview_claims SET owner = 'other', host = 'andere-laptop', heartbeat_at = ?",
        ["2999-01-01T00:00:00+00:00"],
    )
    busy = services.claim_interview(iv.id)
    assert busy is not None and busy.host == "andere-laptop"


# --- found in review: deleting while another window works, copies set aside, refusal, marking ---------------


def test_forget_refuses_a_respondent_whose_interview_is_open_elsewhere(services, study, tmp_path, qs_dir):
    from klantreis_tui.services import OpenElsewhere

    iv = interview(services, study.id, "R01")
    other = Services.open(tmp_path / "k.db", [bundled_dir(), qs_dir])
    try:
        assert other.claim_interview(iv) is None  # open in the other window
        before = services.store.counts()
        with pytest.raises(OpenElsewhere, match="Respondent R01 heeft een interview dat open is"):
            services.forget_respondent(services.interview(iv).respondent_id)
        with pytest.raises(OpenElsewhere):
            services.purge_studies([study.id])
        assert services.store.counts() == before
    finally:
        other.close()
    services.forget_respondent(services.interview(iv).respondent_id)  # closed there: now it can go
    assert services.select_interviews() == []


def test_forget_also_cleans_a_database_set_aside_by_restore(services, study, tmp_path):
    from klantreis_tui.storage.backup import make_backup, restore

    secret = "Citaat dat in het opzijgezette bestand zat"
    gone = interview(services, study.id, "R01", stap_citaat=secret)
    db = tmp_path / "k.db"
    backup = make_backup(db)
    respondent_id = services.interview(gone).respondent_id
    services.close()
    aside = restore(db, backup)
    assert aside is not None and secret.encode() in file_bytes(aside)
    services.store = type(services.store).open(db)

    report = services.forget_respondent(respondent_id)

    assert aside in report.backups_cleaned and report.backups_failed == []
    assert secret.encode() not in file_bytes(aside) and secret.encode() not in file_bytes(db)


def test_restore_is_refused_while_klantreis_has_the_database_open(services, tmp_path):
    from klantreis_tui.storage import StorageError
    from klantreis_tui.storage.backup import make_backup, restore

    services.create_study("Open")
    db = tmp_path / "k.db"
    backup = make_backup(db)
    with pytest.raises(StorageError, match="open in een ander venster"):
        restore(db, backup)
    assert db.exists() and not list(tmp_path.glob("k.db.before-restore-*"))


def test_a_late_refusal_leaves_nothing_in_the_file_or_the_backups(services, study, tmp_path):
    from klantreis_tui.engine import Slot
    from klantreis_tui.storage.backup import list_backups, make_backup

    services.store.db.execute("PRAGMA secure_delete = OFF")  # as on SQLite builds without it by default
    secret = "Beschrijving van een stap die weg moet na intrekken"
    iv = interview(services, study.id, "R01", stap_wat=secret)
    make_backup(tmp_path / "k.db")
    assert secret.encode() in list_backups(tmp_path / "k.db")[0].path.read_bytes()

    services.answer(iv, Slot("toestemming_deelname"), "n")  # the respondent withdraws at the end

    assert services.interview(iv).status.value == "geen toestemming"
    assert services.steps(iv) == []
    assert secret.encode() not in file_bytes(tmp_path / "k.db")
    assert secret.encode() not in list_backups(tmp_path / "k.db")[0].path.read_bytes()


def test_a_text_cannot_be_marked_as_quote_without_quote_consent(services, study):
    from klantreis_tui.engine import AnswerInvalid

    refused = interview(services, study.id, "R01", quotes="n")
    step = services.steps(refused)[0]
    with pytest.raises(AnswerInvalid, match="geen toestemming voor citaten"):
        services.mark(step.id, "quote", "Belde het nummer op de brief")
    assert services.steps(refused)[0].quotes == [QUOTE]  # as typed earlier; withheld from every export
    services.mark(step.id, "pain_point", "Niemand wist het antwoord")  # other marks still work


def test_without_its_question_set_a_refusing_interview_exports_no_step_text_answers(services, study):
    refused = interview(services, study.id, "R01", quotes="n")
    services.catalog.sets.pop("vng-algemeen")
    bundle = services.export_bundle([refused])
    step_answers = [a for a in bundle.answers if a.step_id and isinstance(a.value, str) and a.value]
    assert step_answers == []
    assert QUOTE.encode() not in bundle_json(bundle)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes; Windows counterpart: tests/test_system.py")
def test_a_new_database_is_readable_by_its_owner_only(tmp_path, qs_dir):
    import stat

    fresh = Services.open(tmp_path / "nieuw.db", [bundled_dir(), qs_dir])
    fresh.close()
    assert stat.S_IMODE((tmp_path / "nieuw.db").stat().st_mode) == 0o600


# --- two windows writing at once ------------------------------------------------------------------------


def _write_steps(db: str, sets: str, interview_id: str, count: int, start, results) -> None:  # type: ignore[no-untyped-def]
    """In a process of its own: answer ``count`` step descriptions as fast as it can."""
    from klantreis_tui.engine import Slot

    services = Services.open(db, [bundled_dir(), Path(sets)])
    start.wait()
    saved = []
    for number in range(count):
        step = services.insert_step(interview_id)
        services.answer(interview_id, Slot("wat", step.id), f"stap {number} van {interview_id[:8]}")
        saved.append(step.id)
    services.close()
    results.put((interview_id, saved))


def test_two_processes_writing_at_once_lose_nothing(services, study, tmp_path, qs_dir):
    import multiprocessing

    first = services.start_interview(study.id, "klein", respondent_code="R01")
    second = services.start_interview(study.id, "klein", respondent_code="R02")
    context = multiprocessing.get_context("spawn")
    start, results = context.Event(), context.Queue()
    workers = [
        context.Process(target=_write_steps, args=(str(tmp_path / "k.db"), str(qs_dir), iv.id, 60, start, results))
        for iv in (first, second)
    ]
    for worker in workers:
        worker.start()
    start.set()
    saved = dict(results.get(timeout=120) for _ in workers)
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0

    for iv in (first, second):
        steps = services.steps(iv.id)
        assert [s.id for s in steps] == saved[iv.id]  # every step each window saw saved, in its order
        assert [s.description for s in steps] == [f"stap {n} van {iv.id[:8]}" for n in range(60)]
    assert services.store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert services.store.db.execute("PRAGMA foreign_key_check").fetchall() == []


# --- found in the second review ----------------------------------------------------------------------------


def test_a_late_refusal_clears_the_respondent_and_the_key_and_the_backup_records_it(services, study, tmp_path):
    import sqlite3 as sql

    from klantreis_tui.engine import Slot
    from klantreis_tui.storage.backup import list_backups, make_backup

    iv = interview(services, study.id, "R01", segment="mantelzorger")
    respondent_id = services.interview(iv).respondent_id
    services.set_identity(respondent_id, name="Mevrouw Terugtrekker", contact="06-11112222")
    make_backup(tmp_path / "k.db")
    assert services.respondent(respondent_id).segment == "mantelzorger"

    services.answer(iv, Slot("toestemming_deelname"), "n")

    respondent = services.respondent(respondent_id)
    assert (respondent.age_band, respondent.segment) == ("", "")
    assert services.identity(respondent_id) is None
    assert b"mantelzorger" not in file_bytes(tmp_path / "k.db")
    backup = list_backups(tmp_path / "k.db")[0].path
    data = backup.read_bytes()
    assert b"mantelzorger" not in data and b"Terugtrekker" not in data
    with sql.connect(backup) as conn:  # restoring it cannot bring the interview back as consenting
        assert conn.execute("select status from interviews").fetchone()[0] == "geen toestemming"
        assert conn.execute("select granted from consents where item = 'participation'").fetchone()[0] == 0
        latest = conn.execute(
            "select value from answers where question_id = 'toestemming_deelname' order by revision desc"
        ).fetchone()[0]
        assert latest == "false"
        assert conn.execute("select count(*) from identities").fetchone()[0] == 0


def test_undoing_a_refusal_puts_the_interview_back_in_progress(services, study):
    from klantreis_tui.engine import Slot

    iv = services.start_interview(study.id, "vng-algemeen")
    services.answer(iv.id, Slot("toestemming_deelname"), "j")
    services.answer(iv.id, Slot("toestemming_deelname"), "n")
    assert services.interview(iv.id).status.value == "geen toestemming"
    services.undo_last(iv.id)
    assert services.interview(iv.id).status.value == "bezig"
    assert services.state(iv.id).value(Slot("toestemming_deelname")) is True


def test_an_old_bundle_does_not_bring_a_forgotten_respondent_back(services, study):
    kept = interview(services, study.id, "R02")
    gone = interview(services, study.id, "R01")
    respondent_id = services.interview(gone).respondent_id
    services.set_identity(respondent_id, name="Vergeten Persoon")
    old = parse_bundle(bundle_json(services.export_bundle([gone, kept], include_identities=True)), "oud.json")
    services.forget_respondent(respondent_id)

    report = services.import_bundle(old)

    assert (report.added, report.forgotten, report.skipped, report.identities) == (0, 1, 1, 0)
    assert services.find_respondents("R01") == []
    assert b"Vergeten Persoon" not in file_bytes(services_db(services))


def services_db(services: Services) -> Path:
    return Path(services.store.path)


def test_the_step_editor_cannot_add_quotes_without_consent(services, study):
    from klantreis_tui.engine import AnswerInvalid

    refused = interview(services, study.id, "R01", quotes="n")
    step = services.steps(refused)[0]
    with pytest.raises(AnswerInvalid, match="geen toestemming voor citaten"):
        services.update_step(step.id, quotes=[*step.quotes, "Ik sliep er niet van"])
    assert services.steps(refused)[0].quotes == step.quotes
    services.update_step(step.id, quotes=[])  # taking quotes away is always allowed
    assert services.steps(refused)[0].quotes == []


def test_sqlite_errors_are_explained_in_the_ui_language(services, study):
    from klantreis_tui.storage import SaveFailed

    conn = services.store.db.conn
    conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")
    with pytest.raises(SaveFailed) as info:
        services.create_study("x" * 100_000)
    assert "de schijf is vol [database or disk is full]" in str(info.value)


def test_a_late_refusal_in_a_large_database_only_empties_the_log(services, study, monkeypatch):
    """Above the size limit the file is not rebuilt (seconds in the interview screen); secure_delete, always on,
    has overwritten what was deleted, and the log is emptied."""
    from klantreis_tui.engine import Slot

    assert services.store.db.execute("PRAGMA secure_delete").fetchone()[0] == 1
    secret = "Stap in een grote database die weg moet"
    iv = interview(services, study.id, "R01", stap_wat=secret)
    monkeypatch.setattr(type(services.store), "QUICK_VACUUM_BYTES", 0)
    calls = []
    real = services.store.compact
    monkeypatch.setattr(services.store, "compact", lambda vacuum=True: calls.append(vacuum) or real(vacuum))

    services.answer(iv, Slot("toestemming_deelname"), "n")

    assert calls == [False]
    db = Path(services.store.path)
    assert secret.encode() not in file_bytes(db)
    assert not db.with_name(db.name + "-wal").exists() or db.with_name(db.name + "-wal").stat().st_size == 0
