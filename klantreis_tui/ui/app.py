"""The Textual app and its factory; the CLI and the tests build it the same way."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from klantreis_tui.i18n import t
from klantreis_tui.services import Services
from klantreis_tui.ui.screens.home import HomeScreen


class KlantreisApp(App[int]):
    """klantreis: the interviewer's terminal app."""

    CSS_PATH = "app.tcss"
    TITLE = "klantreis"

    def __init__(self, services: Services, lang: str = "nl"):
        super().__init__()
        self.services = services
        self.lang = lang
        self.BINDINGS = []

    def get_default_screen(self) -> HomeScreen:
        return HomeScreen(self.services, self.lang)

    def on_mount(self) -> None:
        self.title = t("app.title", self.lang)
        for problem in self.services.catalog.problems:
            self.notify(str(problem), severity="warning", timeout=10)


def make_app(services: Services, lang: str = "nl") -> KlantreisApp:
    return KlantreisApp(services, lang=lang)
