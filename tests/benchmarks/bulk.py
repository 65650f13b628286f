"""Summaries, the synthesis, and export and import as whole commands (time and peak resident memory).

Export and import run as the user runs them (``klantreis export -o``, ``klantreis import``), each in a process
of its own; the reference does the same work with plain ``json`` and ``sqlite3`` in a process of its own: read
every table and write one JSON file, flushed to the disk as an export is (``fsync``); read that file and insert
every row into an empty database of the same schema (its indexes too) in one transaction, with the pragmas of
klantreis (WAL, synchronous FULL, foreign keys checked). It checks nothing, redacts nothing and writes compact
JSON. Both sides run with a bytecode cache, as an installed app has one (each command is run once, not counted,
before the runs that count). Memory is the peak resident size of that process; the CPU seconds of both are
noted beside the elapsed time, since a busy machine changes them least.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from tests.benchmarks.common import Row, environment, median, python

PLAIN_EXPORT = '''
import json, os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.row_factory = sqlite3.Row
tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
data = {table: [dict(row) for row in conn.execute(f"SELECT * FROM [{table}]")] for table in tables}
with open(sys.argv[2], "w", encoding="utf-8") as out:
    json.dump(data, out, ensure_ascii=False)
    out.flush()
    os.fsync(out.fileno())
'''

PLAIN_IMPORT = '''
import json, sqlite3, sys
source = sqlite3.connect(sys.argv[3])
schema = [r[0] for r in source.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'")]
conn = sqlite3.connect(sys.argv[2], isolation_level=None)
conn.execute("PRAGMA journal_mode = WAL")
conn.execute("PRAGMA synchronous = FULL")
conn.execute("PRAGMA foreign_keys = ON")
for statement in schema:
    conn.execute(statement)
with open(sys.argv[1], encoding="utf-8") as file:
    data = json.load(file)
conn.execute("BEGIN IMMEDIATE")
for table, rows in data.items():
    if rows:
        columns = list(rows[0])
        conn.executemany(
            f"INSERT OR IGNORE INTO [{table}] ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [[row[c] for c in columns] for row in rows],
        )
conn.execute("COMMIT")
'''


#: the least any strict import must do, in CPU seconds of one fresh process: import pydantic and the bundle's
#: models (what checking a record strictly needs), and validate every record of the file strictly, one call
#: per table (the cheapest form); beside json's reading of the same file (which the plain import does and a
#: strict reading does in its place). The tables' texts are cut out of the file before the clock starts.
CHECK_FLOOR = '''
import json, sys, time
raw = open(sys.argv[1], encoding="utf-8").read()
start = time.process_time()
data = json.loads(raw)
json_cpu = time.process_time() - start
start = time.process_time()
from pydantic import TypeAdapter
from klantreis_tui.models.bundle import TABLE_MODELS
models_cpu = time.process_time() - start
texts = {k: json.dumps(v, ensure_ascii=False) for k, v in data.items() if k in TABLE_MODELS}
del data
adapters = {k: TypeAdapter(list[TABLE_MODELS[k]]) for k in texts}
start = time.process_time()
for table, text in texts.items():
    adapters[table].validate_json(text, strict=True)
check_cpu = time.process_time() - start
print(json_cpu, models_cpu, check_cpu)
'''


MEASURE = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
    "elapsed = time.perf_counter() - start\n"
    "sys.stderr.buffer.write(done.stderr)\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(elapsed, usage.ru_maxrss, done.returncode, usage.ru_utime + usage.ru_stime)\n"
)


def _run(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Seconds, peak resident MiB and CPU seconds of one process run to its end (which must succeed).

    A small parent starts it: a child's peak memory counts from its parent's size at the fork, so the
    benchmark process (which holds the generated studies) must not be that parent. The CPU time is what a
    busy machine changes least (the time waited for a core is not in it).
    """
    result = subprocess.run([python(), "-c", MEASURE, *command], env=env, capture_output=True, text=True)
    elapsed, peak_kib, code, cpu = result.stdout.split()
    if int(code):
        raise RuntimeError(f"{command} failed: {result.stderr}")
    return float(elapsed), int(peak_kib) / 1024, float(cpu)


