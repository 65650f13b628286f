"""The services layer: interviews from consent to the end, with every change committed."""

from __future__ import annotations

import sqlite3

import pytest

from klantreis_tui.engine import AnswerInvalid, Ended, LoopPrompt, Slot
from klantreis_tui.models import InterviewStatus
from tests.conftest import load_journey


def run_small(services, study_id, steps):
    """Answer the small script with ``steps`` (dicts of question id to typed text)."""
    interview = services.start_interview(study_id, "klein", interviewer="AB")
    context = {"mee": "j", "citaten": "j", "leeftijd": "44", "digitaal": "1", "postcode": "Noord", "nog_iets": ""}
    pending = list(steps)
    while True:
        position = services.state(interview.id).current()
        if isinstance(position, Ended):
            return interview
        if isinstance(position, LoopPrompt):
            services.loop_answer(interview.id, position, bool(pending))
            current = pending.pop(0) if pending else None
            continue
        if position.step_id:
            services.answer(interview.id, position, current.get(position.question_id, ""))
        else:
            services.answer(interview.id, position, context[position.question_id])


def test_small_interview_stores_steps_and_consent(services):
    study = services.create_study("Test")
    interview = run_small(
        services,
        study.id,
        [
            {"wat": "Belt de gemeente", "wie": "Gemeente KCC", "emotie": "-2", "waarom": "Bandje"},
            {"wat": "Afspraak online", "wie": "Gemeente, zoon", "emotie": "1"},
        ],
    )
    steps = services.steps(interview.id)
    assert [(s.position, s.description, s.instances, s.emotion, s.pain_point) for s in steps] == [
        (1, "Belt de gemeente", ["Gemeente KCC"], -2, "Bandje"),
        (2, "Afspraak online", ["Gemeente", "zoon"], 1, ""),
    ]
    consents = {c.item: c for c in services.store.consents_of(interview.id)}
    assert consents["participation"].granted and consents["quotes"].granted
    assert consents["participation"].text_version == "t1"
    assert consents["participation"].question_set_version == "2"
    assert services.state(interview.id).current() == Ended()


def test_refused_consent_keeps_only_the_refusal(services):
    study = services.create_study("Test")
    interview = services.start_interview(study.id, "klein")
    saved = services.answer(interview.id, Slot("mee"), "nee")
    assert saved.state.current() == Ended(refused=True)
    assert services.interview(interview.id).status is InterviewStatus.geen_toestemming
    assert services.interview(interview.id).ended_at is not None
    assert [(a.question_id, a.value) for a in services.store.answers_of(interview.id)] == [("mee", False)]
    assert [(c.item, c.granted) for c in services.store.consents_of(interview.id)] == [("participation", False)]
    assert services.steps(interview.id) == []


def test_invalid_answer_changes_nothing(services):
    study = services.create_study("Test")
    interview = services.start_interview(study.id, "klein")
    services.answer(interview.id, Slot("mee"), "j")
    services.answer(interview.id, Slot("citaten"), "j")
    before = services.store.counts()
    with pytest.raises(AnswerInvalid, match="Tussen 18 en 120"):
        services.answer(interview.id, Slot("leeftijd"), "7")
    assert services.store.counts() == before
    assert services.state(interview.id).current() == Slot("leeftijd")


def test_edit_adds_a_revision_and_updates_the_step(services):
    study = services.create_study("Test")
    interview = run_small(services, study.id, [{"wat": "Belt", "wie": "UWV", "emotie": "-1", "waarom": "Lang"}])
    step = services.steps(interview.id)[0]
    services.answer(interview.id, Slot("emotie", step.id), "+1")
    revisions = [(a.revision, a.value) for a in services.store.answers_of(interview.id) if a.question_id == "emotie"]
    assert revisions == [(1, -1), (2, 1)]
    assert services.steps(interview.id)[0].emotion == 1


