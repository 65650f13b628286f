"""The interview screen: the chat column asks, the journey panel builds up live beside it."""

from __future__ import annotations

import gc
import sys
from datetime import datetime
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.worker import Worker, WorkerState

from klantreis_tui.errors import AnswerInvalid, StorageError
from klantreis_tui.i18n import current_language, keyed, t
from klantreis_tui.models.positions import Ended, LoopPrompt, Slot
from klantreis_tui.models.question_set import QuestionKind
from klantreis_tui.services import CLAIM_REFRESH, InterviewState, Services
from klantreis_tui.ui.dialogs.confirm import ConfirmScreen
from klantreis_tui.ui.dialogs.phase_place import ONLY_THIS_STEP, PhasePlaceScreen
from klantreis_tui.ui.keys import N_, word_bindings
from klantreis_tui.ui.messages import OpenSummary
from klantreis_tui.safetext import visible
from klantreis_tui.ui.screens.assist_chips import AssistChips
from klantreis_tui.ui.transcript import build_transcript
from klantreis_tui.ui.widgets.answer_area import AnswerArea
from klantreis_tui.ui.widgets.chat_log import ChatLog
from klantreis_tui.ui.widgets.footer import StableFooter
from klantreis_tui.ui.widgets.journey_panel import JourneyPanel
from klantreis_tui.ui.widgets.top_bar import TopBar

NARROW_WIDTH = 100
#: how long a thread holds the interpreter before another may take it, while the interview is open (Python's
#: default is 5 ms). The loop drawing the keys takes it back many times per key (each read of the terminal, each
#: write); while a thread loads lists (the app's warm-up, the assistant's) it waited up to 5 ms each time: a
#: first key took hundreds of milliseconds on a busy machine. Alone, the loop never waits: no cost then.
SWITCH_INTERVAL = 0.0005
MARK_KINDS = ("quote", "pain_point", "opportunity")


