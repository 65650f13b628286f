"""The practice study on the home screen: offered on a first start with an empty database, added or removed with
one key (a base class of the home screen; its binding is merged into the screen's)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.screen import Screen

from klantreis_tui.errors import StorageError
from klantreis_tui.i18n import t
from klantreis_tui.ui.dialogs.confirm import ConfirmScreen
from klantreis_tui.ui.keys import N_

if TYPE_CHECKING:
    from klantreis_tui.services import Services
    from klantreis_tui.services.home_rows import HomeRows


class PracticeKeys(Screen[None]):
    """``o``: add the practice study, or remove it (after confirmation) when there is one."""

    BINDINGS = [Binding("o", "practice", N_('Practice study'), id="home.practice", show=False)]

    home: HomeRows
    services: Services

    def refresh_studies(self, select: str | None = None) -> None:
        raise NotImplementedError

    def on_mount(self) -> None:
        """A first start (no study at all): offer the practice study once the screen is shown."""
        if getattr(self.app, "offer_practice", False) and not self.home.studies():
            self.call_after_refresh(self._offer)

    def _offer(self) -> None:
        def decided(yes: bool | None) -> None:
            if yes:
                self._add()
            else:
                self.notify(t('You can add the practice study later with o on this screen.'))

        question = t(
            'New here? Try the app first on a practice study: three example journeys, marked as practice, kept out '
            'of exports, removed again with o. Add the practice study?'
        )
        self.app.push_screen(ConfirmScreen(question), decided)

    def _add(self) -> None:
        try:
            study = self.services.create_practice_study()
        except StorageError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(t('Practice study added: start an interview with s, or open an example with Enter.'))
        self.refresh_studies(select=study.id)

    def action_practice(self) -> None:
        if not self.services.has_practice_study():
            self._add()
            return

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.services.remove_practice_studies()
            except StorageError as exc:
                self.notify(str(exc), severity="error")
                return
            self.notify(t('Practice study removed.'))
            self.refresh_studies()

        question = t('Remove the practice study with all its interviews (the example journeys and any practice interviews)?')
        self.app.push_screen(ConfirmScreen(question), confirmed)
