"""The form of one action of the improvement plan: title, description, owner, time, cost and status."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Select, TextArea

from klantreis_tui.i18n import t
from klantreis_tui.models.personas import ActionStatus
from klantreis_tui.ui.dialogs.forms import FormScreen
from klantreis_tui.ui.keys import N_

#: The statuses as the plan screen and the form word them.
STATUS_WORDS: dict[ActionStatus, str] = {
    ActionStatus.proposed: N_('proposed'),
    ActionStatus.planned: N_('planned'),
    ActionStatus.in_progress: N_('under way'),
    ActionStatus.done: N_('done'),
    ActionStatus.dropped: N_('dropped'),
}

#: The text fields, in the form's order, with their labels.
FIELDS: tuple[tuple[str, str], ...] = (
    ("title", N_('Title')),
    ("description", N_('Description')),
    ("organisation", N_('Owner: organisation')),
    ("owner_role", N_('Owner: role')),
    ("time_estimate", N_('Time estimate (for example: 3 months, Q2 2027)')),
    ("cost_estimate", N_('Cost estimate (for example: € 20,000, 0.5 FTE)')),
)


class ActionForm(FormScreen):
    """A new action, an action drawn from a proposal, or an edited one. Ctrl+S saves (committed first)."""

    def __init__(
        self, heading: str, values: dict[str, Any], organisations: list[str],
        apply: Callable[[dict[str, Any]], Any] | None = None,
    ):
        super().__init__(apply)
        self.title_text = heading
        self.values = values
        self.organisations = organisations

    def fields(self) -> ComposeResult:
        for name, label in FIELDS:
            yield Label(t(label))
            value = str(self.values.get(name, "") or "")
            if name == "description":
                yield TextArea(self.shown("action-description", value, multiline=True), id="action-description", soft_wrap=True)
                continue
            suggester = SuggestFromList(self.organisations, case_sensitive=False) if name == "organisation" and self.organisations else None
            yield Input(self.shown(f"action-{name}", value), id=f"action-{name}", suggester=suggester)
        yield Label(t('Status'))
        status = ActionStatus(self.values.get("status", ActionStatus.proposed))
        yield Select([(t(word), s.value) for s, word in STATUS_WORDS.items()], id="action-status", allow_blank=False, value=status.value)

    def validate(self) -> dict[str, Any] | None:
        values: dict[str, Any] = {name: self.value(f"action-{name}") for name, _ in FIELDS}
        if not values["title"]:
            self.error(t('{field} is required.', field=t('Title')))
            return None
        values["status"] = ActionStatus(self.value("action-status"))
        return values
