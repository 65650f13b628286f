"""The interview state machine: order, conditions, validation, the step loop, progress, resume."""

from __future__ import annotations

import pytest

from klantreis_tui.engine import (
    AnswerInvalid,
    Ended,
    InterviewState,
    LoopPrompt,
    Slot,
    loop_control_id,
    step_field_update,
    validate_answer,
)
from klantreis_tui.models import Answer, QuestionKind, Step


class Recorder:
    """Builds answer and step lists as the services would store them."""

    def __init__(self, qs):
        self.qs = qs
        self.answers: list[Answer] = []
        self.steps: list[Step] = []

    def state(self) -> InterviewState:
        return InterviewState(self.qs, self.answers, self.steps)

    def put(self, question_id: str, value, step_id: str = "", **flags) -> None:
        revision = 1 + sum(1 for a in self.answers if (a.question_id, a.step_id) == (question_id, step_id))
        self.answers.append(
            Answer(interview_id="i", question_id=question_id, step_id=step_id, revision=revision, value=value, **flags)
        )

    def add_step(self) -> Step:
        step = Step(interview_id="i", position=len(self.steps) + 1)
        self.steps.append(step)
        return step


@pytest.fixture
def rec(small_set):
    return Recorder(small_set)


def test_consent_is_asked_first_and_refusal_ends(rec):
    assert rec.state().current() == Slot("mee")
    rec.put("mee", False)
    assert rec.state().current() == Ended(refused=True)


def test_questions_follow_in_order_after_consent(rec):
    rec.put("mee", True)
    assert rec.state().current() == Slot("citaten")
    rec.put("citaten", True)
    assert rec.state().current() == Slot("leeftijd")


def test_condition_hides_and_shows_a_question(rec):
    for qid, value in (("mee", True), ("citaten", True), ("leeftijd", 40), ("digitaal", "web")):
        rec.put(qid, value)
    state = rec.state()
    assert state.current() == Slot("postcode")  # 'hulp' only when digitaal == tel
    assert Slot("hulp") not in state.slots()
    rec.put("digitaal", "tel")  # changed answer: a new revision
    assert rec.state().current() == Slot("hulp")


def test_step_loop_prompts_asks_per_step_and_closes(rec):
    for qid, value in (("mee", True), ("citaten", True), ("leeftijd", 40), ("digitaal", "web"), ("postcode", "Noord")):
        rec.put(qid, value)
    assert rec.state().current() == LoopPrompt("reis", 0)
    first = rec.add_step()
    assert rec.state().current() == Slot("wat", first.id)
    rec.put("wat", "Belt de gemeente", first.id)
    rec.put("wie", ["Gemeente"], first.id)
    rec.put("emotie", -2, first.id)
    # a negative emotion brings the follow-up on what went wrong, for this step only
    assert rec.state().current() == Slot("waarom", first.id)
    rec.put("waarom", "Bandje", first.id)
    assert rec.state().current() == LoopPrompt("reis", 1)
    second = rec.add_step()
    rec.put("wat", "Afspraak online", second.id)
    rec.put("wie", ["Gemeente"], second.id)
    rec.put("emotie", 1, second.id)
    assert Slot("waarom", second.id) not in rec.state().slots()
    assert rec.state().current() == LoopPrompt("reis", 2)
    rec.put(loop_control_id("reis"), True)
    assert rec.state().current() == Slot("nog_iets")
    rec.put("nog_iets", None, skipped=True)
    assert rec.state().current() == Ended()


def test_progress_counts_applicable_questions(rec):
    state = rec.state()
    assert state.progress() == (0, 6)  # mee, citaten, leeftijd, digitaal, postcode, nog_iets
    rec.put("mee", True)
    step = rec.add_step()
    rec.put("wat", "x", step.id)
    done, total = rec.state().progress()
    assert (done, total) == (2, 9)  # plus wat, wie, emotie for the step


def test_back_and_change_and_previous(rec):
    rec.put("mee", True)
    rec.put("citaten", False)
    state = rec.state()
    assert state.previous(Slot("leeftijd")) == Slot("citaten")
    assert state.previous(Slot("mee")) is None
    rec.put("citaten", True)
    state = rec.state()
    assert state.value(Slot("citaten")) is True
    assert state.answer(Slot("citaten")).revision == 2
    assert state.current() == Slot("leeftijd")


def test_retracted_answer_is_unanswered_again(rec):
    rec.put("mee", True)
    rec.put("citaten", True)
    rec.put("citaten", None, retracted=True)
    assert rec.state().current() == Slot("citaten")


def test_resume_from_stored_answers_lands_on_same_question(rec):
    for qid, value in (
        ("mee", True), ("citaten", True), ("leeftijd", 40), ("digitaal", "tel"), ("hulp", "zoon"), ("postcode", "Zuid")
    ):
        rec.put(qid, value)
    step = rec.add_step()
    rec.put("wat", "Belt", step.id)
    before = rec.state().current()
    rebuilt = InterviewState(rec.qs, list(reversed(rec.answers)), list(rec.steps))
    assert rebuilt.current() == before == Slot("wie", step.id)
    assert rebuilt.progress() == rec.state().progress()