def test_undo_restores_the_previous_revision_or_retracts(services):
    study = services.create_study("Test")
    interview = services.start_interview(study.id, "klein")
    services.answer(interview.id, Slot("mee"), "j")
    services.answer(interview.id, Slot("citaten"), "j")
    services.answer(interview.id, Slot("citaten"), "n")
    services.undo_last(interview.id)
    assert services.state(interview.id).value(Slot("citaten")) is True
    services.store.add_answer(interview.id, "leeftijd", 50)
    services.undo_last(interview.id)
    state = services.state(interview.id)
    assert state.value(Slot("leeftijd")) is None
    assert state.current() == Slot("leeftijd")
    # every revision is still there: undo appends
    assert [a.revision for a in services.store.answers_of(interview.id) if a.question_id == "citaten"] == [1, 2, 3]


def test_skip_optional_but_not_required(services):
    study = services.create_study("Test")
    interview = services.start_interview(study.id, "klein")
    with pytest.raises(AnswerInvalid, match="verplichte vraag"):
        services.skip(interview.id, Slot("mee"))
    services.answer(interview.id, Slot("mee"), "j")
    saved = services.skip(interview.id, Slot("citaten"))
    assert saved.answer.skipped
    assert saved.state.current() == Slot("leeftijd")


def test_respondent_codes_are_proposed_in_order(services):
    study = services.create_study("Test")
    first = services.start_interview(study.id, "klein")
    second = services.start_interview(study.id, "klein")
    assert services.respondent(first.respondent_id).code == "R01"
    assert services.respondent(second.respondent_id).code == "R02"
    assert services.next_respondent_code(study.id) == "R03"


def test_context_answers_fill_the_respondent(services):
    study = services.create_study("Test")
    interview = services.start_interview(study.id, "vng-algemeen")
    for qid, value in (("toestemming_deelname", "j"), ("toestemming_opname", "n"), ("toestemming_citaten", "j")):
        services.answer(interview.id, Slot(qid), value)
    services.answer(interview.id, Slot("leeftijd"), "45-54")
    services.answer(interview.id, Slot("segment"), "gescheiden, baan verloren")
    respondent = services.respondent(services.interview(interview.id).respondent_id)
    assert (respondent.age_band, respondent.segment) == ("45-54", "gescheiden, baan verloren")


def test_debts_journey_through_the_general_script(services, tmp_path):
    """The debts journey (jan-schulden.json) entered through the services; the database holds it all."""
    journey = load_journey("jan-schulden")
    study = services.create_study(journey["study"])
    interview = services.start_interview(study.id, "vng-algemeen", respondent_code=journey["respondent"]["code"])
    fixed = {
        "toestemming_deelname": "j",
        "toestemming_opname": "j",
        "toestemming_citaten": "j",
        "leeftijd": journey["respondent"]["age_band"],
        "segment": journey["respondent"]["segment"],
        "aanleiding": journey["trigger"],
        "verwachting": journey["expectation"],
        "digitaal": "zelf",
    }
    steps = list(journey["steps"])
    current = None
    while not isinstance(position := services.state(interview.id).current(), Ended):
        if isinstance(position, LoopPrompt):
            services.loop_answer(interview.id, position, bool(steps))
            current = steps.pop(0) if steps else None
            continue
        if position.step_id:
            typed = {
                "stap_wat": current["step"],
                "stap_fase": current["phase"],
                "stap_instantie": current["instance"],
                "stap_kanaal": current["channel"],
                "stap_emotie": str(current["emotion"]),
                "stap_woorden": ", ".join(current["emotion_words"]),
                "stap_citaat": current["quote"] or "",
                "stap_knelpunt": current["pain_point"] or "",
                "stap_kans": current["opportunity"] or "",
            }.get(position.question_id, "")
            services.answer(interview.id, position, typed)
        else:
            services.answer(interview.id, position, fixed.get(position.question_id, ""))
    services.finish(interview.id)

    conn = sqlite3.connect(tmp_path / "k.db")
    rows = conn.execute(
        "SELECT position, phase, description, instances, channels, emotion, quotes, pain_point, opportunity "
        "FROM steps WHERE interview_id = ? ORDER BY position",
        [interview.id],
    ).fetchall()
    assert len(rows) == 6
    assert rows[0][:3] == (1, "voor de hulp", "Maakt de post niet meer open")
    assert rows[0][3] == '["Zorgverzekeraar", "energiebedrijf"]'
    assert rows[4][5] == -2 and rows[4][7] == "Schuldeisers niet op elkaar afgestemd"
    assert rows[5][6] == '["Eindelijk rust in mijn hoofd."]'
    assert conn.execute("SELECT status FROM interviews").fetchone() == ("afgerond",)


