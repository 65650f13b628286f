"""Saving one answer, as the interview screen does, against a raw sqlite3 insert and commit (same pragmas).

Two kinds: an answer in the step loop (most answers: it also updates its step) and a profile answer (it also
sets a respondent field). The reference is the issue's: one answer row inserted and committed with plain
sqlite3. To be fair it runs on a copy of the app's database made once the interview is set up (the same
schema, foreign keys, constraints and indexes, the same rows, the same pragmas: WAL, synchronous FULL,
secure_delete), and gets the same answer row for each app save, so that both files grow alike. A second
copy takes, in plain sqlite3, the same writes as the app (the answer row and the step or respondent update
in one transaction): the note beside each figure shows what that costs, so what is left is ours.

Six saves a round (app step, app profile, raw step, raw profile, same-writes step, same-writes profile), the
order turned by one each round, so that no kind always follows the same one. Beside the times, the CPU time of
the saving thread (``time.thread_time``): it leaves out the wait for the disk, which on a shared machine varies
far more than what the save itself does.
"""

from __future__ import annotations

import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path

from tests.benchmarks.common import Row, median, p99

PRAGMAS = ("busy_timeout = 10000", "foreign_keys = ON", "journal_mode = WAL", "synchronous = FULL",
           "secure_delete = ON")
INSERT_ANSWER = "INSERT INTO answers VALUES (?, ?, ?, ?, ?, 0, 0, ?)"


def _copy(source: Path, target: Path) -> sqlite3.Connection:
    """A copy of ``source`` (committed content, schema and rows) at ``target``, opened with the app's pragmas."""
    with sqlite3.connect(source) as reader, sqlite3.connect(target) as writer:
        reader.backup(writer)
    reader.close()
    writer.close()
    conn = sqlite3.connect(target, isolation_level=None)
    for pragma in PRAGMAS:
        conn.execute(f"PRAGMA {pragma}")
    return conn


def bench_save(runs: int, workdir: Path) -> list[Row]:
    from klantreis_tui.engine import Slot
    from klantreis_tui.question_sets import bundled_dir
    from klantreis_tui.services import Services

    db = workdir / "answer.db"
    services = Services.open(db, [bundled_dir()])
    study = services.create_study("Bench")
    interview = services.start_interview(study.id, "vng-algemeen")
    for question in ("toestemming_deelname", "toestemming_opname", "toestemming_citaten"):
        services.answer(interview.id, Slot(question), "j")
    step = services.insert_step(interview.id)
    state = services.state(interview.id)
    choices = [c.value for c in state.qs.choices_for(state.question(Slot("leeftijd")))]
    respondent_id = interview.respondent_id
    raw = _copy(db, workdir / "raw.db")
    same = _copy(db, workdir / "same.db")
    pragmas = {p.split(" = ")[0]: services.store.conn.execute(f"PRAGMA {p.split(' = ')[0]}").fetchone()[0]
               for p in PRAGMAS}
    for conn in (raw, same):  # the same durability as the app's connection, checked, not assumed
        assert {name: conn.execute(f"PRAGMA {name}").fetchone()[0] for name in pragmas} == pragmas, pragmas

    def when() -> str:  # as the app writes it
        return datetime.now(timezone.utc).isoformat()

    def app_step(number: int) -> None:
        nonlocal state
        state = services.answer(interview.id, Slot("stap_wat", step.id), f"stap {number}", state).state

    def app_profile(number: int) -> None:
        nonlocal state
        state = services.answer(interview.id, Slot("leeftijd"), choices[number % len(choices)], state).state

    def raw_step(number: int) -> None:
        raw.execute("BEGIN IMMEDIATE")
        raw.execute(INSERT_ANSWER, [interview.id, "stap_wat", step.id, number + 1, f'"stap {number}"', when()])
        raw.execute("COMMIT")

    def raw_profile(number: int) -> None:
        raw.execute("BEGIN IMMEDIATE")
        raw.execute(INSERT_ANSWER, [interview.id, "leeftijd", "", number + 1, f'"{choices[number % len(choices)]}"',
                                    when()])
        raw.execute("COMMIT")

    def same_step(number: int) -> None:
        same.execute("BEGIN IMMEDIATE")
        same.execute(INSERT_ANSWER, [interview.id, "stap_wat", step.id, number + 1, f'"stap {number}"', when()])
        same.execute("UPDATE steps SET description = ? WHERE id = ?", [f"stap {number}", step.id])
        same.execute("COMMIT")

    def same_profile(number: int) -> None:
        same.execute("BEGIN IMMEDIATE")
        same.execute(INSERT_ANSWER, [interview.id, "leeftijd", "", number + 1, f'"{choices[number % len(choices)]}"',
                                     when()])
        same.execute("UPDATE respondents SET age_band = ? WHERE id = ?", [choices[number % len(choices)], respondent_id])
        same.execute("COMMIT")

    kinds = [app_step, app_profile, raw_step, raw_profile, same_step, same_profile]
    times: dict[str, list[float]] = {kind.__name__: [] for kind in kinds}
    cpu: dict[str, list[float]] = {kind.__name__: [] for kind in kinds}  # this thread's CPU: without the disk's wait
    for number in range(runs):  # as the interview screen does: it passes the state it holds
        turn = number % len(kinds)
        for kind in kinds[turn:] + kinds[:turn]:
            start, start_cpu = time.perf_counter(), time.thread_time()
            kind(number)
            times[kind.__name__].append(time.perf_counter() - start)
            cpu[kind.__name__].append(time.thread_time() - start_cpu)
    services.close()
    raw.close()
    same.close()
    raw_times = times["raw_step"] + times["raw_profile"]
    reference = median(raw_times)
    rows = []
    for label, ours, writes in (("step-loop answer", "app_step", "same_step"), ("profile answer", "app_profile", "same_profile")):
        value = median(times[ours])
        same_value = median(times[writes])
        rows.append(Row(
            f"2 save a {label}", value * 1000, "ms", reference * 1000, "ratio <= 1.5", value / reference <= 1.5,
            f"p99 {p99(times[ours]) * 1000:.2f} ms (raw {p99(raw_times) * 1000:.2f}); the same writes in sqlite3 "
            f"{same_value * 1000:.2f} ms, ours x{value / same_value:.2f} of that; CPU {median(cpu[ours]) * 1000:.3f} ms "
            f"(same writes {median(cpu[writes]) * 1000:.3f})",
        ))
    return rows