def bench_summary(runs: int, workdir: Path) -> list[Row]:
    """The interview summary: the first call in a fresh process (imports, templates), then warm calls."""
    from klantreis_tui.question_sets import bundled_dir
    from klantreis_tui.services import Services
    from tests.benchmarks.synthetic import make_bundle

    db = workdir / "render.db"
    services = Services.open(db, [bundled_dir()])
    services.import_bundle(make_bundle(1, steps_per_interview=20, seed=4))
    interview_id = services.select_interviews()[0]
    warm = []
    for _ in range(runs):
        start = time.perf_counter()
        services.interview_summary(interview_id, "md")
        warm.append(time.perf_counter() - start)
    services.close()
    probe = (
        "import sys, time\n"
        "from klantreis_tui.question_sets import bundled_dir\n"
        "from klantreis_tui.services import Services\n"
        "s = Services.open(sys.argv[1], [bundled_dir()])\n"
        "i = s.select_interviews()[0]\n"
        "t = time.perf_counter(); s.interview_summary(i, 'md'); print(time.perf_counter() - t)\n"
    )
    # the app: the first frame drawn, the warm-up that follows it done (the interviewer reads the home
    # screen), then the first summary (what ``v`` asks of the services)
    in_app = (
        "import asyncio, sys, time\n"
        "from klantreis_tui.question_sets import bundled_dir\n"
        "from klantreis_tui.services import Services\n"
        "from klantreis_tui.ui.app import make_app\n"
        "s = Services.open(sys.argv[1], [bundled_dir()])\n"
        "i = s.select_interviews()[0]\n"
        "async def started():\n"
        "    app = make_app(s)\n"
        "    async with app.run_test(size=(100, 30)) as pilot:\n"
        "        for _ in range(2000):  # until the warm-up has run (bounded)\n"
        "            await pilot.pause()\n"
        "            if getattr(s, 'summaries_warm', False):\n"
        "                break\n"
        "asyncio.run(started())\n"
        "t = time.perf_counter(); s.interview_summary(i, 'md'); print(time.perf_counter() - t)\n"
    )
    # what no summary in a fresh process can do without: the template engine with its sandbox (a template is
    # code from outside) and the personal-data check (everything that leaves is redacted), imported alone
    modules = (
        "import sys, time\n"
        "from klantreis_tui.question_sets import bundled_dir\n"
        "from klantreis_tui.services import Services\n"
        "s = Services.open(sys.argv[1], [bundled_dir()])\n"
        "t = time.perf_counter(); import jinja2.sandbox, klantreis_tui.pii; print(time.perf_counter() - t)\n"
    )
    first, first_app, imports = [], [], []
    for _ in range(max(3, runs // 10)):  # interleaved: a fresh process, then the app's process
        result = subprocess.run([python(), "-c", probe, str(db)], capture_output=True, text=True, check=True)
        first.append(float(result.stdout.strip().splitlines()[-1]))
        result = subprocess.run([python(), "-c", modules, str(db)], capture_output=True, text=True, check=True)
        imports.append(float(result.stdout.strip().splitlines()[-1]))
        result = subprocess.run([python(), "-c", in_app, str(db)], capture_output=True, text=True, check=True)
        first_app.append(float(result.stdout.strip().splitlines()[-1]))
    return [
        Row("4 summary, first call in a process (md)", median(first) * 1000, "ms", median(warm) * 1000, "< 20 ms",
            median(first) < 0.020, "reference: a warm call"),
        Row("4 summary: jinja2's sandbox + the pii check, imported", median(imports) * 1000, "ms", None, "-", True,
            "in a fresh process: what its first call cannot do without"),
        Row("4 summary, first call in the app (md)", median(first_app) * 1000, "ms", median(warm) * 1000, "< 20 ms",
            median(first_app) < 0.020, "after the warm-up that follows the first frame"),
    ]


def bench_synthesis(workdir: Path, sizes: list[int]) -> list[Row]:
    from klantreis_tui.question_sets import bundled_dir
    from klantreis_tui.services import Services
    from tests.benchmarks.synthetic import make_bundle

    rows: list[Row] = []
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
            note = f"growth x{(elapsed / previous[1]) / (size / previous[0]):.2f} of linear"
        rows.append(Row(f"5 synthesis, {size:,} interviews", elapsed * 1000, "ms", None,
                        "< 1 s at 1,000; near-linear", elapsed < 1.0 if size == 1000 else True, note))
        previous = (size, elapsed)
        services.close()
    return rows


def bench_exchange(workdir: Path, sizes: list[int]) -> list[Row]:
    from klantreis_tui.question_sets import bundled_dir
    from klantreis_tui.services import Services
    from tests.benchmarks.synthetic import make_bundle

    # with a bytecode cache, as an installed app has (pip compiles what it installs); a shell that sets
    # PYTHONDONTWRITEBYTECODE would otherwise have every module of klantreis compiled in every run
    env = {k: v for k, v in environment(workdir).items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")
    scripts = workdir / "plain"
    scripts.mkdir(exist_ok=True)
    (scripts / "plain_export.py").write_text(PLAIN_EXPORT, encoding="utf-8")
    (scripts / "plain_import.py").write_text(PLAIN_IMPORT, encoding="utf-8")
    (scripts / "check_floor.py").write_text(CHECK_FLOOR, encoding="utf-8")
    rows: list[Row] = []
    for size in [1, *sizes]:  # one interview first: what a command costs before its work grows with the records
        source = workdir / f"exchange{size}.db"
        services = Services.open(source, [bundled_dir()])
        services.import_bundle(make_bundle(size, steps_per_interview=20, seed=6))
        services.close()
        bundle, plain = workdir / f"bundle{size}.json", workdir / f"plain{size}.json"
        if size == 1:  # once each, not counted: the bytecode caches written
            _run([python(), "-m", "klantreis_tui", "--db", str(source), "export", "-o", str(bundle)], env)
            _run([python(), str(scripts / "plain_export.py"), str(source), str(plain)], env)
            warm = workdir / "import-warm.db"
            _run([python(), "-m", "klantreis_tui", "--db", str(warm), "import", str(bundle)], env)
            for leftover in workdir.glob("import-warm.db*"):
                leftover.unlink()
        runs: dict[str, list[tuple[float, float, float]]] = {"oe": [], "ok": [], "pe": [], "oi": [], "pi": []}
        kept = workdir / f"kept{size}.json"
        for attempt in range(5 if size == 1 else 3):  # interleaved: ours, plain, ours, plain
            runs["oe"].append(_run([python(), "-m", "klantreis_tui", "--db", str(source), "export", "-o", str(bundle)], env))
            runs["pe"].append(_run([python(), str(scripts / "plain_export.py"), str(source), str(plain)], env))
            if size > 1:  # what redacting costs: the same export with the residents' words as they are
                runs["ok"].append(_run([python(), "-m", "klantreis_tui", "--db", str(source), "export", "-o", str(kept),
                                        "--keep-personal-data"], env))
            target, plain_target = workdir / f"import{size}-{attempt}.db", workdir / f"plain-import{size}-{attempt}.db"
            runs["oi"].append(_run([python(), "-m", "klantreis_tui", "--db", str(target), "import", str(bundle)], env))
            runs["pi"].append(_run([python(), str(scripts / "plain_import.py"), str(plain), str(plain_target), str(source)],
                                   env))
            target.unlink(), plain_target.unlink()

        def middle(kind: str) -> tuple[float, float, float]:
            return (median([r[0] for r in runs[kind]]), max(r[1] for r in runs[kind]),
                    median([r[2] for r in runs[kind]]))

        ours_export, plain_export, ours_import, plain_import = (middle(k) for k in ("oe", "pe", "oi", "pi"))
        if size == 1:
            fixed = {"export": (ours_export, plain_export), "import": (ours_import, plain_import)}
            for name, (ours, reference) in fixed.items():
                rows.append(Row(f"6 {name} command, 1 interview", ours[0] * 1000, "ms", reference[0] * 1000, "-", True,
                                f"what a command costs before its work: CPU {ours[2]:.2f} s vs {reference[2]:.2f}"))
            continue
        for name, ours, reference in (("export", ours_export, plain_export), ("import", ours_import, plain_import)):
            rows.append(Row(f"6 {name} command, {size:,} interviews", ours[0] * 1000, "ms", reference[0] * 1000,
                            "ratio <= 1.2", ours[0] / reference[0] <= 1.2,
                            f"median of {len(runs['oe'])}; CPU {ours[2]:.2f} s vs {reference[2]:.2f} "
                            f"({ours[2] / reference[2]:.2f})"))
            rows.append(Row(f"6 {name} peak memory, {size:,} interviews", ours[1], "MiB", reference[1],
                            "< 400 MB", ours[1] < 400))
            if name == "export":  # the least an export with a command's start costs against plain's whole
                least = reference[2] + fixed["export"][0][2] - fixed["export"][1][2]
                rows.append(Row(f"6 export: plain + klantreis's start, {size:,}", least * 1000, "ms CPU",
                                reference[2] * 1000, "-", True,
                                "plain's CPU with klantreis's start in place of its own (from the 1-interview runs)"))
                unredacted = middle("ok")
                rows.append(Row(f"6 export --keep-personal-data, {size:,}", unredacted[2] * 1000, "ms CPU",
                                reference[2] * 1000, "-", True,
                                f"the same export without redaction: redacting costs {ours[2] - unredacted[2]:.2f} s CPU"))
        result = subprocess.run([python(), str(scripts / "check_floor.py"), str(bundle)], env=env,
                                capture_output=True, text=True, check=True)
        json_cpu, models_cpu, check_cpu = (float(x) for x in result.stdout.split())
        least = plain_import[2] - json_cpu + models_cpu + check_cpu
        rows.append(Row(f"6 import: plain + the strict check, {size:,}", least * 1000, "ms CPU", plain_import[2] * 1000,
                        "-", True, f"plain's CPU with json's reading ({json_cpu:.2f} s) replaced by the models' import "
                        f"({models_cpu:.2f} s) and one strict validation of every record ({check_cpu:.2f} s)"))
    return rows


def bench_app_synthesis(workdir: Path, interviews: int) -> list[Row]:
    """From opening the synthesis of ``interviews`` interviews in the app until its text is shown, and how long
    Esc takes to close the screen while the synthesis is still being built."""
    import asyncio

    from textual import events
    from textual.worker import WorkerCancelled

    from klantreis_tui.question_sets import bundled_dir
    from klantreis_tui.services import Services
    from klantreis_tui.ui.app import make_app
    from klantreis_tui.ui.screens.summary import SummaryScreen
    from klantreis_tui.ui.widgets.markdown_view import MarkdownView
    from tests.benchmarks.synthetic import make_bundle

    services = Services.open(workdir / "app-synth.db", [bundled_dir()])
    services.import_bundle(make_bundle(interviews, steps_per_interview=20, seed=9))
    ids = services.select_interviews()

    async def until(condition, limit: float = 120.0) -> None:  # type: ignore[no-untyped-def]
        # polled, not Pilot.pause(): pause waits until the process is idle, which it is not while the worker
        # builds the synthesis on its thread (each pause would then wait a full second)
        deadline = time.perf_counter() + limit
        while not condition() and time.perf_counter() < deadline:
            await asyncio.sleep(0.01)

    async def shown() -> tuple[float, float]:
        app = make_app(services)
        async with app.run_test(size=(100, 30)) as pilot:
            # what the app does after its first frame (the warm-up, the study's saturation) is done before the
            # interviewer presses y, as it is when someone reads the home screen first
            await pilot.pause(0.5)
            await app.workers.wait_for_complete()
            start = time.perf_counter()
            app.open_summary(ids, study=True)
            await until(lambda: isinstance(app.screen, SummaryScreen)
                        and any(view.document.height for view in app.screen.query(MarkdownView)))
            await pilot.pause(0)  # the frame with the text drawn
            to_text = time.perf_counter() - start
            assert app.screen.query_one(MarkdownView).document.height
            # the first screens are shown while the rest is read: until the whole text is in the view
            await until(lambda: not any(w.group == "synthesis" and not w.is_finished for w in app.workers))
            await pilot.pause(0)
            to_whole = time.perf_counter() - start
            whole = app.screen.query_one(MarkdownView).source
            await pilot.press("escape")
            app.open_summary(ids, study=True)
            await pilot.pause(0.05)
            assert app.workers  # still building
            start = time.perf_counter()
            # the key as the terminal driver hands it over: Pilot.press would wait for an idle process, up to
            # a second, which it is not while the worker builds the synthesis
            key = events.Key("escape", None)
            key.set_sender(app)
            app._driver.send_message(key)
            await until(lambda: not isinstance(app.screen, SummaryScreen), 10.0)
            await pilot.pause(0)
            to_close = time.perf_counter() - start
            assert not isinstance(app.screen, SummaryScreen)
            try:
                await app.workers.wait_for_complete()
            except WorkerCancelled:  # the synthesis Esc cancelled
                pass
        return to_text, to_whole, whole, to_close

    to_text, to_whole, whole, to_close = asyncio.run(shown())
    start = time.perf_counter()  # the reference: the same text built without the app, after it (warm)
    text = services.summary_text_apart(ids, synthesis=True)
    alone = time.perf_counter() - start
    assert whole == text, "the view holds the whole synthesis in the end"
    services.close()
    return [
        Row(f"10 synthesis shown in the app, {interviews:,}", to_text * 1000, "ms", alone * 1000, "< 2 s",
            to_text < 2.0, "reference: the text alone, warm"),
        Row(f"10 whole synthesis in the view, {interviews:,}", to_whole * 1000, "ms", alone * 1000, "-", True,
            "the rest read while the first screens show"),
        Row("10 Esc while the synthesis is built", to_close * 1000, "ms", None, "< 100 ms", to_close < 0.1),
    ]
