"""The pydantic record models: defaults, validation, strictness and lossless round trips."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from klantreis_tui.models.records import (
    EMOTION_MAX,
    EMOTION_MIN,
    Answer,
    Consent,
    Interview,
    InterviewStatus,
    Respondent,
    Step,
    Study,
)

from tests.conftest import make_interview, make_respondent, make_step, make_study

T0 = datetime(2024, 3, 5, 14, 30, 15, 123456, tzinfo=timezone.utc)
T1 = datetime(2024, 3, 5, 15, 45, tzinfo=timezone(timedelta(hours=1)))


def full_study() -> Study:
    return make_study(
        "Schulden en hulp",
        id="s-1",
        doelgroep="Inwoners met schulden",
        trigger="Brief van de deurwaarder",
        journey_start="Eerste betalingsachterstand",
        journey_end="Schuldenvrij",
        retention_until=date(2026, 12, 31),
        created_at=T0,
    )


def full_respondent() -> Respondent:
    return make_respondent("s-1", "R07", id="r-1", age_band="30-45", segment="huurder", tags=["a", "b c"])


def full_interview() -> Interview:
    return make_interview(
        "s-1",
        "r-1",
        id="i-1",
        interviewer="Anna",
        started_at=T0,
        ended_at=T1,
        status=InterviewStatus.geen_toestemming,
    )


def full_consent() -> Consent:
    return Consent(
        interview_id="i-1", item="quotes", granted=True, text_version="t1", question_set_version="2", recorded_at=T1
    )


def full_answer() -> Answer:
    return Answer(
        interview_id="i-1",
        question_id="leeftijd",
        step_id="st-1",
        revision=3,
        value={"getal": 42, "lijst": [1, "twee", None, True], "tekst": "één"},
        skipped=True,
        retracted=True,
        recorded_at=T0,
    )


def full_step() -> Step:
    return make_step(
        "i-1",
        4,
        id="st-1",
        phase="Oriëntatie",
        description="Belde de gemeente",
        instances=["gemeente", "bank"],
        channels=["tel", "web"],
        emotion=-2,
        emotion_words=["boos", "moe"],
        quotes=["\"Niemand nam op.\""],
        pain_point="Lange wachttijd",
        opportunity="Terugbelservice",
        duration="2 weken",
        moment_of_truth=True,
    )


FULL = [full_study, full_respondent, full_interview, full_consent, full_answer, full_step]

MINIMAL = {
    Study: {"title": "T"},
    Respondent: {"study_id": "s", "code": "R01"},
    Interview: {"study_id": "s", "respondent_id": "r", "question_set_id": "q", "question_set_version": "1"},
    Consent: {"interview_id": "i", "item": "participation", "granted": False, "text_version": "t", "question_set_version": "1"},
    Answer: {"interview_id": "i", "question_id": "q", "revision": 1},
    Step: {"interview_id": "i", "position": 1},
}


# --- defaults ----------------------------------------------------------------------------


def test_study_defaults():
    before = datetime.now(timezone.utc)
    a = Study(title="Een")
    b = Study(title="Twee")
    after = datetime.now(timezone.utc)
    assert uuid.UUID(a.id).version == 4
    assert a.id != b.id
    assert (a.doelgroep, a.trigger, a.journey_start, a.journey_end) == ("", "", "", "")
    assert a.retention_until is None
    assert a.created_at.tzinfo is not None and a.created_at.utcoffset() == timedelta(0)
    assert before <= a.created_at <= after


def test_respondent_defaults_and_unshared_tags():
    a = Respondent(study_id="s", code="R01")
    b = Respondent(study_id="s", code="R02")
    assert (a.age_band, a.segment, a.tags) == ("", "", [])
    a.tags.append("x")
    assert b.tags == []
    assert Respondent(study_id="s", code="R03").tags == []
    assert a.id != b.id


def test_interview_defaults():
    before = datetime.now(timezone.utc)
    iv = Interview(**MINIMAL[Interview])
    assert iv.status is InterviewStatus.bezig
    assert iv.status.value == "bezig"
    assert iv.ended_at is None
    assert iv.interviewer == ""
    assert before <= iv.started_at <= datetime.now(timezone.utc)
    assert uuid.UUID(iv.id)


def test_consent_defaults():
    before = datetime.now(timezone.utc)
    c = Consent(**MINIMAL[Consent])
    assert c.granted is False
    assert before <= c.recorded_at <= datetime.now(timezone.utc)


def test_answer_defaults():
    a = Answer(**MINIMAL[Answer])
    assert a.step_id == ""
    assert a.value is None
    assert a.skipped is False and a.retracted is False
    assert a.recorded_at.tzinfo is not None


def test_step_defaults():
    s = Step(**MINIMAL[Step])
    assert s.emotion is None
    assert s.moment_of_truth is False
    for name in ("instances", "channels", "emotion_words", "quotes"):
        assert getattr(s, name) == []
    for name in ("phase", "description", "pain_point", "opportunity", "duration"):
        assert getattr(s, name) == ""
    other = Step(**MINIMAL[Step])
    s.quotes.append("q")
    assert other.quotes == []
    assert s.id != other.id


def test_interview_status_values():
    assert [s.value for s in InterviewStatus] == ["bezig", "afgerond", "afgebroken", "geen toestemming"]
    assert Interview(**MINIMAL[Interview], status="geen toestemming").status is InterviewStatus.geen_toestemming
    with pytest.raises(ValidationError):
        Interview(**MINIMAL[Interview], status="klaar")


# --- required fields and bounds -----------------------------------------------------------


@pytest.mark.parametrize("model", list(MINIMAL))
def test_required_fields(model):
    for name in MINIMAL[model]:
        data = {k: v for k, v in MINIMAL[model].items() if k != name}
        with pytest.raises(ValidationError):
            model(**data)


def test_study_title_not_empty():
    with pytest.raises(ValidationError):
        Study(title="")


@pytest.mark.parametrize("bad", [0, -1])
def test_answer_revision_and_step_position_at_least_one(bad):
    with pytest.raises(ValidationError):
        Answer(**{**MINIMAL[Answer], "revision": bad})
    with pytest.raises(ValidationError):
        Step(**{**MINIMAL[Step], "position": bad})


def test_emotion_range_accepted():
    assert (EMOTION_MIN, EMOTION_MAX) == (-2, 2)
    for value in range(-2, 3):
        assert Step(**MINIMAL[Step], emotion=value).emotion == value


@pytest.mark.parametrize("bad", [-3, 3, 5, -100])
def test_emotion_outside_range_rejected(bad):
    with pytest.raises(ValidationError):
        Step(**MINIMAL[Step], emotion=bad)


@pytest.mark.parametrize("bad", [3, -3])
def test_emotion_assignment_validated(bad):
    step = Step(**MINIMAL[Step], emotion=1)
    with pytest.raises(ValidationError):
        step.emotion = bad
    assert step.emotion == 1


def test_emotion_rejects_fraction():
    with pytest.raises(ValidationError):
        Step(**MINIMAL[Step], emotion=1.5)


# --- unknown fields ------------------------------------------------------------------------


@pytest.mark.parametrize("model", list(MINIMAL))
def test_unknown_field_rejected(model):
    with pytest.raises(ValidationError) as info:
        model(**MINIMAL[model], onbekend="x")
    assert any(err["type"] == "extra_forbidden" for err in info.value.errors())


@pytest.mark.parametrize("factory", FULL)
def test_unknown_field_rejected_on_validate(factory):
    data = factory().model_dump()
    data["extra_veld"] = 1
    with pytest.raises(ValidationError):
        type(factory()).model_validate(data)


def test_unknown_attribute_assignment_rejected():
    study = Study(title="T")
    with pytest.raises(ValueError):
        study.onbekend = "x"


# --- respondent code ------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["R01", "r1", "A_b-9", "x", "1" * 20])
def test_respondent_code_valid(code):
    assert Respondent(study_id="s", code=code).code == code


@pytest.mark.parametrize(
    "code", ["", "1" * 21, "R 01", "R/01", "R01.", "Rë1", "R01\n", "\nR01", "<R01>", "R01;DROP"]
)
def test_respondent_code_invalid(code):
    with pytest.raises(ValidationError):
        Respondent(study_id="s", code=code)


def test_respondent_code_assignment_validated():
    r = Respondent(study_id="s", code="R01")
    with pytest.raises(ValidationError):
        r.code = "R 02"
    assert r.code == "R01"


# --- round trips --------------------------------------------------------------------------


@pytest.mark.parametrize("factory", FULL)
def test_round_trip_python(factory):
    original = factory()
    dumped = original.model_dump()
    again = type(original).model_validate(dumped)
    assert again == original
    assert again.model_dump() == dumped


@pytest.mark.parametrize("factory", FULL)
def test_round_trip_json_mode(factory):
    original = factory()
    dumped = original.model_dump(mode="json")
    again = type(original).model_validate(dumped)
    assert again == original
    assert type(original).model_validate_json(original.model_dump_json()) == original


@pytest.mark.parametrize("model", list(MINIMAL))
def test_round_trip_defaults(model):
    original = model(**MINIMAL[model])
    assert model.model_validate(original.model_dump()) == original
    assert model.model_validate(original.model_dump(mode="json")) == original


def test_round_trip_keeps_types():
    study = Study.model_validate(full_study().model_dump(mode="json"))
    assert isinstance(study.retention_until, date) and not isinstance(study.retention_until, datetime)
    assert study.retention_until == date(2026, 12, 31)
    assert study.created_at == T0 and study.created_at.microsecond == 123456
    iv = Interview.model_validate(full_interview().model_dump(mode="json"))
    assert iv.status is InterviewStatus.geen_toestemming
    assert iv.ended_at == T1 and iv.ended_at.utcoffset() == timedelta(hours=1)
    answer = Answer.model_validate(full_answer().model_dump(mode="json"))
    assert answer.value == {"getal": 42, "lijst": [1, "twee", None, True], "tekst": "één"}


@pytest.mark.parametrize("value", [None, 0, -7, 3.25, "", "tekst", True, False, [], [1, "a"], {}, {"a": {"b": [None]}}])
def test_answer_value_types_round_trip(value):
    answer = Answer(**MINIMAL[Answer], value=value)
    again = Answer.model_validate(answer.model_dump())
    assert again.value == value
    assert type(again.value) is type(value)
    again_json = Answer.model_validate_json(answer.model_dump_json())
    assert again_json.value == value
    assert type(again_json.value) is type(value)


# --- the table of step fields (models/steps.py) ------------------------------------------------

STEP_KEYS = {"id", "interview_id", "position"}


def test_step_field_table_and_step_model_agree():
    from klantreis_tui.models import steps as step_fields

    assert set(step_fields.NAMES) == set(Step.model_fields) - STEP_KEYS
    assert len(step_fields.NAMES) == len(set(step_fields.NAMES))
    assert set(step_fields.BY_NAME) == set(step_fields.NAMES)
    assert set(step_fields.LIST_NAMES) == {
        name for name, info in Step.model_fields.items() if getattr(info.annotation, "__origin__", None) is list
    }
    assert set(step_fields.FLAG_NAMES) == {name for name, info in Step.model_fields.items() if info.annotation is bool}


def test_step_field_table_keeps_the_order_of_forms_tables_and_exports():
    from klantreis_tui.models import steps as step_fields

    assert step_fields.NAMES == (
        "phase", "description", "instances", "channels", "emotion", "emotion_words", "quotes", "pain_point",
        "opportunity", "duration", "moment_of_truth",
    )
