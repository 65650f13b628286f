"""The Textual app and its factory; the CLI and the tests build it the same way."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from klantreis_tui.i18n import t, textual_words
from klantreis_tui.services import Services
from klantreis_tui.ui.dialogs.help import HelpScreen
from klantreis_tui.ui.screens.home import HomeScreen
from klantreis_tui.ui.screens.interview import InterviewScreen

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(timezone.utc)


class KlantreisApp(App[int]):
    """klantreis: the interviewer's terminal app."""

    CSS_PATH = "app.tcss"
    TITLE = "klantreis"
    BINDINGS = [Binding("f1,question_mark", "help", t("key.help"), id="app.help", show=False)]

    def __init__(
        self,
        services: Services,
        lang: str = "nl",
        keymap: dict[str, str] | None = None,
        clock: Clock = system_clock,
        config_path: str = "",
        export_dir: Path | None = None,
    ):
        super().__init__()
        self.export_dir = export_dir or Path.cwd() / "klantreis-export"
        self.services = services
        self.lang = lang
        self.clock = clock
        self.config_path = config_path
        #: messages from before the app ran, shown once it is on screen
        self.notices: list[str] = []
        if keymap:
            self.set_keymap(keymap)

    def _fatal_error(self) -> None:
        """An unexpected error: say what it means for the data, and show the traceback without the values of
        local variables (Textual shows them by default; they may hold a respondent's answers)."""
        from rich.console import Group
        from rich.segment import Segments
        from rich.text import Text
        from rich.traceback import Traceback

        self.bell()
        report = Group(Traceback(show_locals=False, width=None), Text(t("app.crashed", self.lang), style="bold red"))
        self._exit_renderables.append(Segments(self.console.render(report, self.console.options)))
        self._close_messages_no_wait()

    def get_default_screen(self) -> HomeScreen:
        return HomeScreen(self.services, self.lang)

    def on_mount(self) -> None:
        self.title = t("app.title", self.lang)
        for problem in self.services.catalog.problems:
            self.notify(str(problem), severity="warning", timeout=10)
        for notice in self.notices:  # e.g. the start-up backup could not be made
            self.notify(notice, severity="error", timeout=20)

    def open_interview(self, interview_id: str) -> None:
        """Open an interview, unless another app instance has it open."""
        from klantreis_tui.errors import StorageError

        interview = self.services.interview(interview_id)
        if interview.question_set_id not in self.services.catalog.sets:
            self.notify(
                t("iv.unknown_set", self.lang, set_id=interview.question_set_id, version=interview.question_set_version),
                severity="error", timeout=10,
            )
            return
        try:
            busy = self.services.claim_interview(interview_id)
        except StorageError as exc:
            self.notify(str(exc), severity="error")
            return
        if busy is not None:
            self.notify(t("home.busy_refused", self.lang, host=busy.host, pid=busy.pid), severity="error", timeout=8)
            return

        def back(_: None) -> None:
            if isinstance(self.screen, HomeScreen):
                self.screen.refresh_studies()

        self.push_screen(InterviewScreen(self.services, interview_id, self.lang), back)

    def open_summary(self, interview_ids: list[str], study: bool) -> None:
        from klantreis_tui.ui.screens.summary import SummaryScreen

        self.push_screen(SummaryScreen(self.services, interview_ids, study, self.lang, self.export_dir))

    def help_rows(self, screen: Screen) -> list[tuple[str, str]]:
        """Every active binding of ``screen`` with its (possibly remapped) keys."""
        rows: dict[str, tuple[str, str]] = {}
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if not binding.description:
                continue
            ident = binding.id or binding.action
            keys, description = rows.get(ident, ("", textual_words(binding.description, self.lang)))
            label = self.get_key_display(binding) if not keys else f"{keys}, {key}"
            rows[ident] = (label, description)
        rows.update(getattr(screen, "EXTRA_HELP", lambda: {})())
        return sorted(rows.values(), key=lambda row: row[1])

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.lang, self.help_rows(self.screen), self.config_path))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if binding.description and binding.action not in ("help", "app.help", "command_palette"):
                yield SystemCommand(
                    textual_words(binding.description, self.lang),
                    f"{self.get_key_display(binding)}",
                    lambda node=active.node, action=binding.action: self.run_action(action, node),
                )
        yield SystemCommand(t("key.help", self.lang), "F1", self.action_help)


def binding_ids() -> set[str]:
    """Every key binding id that a configuration file may remap."""
    from klantreis_tui.ui.dialogs.confirm import ConfirmScreen
    from klantreis_tui.ui.dialogs.forms import FormScreen
    from klantreis_tui.ui.dialogs.help import HelpScreen

    ids = set()
    from klantreis_tui.ui.screens.summary import SummaryScreen

    for owner in (KlantreisApp, HomeScreen, InterviewScreen, ConfirmScreen, FormScreen, HelpScreen, SummaryScreen):
        ids.update(b.id for b in owner.BINDINGS if isinstance(b, Binding) and b.id)
    return ids


def make_app(
    services: Services,
    lang: str = "nl",
    keymap: dict[str, str] | None = None,
    clock: Clock = system_clock,
    config_path: str = "",
    export_dir: Path | None = None,
    notices: list[str] | None = None,
) -> KlantreisApp:
    app = KlantreisApp(
        services, lang=lang, keymap=keymap, clock=clock, config_path=config_path, export_dir=export_dir
    )
    app.notices = list(notices or [])
    return app
