"""First frame: klantreis against a bare Textual app drawing the same home layout with the same rows.

Both run in a pseudo-terminal until the footer is drawn, interleaved A B A B, both with a bytecode cache (each
is started once before the runs that count). The bare app draws the same home layout (panes with their
borders and titles, zebra stripes, the footer's keys: until 2026-12-03 it had none of these) and reads its
rows with plain sqlite3; as klantreis does, it puts the first page of a study's interviews in the table (the rest come as the cursor nears them): both
draw the same rows on screen from the same query work, and neither fills a table of 10,000 rows that nobody
sees (until 2026-12-03 the bare app did, which made its 10,000-interview figure 2.2 s and the ratio look good).
"""

from __future__ import annotations

from pathlib import Path

from tests.benchmarks.common import Row, Terminal, environment, footer_drawn, median, python, resident_peak

BARE_HOME = '''
"""A bare Textual app with klantreis's home layout (the same panes, borders, titles, footer keys and
rows), filled with plain sqlite3."""
import sqlite3
import sys

from textual.app import App
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Header, Input, Static

PAGE = 200  # klantreis_tui.ui.screens.home.PAGE

CSS = """
#panes { height: 1fr; }
.pane { width: 1fr; height: 1fr; border: round $primary-background; border-title-color: $text-accent; }
.pane:focus-within { border: round $accent; }
#studies-pane { width: 2fr; }
#interviews-pane { width: 3fr; }
DataTable { height: 1fr; }
#filter { margin: 0 1; }
.empty { color: $text-muted; padding: 1 2; }
"""


class BareHome(App):
    CSS = CSS
    TITLE = "klantreis"
    BINDINGS = [
        Binding("n", "nothing('n')", "Nieuw onderzoek"),  # one action each: the footer merges a shared one
        Binding("s", "nothing('s')", "Interview"),
        Binding("r", "nothing('r')", "Hervatten"),
        Binding("v", "nothing('v')", "Verslag"),
        Binding("y", "nothing('y')", "Synthese"),
        Binding("slash", "nothing('/')", "Filter"),
        Binding("q", "quit", "Afsluiten"),
    ]

    def action_nothing(self, key):
        pass

    def compose(self):
        yield Header()
        yield Input(placeholder="Filter (respondent, status, vragenlijst)", id="filter")
        with Horizontal(id="panes"):
            with Vertical(id="studies-pane", classes="pane") as pane:
                pane.border_title = "Onderzoeken"
                yield DataTable(id="studies", cursor_type="row", zebra_stripes=True)
                yield Static("Nog geen onderzoeken.", id="studies-empty", classes="empty")
            with Vertical(id="interviews-pane", classes="pane") as pane:
                pane.border_title = "Interviews"
                yield DataTable(id="interviews", cursor_type="row", zebra_stripes=True)
                yield Static("Nog geen interviews.", id="interviews-empty", classes="empty")
        yield Footer()

    def on_mount(self):
        conn = sqlite3.connect(sys.argv[1])
        studies = self.query_one("#studies", DataTable)
        studies.add_columns("Onderzoek", "Interviews")
        rows = conn.execute(
            "SELECT s.id, s.title, (SELECT count(*) FROM interviews i WHERE i.study_id = s.id) "
            "FROM studies s ORDER BY s.created_at DESC, s.title"
        ).fetchall()
        for study_id, title, count in rows:
            studies.add_row(title, str(count), key=study_id)
        studies.display = bool(rows)
        self.query_one("#studies-empty").display = not rows
        interviews = self.query_one("#interviews", DataTable)
        interviews.add_columns("Respondent", "Vragenlijst", "Status", "Datum", "Stappen")
        if rows:
            for code, qs, status, started, steps in conn.execute(
                "SELECT r.code, i.question_set_id, i.status, i.started_at, "
                "(SELECT count(*) FROM steps s WHERE s.interview_id = i.id) "
                "FROM interviews i JOIN respondents r ON r.id = i.respondent_id WHERE i.study_id = ? "
                "ORDER BY i.status != 'bezig', i.started_at DESC LIMIT ?",
                [rows[0][0], PAGE],
            ):
                interviews.add_row(code, qs, status, started[:16].replace("T", " "), str(steps))
            if interviews.row_count < rows[0][2]:
                self.query_one("#interviews-pane").border_subtitle = f"{interviews.row_count} van {rows[0][2]}"
        interviews.display = bool(interviews.row_count)
        self.query_one("#interviews-empty").display = not interviews.row_count
        studies.focus()


BareHome().run()
'''


def make_database(path: Path, interviews: int, studies: int) -> None:
    """A database with ``interviews`` completed interviews in ``studies`` studies (none: an empty database)."""
    from klantreis_tui.question_sets import bundled_dir
    from klantreis_tui.services import Services
    from tests.benchmarks.synthetic import make_bundle

    services = Services.open(path, [bundled_dir()])
    if interviews:
        services.import_bundle(make_bundle(interviews, steps_per_interview=20, seed=7, studies=studies))
    services.close()


def first_frame(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds until the footer is drawn, and the peak resident memory (MiB) at that moment."""
    with Terminal(command, env) as terminal:
        elapsed = terminal.wait_for(footer_drawn())
        return elapsed, resident_peak(terminal.pid)


def bench_start(runs: int, workdir: Path, sizes: list[tuple[int, int]]) -> list[Row]:
    env = environment(workdir)
    bare_dir = workdir / "bare"
    bare_dir.mkdir(exist_ok=True)
    (bare_dir / "bare_home.py").write_text(BARE_HOME, encoding="utf-8")
    bare_env = {**env, "PYTHONPATH": str(bare_dir)}
    rows: list[Row] = []
    for interviews, studies in sizes:
        db = workdir / f"start-{interviews}-{studies}.db"
        make_database(db, interviews, studies)
        ours_command = [python(), "-m", "klantreis_tui", "--db", str(db)]
        bare_command = [python(), "-m", "bare_home", str(db)]
        # once each, not counted: bytecode caches written, the start-up backup of a fresh database made
        first_frame(ours_command, env)
        first_frame(bare_command, bare_env)
        ours, bare, ours_memory, bare_memory = [], [], [], []
        for _ in range(runs):
            elapsed, memory = first_frame(ours_command, env)
            ours.append(elapsed)
            ours_memory.append(memory)
            elapsed, memory = first_frame(bare_command, bare_env)
            bare.append(elapsed)
            bare_memory.append(memory)
        label = "empty database" if not interviews else f"{interviews:,} interviews in {studies} stud{'y' if studies == 1 else 'ies'}"
        value, reference = median(ours) * 1000, median(bare) * 1000
        goal = "ratio <= 1.3" + (", < 1 s" if interviews >= 10000 and studies == 1 else "")
        ok = value / reference <= 1.3 and (value < 1000 or "1 s" not in goal)
        rows.append(Row(f"1 first frame, {label}", value, "ms", reference, goal, ok))
        rows.append(Row(f"1 memory at first frame, {label}", median(ours_memory), "MiB", median(bare_memory),
                        "-", True, "resident, whole process"))
    return rows