# --- found by the fuzz tests (tests/test_fuzz.py) ----------------------------------------------------


def test_update_step_without_fields_changes_nothing(services):
    study = services.create_study("Leeg")
    interview = services.start_interview(study.id, "klein")
    step = services.insert_step(interview.id, description="Brief")
    assert services.update_step(step.id) == step


def test_undo_of_an_answer_whose_step_was_deleted_retracts_it(services):
    study = services.create_study("Weg")
    interview = services.start_interview(study.id, "klein")
    step = services.insert_step(interview.id)
    services.answer(interview.id, Slot("wat", step.id), "Brief")
    services.delete_step(step.id)
    undone = services.undo_last(interview.id)
    assert undone is not None and undone.retracted and undone.question_id == "wat"
    assert services.steps(interview.id) == []


def test_import_of_a_respondent_that_belongs_to_another_study_here_is_refused(services, tmp_path, qs_dir):
    from klantreis_tui.exchange import bundle_json, parse_bundle
    from klantreis_tui.question_sets import bundled_dir
    from klantreis_tui.services import ImportConflict, Services

    here = services.create_study("Hier")
    mine = services.start_interview(here.id, "klein")
    other = Services.open(tmp_path / "other.db", [bundled_dir(), qs_dir])
    try:
        theirs = other.start_interview(other.create_study("Daar").id, "klein")
        raw = bundle_json(other.export_bundle([theirs.id])).decode()
    finally:
        other.close()
    raw = raw.replace(theirs.respondent_id, mine.respondent_id)  # the same respondent id, another study
    before = services.store.counts()
    with pytest.raises(ImportConflict, match="hoort hier al bij een ander onderzoek"):
        services.import_bundle(parse_bundle(raw.encode(), "b.json"))
    assert services.store.counts() == before
    services.export_bundle(services.select_interviews())  # still exports


def test_gc_paused_restores_the_collector_even_after_an_error():
    import gc

    from klantreis_tui.services import gc_paused

    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        with gc_paused():
            assert not gc.isenabled()
            raise RuntimeError("stuk")
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()


def test_respondent_code_rule_checks_form_and_taken_codes(services):
    from klantreis_tui.models.codes import next_code

    study = services.create_study("Test")
    services.start_interview(study.id, "klein", respondent_code="R01")
    assert services.respondent_code_problem(study.id, "R02") is None
    assert services.respondent_code_problem(study.id, "R01") is not None
    assert services.respondent_code_problem(study.id, "R 1") is not None
    assert services.respondent_code_problem(study.id, "x" * 21) is not None
    assert next_code({"R01", "R02", "R04"}) == "R03"
    assert next_code(set(), prefix="P") == "P01"


def test_late_refusal_is_a_no_to_taking_part_after_other_answers(services):
    study = services.create_study("Test")
    interview = services.start_interview(study.id, "klein")
    state = services.state(interview.id)
    assert not services.is_late_refusal(state, Slot("mee"), "nee")  # nothing given yet: nothing to lose
    state = services.answer(interview.id, Slot("mee"), "j").state
    state = services.answer(interview.id, Slot("citaten"), "j").state
    state = services.answer(interview.id, Slot("leeftijd"), "44").state
    assert services.is_late_refusal(state, Slot("mee"), "nee")
    assert not services.is_late_refusal(state, Slot("mee"), "ja")
    assert not services.is_late_refusal(state, Slot("mee"), "misschien")  # not an answer: no refusal either
    assert not services.is_late_refusal(state, Slot("citaten"), "nee")  # not the consent to take part