class InterviewScreen(AssistChips):
    """Runs one interview. Everything shown as saved has been committed to the database."""

    BINDINGS = [
        Binding("f1", "app.help", N_('Help'), id="app.help", priority=True),
        Binding("ctrl+n", "new_step", N_('New step'), id="interview.new_step", priority=True),
        Binding("ctrl+o", "back", N_('Previous question'), id="interview.back", priority=True),
        Binding("ctrl+z", "undo", N_('Undo'), id="interview.undo"),
        Binding("ctrl+s", "skip", N_('Skip'), id="interview.skip", priority=True, show=False),
        Binding("alt+c", "mark('quote')", N_('Quote'), id="interview.mark_quote", priority=True),
        Binding("alt+k", "mark('pain_point')", N_('Pain point'), id="interview.mark_pain_point", priority=True),
        Binding("alt+i", "mark('opportunity')", N_('Idea'), id="interview.mark_opportunity", priority=True, show=False),
        Binding("f3", "accept_proposal", N_('Accept proposal'), id="interview.accept_proposal", priority=True),
        Binding("f4", "dismiss_proposal", N_('Dismiss proposal'), id="interview.dismiss_proposal", priority=True,
                show=False),
        Binding("f2", "journey", N_('Journey panel'), id="interview.journey", priority=True, show=False),
        Binding("escape", "cancel_edit", N_('Back to current question'), id="interview.cancel_edit", show=False),
        Binding("f9", "summary", N_('Summary'), id="interview.summary", priority=True, show=False),
        Binding("f6", "pause", N_('Pause'), id="interview.pause", priority=True, show=False),
        Binding("f10", "finish", N_('Complete'), id="interview.finish", priority=True),
        Binding("f8", "abandon", N_('Abandon'), id="interview.abandon", priority=True, show=False),
    ]

    def EXTRA_HELP(self) -> dict[str, tuple[str, str]]:
        """Keys of the chat and the answer input, which are keys of those widgets, not bindings."""
        return {
            "chat.change": ("Tab/shift+Tab, Enter", t('Changing (Esc: back to the current question)').split(" (")[0]),
            "answer.newline": ("ctrl+j", t('Type the answer; Enter saves, Ctrl+J starts a new line').split("; ")[-1]),
        }

    def __init__(self, services: Services, interview_id: str):
        lang = current_language()
        super().__init__()
        self.services = services
        self.interview_id = interview_id
        self.lang = lang
        word_bindings(self)
        interview = services.interview(interview_id)
        self.study = services.study(interview.study_id)
        self.respondent = services.respondent(interview.respondent_id)
        self.started_at = interview.started_at
        self.state: InterviewState = services.state(interview_id)
        self.editing: Slot | None = None
        self.asked: Any = None
        #: the assistant's proposals for the text being typed, and those already accepted or dismissed
        self.proposals: list[Any] = []
        self.settled: set[tuple[str, str, Any]] = set()
        #: the kinds of personal data in the answer being typed (the warning under the input)
        self.pii_kinds: list[Any] = []
        #: the position the probe line under the input was shown with; it goes when another one is asked
        self.probe_for: Any = None

    # --- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TopBar(id="topbar")
        with Horizontal(id="interview-body"):
            with Vertical(id="chat-column") as column:
                column.border_title = t('Conversation')
                yield ChatLog(id="chat")
                yield AnswerArea(id="answer")
            panel = JourneyPanel(id="journey")
            panel.border_title = t('Journey of {code}', code=self.respondent.code)
            yield panel
        yield StableFooter()

    def on_mount(self) -> None:
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(min(self._switch_interval, SWITCH_INTERVAL))
        self.render_state()
        self.set_interval(1, self.update_topbar)
        self.set_interval(CLAIM_REFRESH, self.keep_claim)
        self.on_resize()
        # the assistant's word lists and the personal-data check's lists, read while the first question is
        # being asked, not on the first key; what they load is frozen with the rest once they are done
        study_id = self.study.id
        self.run_worker(lambda: self.services.warm_up_typing(study_id), thread=True, group="assistant")
        self.call_after_refresh(self._freeze_objects)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "assistant" and event.state is WorkerState.SUCCESS:
            self._freeze_objects()  # the lists just loaded, too

    def _freeze_objects(self) -> None:
        """What is loaded now lives as long as the interview: out of the collector's sight, so that no full
        collection (tens of milliseconds with the app's objects) pauses a key."""
        gc.freeze()

    def keep_claim(self) -> None:
        """Tell other instances this interview is still open here (a failing disk is reported elsewhere)."""
        try:
            self.services.keep_claims()
        except StorageError:
            pass

    def on_unmount(self) -> None:
        gc.unfreeze()
        sys.setswitchinterval(self._switch_interval)
        try:
            self.services.release_interview(self.interview_id)
        except StorageError:
            pass  # the claim expires by itself

    def on_resize(self, event: Any = None) -> None:
        narrow = self.app.size.width < NARROW_WIDTH
        self.set_class(narrow, "narrow")

    def clock(self) -> datetime:
        return self.app.clock()  # type: ignore[attr-defined]

    # --- showing the state ------------------------------------------------------------------

    def update_topbar(self) -> None:
        elapsed = max(0, int((self.clock() - self.started_at).total_seconds()))
        hours, rest = divmod(elapsed, 3600)
        position = self.editing or self.state.current()
        if isinstance(position, Slot):
            section = self.state.section(position).title.get(self.lang)
        elif isinstance(position, LoopPrompt):
            section = next(s.title.get(self.lang) for s in self.state.qs.sections if s.id == position.section_id)
        else:
            section = ""
        done, total = self.state.progress()
        filled = round(8 * done / total) if total else 0
        clock = f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"
        right = f" {section}  {done}/{total} {'▓' * filled}{'░' * (8 - filled)} "
        width = self.app.size.width
        tail = f" · {self.respondent.code} · {clock}"
        room = max(8, width - len(right) - len(tail) - 1)
        title = visible(self.study.title)
        title = title if len(title) <= room else title[: room - 1] + "…"
        left = f" {title}{tail}"
        if len(left) + len(right) > width:  # very narrow: drop the section name
            right = f" {done}/{total} {'▓' * filled}{'░' * (8 - filled)} "
        right = visible(right, multiline=False)  # the section title comes from the question set
        line = left + " " * max(1, width - len(left) - len(right)) + right
        self.query_one(TopBar).show(line[:width])

    def render_state(self, highlight: str | None = None) -> None:
        """Show the transcript, the journey and the input for the current position."""
        state = self.state
        self.query_one(ChatLog).sync(build_transcript(state))
        self.query_one(JourneyPanel).show(state.steps, self._journey_status(), highlight)
        self.update_topbar()
        self.ask()

    def _journey_status(self) -> str:
        status = self.services.interview(self.interview_id).status.value
        return f"{self.respondent.code} · {t(keyed('status.' + status))}"

    def ask(self) -> None:
        area = self.query_one(AnswerArea)
        position = self.editing or self.state.current()
        if position == self.asked and area.kind != "none":
            area.resume()
            return
        self.asked = position
        self.pii_kinds = []  # the new input starts without a warning
        self.reset_assist()
        if position != self.probe_for:  # a probe belongs to the question it was shown with
            self.probe_for = None
            area.show_probe("")
        if isinstance(position, Ended):
            area.clear(t('No consent to take part: the interview has stopped. Only the refusal is stored.' if position.refused else 'End of the question set. F10 completes the interview.'))
            return
        if isinstance(position, LoopPrompt):
            area.ask(self.state.qs, None, focus=self._input_may_take_focus)
            return
        question = self.state.question(position)
        value = self.state.value(position) if self.editing else None
        suggestions = None
        if question.kind in (QuestionKind.instance, QuestionKind.channel) or question.field == "phase":
            field = {"instance": "instances", "channel": "channels"}.get(question.kind.value, "phase")
            suggestions = self.services.known_values(self.study.id, field)
        self.prepare_names({"instance": "instances", "channel": "channels"}.get(question.kind.value))
        area.ask(self.state.qs, question, value, suggestions, focus=self._input_may_take_focus)
        if question.field == "phase" and question.kind is QuestionKind.text:
            phases = self.services.study_phases(self.study.id)
            numbered = "  ".join(f"[{i}] {p}" for i, p in enumerate(phases, 1))
            area.show_help(t('{phases} · a number, a name or a new phase', phases=numbered) if phases else t('Type the phase; it is added to the study\'s phases'))
        if self.editing:
            area.show_error(t('Changing (Esc: back to the current question)') + ": " + question.prompt.get(self.lang))

    def reload(self, highlight: str | None = None) -> None:
        """Re-read the state after a change made outside the answer input (steps, undo, marks)."""
        self.state = self.services.state(self.interview_id)
        self.render_state(highlight)

    # --- answering --------------------------------------------------------------------------------

    @on(AnswerArea.Submitted)
    def answer_submitted(self, event: AnswerArea.Submitted) -> None:
        position = self.editing or self.state.current()
        if isinstance(position, Slot) and self.services.is_late_refusal(self.state, position, event.raw):

            def decided(confirmed: bool | None) -> None:
                if confirmed:
                    self._submit(position, event.raw)
                else:
                    self.query_one(AnswerArea).resume()

            self.app.push_screen(ConfirmScreen(t('The respondent does not take part after all? Then every answer and step of this interview is deleted for good (from the backups too); only the refusal is kept. Go on?')), decided)
            return
        if isinstance(position, Slot) and self._is_phase(position) and isinstance(event.raw, str) and event.raw.strip():
            self._choose_phase(position, event.raw)
            return
        self._submit(position, event.raw)

    def _is_phase(self, position: Slot) -> bool:
        question = self.state.question(position)
        return question.field == "phase" and question.kind is QuestionKind.text

    def _choose_phase(self, position: Slot, raw: str) -> None:
        """A phase by number or name goes in as the study spells it; a new one is placed in the study's
        list first (or kept for this step only); Esc in the dialog goes back to the typed text."""
        name, known = self.services.choose_phase(self.study.id, raw)
        if known:
            self._submit(position, name)
            return

        def placed(place: int | None) -> None:
            if place is None:
                self.query_one(AnswerArea).resume()
                return
            if place != ONLY_THIS_STEP:
                self.services.add_phase(self.study.id, name, place)
            self.asked = None  # the help line lists the phases again
            self._submit(position, name)

        self.app.push_screen(PhasePlaceScreen(name, self.services.study_phases(self.study.id)), placed)

    def _submit(self, position: Any, raw: Any) -> None:
        area = self.query_one(AnswerArea)
        try:
            if isinstance(position, LoopPrompt):
                saved = self.services.loop_answer(self.interview_id, position, bool(raw))
            elif isinstance(position, Slot):
                saved = self.services.answer(self.interview_id, position, raw, self.state)
            else:
                area.resume()
                return
        except AnswerInvalid as exc:
            area.show_error(str(exc))  # the typed text stays for correction; nothing was stored
            area.resume()
            return
        except StorageError as exc:
            area.show_error(t('NOT saved: {error}', error=exc))
            area.resume()
            return
        self.state = saved.state
        self.editing = None
        self.asked = None
        self.proposals = []
        self.render_state()
        if isinstance(position, Slot) and saved.answer is not None:
            probe = self._probe_after(position, saved.answer.value)
        else:
            probe = ""
        area.show_probe("\n".join(text for text in (probe, self._reminder()) if text))
        self.probe_for = self.asked

    def action_skip(self) -> None:
        position = self.editing or self.state.current()
        if not isinstance(position, Slot):
            return
        try:
            saved = self.services.skip(self.interview_id, position)
        except (AnswerInvalid, StorageError) as exc:
            self.query_one(AnswerArea).show_error(str(exc))
            return
        self.state = saved.state
        self.editing = None
        self.asked = None
        self.render_state()

    def action_undo(self) -> None:
        try:
            undone = self.services.undo_last(self.interview_id)
        except StorageError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(t('Last answer undone.' if undone else 'Nothing to undo.'))
        self.editing = None
        self.reload()

    def action_back(self) -> None:
        reference = self.editing or self.state.current()
        if isinstance(reference, Slot):
            previous = self.state.previous(reference)
        else:
            answered = [s for s in self.state.slots() if self.state.answer(s) is not None]
            previous = answered[-1] if answered else None
        if previous is None:
            self.notify(t('There is no earlier question.'))
            return
        self.editing = previous
        self.asked = None
        self.ask()

    def action_cancel_edit(self) -> None:
        """Esc: out of the journey panel or the chat, or back from changing an earlier answer."""
        if self.leave_panels():
            return
        if self.editing is not None:
            self.editing = None
            self.asked = None
            self.ask()

    @on(ChatLog.AnswerChosen)
    def change_answer(self, event: ChatLog.AnswerChosen) -> None:
        self.editing = event.slot
        self.asked = None
        self.set_focus(None)  # from the chat to the input of the answer chosen
        self.ask()

    def _probe_after(self, slot: Slot, value: Any) -> str:
        """A probe for the interviewer after an answer that was short, vague or strongly negative."""
        if not slot.step_id:
            return ""
        probes = self.services.probes_after(self.study.id, self.state.question(slot), value)
        return t('Probe: {probes}', probes=" / ".join(probes[:2])) if probes else ""

    def _reminder(self) -> str:
        """Before the step is closed: a reminder when the step has no organisation or channel."""
        position = self.state.current()
        if not isinstance(position, LoopPrompt) or not self.state.steps:
            return ""
        step = self.state.steps[-1]
        return self.services.missing_reminder(self.study.id, step)

    # --- marking text ------------------------------------------------------------------------------

    def action_mark(self, kind: str) -> None:
        item = self.query_one(ChatLog).highlighted_item()
        if item is None:
            # the last answer typed in the chat (not a field filled in the step editor, shown among them)
            answered = [i for i in self.query_one(ChatLog).items() if i.kind == "answered" and not i.key.endswith(":editor")]
            item = answered[-1] if answered else None
        text = self.query_one(AnswerArea).current_text() if item is None else item.detail[0]
        if not text or text == t('(skipped)'):
            self.notify(t('No answer to mark.'))
            return
        step_id = item.slot.step_id if item is not None and item.slot is not None else ""
        if not step_id:
            chosen = self.query_one(JourneyPanel).selected_step()
            step_id = chosen.id if chosen else (self.state.steps[-1].id if self.state.steps else "")
        if not step_id:
            self.notify(t('There is no step to attach this to yet.'), severity="warning")
            return
        try:
            step = self.services.mark(step_id, kind, text)
        except (StorageError, AnswerInvalid) as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(t('Marked as {kind} of step {n}.', kind=t(keyed(f"kind.{kind}")), n=step.position))
        self.reload(highlight=step.id)

    # --- ending ----------------------------------------------------------------------------------------

    def action_summary(self) -> None:
        self.post_message(OpenSummary(self.interview_id))

    def action_pause(self) -> None:
        self.notify(t('Interview paused; resume it from the home screen.'))
        self.dismiss()

    def action_finish(self) -> None:
        def confirmed(yes: bool | None) -> None:
            if yes:
                self.services.finish(self.interview_id)
                self.notify(t('Interview completed.'))
                self.dismiss()

        if isinstance(self.state.current(), Ended):
            if not self.state.consent_refused():
                confirmed(True)
            else:
                self.dismiss()
        else:
            self.app.push_screen(ConfirmScreen(t('There are open questions. Complete anyway?')), confirmed)

    def action_abandon(self) -> None:
        def confirmed(yes: bool | None) -> None:
            if yes:
                self.services.abandon(self.interview_id)
                self.notify(t('Interview abandoned.'))
                self.dismiss()

        self.app.push_screen(ConfirmScreen(t("Abandon the interview? It stays stored with status 'abandoned'.")), confirmed)
