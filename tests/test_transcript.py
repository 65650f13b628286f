"""The chat transcript as a pure function of the interview state: items in order, answers worded, text made safe."""

from __future__ import annotations

import pytest

from klantreis_tui.i18n import using_language

from klantreis_tui.engine import Ended, LoopPrompt, Slot
from klantreis_tui.question_sets import parse_question_set
from klantreis_tui.ui.transcript import (
    FACES,
    ChatItem,
    build_transcript,
    emotion_label,
    format_value,
    question_detail,
)
from tests.conftest import SMALL_SET


def shown(items: list[ChatItem]) -> list[tuple[str, str, list[str]]]:
    return [(item.kind, item.text, item.detail) for item in items]


@pytest.fixture
def interview(services):
    study = services.create_study("Transcript")
    return services.start_interview(study.id, "klein")


def answer_context(services, interview_id: str) -> None:
    services.answer(interview_id, Slot("mee"), True)
    services.answer(interview_id, Slot("citaten"), False)
    services.answer(interview_id, Slot("leeftijd"), "45")
    services.answer(interview_id, Slot("digitaal"), "tel")
    services.skip(interview_id, Slot("hulp"))
    services.answer(interview_id, Slot("postcode"), "Noord")


def test_a_new_interview_shows_its_first_section_and_question(services, interview):
    items = build_transcript(services.state(interview.id))
    assert shown(items) == [("section", "Toestemming", []), ("current", "Doet u mee?", [])]
    assert items[1].key == "ask:mee:" and items[1].slot == Slot("mee") and not items[1].saved


def test_answers_in_order_worded_for_the_interviewer_then_the_loop_prompt(services, interview):
    answer_context(services, interview.id)
    items = build_transcript(services.state(interview.id))
    assert shown(items) == [
        ("section", "Toestemming", []),
        ("answered", "Doet u mee?", ["ja"]),
        ("answered", "Citaten?", ["nee"]),
        ("section", "Context", []),
        ("answered", "Leeftijd?", ["45"]),
        ("answered", "Hoe regelt u het?", ["Telefoon"]),  # the label of the choice, not its value
        ("answered", "Wie helpt?", ["(overgeslagen)"]),
        ("answered", "Wijk?", ["Noord"]),
        ("section", "Stappen", []),
        ("loop", "Eerste stap van de reis beginnen?", []),
    ]
    assert all(item.saved for item in items if item.kind == "answered")
    assert [item.key for item in items if item.kind == "answered"][:2] == ["qa:mee::1", "qa:citaten::1"]
    assert items[-1].key == "loop:reis:0"


def test_steps_have_a_header_with_number_and_description_and_the_current_question_last(services, interview):
    answer_context(services, interview.id)
    services.loop_answer(interview.id, LoopPrompt("reis", 0), True)
    for raw in ("Brief gekregen", "Gemeente", -2):
        services.answer(interview.id, services.state(interview.id).current(), raw)
    state = services.state(interview.id)
    step = state.steps[0]
    items = build_transcript(state)
    assert shown(items[-5:]) == [
        ("step", "Stap 1: Brief gekregen", []),
        ("answered", "Wat gebeurde er?", ["Brief gekregen"]),
        ("answered", "Met wie?", ["Gemeente"]),
        ("answered", "Hoe voelde dat?", ["-2 ☹☹ zeer negatief"]),
        ("current", "Wat ging er mis?", []),  # asked because the emotion was negative
    ]
    assert items[-5].key == f"step:{step.id}"
    assert items[-1].slot == Slot("waarom", step.id)


def test_the_loop_prompt_counts_the_steps_so_far(services, interview):
    answer_context(services, interview.id)
    services.loop_answer(interview.id, LoopPrompt("reis", 0), True)
    for raw in ("Brief gekregen", "Gemeente", 1):
        services.answer(interview.id, services.state(interview.id).current(), raw)
    state = services.state(interview.id)
    assert state.current() == LoopPrompt("reis", 1)
    with using_language("en"):
        items = build_transcript(state)
    assert (items[-1].kind, items[-1].text, items[-1].key) == ("loop", "Another step? (now 1 step)", "loop:reis:1")


