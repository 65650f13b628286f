"""The home screen: studies and their interviews, unfinished ones first."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Header, Input, Static

from klantreis_tui.errors import StorageError
from klantreis_tui.i18n import current_language, keyed, t, tn
from klantreis_tui.services.home_rows import HomeRows, InterviewLine, short_id
from klantreis_tui.services.home_rows import expired as study_expired
from klantreis_tui.ui.keys import N_, word_bindings
from klantreis_tui.ui.messages import OpenAnalysis, OpenInterview, OpenPersonas, OpenPlan, OpenSummary, OpenSynthesis
from klantreis_tui.safetext import visible
from klantreis_tui.ui.screens.home_kits import StudyKitKeys
from klantreis_tui.ui.screens.home_saturation import SaturationLine
from klantreis_tui.ui.widgets.footer import StableFooter

if TYPE_CHECKING:
    from klantreis_tui.services import Services


def forms(module: str = "forms"):  # type: ignore[no-untyped-def]
    """A module of form dialogs, imported when its first form opens: the first frame does not need them."""
    import importlib

    return importlib.import_module(f"klantreis_tui.ui.dialogs.{module}")


#: interview rows added to the table at a time
PAGE = 200


class HomeScreen(StudyKitKeys, SaturationLine):
    """Lists the studies (left) and the interviews of the highlighted study (right).

    Drawn from ``home`` (light rows over the database's connection); everything else goes through the app's
    services, which are loaded after the first frame (or when first needed, whichever comes first)."""

    BINDINGS = [
        Binding("n", "new_study", N_('New study'), id=N_('New study')),
        Binding("e", "edit_study", N_('Edit study'), id="home.edit_study", show=False),
        Binding("s", "start_interview", N_('Interview'), id="home.start_interview"),
        Binding("r", "resume", N_('Resume'), id=N_('Resume')),
        Binding("v", "summary", N_('Summary'), id="home.summary"),
        Binding("y", "synthesis", N_('Synthesis'), id="home.synthesis"),
        Binding("t", "analysis", N_('Themes'), id="home.analysis", show=False),
        Binding("p", "personas", N_("Persona's"), id="home.personas", show=False),
        Binding("a", "plan", N_('Improvement plan'), id="home.plan", show=False),
        # priority: acted on as it is read, before the keys typed after it are handed on ("/r12" in one go)
        Binding("slash", "focus_filter", N_('Filter'), id=N_('Filter (respondent, status, question set)'), priority=True),
        Binding("k", "identity", N_('Key (name, contact)'), id=N_('Key (name, contact)'), show=False),
        Binding("ctrl+d", "forget", N_('Forget respondent'), id=N_('Forget respondent'), show=False),
        Binding("q", "app.quit", N_('Quit'), id="app.quit"),
        Binding("f1", "app.help", N_('Help'), id="home.help"),
    ]

    def __init__(self, home: HomeRows):
        lang = current_language()
        super().__init__()
        self.home = home
        self.lang = lang
        word_bindings(self)
        self.study_ids: list[str] = []
        self.current_study: str | None = None
        self.interview_rows: list[InterviewLine] = []
        #: the rows that pass the filter, with their first cells
        self._matching: list[tuple[tuple[str, ...], InterviewLine]] = []
        #: how many interviews each study has (as listed with the studies)
        self._counts: dict[str, int] = {}
        #: the study whose first page only is read (before the first frame); the rest is read after it
        self._partial: str | None = None
        #: interviews another window has open (read with the rows)
        self.busy: dict[str, Any] = {}
        #: the warning about studies past their retention date is given once (again after an edit)
        self._expired_noted = False

    @property
    def services(self) -> Services:
        """The app's services (loaded on first use if the warm-up after the first frame has not yet)."""
        return self.app.services  # type: ignore[attr-defined,no-any-return]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder=t('Filter (respondent, status, question set)'), id="filter")
        with Horizontal(id="panes"):
            with Vertical(id="studies-pane", classes="pane") as pane:
                pane.border_title = t('Studies')
                yield DataTable(id="studies", cursor_type="row", zebra_stripes=True)
                yield Static(t('No studies yet. Press n to create a study.'), id="studies-empty", classes="empty")
            with Vertical(id="interviews-pane", classes="pane") as pane:
                pane.border_title = t('Interviews')
                yield DataTable(id="interviews", cursor_type="row", zebra_stripes=True)
                yield Static(t('No interviews in this study yet.'), id="interviews-empty", classes="empty")
        yield StableFooter()

    def on_mount(self) -> None:
        studies = self.query_one("#studies", DataTable)
        studies.add_columns(t('Study'), t('Interviews'))
        interviews = self.query_one("#interviews", DataTable)
        interviews.add_columns(
            t('Respondent'),
            t('Question set'),
            t('Status'),
            t('Date'),
            t('Steps'),
        )
        self.refresh_studies(first_page_only=True)
        studies.focus()
        self._data_version = self.home.data_version()
        self.set_interval(2, self.follow_other_windows)

    def follow_other_windows(self) -> None:
        """Another window (or command) changed the database: show it, keeping the cursor where it is."""
        try:
            version = self.home.data_version()
        except StorageError:
            return
        if version != self._data_version and self.app.screen is self:
            self._data_version = version
            self.refresh_studies()

    def refresh_studies(self, select: str | None = None, first_page_only: bool = False) -> None:
        """``first_page_only``: of the study shown, read only the rows of the table's first page (the first
        frame: a study of 10,000 is read whole after it, by ``read_every_row``)."""
        table = self.query_one("#studies", DataTable)
        keep = select or self.current_study
        table.clear()
        rows = self.home.studies()
        self.study_ids = [row.id for row in rows]
        self._counts = {row.id: row.interview_count for row in rows}
        titles = Counter(row.title for row in rows)
        expired = {row.id for row in rows if study_expired(row)}
        for row in rows:
            title = visible(row.title)
            if titles[row.title] > 1:  # two studies of one title: their short ids tell them apart
                title = f"{title} ({short_id(row.id)})"
            if row.id in expired:
                title = f"{title}  {t('⚠ retention date passed')}"
            table.add_row(title, str(row.interview_count), key=row.id)
        if expired and not self._expired_noted:
            self._expired_noted = True
            self.notify(tn('⚠ {n} study past the retention date: delete it with klantreis purge --expired.', '⚠ {n} studies past the retention date: delete them with klantreis purge --expired.', len(expired)), severity="warning", timeout=10)
        table.display = bool(rows)
        self.query_one("#studies-empty").display = not rows
        if keep in self.study_ids:
            table.move_cursor(row=self.study_ids.index(keep))
        self.show_interviews(keep if keep in self.study_ids else (self.study_ids[0] if self.study_ids else None),
                             first_page_only)

    def show_interviews(self, study_id: str | None, first_page_only: bool = False) -> None:
        self.current_study = study_id
        self._partial = None
        if study_id is None:
            self.interview_rows = []
        elif first_page_only and self._counts.get(study_id, 0) > PAGE:
            self.interview_rows = self.home.interviews(study_id, limit=PAGE)
            self._partial = study_id
        else:
            self.interview_rows = self.home.interviews(study_id)
        self.request_saturation()
        try:  # read with the rows, not on every key typed in the filter
            self.busy = self.home.busy_interviews()
        except StorageError:
            self.busy = {}
        self._fill_interviews()

    def read_every_row(self) -> bool:
        """Read the rest of the study whose first page only was read (after the first frame, or as soon as
        the filter, the paging or an action needs every row); the rows on screen stay as they are unless
        they changed meanwhile (another window). Returns whether the table was listed anew."""
        study_id, self._partial = self._partial, None
        if study_id is None or study_id != self.current_study:
            return False
        shown = self.interview_rows
        rows = self.home.interviews(study_id)
        self.interview_rows = rows
        if rows[: len(shown)] == shown and not self._needle():
            self._matching += self._matches(rows[len(shown) :], "")
            self.update_interviews_subtitle()
            return False
        self._fill_interviews()
        return True

    def _needle(self) -> str:
        return self.query_one("#filter", Input).value.strip().lower()

    def _matches(self, rows: list[InterviewLine], needle: str) -> list[tuple[tuple[str, ...], InterviewLine]]:
        """The rows that pass the filter ``needle``, with their first cells."""
        matching = []
        statuses: dict[str, str] = {}  # each status worded once, not once per row
        in_use = t('in use')
        for row in rows:
            status = statuses.get(row.status) or statuses.setdefault(row.status, t(keyed(f"status.{row.status}")))
            if row.id in self.busy:
                status = f"{status} · {in_use}"
            cells = (row.respondent_code, row.question_set_id, status)
            if needle and not any(needle in cell.lower() for cell in cells):
                continue
            matching.append((cells, row))
        return matching

    def _fill_interviews(self) -> None:
        """The interviews that pass the filter; the table gets them a page at a time (a study of 10,000 is
        on screen as fast as one of 100), the next page when the cursor comes near the end of the last."""
        table = self.query_one("#interviews", DataTable)
        table.clear()
        self._matching = self._matches(self.interview_rows, self._needle())
        self._add_page()
        table.display = bool(self._matching)
        self.query_one("#interviews-empty").display = not self._matching

    def _add_page(self, everything: bool = False) -> None:
        table = self.query_one("#interviews", DataTable)
        end = len(self._matching) if everything else table.row_count + PAGE
        page = self._matching[table.row_count:end]
        steps = self.home.step_counts([row.id for _, row in page])  # for the rows shown, not the whole study
        for cells, row in page:
            started = row.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
            table.add_row(*cells, started, str(steps.get(row.id, 0)), key=row.id)
        self.update_interviews_subtitle()

    def update_interviews_subtitle(self) -> None:
        """How many rows are shown of how many (while pages are still to come), and the study's saturation."""
        table = self.query_one("#interviews", DataTable)
        total = self._counts.get(self._partial, 0) if self._partial else len(self._matching)
        paging = "" if table.row_count >= total else t('{shown} of {total}', shown=table.row_count, total=total)
        note = visible(self.saturation_text(), multiline=False)
        self.query_one("#interviews-pane").border_subtitle = " · ".join(p for p in (paging, note) if p)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        table = event.data_table
        if table.id == "interviews" and self._partial and event.cursor_row >= table.row_count - PAGE // 4:
            if self.read_every_row():  # the next page (or the end) is wanted before the rest was read
                return  # listed anew (changed meanwhile): from the top, as after another window's change
        if table.id == "interviews" and table.row_count < len(self._matching):
            if event.cursor_row == table.row_count - 1:  # a jump to the end (End): to the real end
                self._add_page(everything=True)
                table.move_cursor(row=table.row_count - 1)
            elif event.cursor_row >= table.row_count - PAGE // 4:
                self._add_page()
        if event.data_table.id == "studies" and event.row_key.value != self.current_study:
            self.show_interviews(event.row_key.value)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "studies":
            self.query_one("#interviews", DataTable).focus()
        elif event.row_key.value:
            self.post_message(OpenInterview(event.row_key.value))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter" and not self.read_every_row():
            self._fill_interviews()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter":
            self.query_one("#interviews", DataTable).focus()

    def action_focus_filter(self) -> None:
        """To the filter at once (``focus()`` would wait for the keys already read, which would go to the list,
        where "r" is Resume): "/r12" typed in one go puts all of "r12" in the filter. A "/" typed in the filter
        is a character of it."""
        filter_input = self.query_one("#filter", Input)
        if self.focused is filter_input:
            filter_input.insert_text_at_cursor("/")
        else:
            self.set_focus(filter_input)

    def action_new_study(self) -> None:
        made: list[Any] = []

        def created(values: dict[str, Any] | None) -> None:
            if made:
                self.refresh_studies(select=made[0].id)

        # committed before the form closes: a refused save keeps the form open with what was typed
        self.app.push_screen(forms().StudyForm(apply=lambda values: made.append(self.services.create_study(**values))), created)

    def action_edit_study(self) -> None:
        """Change the start document of the highlighted study, its retention date included."""
        if self.current_study is None:
            self.notify(t('Create a study first (n).'), severity="warning")
            return
        study = self.services.study(self.current_study)
        values = study.model_dump(include=set(forms().StudyForm.FIELDS))

        def edited(result: dict[str, Any] | None) -> None:
            if result is None:
                return
            self._expired_noted = False
            self.refresh_studies(select=study.id)

        apply = lambda result: self.services.update_study(study.model_copy(update=result))  # noqa: E731
        self.app.push_screen(forms().StudyForm(values, apply=apply), edited)

    def action_start_interview(self) -> None:
        if self.current_study is None:
            self.notify(t('Create a study first (n).'), severity="warning")
            return
        sets = [(f"{qs.title.get(self.lang)} ({qs.id})", qs.id) for qs in self.services.question_sets()]
        if not sets:
            self.notify(t('No valid question sets found.'), severity="error")
            return
        study_id = self.current_study
        study = self.services.study(study_id)

        code = self.services.next_respondent_code(study_id)
        started: list[Any] = []

        def start(values: dict[str, Any]) -> None:
            # the proposed code, if not changed, is only a proposal: another window may have taken it meanwhile
            started.append(self.services.start_interview(study_id, **values, code_proposed=values["respondent_code"] == code))

        def chosen(values: dict[str, Any] | None) -> None:
            if not started:
                return
            interview = started[0]
            given = self.services.respondent(interview.respondent_id).code
            if values and given != values["respondent_code"]:
                self.notify(t('Code {code} was taken meanwhile (another window); this respondent is {given}.', code=code, given=given), timeout=10)
            self.refresh_studies(select=study_id)
            self.post_message(OpenInterview(interview.id))

        self.app.push_screen(forms().StartInterviewForm(
            study.title, sets, code, lambda typed: self.services.respondent_code_problem(study_id, typed), apply=start
        ), chosen)

    def highlighted_interview(self) -> str | None:
        table = self.query_one("#interviews", DataTable)
        if not table.display or table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def action_summary(self) -> None:
        interview_id = self.highlighted_interview()
        if interview_id is None:
            self.notify(t('Choose an interview first.'), severity="warning")
            return
        self.post_message(OpenSummary(interview_id))

    def action_synthesis(self) -> None:
        if self.current_study is None:
            self.notify(t('Create a study first (n).'), severity="warning")
            return
        ids = self.services.select_interviews(study=self.current_study)
        if not ids:
            self.notify(t('No interviews in this study yet.'), severity="warning")
            return
        self.post_message(OpenSynthesis(ids))

    def action_analysis(self) -> None:
        """The analysis screen of the highlighted study: its pain points, ideas and quotes grouped into themes."""
        if self.current_study is None:
            self.notify(t('Create a study first (n).'), severity="warning")
            return
        self.post_message(OpenAnalysis(self.current_study))

    def action_personas(self) -> None:
        """The persona screen of the highlighted study: its persona's with their current and desired heartbeat."""
        if self.current_study is None:
            self.notify(t('Create a study first (n).'), severity="warning")
            return
        self.post_message(OpenPersonas(self.current_study))
    def action_plan(self) -> None:
        """The improvement plan of the highlighted study: actions drawn from its ideas and themes."""
        if self.current_study is None:
            self.notify(t('Create a study first (n).'), severity="warning")
            return
        self.post_message(OpenPlan(self.current_study))

    def action_resume(self) -> None:
        """Open the most recent unfinished interview: of the highlighted study, else of any study."""
        self.read_every_row()
        candidates = [r for r in self.interview_rows if r.unfinished]
        if not candidates:  # the most recent of every study's
            everywhere = (r for study in self.home.studies() for r in self.home.interviews(study.id) if r.unfinished)
            latest = max(everywhere, key=lambda r: r.started_at, default=None)
            candidates = [latest] if latest is not None else []
        if not candidates:
            self.notify(t('No unfinished interview to resume.'))
            return
        self.post_message(OpenInterview(candidates[0].id))

    def _highlighted_row(self) -> InterviewLine | None:
        interview_id = self.highlighted_interview()
        self.read_every_row()
        return next((r for r in self.interview_rows if r.id == interview_id), None)

    def action_identity(self) -> None:
        """Show (and edit) the key-table entry of the highlighted interview's respondent: only on request."""
        row = self._highlighted_row()
        if row is None:
            self.notify(t('Choose an interview first.'), severity="warning")
            return
        respondent_id = row.respondent_id
        identity = self.services.identity(respondent_id)
        values = identity.model_dump(include={"name", "contact", "note"}) if identity else {}

        kept: list[Any] = []

        def saved(result: dict[str, Any] | None) -> None:
            if kept:
                self.notify(t('Key saved.' if kept[0] else 'Key removed.'))

        apply = lambda result: kept.append(self.services.set_identity(respondent_id, **result))  # noqa: E731
        self.app.push_screen(forms().IdentityForm(row.respondent_code, values, apply=apply), saved)

    def action_forget(self) -> None:
        """Forget the respondent of the highlighted interview, after the code is typed as confirmation."""
        row = self._highlighted_row()
        if row is None:
            self.notify(t('Choose an interview first.'), severity="warning")
            return
        from klantreis_tui.services import OpenElsewhere

        respondent_id, code = row.respondent_id, row.respondent_code
        try:
            self.services.refuse_if_open([respondent_id])  # before asking anything
        except OpenElsewhere as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return
        what = self.services.forget_summary(respondent_id)

        def confirmed(result: dict[str, Any] | None) -> None:
            if result is None:
                return
            try:
                report = self.services.forget_respondent(respondent_id)
            except (StorageError, OpenElsewhere) as exc:
                self.notify(str(exc), severity="error", timeout=10)
                return
            self.notify(t('Respondent {code} is forgotten.', code=code) + " " + t('Exports and summaries made earlier (for example in the klantreis folder among your documents) are not touched: delete those yourself.'), timeout=10)
            for path, error in report.backups_failed:
                self.notify(t('WARNING: not deleted from backup {path}: {error} Delete that file yourself.', path=path, error=error), severity="error", timeout=15)
            if not report.log_emptied:
                self.notify(t('WARNING: another klantreis window has the database open; its log file ({path}-wal) may hold old data until that window closes.', path=self.services.database_path()), severity="warning")
            self.refresh_studies()

        self.app.push_screen(forms().ForgetForm(code, what), confirmed)