def test_known_values_put_the_study_first_then_the_assistant_lists(services):
    study = services.create_study("Test")
    run_small(services, study.id, [{"wat": "Belt", "wie": "Zoon, UWV", "emotie": "0"}])
    instances = services.known_values(study.id, "instances")
    assert instances[:2] == ["UWV", "Zoon"]  # most used first, then by name
    assert {"Gemeente", "Belastingdienst", "Huisarts"} <= set(instances)
    assert len(instances) == len(set(instances))
    assert services.known_values(study.id, "channels")[:3] == ["telefoon", "balie", "brief"]
    assert services.known_values(study.id, "phase") == ["oriëntatie", "aanvraag", "wachten", "besluit", "nazorg"]


def test_the_state_carried_from_answer_to_answer_is_the_state_read_back(services):
    """The interview screen passes the state it holds to every answer; what comes back, changed in place of
    being read again, must be exactly what reading the database gives."""
    study = services.create_study("Gelijk")
    interview = services.start_interview(study.id, "klein", interviewer="AB")
    typed = {"mee": "j", "citaten": "j", "leeftijd": "44", "digitaal": "1", "postcode": "Noord", "nog_iets": "",
             "wat": "Brief gekregen", "wie": "Gemeente, UWV", "emotie": "2"}
    state = services.state(interview.id)
    steps_left = 2
    for _ in range(60):
        position = state.current()
        if isinstance(position, Ended):
            break
        if isinstance(position, LoopPrompt):
            services.loop_answer(interview.id, position, steps_left > 0)
            steps_left -= 1
            state = services.state(interview.id)
            continue
        state = services.answer(interview.id, position, typed.get(position.question_id, "x"), state).state
        fresh = services.state(interview.id)
        assert state.latest == fresh.latest
        assert [a.model_dump() for a in state.answers] == [a.model_dump() for a in fresh.answers]
        assert [s.model_dump() for s in state.steps] == [s.model_dump() for s in fresh.steps]
        assert state.current() == fresh.current()
    assert isinstance(state.current(), Ended)
    assert [s.instances for s in services.steps(interview.id)] == [["Gemeente", "UWV"], ["Gemeente", "UWV"]]


def test_an_answer_on_a_stale_state_gets_the_next_revision(services, tmp_path, qs_dir):
    """The save takes its revision from the state the screen holds; when another window answered the same
    question meanwhile, the answer is still appended after the other's (nothing overwritten or refused), the
    profile field holds the latest answer, and the state that comes back has this answer as the latest."""
    from klantreis_tui.question_sets import bundled_dir
    from klantreis_tui.services import Services

    study = services.create_study("Twee vensters")
    interview = services.start_interview(study.id, "vng-algemeen")
    for qid in ("toestemming_deelname", "toestemming_opname", "toestemming_citaten"):
        services.answer(interview.id, Slot(qid), "j")
    state = services.answer(interview.id, Slot("leeftijd"), "25-34").state
    other = Services.open(tmp_path / "k.db", [bundled_dir(), qs_dir])
    try:
        other.answer(interview.id, Slot("leeftijd"), "35-44")
        other.answer(interview.id, Slot("leeftijd"), "45-54")
    finally:
        other.close()
    saved = services.answer(interview.id, Slot("leeftijd"), "55-64", state)
    assert saved.answer.revision == 4
    stored = [(a.revision, a.value) for a in services.store.answers_of(interview.id) if a.question_id == "leeftijd"]
    assert stored == [(1, "25-34"), (2, "35-44"), (3, "45-54"), (4, "55-64")]
    assert saved.state.answer(Slot("leeftijd")).revision == 4
    assert services.respondent(interview.respondent_id).age_band == "55-64"