def test_step_field_filled_elsewhere_counts_as_answered(rec):
    rec.put("mee", True)
    step = rec.add_step()
    rec.steps[0] = step.model_copy(update={"description": "Ingevuld in het paneel"})
    state = rec.state()
    assert state.is_done(Slot("wat", step.id))


@pytest.mark.parametrize(
    ("question_id", "raw", "expected"),
    [
        ("mee", "j", True),
        ("mee", "nee", False),
        ("mee", "yes", True),
        ("leeftijd", "42", 42),
        ("leeftijd", "42,5", 42.5),
        ("digitaal", "2", "tel"),
        ("digitaal", "Website", "web"),
        ("digitaal", "tel", "tel"),
        ("wie", "UWV, gemeente; UWV", ["UWV", "gemeente"]),
        ("emotie", "+2", 2),
        ("emotie", "-1", -1),
        ("wat", "  tekst  ", "tekst"),
        ("nog_iets", "", None),
    ],
)
def test_validation_turns_typed_text_into_values(small_set, question_id, raw, expected):
    assert validate_answer(small_set, small_set.question(question_id), raw) == expected


@pytest.mark.parametrize(
    ("question_id", "raw", "message"),
    [
        ("mee", "misschien", "Antwoord met ja of nee."),
        ("mee", "", "Deze vraag is verplicht."),
        ("wat", "   ", "Deze vraag is verplicht."),
        ("leeftijd", "veertig", "Vul een getal in."),
        ("leeftijd", "nan", "Vul een getal in."),
        ("leeftijd", "inf", "Vul een getal in."),
        ("leeftijd", "12", "Tussen 18 en 120."),
        ("leeftijd", "121", "Tussen 18 en 120."),
        ("postcode", "1234AB", "Alleen letters."),
        ("emotie", "3", "Kies een score van -2 tot en met +2."),
        ("emotie", "boos", "Kies een score van -2 tot en met +2."),
        ("digitaal", "9", "Kies een van: 1=Website, 2=Telefoon."),
    ],
)
def test_validation_rejects_with_the_message(small_set, question_id, raw, message):
    with pytest.raises(AnswerInvalid) as info:
        validate_answer(small_set, small_set.question(question_id), raw)
    assert str(info.value) == message


def test_validation_message_in_english(small_set, english):
    with pytest.raises(AnswerInvalid, match="Enter a number."):
        validate_answer(small_set, small_set.question("leeftijd"), "x")


def test_date_answers_are_normalised(small_set):
    question = small_set.question("leeftijd").model_copy(update={"kind": QuestionKind.date, "validation": None})
    assert validate_answer(small_set, question, "03-02-2026") == "2026-02-03"
    with pytest.raises(AnswerInvalid):
        validate_answer(small_set, question, "31-02-2026")


def test_step_field_update_maps_answers_to_step_fields():
    step = Step(interview_id="i", position=1, quotes=["Eerder citaat"])
    assert step_field_update(step, "quote", None, "Nieuw") == {"quotes": ["Nieuw", "Eerder citaat"]}
    step = Step(interview_id="i", position=1, quotes=["Oud", "Gemarkeerd"])
    assert step_field_update(step, "quote", "Oud", "Beter") == {"quotes": ["Beter", "Gemarkeerd"]}
    assert step_field_update(step, "emotion_words", None, "boos, bang") == {"emotion_words": ["boos", "bang"]}
    assert step_field_update(step, "emotion", -1, None) == {"emotion": None}
    assert step_field_update(step, "description", "a", None) == {"description": ""}


def test_states_derived_from_one_state_keep_their_own_answers(rec):
    """A save extends its state's list of answers in place of copying it; a second change derived from the
    same (older) state, and the older state itself, still see only their own answers."""
    rec.put("mee", True)
    base = rec.state()
    first = Answer(interview_id="i", question_id="citaten", revision=1, value=True)
    other = Answer(interview_id="i", question_id="citaten", revision=1, value=False)
    later = Answer(interview_id="i", question_id="leeftijd", revision=1, value=44)
    one = base.with_change(first)
    two = base.with_change(other)
    three = one.with_change(later)
    assert [a.value for a in base.answers] == [True]
    assert [a.value for a in one.answers] == [True, True]
    assert [a.value for a in two.answers] == [True, False]
    assert [a.value for a in three.answers] == [True, True, 44]
    assert (one.value(Slot("citaten")), two.value(Slot("citaten"))) == (True, False)
    assert base.answer(Slot("citaten")) is None and one.answer(Slot("leeftijd")) is None
    three.answers.append(other)  # a copy: changing it changes no state
    assert len(three.answers) == 3
