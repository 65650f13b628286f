"""Saturation on the home screen: for the highlighted study, which interviews at the end brought nothing new
(or what the last one brought), in the interviews pane's subtitle. Computed on a thread after the first frame
and after the cursor rests on a study (a base class of the home screen)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.css.query import NoMatches
from textual.timer import Timer

from klantreis_tui.errors import KlantreisError
from klantreis_tui.ui.screens.home_practice import PracticeKeys

if TYPE_CHECKING:
    from klantreis_tui.services import Services


class SaturationLine(PracticeKeys):
    """Keeps the last note per study, so that coming back to a study shows it at once (and then anew)."""

    #: how long the cursor rests on a study before its saturation is computed (moving through the list
    #: starts no work)
    SATURATION_DELAY = 0.25

    services: Services
    current_study: str | None

    def on_mount(self) -> None:
        self._saturation_ready = False
        self._saturation_notes: dict[str, str] = {}
        self._saturation_timer: Timer | None = None
        self._saturation_asked = 0
        self.call_after_refresh(self._saturation_after_first_frame)

    def _saturation_after_first_frame(self) -> None:
        self._saturation_ready = True
        self.request_saturation()

    def on_screen_resume(self) -> None:
        self.request_saturation()  # themes may have changed on the analysis screen

    def request_saturation(self) -> None:
        study_id = self.current_study
        if not getattr(self, "_saturation_ready", False) or study_id is None:
            return
        if self._saturation_timer is not None:
            self._saturation_timer.stop()
        self._saturation_asked += 1
        # not an exclusive worker: a newer request does not cancel an older one (whoever waits for the app's
        # workers would see it cancelled); the older one's note is dropped instead
        asked = self._saturation_asked
        self._saturation_timer = self.set_timer(self.SATURATION_DELAY, partial(self._start_saturation, study_id, asked))

    def _start_saturation(self, study_id: str, asked: int) -> None:
        app = self.app
        if not (getattr(app, "past_first_frame", True) and getattr(app, "services_made", True)):
            # not before the app's own work after the first frame, and a note is not worth making the services
            self._saturation_timer = self.set_timer(self.SATURATION_DELAY, partial(self._start_saturation, study_id, asked))
            return
        # the services taken here, on the event loop's thread
        self.run_worker(partial(self._saturation_of, self.services, study_id, asked), thread=True, group="saturation")

    def _saturation_of(self, services: Services, study_id: str, asked: int) -> None:
        try:
            from klantreis_tui.services.saturation import saturation_note

            note = saturation_note(services.study_saturation_apart(study_id))
        except (KlantreisError, OSError):  # a note for the eye only: without it the screen works as before
            return
        try:
            self.app.call_from_thread(self._show_saturation, study_id, note, asked)
        except RuntimeError:  # the app has ended meanwhile
            pass

    def _show_saturation(self, study_id: str, note: str, asked: int) -> None:
        if asked != self._saturation_asked:
            return  # the cursor moved on, or the data changed, while it was computed
        self._saturation_notes[study_id] = note
        if study_id == self.current_study and self.is_attached:
            try:
                self.update_interviews_subtitle()
            except NoMatches:  # the screen's widgets are being taken down (the app is closing)
                pass

    def saturation_text(self) -> str:
        """The note of the highlighted study, as last computed ("" while there is none)."""
        return getattr(self, "_saturation_notes", {}).get(self.current_study or "", "")

    def update_interviews_subtitle(self) -> None:
        raise NotImplementedError
