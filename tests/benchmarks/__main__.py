"""Run every benchmark and print each figure beside its reference: ``python -m tests.benchmarks``.

Figures are medians of repeated runs within one process run, so that the reference sees the same machine
state as the measured code. ``--quick`` uses fewer repetitions and smaller sizes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


@dataclass
class Row:
    name: str
    value: float
    unit: str
    reference: float | None
    goal: str
    ok: bool
    note: str = ""

    def ratio(self) -> str:
        return f"{self.value / self.reference:.2f}" if self.reference else "-"


def median(values: list[float]) -> float:
    return statistics.median(values)


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]


# --- 1. cold start --------------------------------------------------------------------------

BARE_APP = """
from textual.app import App
from textual.widgets import Footer, Header, Input
class Bare(App):
    BINDINGS = [("q", "quit", "Quit")]
    def compose(self):
        yield Header()
        yield Input()
        yield Footer()
Bare().run()
"""


def _time_to_screen(command: list[str], marker: str, env: dict[str, str]) -> float:
    """Seconds from process start until ``marker`` is on its screen (a pseudo-terminal read through pyte)."""
    import pexpect
    import pyte

    screen = pyte.Screen(100, 30)
    stream = pyte.ByteStream(screen)
    start = time.perf_counter()
    child = pexpect.spawn(command[0], command[1:], env=env, dimensions=(30, 100), timeout=30)
    try:
        while time.perf_counter() - start < 30:
            try:
                stream.feed(child.read_nonblocking(65536, timeout=0.01))
            except pexpect.TIMEOUT:
                continue
            if any(marker in line for line in screen.display):
                return time.perf_counter() - start
        raise RuntimeError(f"{marker!r} did not appear: {screen.display}")
    finally:
        child.kill(9)
        child.close(force=True)


def bench_cold_start(runs: int, workdir: Path) -> list[Row]:
    env = {**os.environ, "HOME": str(workdir), "XDG_DATA_HOME": str(workdir / "data"), "TERM": "xterm-256color"}
    db = workdir / "start.db"
    subprocess.run([sys.executable, "-m", "klantreis_tui", "--db", str(db), "db", "info"], env=env, capture_output=True)
    app_times, bare_times = [], []
    bare = workdir / "bare.py"
    bare.write_text(BARE_APP, encoding="utf-8")
    for _ in range(runs):  # interleaved, so both see the same machine
        app_times.append(_time_to_screen([sys.executable, "-m", "klantreis_tui", "--db", str(db)], "palette", env))
        bare_times.append(_time_to_screen([sys.executable, str(bare)], "palette", env))
    app, bare_median = median(app_times), median(bare_times)
    return [Row("1 cold start to home screen", app * 1000, "ms", bare_median * 1000, "ratio <= 1.3", app / bare_median <= 1.3)]


# --- 2. saving one answer ---------------------------------------------------------------------


def bench_answer(runs: int, workdir: Path) -> list[Row]:
    from klantreis_tui.engine import Slot
    from klantreis_tui.question_sets import bundled_dir
    from klantreis_tui.services import Services

    services = Services.open(workdir / "answer.db", [bundled_dir()])
    study = services.create_study("Bench")
    interview = services.start_interview(study.id, "vng-algemeen")
    for question, value in (("toestemming_deelname", "j"), ("toestemming_opname", "j"), ("toestemming_citaten", "j")):
        services.answer(interview.id, Slot(question), value)
    ours = []
    state = services.state(interview.id)
    for number in range(runs):  # as the interview screen does: it passes the state it holds
        start = time.perf_counter()
        state = services.answer(interview.id, Slot("werk"), f"antwoord {number}", state).state
        ours.append(time.perf_counter() - start)
    services.close()

    conn = sqlite3.connect(workdir / "raw.db", isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("CREATE TABLE answers (interview_id TEXT, question_id TEXT, revision INTEGER, value TEXT, at TEXT)")
    raw = []
    for number in range(runs):
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO answers VALUES (?, ?, ?, ?, ?)", ["i", "werk", number, f'"antwoord {number}"', "t"])
        conn.execute("COMMIT")
        raw.append(time.perf_counter() - start)
    conn.close()
    ratio = median(ours) / median(raw)
    return [
        Row("2 save one answer (median)", median(ours) * 1000, "ms", median(raw) * 1000, "ratio <= 2", ratio <= 2),
        Row("2 save one answer (p99)", p99(ours) * 1000, "ms", p99(raw) * 1000, "-", True),
    ]


# --- 3. key handling ---------------------------------------------------------------------------


def bench_keys(keys: int, workdir: Path) -> list[Row]:
    from textual.app import App
    from textual.widgets import Input

    from klantreis_tui.question_sets import bundled_dir
    from klantreis_tui.services import Services
    from tests.benchmarks.synthetic import make_bundle
    from tests.uihelpers import build_app

    services = Services.open(workdir / "keys.db", [bundled_dir()])
    bundle = make_bundle(1, steps_per_interview=60, seed=3)
    from klantreis_tui.models import InterviewStatus

    bundle = bundle.model_copy(
        update={"interviews": [bundle.interviews[0].model_copy(update={"status": InterviewStatus.bezig})]}
    )
    services.import_bundle(bundle)
    interview_id = bundle.interviews[0].id
    # 300 messages: answer questions of the steps so the transcript is long
    from klantreis_tui.engine import Slot

    for step in services.steps(interview_id):
        for question, value in (("stap_fase", step.phase), ("stap_instantie", ", ".join(step.instances)),
                                ("stap_kanaal", ", ".join(step.channels)), ("stap_woorden", "boos")):
            services.answer(interview_id, Slot(question, step.id), value)
    # answer up to a text question inside the step loop, so that the keys go into an input there
    typed = {"yes_no": "j", "emotion": "1", "single_choice": "1", "multiple_choice": "1", "number": "1"}
    while True:
        state = services.state(interview_id)
        position = state.current()
        kind = state.question(position).kind.value
        if position.step_id and kind == "text":  # a one-line input, like the reference
            break
        services.answer(interview_id, position, typed.get(kind, "tekst"))

    async def per_key(app: App, focus_input) -> float:  # type: ignore[no-untyped-def]
        """Keys posted as a terminal delivers them; the time until the screen has caught up, per key."""
        from textual import events

        async with app.run_test(size=(120, 40)) as pilot:
            await focus_input(app, pilot)
            await pilot.pause()
            profile = os.environ.get("KLANTREIS_PROFILE_KEYS")
            if profile:
                import cProfile

                profiler = cProfile.Profile()
                profiler.enable()
            start = time.perf_counter()
            for number in range(keys):
                app.post_message(events.Key("a", "a") if number % 10 else events.Key("backspace", None))
            await pilot.pause()
            elapsed = (time.perf_counter() - start) / keys
            if profile:
                profiler.disable()
                profiler.dump_stats(f"{profile}.{type(app).__name__}")
            return elapsed

    async def ours_focus(app, pilot):  # type: ignore[no-untyped-def]
        app.open_interview(interview_id)
        await pilot.pause()

    class Bare(App[None]):
        def compose(self):  # type: ignore[no-untyped-def]
            yield Input()

    async def bare_focus(app, pilot):  # type: ignore[no-untyped-def]
        app.query_one(Input).focus()

    ours_runs, bare_runs = [], []
    for _ in range(3):  # alternate, so both see the same machine
        ours_runs.append(asyncio.run(per_key(build_app(services), ours_focus)))
        bare_runs.append(asyncio.run(per_key(Bare(), bare_focus)))
    ours, bare = median(ours_runs), median(bare_runs)
    from klantreis_tui.ui.transcript import build_transcript

    messages = len(build_transcript(services.state(interview_id)))
    services.close()
    ratio = ours / bare
    return [Row(f"3 key in interview (60 steps, {messages} msgs)", ours * 1000, "ms", bare * 1000,
                "ratio <= 1.5, < 16 ms", ratio <= 1.5 and ours < 0.016)]


# --- 4-6. summaries, synthesis, export and import ---------------------------------------------------


def bench_rendering(runs: int, workdir: Path, sizes: list[int]) -> list[Row]:
    from klantreis_tui.exchange import bundle_json, csv_bytes, csv_tables, parse_bundle
    from klantreis_tui.question_sets import bundled_dir
    from klantreis_tui.services import Services
    from tests.benchmarks.synthetic import make_bundle

    rows: list[Row] = []
    services = Services.open(workdir / "render.db", [bundled_dir()])
    services.import_bundle(make_bundle(1, steps_per_interview=20, seed=4))
    interview_id = services.select_interviews()[0]
    for fmt in ("md", "html"):
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            services.interview_summary(interview_id, fmt)
            times.append(time.perf_counter() - start)
        rows.append(Row(f"4 interview summary ({fmt})", median(times) * 1000, "ms", None, "< 20 ms",
                        median(times) < 0.020))
    services.close()

    previous: tuple[int, float] | None = None
    for size in sizes:
        services = Services.open(workdir / f"synth{size}.db", [bundled_dir()])
        services.import_bundle(make_bundle(size, steps_per_interview=20, seed=5))
        ids = services.select_interviews()
        start = time.perf_counter()
        services.study_synthesis(ids, "md")
        elapsed = time.perf_counter() - start
        note = ""
        if previous:
            growth = (elapsed / previous[1]) / (size / previous[0])
            note = f"growth x{growth:.2f} of linear"
        ok = elapsed < 1.0 if size == 1000 else True
        rows.append(Row(f"5 synthesis, {size} interviews", elapsed * 1000, "ms", None,
                        "< 1 s at 1,000; near-linear", ok, note))
        previous = (size, elapsed)
        services.close()

    services = Services.open(workdir / "export.db", [bundled_dir()])
    services.import_bundle(make_bundle(1000, steps_per_interview=20, seed=6))
    ids = services.select_interviews()
    start = time.perf_counter()
    data = bundle_json(services.export_bundle(ids))
    export_json = time.perf_counter() - start
    start = time.perf_counter()
    from klantreis_tui.services import gc_paused

    with gc_paused():  # as the command line does
        tables = csv_tables(services.export_records(ids))
    for table in tables.values():
        csv_bytes(table, excel_nl=True)
    export_csv = time.perf_counter() - start
    services.close()
    target = Services.open(workdir / "import.db", [bundled_dir()])
    start = time.perf_counter()
    target.import_bundle(parse_bundle(data, "bench.json"))
    import_json = time.perf_counter() - start
    target.close()
    for name, value in (("export JSON", export_json), ("export CSV", export_csv), ("import JSON", import_json)):
        rows.append(Row(f"6 {name}, 1,000 interviews", value * 1000, "ms", None, "< 2 s", value < 2.0))
    return rows


# --- 7. home screen on a large database -------------------------------------------------------------


def bench_home(workdir: Path, interviews: int) -> list[Row]:
    from klantreis_tui.question_sets import bundled_dir
    from klantreis_tui.services import Services
    from tests.benchmarks.synthetic import make_bundle
    from tests.uihelpers import build_app

    db = workdir / "home.db"
    services = Services.open(db, [bundled_dir()])
    services.import_bundle(make_bundle(interviews, steps_per_interview=20, seed=7, studies=10))
    services.close()

    from textual.app import App
    from textual.widgets import DataTable, Footer, Header

    class Bare(App[None]):
        def compose(self):  # type: ignore[no-untyped-def]
            yield Header()
            yield DataTable()
            yield Footer()

    async def open_home(trace: bool) -> float:
        if trace:
            tracemalloc.start()
        start = time.perf_counter()
        fresh = Services.open(db, [bundled_dir()])
        app = build_app(fresh)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            elapsed = time.perf_counter() - start
        fresh.close()
        return elapsed

    async def open_bare() -> float:
        start = time.perf_counter()
        async with Bare().run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            return time.perf_counter() - start

    elapsed = median([asyncio.run(open_home(False)) for _ in range(3)])
    bare = median([asyncio.run(open_bare()) for _ in range(3)])
    asyncio.run(open_home(True))  # memory separately: tracing slows everything down
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return [
        Row(f"7 home screen, {interviews} interviews", elapsed * 1000, "ms", bare * 1000, "< 1 s", elapsed < 1.0),
        Row("7 home screen peak memory (Python)", peak / 2**20, "MiB", None, "< 200 MB", peak < 200 * 2**20),
    ]


# --- 8. the assistant -------------------------------------------------------------------------------


def bench_assistant(runs: int) -> list[Row]:
    from tests.benchmarks.assistant import measure

    figures = measure(runs)
    propose, search = figures["propose"]
    load, read = figures["load"]
    return [
        Row("8 proposals for a 2,000-char answer", propose * 1000, "ms", search * 1000, "within a frame (< 16 ms)",
            propose < 0.016, "reference: one re of the alias words"),
        Row("8 load the word lists (uncached)", load * 1000, "ms", read * 1000, "-", True,
            "reference: yaml reading the files"),
    ]


def bench_names(runs: int) -> list[Row]:
    from tests.benchmarks.names import per_key

    rows = []
    for label, (names, other) in per_key(runs).items():
        rows.append(Row(f"9 pii check per key, {label}", names * 1e6, "µs", other * 1e6,
                        "well within a frame (< 1 ms)", names < 0.001, "reference: the kinds without names"))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer runs and smaller sizes")
    parser.add_argument("--only", help="comma-separated benchmark numbers, e.g. 1,2")
    args = parser.parse_args()
    only = set(args.only.split(",")) if args.only else {"1", "2", "3", "4", "5", "6", "7", "8", "9"}
    quick = args.quick
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        if "1" in only:
            rows += bench_cold_start(3 if quick else 7, workdir)
        if "2" in only:
            rows += bench_answer(50 if quick else 300, workdir)
        if "3" in only:
            rows += bench_keys(50 if quick else 200, workdir)
        if "4" in only or "5" in only or "6" in only:
            rows += bench_rendering(10 if quick else 50, workdir, [100, 1000] if quick else [100, 1000, 10000])
        if "7" in only:
            rows += bench_home(workdir, 1000 if quick else 10000)
        if "8" in only:
            rows += bench_assistant(20 if quick else 200)
        if "9" in only:
            rows += bench_names(200 if quick else 2000)
    print(f"klantreis benchmarks · {time.strftime('%Y-%m-%d')} · {os.cpu_count()} cores · Python {sys.version.split()[0]}")
    print(f"{'figure':<40} {'value':>10} {'reference':>10} {'ratio':>6}  {'goal':<26} {'met'}")
    for row in rows:
        reference = f"{row.reference:.2f}" if row.reference is not None else "-"
        print(f"{row.name:<40} {row.value:>8.2f}{row.unit:>2} {reference:>10} {row.ratio():>6}  {row.goal:<26} "
              f"{'yes' if row.ok else 'NO'} {row.note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
