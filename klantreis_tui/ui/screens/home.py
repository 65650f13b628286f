"""The home screen: studies and their interviews, unfinished ones first."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from klantreis_tui.i18n import t
from klantreis_tui.services import Services
from klantreis_tui.storage import InterviewRow


class HomeScreen(Screen[None]):
    """Lists the studies (left) and the interviews of the highlighted study (right)."""

    BINDINGS = [
        Binding("slash", "focus_filter", t("key.filter"), id="home.filter"),
        Binding("q", "app.quit", t("key.quit"), id="app.quit"),
    ]

    def __init__(self, services: Services, lang: str):
        super().__init__()
        self.services = services
        self.lang = lang
        self.study_ids: list[str] = []
        self.current_study: str | None = None
        self.interview_rows: list[InterviewRow] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder=t("home.filter", self.lang), id="filter")
        with Horizontal(id="panes"):
            with Vertical(id="studies-pane", classes="pane") as pane:
                pane.border_title = t("home.studies", self.lang)
                yield DataTable(id="studies", cursor_type="row", zebra_stripes=True)
                yield Static(t("home.empty", self.lang), id="studies-empty", classes="empty")
            with Vertical(id="interviews-pane", classes="pane") as pane:
                pane.border_title = t("home.interviews", self.lang)
                yield DataTable(id="interviews", cursor_type="row", zebra_stripes=True)
                yield Static(t("home.no_interviews", self.lang), id="interviews-empty", classes="empty")
        yield Footer()

    def on_mount(self) -> None:
        studies = self.query_one("#studies", DataTable)
        studies.add_columns(t("home.col.study", self.lang), t("home.col.count", self.lang))
        interviews = self.query_one("#interviews", DataTable)
        interviews.add_columns(
            t("home.col.respondent", self.lang),
            t("home.col.question_set", self.lang),
            t("home.col.status", self.lang),
            t("home.col.date", self.lang),
            t("home.col.steps", self.lang),
        )
        self.refresh_studies()
        studies.focus()

    def refresh_studies(self) -> None:
        table = self.query_one("#studies", DataTable)
        table.clear()
        rows = self.services.list_studies()
        self.study_ids = [row.study.id for row in rows]
        for row in rows:
            table.add_row(row.study.title, str(row.interview_count), key=row.study.id)
        table.display = bool(rows)
        self.query_one("#studies-empty").display = not rows
        self.show_interviews(self.study_ids[0] if self.study_ids else None)

    def show_interviews(self, study_id: str | None) -> None:
        self.current_study = study_id
        self.interview_rows = self.services.list_interviews(study_id) if study_id else []
        self._fill_interviews()

    def _fill_interviews(self) -> None:
        table = self.query_one("#interviews", DataTable)
        table.clear()
        needle = self.query_one("#filter", Input).value.strip().lower()
        shown = 0
        for row in self.interview_rows:
            interview = row.interview
            cells = (
                row.respondent_code,
                interview.question_set_id,
                t(f"status.{interview.status.value}", self.lang),
                interview.started_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                str(row.step_count),
            )
            if needle and not any(needle in cell.lower() for cell in cells[:3]):
                continue
            table.add_row(*cells, key=interview.id)
            shown += 1
        table.display = shown > 0
        self.query_one("#interviews-empty").display = shown == 0

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "studies" and event.row_key.value != self.current_study:
            self.show_interviews(event.row_key.value)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self._fill_interviews()

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()