def test_a_changed_answer_shows_its_revision_and_gets_a_new_key(services, interview):
    answer_context(services, interview.id)
    services.answer(interview.id, Slot("leeftijd"), "46")
    items = build_transcript(services.state(interview.id))
    age = next(item for item in items if item.slot == Slot("leeftijd"))
    assert (age.key, age.detail) == ("qa:leeftijd::2", ["46", "wijziging 2"])


def test_a_refusal_ends_the_transcript_with_the_refusal(services, interview):
    services.answer(interview.id, Slot("mee"), False)
    state = services.state(interview.id)
    assert isinstance(state.current(), Ended)
    items = build_transcript(state)
    assert shown(items) == [
        ("section", "Toestemming", []),
        ("answered", "Doet u mee?", ["nee"]),
        ("end", "Geen toestemming om mee te doen: het interview is gestopt. Alleen de weigering is bewaard.", []),
    ]


def test_the_same_state_gives_the_same_transcript(services, interview):
    answer_context(services, interview.id)
    assert build_transcript(services.state(interview.id)) == build_transcript(services.state(interview.id))


QS_WITH_HELP = SMALL_SET.replace(
    '      - {id: leeftijd, kind: number, prompt: "Leeftijd?", validation: {min: 18, max: 120, message: "Tussen 18 en 120."}}',
    '      - {id: leeftijd, kind: number, prompt: "Leeftijd?", hint: {nl: "In jaren", en: "In years"},'
    ' probes: [{nl: "Ongeveer?", en: "Roughly?"}]}',
).replace("    title: Context\n", "    title: Context\n    intro: Eerst wat over u.\n")


def test_question_detail_gives_the_hint_and_the_probes():
    qs = parse_question_set(QS_WITH_HELP, "klein.yaml")
    question = next(q for s in qs.sections for q in s.questions if q.id == "leeftijd")
    assert question_detail(question) == ["tip: In jaren", 'doorvragen: "Ongeveer?"']
    with using_language("en"):
        assert question_detail(question) == ["tip: In years", 'probe: "Roughly?"']


@pytest.fixture
def small_qs():
    return parse_question_set(SMALL_SET, "klein.yaml")


def question(qs, question_id: str):
    return next(q for s in qs.sections for q in s.questions if q.id == question_id)


def test_format_value_per_kind(small_qs):
    qs = small_qs
    assert format_value(qs, question(qs, "mee"), True) == "ja"
    with using_language("en"):
        assert format_value(qs, question(qs, "mee"), False) == "no"
    assert format_value(qs, question(qs, "emotie"), 2) == "+2 ☺☺ zeer positief"
    with using_language("en"):
        assert format_value(qs, question(qs, "emotie"), 0) == "0 ~ neutral"
    assert format_value(qs, question(qs, "emotie"), -1) == "-1 ☹ negatief"
    assert format_value(qs, question(qs, "digitaal"), "web") == "Website"
    assert format_value(qs, question(qs, "digitaal"), "fax") == "fax"  # an unknown value as it is
    assert format_value(qs, question(qs, "wie"), ["Gemeente", "UWV"]) == "Gemeente, UWV"
    assert format_value(qs, question(qs, "leeftijd"), 45) == "45"
    assert format_value(qs, question(qs, "wat"), None) == ""


def test_emotion_label_has_the_face_and_the_word(english):
    assert [emotion_label(score) for score in FACES] == [
        "☹☹ very negative", "☹ negative", "~ neutral", "☺ positive", "☺☺ very positive",
    ]


def test_the_first_question_of_a_section_is_asked_with_the_intro_hint_and_probes(services, interview):
    from klantreis_tui.engine import InterviewState

    services.answer(interview.id, Slot("mee"), True)
    services.answer(interview.id, Slot("citaten"), True)
    answers = services.state(interview.id).answers
    state = InterviewState(parse_question_set(QS_WITH_HELP, "klein.yaml"), answers, [])
    assert state.current() == Slot("leeftijd")
    items = build_transcript(state)
    assert shown(items[-2:]) == [
        ("section", "Context", []),
        ("current", "Leeftijd?", ["Eerst wat over u.", "tip: In jaren", 'doorvragen: "Ongeveer?"']),
    ]
