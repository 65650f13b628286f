"""Saving one answer, as the interview screen does, against a raw sqlite3 insert and commit (same pragmas).

Two kinds: an answer in the step loop (most answers: it also updates its step) and a profile answer (it also
sets a respondent field). The three are measured interleaved, one of each in turn, so that all see the same
machine; the raw database has the same pragmas and an answers table of the same shape and indexes.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from tests.benchmarks.common import Row, median, p99

PRAGMAS = ("busy_timeout = 10000", "foreign_keys = ON", "journal_mode = WAL", "synchronous = FULL",
           "secure_delete = ON")


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

    raw = sqlite3.connect(workdir / "raw.db", isolation_level=None)
    for pragma in PRAGMAS:
        raw.execute(f"PRAGMA {pragma}")
    raw.execute("CREATE TABLE answers (interview_id TEXT, question_id TEXT, step_id TEXT, revision INTEGER, "
                "value TEXT, skipped INTEGER, retracted INTEGER, recorded_at TEXT, "
                "PRIMARY KEY (interview_id, question_id, step_id, revision))")

    step_times, profile_times, raw_times = [], [], []
    for number in range(runs):  # as the interview screen does: it passes the state it holds
        start = time.perf_counter()
        state = services.answer(interview.id, Slot("stap_wat", step.id), f"stap {number}", state).state
        step_times.append(time.perf_counter() - start)

        start = time.perf_counter()
        state = services.answer(interview.id, Slot("leeftijd"), choices[number % len(choices)], state).state
        profile_times.append(time.perf_counter() - start)

        start = time.perf_counter()
        raw.execute("BEGIN IMMEDIATE")
        raw.execute("INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [interview.id, "stap_wat", step.id, number, f'"stap {number}"', 0, 0, "2026-12-02T10:00:00"])
        raw.execute("COMMIT")
        raw_times.append(time.perf_counter() - start)
    services.close()
    raw.close()
    reference = median(raw_times)
    rows = []
    for label, times in (("step-loop answer", step_times), ("profile answer", profile_times)):
        value = median(times)
        rows.append(Row(f"2 save a {label}", value * 1000, "ms", reference * 1000, "ratio <= 1.5",
                        value / reference <= 1.5, f"p99 {p99(times) * 1000:.2f} ms (raw {p99(raw_times) * 1000:.2f})"))
    return rows
