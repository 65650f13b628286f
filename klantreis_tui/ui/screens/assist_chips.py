"""The assistant's chips under the answer being typed (a base class of the interview screen): what it finds in
the text (organisations, channels, emotions, durations), and, while an organisation or channel is typed, the
study's name the spelling most likely means ("Belastingsdienst" -> "Belastingdienst?"). F3 accepts the first
chip, F4 dismisses it."""

from __future__ import annotations

from typing import Any

from textual import on

from klantreis_tui.errors import StorageError
from klantreis_tui.i18n import keyed, t
from klantreis_tui.models.positions import Slot
from klantreis_tui.services import InterviewState, Services
from klantreis_tui.ui.screens.step_keys import StepKeys
from klantreis_tui.ui.widgets.answer_area import AnswerArea
from klantreis_tui.ui.widgets.journey_panel import JourneyPanel

#: the kind of proposal a name chip is (its label: ``assist.kind.name``), and the assistant kind per field
NAME_CHIP = "name"
_FIELD_KIND = {"instances": "instance", "channels": "channel"}


class AssistChips(StepKeys):
    """Keeps the proposals of the text being typed and those settled (accepted or dismissed) per step."""

    services: Services
    state: InterviewState
    study: Any
    interview_id: str
    asked: Any
    lang: str
    proposals: list[Any]
    settled: set[tuple[str, str, Any]]
    pii_kinds: list[Any]

    def _journey_status(self) -> str:
        raise NotImplementedError

    def prepare_names(self, field: str | None) -> None:
        """The question asked now: an organisation or channel (``field``) gets the study's names to match what is
        typed against (read once here, so that a key costs only the matching); any other question none."""
        self.names_field = field
        self.name_matcher = None
        if field is not None:
            try:
                self.name_matcher = self.services.name_matcher(self.study.id, field)  # type: ignore[attr-defined]
            except StorageError:
                self.name_matcher = None

    def _assist_step(self) -> str | None:
        """The step the assistant's proposals go to: the step of the question being asked."""
        position = self.asked  # what ask() showed: editing or current, without walking the script per key
        return position.step_id if isinstance(position, Slot) and position.step_id else None

    def _name_chips(self, text: str) -> list[Any]:
        """The study's names the typed organisations or channels most likely mean (as proposals)."""
        matcher = getattr(self, "name_matcher", None)
        return matcher.proposals(text) if matcher is not None else []

    #: the text the assistant looks at next and the question it was typed for; whether that look is due
    _assist_text: tuple[Any, str] | None = None
    _assist_looked: tuple[Any, str] | None = None
    _assist_due: bool = False

    def reset_assist(self) -> None:
        """A new input is shown (ask()): its text is looked at afresh, even where it reads as the last one did."""
        self._assist_text = self._assist_looked = None

    @on(AnswerArea.TextChanged)
    def text_changed(self, event: AnswerArea.TextChanged) -> None:
        """Note the text; the personal-data check, the assistant and the name chips look at it once the
        typed character is on the screen (after the next refresh), and once for keys that came together."""
        event.stop()
        self._assist_text = (self.asked, event.text)
        if not self._assist_due:
            self._assist_due = True
            self.call_after_refresh(self.assist_now)

    def assist_now(self) -> None:
        """Look at the text typed last, unless it was looked at already or its question is no longer asked."""
        self._assist_due = False
        pending = self._assist_text
        if pending is None or pending == self._assist_looked or pending[0] != self.asked:
            return
        self._assist_looked = pending
        self._assist(pending[1])

    def _assist(self, text: str) -> None:
        kinds = self.services.personal_data_kinds(text, self.study.id)  # type: ignore[attr-defined]
        if kinds != self.pii_kinds:  # most keys change nothing here: no widget work then
            self.pii_kinds = kinds
            names = ", ".join(t(keyed(f"pii.{kind.value}")) for kind in kinds)
            self.query_one(AnswerArea).show_warning(t('⚠ This looks like personal data ({kinds}). Better not to record it; summaries and exports redact it.', kinds=names) if kinds else "")
        step_id = self._assist_step()
        if step_id is None:
            return
        asked = self.asked if isinstance(self.asked, Slot) else None
        question = self.state.question(asked) if asked is not None else None
        names = self._name_chips(text)
        proposals = self.services.proposals(self.study.id, text, question, self.state.step(step_id))  # type: ignore[attr-defined]
        if names:  # the name chip says it already: no second chip of the assistant for the same name
            meant = {(_FIELD_KIND.get(n.word), n.value) for n in names}
            proposals = [p for p in proposals if (p.kind, p.value) not in meant]
        self.proposals = [p for p in [*names, *proposals] if (step_id, p.kind, p.value) not in self.settled]
        self._show_chips()

    def _label(self, proposal: Any) -> str:
        if proposal.kind == NAME_CHIP:
            return f"{proposal.value}? ({t(keyed('assist.kind.' + NAME_CHIP))})"
        return f"{proposal.label(self.lang)} ({t(keyed('assist.kind.' + proposal.kind))})"

    def _show_chips(self) -> None:
        labels = [self._label(p) for p in self.proposals]
        self.query_one(AnswerArea).show_chips(labels, t('F3 accept · F4 dismiss'))

    def action_accept_proposal(self) -> None:
        self.assist_now()  # F3 right after a key: the proposals of the text as typed, not of one key before
        step_id = self._assist_step()
        if not self.proposals or step_id is None:
            return
        proposal = self.proposals.pop(0)
        self.settled.add((step_id, proposal.kind, proposal.value))
        if proposal.kind == NAME_CHIP:
            self._accept_name(proposal)
            return
        try:
            step = self.services.accept_proposal(step_id, proposal.kind, proposal.value, proposal.word)  # type: ignore[attr-defined]
        except StorageError as exc:
            self.notify(str(exc), severity="error")
            self.proposals.insert(0, proposal)
            return
        self.state = self.services.state(self.interview_id)  # type: ignore[attr-defined]
        self.query_one(JourneyPanel).show(self.state.steps, self._journey_status(), step_id)
        self.notify(t('Added to step {n}: {label}', n=step.position, label=proposal.label(self.lang)))
        self._show_chips()

    def _accept_name(self, proposal: Any) -> None:
        """The study's name in place of the spelling typed (the answer then saves that name); the spelling
        is kept as a variant of it (committed), so that it counts under that name wherever it was typed."""
        area = self.query_one(AnswerArea)
        if area.current_text()[proposal.start:proposal.end] != proposal.text:
            self._show_chips()  # the text changed meanwhile: nothing to replace
            return
        try:
            self.services.accept_name(self.study.id, proposal.word, proposal.text, str(proposal.value))  # type: ignore[attr-defined]
        except StorageError as exc:
            self.notify(str(exc), severity="error")
            self.proposals.insert(0, proposal)
            self._show_chips()
            return
        self.prepare_names(self.names_field)  # the new variant is one of the study's spellings now
        area.replace_text(proposal.start, proposal.end, str(proposal.value))
        self.notify(t('{typed} counts as {name} in this study.', typed=proposal.text, name=proposal.value))

    def action_dismiss_proposal(self) -> None:
        self.assist_now()
        step_id = self._assist_step()
        if not self.proposals or step_id is None:
            return
        proposal = self.proposals.pop(0)
        self.settled.add((step_id, proposal.kind, proposal.value))  # not proposed again for this step
        self._show_chips()
