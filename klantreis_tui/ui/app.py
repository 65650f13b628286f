"""The Textual app and its factory; the CLI and the tests build it the same way."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

from klantreis_tui.i18n import current_language, library_text, t
from klantreis_tui.safetext import visible
from klantreis_tui.services.home_rows import HomeRows
from klantreis_tui.services.opening import Opening
from klantreis_tui.ui.dialogs.help import HelpScreen
from klantreis_tui.ui.dialogs.synced import SyncedFolderScreen
from klantreis_tui.ui.keys import N_, word_bindings
from klantreis_tui.ui.messages import OpenAnalysis, OpenInterview, OpenPersonas, OpenPlan, OpenSummary, OpenSynthesis
from klantreis_tui.ui.screens.home import HomeScreen
from klantreis_tui.ui.widgets.footer import StableFooter

if TYPE_CHECKING:
    from klantreis_tui.services import Services, SyncWarning

Clock = Callable[[], datetime]

#: Textual's own command-palette entries, by their help text: the message keys of their title and help
TEXTUAL_COMMANDS: dict[str, tuple[str, str]] = {
    "Change the current theme": (N_('Theme'), N_('Change the current theme')),
    "Quit the application as soon as possible": (N_('Quit'), N_('Quit the application as soon as possible')),
    "Show help for the focused widget and a summary of available keys": (N_('Keys'), N_('Show help for the focused widget and a summary of available keys')),
    "Hide the keys and widget help panel": (N_('Keys'), N_('Hide the keys and widget help panel')),
    "Maximize the focused widget": (N_('Maximize'), N_('Maximize the focused widget')),
    "Minimize the widget and restore to normal size": (N_('Minimize'), N_('Minimize the widget and restore to normal size')),
    "Save an SVG 'screenshot' of the current screen": (N_('Screenshot'), N_("Save an SVG 'screenshot' of the current screen")),
}


def system_clock() -> datetime:
    return datetime.now(timezone.utc)


class KlantreisApp(App[int]):
    """klantreis: the interviewer's terminal app."""

    CSS_PATH = "app.tcss"
    TITLE = "klantreis"
    BINDINGS = [Binding("f1,question_mark", "help", N_('Help'), id="app.help", show=False)]

    def __init__(
        self,
        services: Services | Opening,
        keymap: dict[str, str] | None = None,
        clock: Clock = system_clock,
        config_path: str = "",
        export_dir: Path | None = None,
    ):
        lang = current_language()
        super().__init__()
        word_bindings(self)
        self.export_dir = export_dir or Path.cwd() / "klantreis-export"
        #: the services, or the opened database they are made over once the first frame is drawn
        self._services: Services | None = None if isinstance(services, Opening) else services
        self._opening = services if isinstance(services, Opening) else None
        if self._opening is not None:
            self._opening.ready = self._services_made
        self.lang = lang
        self.clock = clock
        self.config_path = config_path
        #: messages from before the app ran, shown once it is on screen
        self.notices: list[str] = []
        #: make the session's backup once the first frame is drawn (the command line's app; tests: off)
        self.backup_at_start = False
        self.backup_thread: Any = None
        #: the work that follows the first frame has begun
        self.past_first_frame = False
        #: klantreis's places that lie in a synced folder (OneDrive, Dropbox, ...), asked about at start
        self.synced: list[SyncWarning] = []
        self.synced_acknowledgements: Path | None = None
        #: a first start on an empty database offers the practice study (the command line asks for it)
        self.offer_practice = False
        if keymap:
            self.set_keymap(keymap)

    @property
    def services(self) -> Services:
        """The services; over an opened database they are made here on first use (the warm-up after the first
        frame does that, or the first key that needs them, whichever comes first)."""
        if self._opening is not None:
            return self._opening.services()
        assert self._services is not None
        return self._services

    @property
    def services_made(self) -> bool:
        """Whether the services exist (over an opened database: made after the first frame)."""
        return self._opening is None or self._opening.loaded

    @property
    def home_rows(self) -> HomeRows:
        """What the home screen lists, readable before the services are made."""
        if self._opening is not None:
            return self._opening.home
        return self.services.home_rows()

    def _services_made(self, services: Services) -> None:
        """The services over the opened database were just made, before anyone uses them: the session's
        backup starts now, so that the first write waits for it."""
        if self.backup_at_start:
            self._start_up_backup(services)

    def notify(self, message: str, *, title: str = "", **options: Any) -> None:  # type: ignore[override]
        """Every notification through the one text rule: messages quote titles, codes and errors from outside."""
        super().notify(visible(message), title=visible(title, multiline=False), **options)

    def _fatal_error(self) -> None:
        """An unexpected error: say what it means for the data, and show the traceback without the values of
        local variables (Textual shows them by default; they may hold a respondent's answers)."""
        from rich.console import Group
        from rich.segment import Segments
        from rich.text import Text
        from rich.traceback import Traceback

        self.bell()
        report = Group(Traceback(show_locals=False, width=None), Text(t('klantreis stopped on an unexpected error (above). Everything shown as saved (✓) is in the database: start klantreis again and resume the interview with r.'), style="bold red"))
        self._exit_renderables.append(Segments(self.console.render(report, self.console.options)))
        self._close_messages_no_wait()

    def get_default_screen(self) -> HomeScreen:
        return HomeScreen(self.home_rows)

    def on_mount(self) -> None:
        self.title = t('klantreis')
        for notice in self.notices:
            self.notify(notice, severity="error", timeout=20)
        self._ask_about_synced_folders()
        # what the first frame does not need comes after it: the services (over an opened database), the
        # session's backup, the question sets and the modules of the next screens, on threads of their own.
        # The first frame ends with the home screen's footer: its keys are composed once the screen's bindings
        # are known, a refresh or two after this one, and a thread loading modules would hold them back.
        self.call_after_refresh(self._after_the_footer)

    #: the longest the work after the first frame waits for the home screen's footer (a dialog on top of it)
    FOOTER_WAIT = 1.0
    #: and how long after the footer: the frame is still on its way to the terminal (the writer thread and
    #: the terminal itself want the CPU; a thread importing modules holds Python's lock and a busy core).
    #: A key that needs the services meanwhile makes them at once.
    SETTLE = 0.2

    def _after_the_footer(self) -> None:
        started: list[bool] = []

        def once() -> None:
            if not started:
                started.append(True)
                self._after_first_frame()

        footers = self.screen_stack[0].query(StableFooter) if self.screen_stack else []
        if not footers:
            once()
            return
        footers.first().when_drawn(lambda: self.set_timer(self.SETTLE, once))
        self.set_timer(self.FOOTER_WAIT, once)

    def _after_first_frame(self) -> None:
        self.past_first_frame = True
        home = self.screen_stack[0] if self.screen_stack else None
        if isinstance(home, HomeScreen):  # a large study's rows beyond the first page (for the filter)
            home.read_every_row()
        if self._services is not None and self.backup_at_start:
            self._start_up_backup(self._services)
        self.run_worker(self._warm_up, thread=True, group="warm-up")

    def _warm_up(self) -> None:
        """Load, while the interviewer reads the home screen, what the next screens need."""
        if self._opening is not None and not self._opening.loaded:
            self._opening.load()  # the modules, here; the services are made on the event loop's thread
            try:
                self.call_from_thread(lambda: self.services)
            except RuntimeError:  # the app has ended meanwhile
                return
        problems = [str(problem) for problem in self.services.catalog.problems]
        if problems:
            self.call_from_thread(self._question_set_problems, problems)
        import klantreis_tui.ui.dialogs.forms  # noqa: F401
        import klantreis_tui.ui.screens.interview  # noqa: F401

        self.services.warm_up()
        import klantreis_tui.ui.screens.summary  # noqa: F401  (and the Markdown widget's parser)

        self.services.warm_up_summaries()

    def _question_set_problems(self, problems: list[str]) -> None:
        for problem in problems:
            self.notify(problem, severity="warning", timeout=10)

    def _start_up_backup(self, services: Services) -> None:
        if self.backup_thread is not None:
            return

        def done(error: Exception | None) -> None:
            if error is not None:
                try:
                    self.call_from_thread(self._backup_failed, error)
                except RuntimeError:  # the app has ended meanwhile
                    pass

        self.backup_thread = services.start_up_backup(done)

    def _backup_failed(self, error: Exception) -> None:
        self.notify(t('WARNING: no backup could be made: {error}', error=error), severity="error", timeout=20)

    def _ask_about_synced_folders(self) -> None:
        """One dialog per place in a synced folder, until the user acknowledges it or chooses to be reminded."""
        if not self.synced:
            return
        warning = self.synced.pop(0)

        def answered(acknowledged: bool | None) -> None:
            if acknowledged:
                from klantreis_tui.services import acknowledge_synced_folder

                try:
                    acknowledge_synced_folder(warning, self.synced_acknowledgements)
                except OSError as exc:
                    self.notify(t('Could not note the acknowledgement ({error}); the warning will come again.', error=exc.strerror or exc), severity="error")
                else:
                    self.notify(t('Noted: no more warnings about the synced folder {folder}.', folder=warning.folder))
            self._ask_about_synced_folders()

        self.push_screen(SyncedFolderScreen(warning), answered)

    def open_interview(self, interview_id: str) -> None:
        """Open an interview, unless another app instance has it open."""
        from klantreis_tui.errors import StorageError

        interview = self.services.interview(interview_id)
        if interview.question_set_id not in self.services.catalog.sets:
            self.notify(
                t("This interview uses question set '{set_id}' (version {version}), which is not on this laptop. Put its file in the question-set folder; summary and export do work.", set_id=interview.question_set_id, version=interview.question_set_version),
                severity="error", timeout=10,
            )
            return
        try:
            busy = self.services.claim_interview(interview_id)
        except StorageError as exc:
            self.notify(str(exc), severity="error")
            return
        if busy is not None:
            self.notify(t('This interview is open in another klantreis window (on {host}, process {pid}). Close it there first.', host=busy.host, pid=busy.pid), severity="error", timeout=8)
            return

        def back(_: None) -> None:
            if isinstance(self.screen, HomeScreen):
                self.screen.refresh_studies()

        from klantreis_tui.ui.screens.interview import InterviewScreen  # not needed for the first frame

        self.push_screen(InterviewScreen(self.services, interview_id), back)

    def open_summary(self, interview_ids: list[str], study: bool) -> None:
        from klantreis_tui.ui.screens.summary import SummaryScreen

        self.push_screen(SummaryScreen(self.services, interview_ids, study, self.export_dir))

    def on_open_interview(self, message: OpenInterview) -> None:
        self.open_interview(message.interview_id)

    def on_open_summary(self, message: OpenSummary) -> None:
        self.open_summary([message.interview_id], study=False)

    def on_open_synthesis(self, message: OpenSynthesis) -> None:
        self.open_summary(message.interview_ids, study=True)

    def on_open_analysis(self, message: OpenAnalysis) -> None:
        from klantreis_tui.ui.screens.analysis import AnalysisScreen  # not needed for the first frame

        self.push_screen(AnalysisScreen(self.services, message.study_id))

    def on_open_personas(self, message: OpenPersonas) -> None:
        from klantreis_tui.ui.screens.personas import PersonasScreen  # not needed for the first frame

        self.push_screen(PersonasScreen(self.services, message.study_id, self.export_dir))

    def on_open_plan(self, message: OpenPlan) -> None:
        from klantreis_tui.ui.screens.plan import PlanScreen  # not needed for the first frame

        def back(_: None) -> None:
            if isinstance(self.screen, HomeScreen):
                self.screen.refresh_studies()

        self.push_screen(PlanScreen(self.services, message.study_id, self.export_dir), back)

    def help_rows(self, screen: Screen) -> list[tuple[str, str]]:
        """Every active binding of ``screen`` with its (possibly remapped) keys, and the bindings of this app's
        own widgets on it that are not active now (e.g. the step list's while the answer input has focus)."""
        rows: dict[str, tuple[str, str]] = {}

        def add(key: str, binding: Binding) -> None:
            if not binding.description:
                return
            ident = binding.id or binding.action
            keys, description = rows.get(ident, ("", library_text(binding.description)))
            shown = self.get_key_display(binding)  # "?" and "del", not "question_mark" and "delete"
            label = shown if not keys else f"{keys}, {shown}"
            rows[ident] = (label, description)

        active = screen.active_bindings
        for key, binding in active.items():
            add(key, binding.binding)
        chain = {binding.node for binding in active.values()}
        for node in screen.walk_children():
            if node not in chain:
                for key, binding in self._own_bindings(node):
                    add(key, binding)
        rows.update(getattr(screen, "EXTRA_HELP", lambda: {})())
        return sorted(set(rows.values()), key=lambda row: (row[1], row[0]))  # the panel's and the chat's Esc once

    def _own_bindings(self, node: DOMNode) -> Iterable[tuple[str, Binding]]:
        """The bindings that the classes of this package declare on ``node``, with the keymap applied."""
        ids = {
            binding.id
            for cls in type(node).__mro__
            if cls.__module__.startswith("klantreis_tui.")
            for binding in cls.__dict__.get("BINDINGS", ())
            if isinstance(binding, Binding) and binding.id
        }
        if not ids:
            return
        bindings = node._bindings.copy()
        if self._keymap:
            bindings.apply_keymap(self._keymap)
        for key, key_bindings in bindings.key_to_bindings.items():
            yield from ((key, binding) for binding in key_bindings if binding.id in ids)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.help_rows(self.screen), self.config_path))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):  # Textual's own, in the app's language
            title, help_text = TEXTUAL_COMMANDS.get(command.help, (None, None))
            if title is not None and help_text is not None:
                command = command._replace(title=t(title), help=t(help_text))
            yield command
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if binding.description and binding.action not in ("help", "app.help", "command_palette"):
                yield SystemCommand(
                    library_text(binding.description),
                    f"{self.get_key_display(binding)}",
                    lambda node=active.node, action=binding.action: self.run_action(action, node),
                )
        yield SystemCommand(t('Help'), "F1", self.action_help)

    def action_command_palette(self) -> None:
        """Textual's command palette, with its placeholder in the app's language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette", placeholder=t('Search for commands…')))

    def search_themes(self) -> None:
        from textual.command import CommandPalette
        from textual.theme import ThemeProvider

        self.push_screen(CommandPalette(providers=[ThemeProvider], placeholder=t('Search for themes…')))


def binding_ids() -> set[str]:
    """Every key binding id that a configuration file may remap."""
    from klantreis_tui.ui.dialogs.confirm import ConfirmScreen
    from klantreis_tui.ui.dialogs.forms import FormScreen
    from klantreis_tui.ui.dialogs.help import HelpScreen

    from klantreis_tui.ui.dialogs.choose import ChooseScreen
    from klantreis_tui.ui.dialogs.personas import ProposalsDialog, RespondentsDialog
    from klantreis_tui.ui.screens.analysis import AnalysisScreen
    from klantreis_tui.ui.screens.interview import InterviewScreen
    from klantreis_tui.ui.screens.personas import PersonasScreen
    from klantreis_tui.ui.screens.plan import PlanScreen
    from klantreis_tui.ui.screens.summary import SummaryScreen
    from klantreis_tui.ui.widgets.chat_log import ChatLog
    from klantreis_tui.ui.widgets.journey_panel import JourneyPanel

    ids = set()
    owners = (
        KlantreisApp, HomeScreen, InterviewScreen, ConfirmScreen, FormScreen, HelpScreen, SummaryScreen, JourneyPanel,
        ChatLog, SyncedFolderScreen, AnalysisScreen, PlanScreen, ChooseScreen, PersonasScreen, RespondentsDialog,
        ProposalsDialog,
    )
    for owner in owners:
        for cls in owner.__mro__:  # bindings of base classes too (StepKeys, PracticeKeys)
            ids.update(b.id for b in cls.__dict__.get("BINDINGS", ()) if isinstance(b, Binding) and b.id)
    return ids


def make_app(
    services: Services | Opening,
    keymap: dict[str, str] | None = None,
    clock: Clock = system_clock,
    config_path: str = "",
    export_dir: Path | None = None,
    notices: list[str] | None = None,
    backup_at_start: bool = False,
    synced: list[SyncWarning] | None = None,
    synced_acknowledgements: Path | None = None,
    offer_practice: bool = False,
) -> KlantreisApp:
    """The app, over ``services`` or over an opened database (the command line's: the services are made after
    the first frame). ``synced``: the places in a synced folder to warn about at start; an acknowledgement is kept in
    ``synced_acknowledgements`` (default: the file in the user's data folder)."""
    app = KlantreisApp(
        services, keymap=keymap, clock=clock, config_path=config_path, export_dir=export_dir
    )
    app.notices = list(notices or [])
    app.backup_at_start = backup_at_start
    app.synced = list(synced or [])
    app.synced_acknowledgements = synced_acknowledgements
    app.offer_practice = offer_practice
    return app
