"""Dialogs of the persona screen: a persona's card, its respondents (with the proposed groupings), a phase's
desired score and ideas, and the list of proposals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, SelectionList, Static, TextArea
from textual.widgets.option_list import Option

from klantreis_tui.i18n import current_language, t
from klantreis_tui.models.personas import Persona
from klantreis_tui.models.records import Respondent
from klantreis_tui.safetext import visible
from klantreis_tui.services import PersonaProposal
from klantreis_tui.ui.dialogs.choose import ChooseScreen
from klantreis_tui.ui.dialogs.forms import FormScreen
from klantreis_tui.ui.keys import N_, word_bindings


class PersonaForm(FormScreen):
    """A persona's name, segment, goal, context and story; committed (``apply``) before the form closes."""

    FIELDS = ("name", "segment", "goal", "context")

    def __init__(self, persona: Persona | None, apply: Callable[[dict[str, Any]], Any] | None = None):
        super().__init__(apply)
        self.persona = persona
        self.title_text = t('Edit persona') if persona else t('New persona')

    def fields(self) -> ComposeResult:
        labels = {
            "name": t('Name'), "segment": t('Segment'), "goal": t('Goal (what the person wants to reach)'),
            "context": t('Context (household, digital skills, who helps)'),
        }
        for name in self.FIELDS:
            yield Label(labels[name])
            value = getattr(self.persona, name) if self.persona else ""
            yield Input(self.shown(f"persona-{name}", value), id=f"persona-{name}")
        yield Label(t('Story'))
        yield TextArea(self.shown("persona-story", self.persona.story if self.persona else "", multiline=True), id="persona-story")

    def validate(self) -> dict[str, Any] | None:
        values = {name: self.value(f"persona-{name}") for name in (*self.FIELDS, "story")}
        if not values["name"]:
            self.error(t('{field} is required.', field=t('Name')))
            return None
        return values


class DesiredForm(FormScreen):
    """The desired score (-2..+2, empty for none) of one phase and the ideas that would get it there."""

    def __init__(self, persona: str, phase: str, score: float | None, ideas: tuple[str, ...],
                 apply: Callable[[dict[str, Any]], Any] | None = None):
        super().__init__(apply)
        self.score = score
        self.ideas = ideas
        self.title_text = t('Desired journey of {persona}: {phase}', persona=persona, phase=phase)

    def fields(self) -> ComposeResult:
        yield Label(t('Desired score (-2 to +2; empty: none)'))
        shown = "" if self.score is None else f"{int(self.score):+d}".replace("+0", "0")
        yield Input(shown, id="desired-score")
        yield Label(t('Ideas that would get it there (one a line)'))
        yield TextArea(self.shown("desired-ideas", "\n".join(self.ideas), multiline=True), id="desired-ideas")

    def validate(self) -> dict[str, Any] | None:
        raw = self.value("desired-score").replace("−", "-")
        score = None
        if raw:
            try:
                score = int(raw)
            except ValueError:
                score = None
            if score is None or not -2 <= score <= 2:
                self.error(t('A desired score is a whole number from -2 to +2.'))
                return None
        ideas = [line.strip() for line in self.value("desired-ideas").splitlines() if line.strip()]
        return {"score": score, "ideas": ideas}


class RespondentsDialog(ChooseScreen):
    """Choose a persona's respondents (space toggles); ``a`` takes the proposal shown, ``g`` shows the next
    one; Ctrl+S saves (committed through ``apply`` before it closes; a save that fails keeps the ticks and says
    why), Esc cancels."""

    BINDINGS = [
        Binding("a", "accept_proposal", N_('Take the proposal'), id="personas.respondents.accept"),
        Binding("g", "next_proposal", N_('Next proposal'), id="personas.respondents.next"),
        # the ids of this dialog's own save and cancel, as before it was built on ChooseScreen (a keymap may name them)
        Binding("ctrl+s", "save", N_('Save'), id="personas.respondents.save"),
        Binding("escape", "cancel", N_('Cancel'), id="personas.respondents.cancel"),
    ]

    def __init__(self, persona: str, respondents: list[Respondent], chosen: list[str], proposals: list[PersonaProposal],
                 apply: Callable[[list[str]], Any] | None = None):
        choices = [
            (r.code + (f" · {r.segment}" if r.segment else "") + (f" · {r.age_band}" if r.age_band else ""), r.id)
            for r in respondents
        ]
        super().__init__(t('Respondents of {persona}', persona=persona), choices, set(chosen),
                         t('This study has no respondents yet.'), apply=apply)
        self.proposals = proposals
        self.proposal_index = 0

    def hint(self) -> str:
        return t('space: choose · a: take the proposal · g: next proposal · ctrl+s: save · Esc: cancel')

    def below_list(self) -> ComposeResult:
        yield Static("", id="persona-proposal", classes="dialog-text")

    def on_mount(self) -> None:
        super().on_mount()
        self.show_proposal()

    def show_proposal(self) -> None:
        box = self.query_one("#persona-proposal", Static)
        if not self.proposals:
            box.update(Text(t('No proposal: no two respondents share a segment or a journey alike enough.')))
            return
        p = self.proposals[self.proposal_index]
        box.update(Text(visible(t('Proposal {n} of {total}: {codes} ({reason})', n=self.proposal_index + 1,
                                  total=len(self.proposals), codes=", ".join(p.codes), reason=p.reason))))

    def action_next_proposal(self) -> None:
        if self.proposals:
            self.proposal_index = (self.proposal_index + 1) % len(self.proposals)
            self.show_proposal()

    def action_accept_proposal(self) -> None:
        if not self.proposals or not self.choices:
            return
        selection = self.query_one(SelectionList)
        selection.deselect_all()
        for rid in self.proposals[self.proposal_index].respondent_ids:
            selection.select(rid)


class ProposalsDialog(ModalScreen[PersonaProposal | None]):
    """The proposed groupings; Enter makes a persona of the highlighted one, Esc closes."""

    BINDINGS = [Binding("escape", "cancel", N_('Cancel'), id="personas.proposals.cancel")]

    def __init__(self, proposals: list[PersonaProposal]):
        lang = current_language()
        super().__init__()
        self.lang = lang
        self.proposals = proposals
        word_bindings(self)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Static(Text(t('Proposed persona\'s (Enter: make a persona of it)'), style="bold"), classes="dialog-title")
            yield OptionList(
                *(Option(Text(visible(f"{p.name}: {', '.join(p.codes)} ({p.reason})")), id=str(i)) for i, p in enumerate(self.proposals)),
                id="persona-proposals",
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.proposals[int(event.option.id or 0)])

    def action_cancel(self) -> None:
        self.dismiss(None)
