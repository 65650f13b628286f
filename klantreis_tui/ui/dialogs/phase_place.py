"""Where a new phase goes in the study's list: first, after one of the phases, or only for this step."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from klantreis_tui.i18n import t
from klantreis_tui.ui.keys import N_, word_bindings

#: The choice "use it for this step, do not add it to the study's phases".
ONLY_THIS_STEP = -1


class PhasePlaceScreen(ModalScreen[int | None]):
    """Dismissed with the position the new phase takes (0: first), ONLY_THIS_STEP, or None (Esc: back)."""

    BINDINGS = [Binding("escape", "cancel", N_('Cancel'), id=N_('Cancel'))]

    def __init__(self, name: str, phases: list[str]):
        super().__init__()
        self.phase_name = name
        self.phases = phases
        word_bindings(self)

    def compose(self) -> ComposeResult:
        options = [Option(t('At the start'), id="0")]
        options += [Option(t('After {phase}', phase=p), id=str(i)) for i, p in enumerate(self.phases, 1)]
        options.append(Option(t('Only for this step; do not add it to the study'), id=str(ONLY_THIS_STEP)))
        with Vertical(classes="dialog"):
            yield Static(
                Text(t("'{name}' is not one of the study's phases. Where does it go in the journey?", name=self.phase_name)),
                classes="dialog-text",
            )
            yield OptionList(*options, id="phase-place")

    def on_mount(self) -> None:
        places = self.query_one(OptionList)
        places.highlighted = len(self.phases)  # after the last phase: where a journey usually goes on
        places.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)
