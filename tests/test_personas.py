"""Persona's: storage and services (create, edit, reorder, respondents, desired scores), the proposed groupings,
and forgetting a respondent taking them out of every persona."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from klantreis_tui.services import Services
from klantreis_tui.services.personas import PersonaProblem, alike_groups, journey_distance
from tests.personas_study import build


def rows(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_create_edit_reorder_and_delete(services: Services, tmp_path: Path):
    built = build(services)
    first = services.create_persona(built.study_id, "  Zelfstandige  ", goal="Inkomen")
    second = services.create_persona(built.study_id, "Werkzoekende")
    db = tmp_path / "k.db"
    assert rows(db, "SELECT name, goal, position FROM personas ORDER BY position") == [
        ("Zelfstandige", "Inkomen", 1), ("Werkzoekende", "", 2)]
    services.update_persona(first.model_copy(update={"story": "Heeft een eigen zaak.", "context": "Alleenstaand"}))
    assert rows(db, f"SELECT story, context FROM personas WHERE id = '{first.id}'") == [("Heeft een eigen zaak.", "Alleenstaand")]
    services.move_persona(second.id, -1)
    assert [p.name for p in services.personas(built.study_id)] == ["Werkzoekende", "Zelfstandige"]
    with pytest.raises(PersonaProblem, match="Werkzoekende"):
        services.create_persona(built.study_id, "werkzoekende")
    with pytest.raises(PersonaProblem):
        services.update_persona(first.model_copy(update={"name": "WERKZOEKENDE"}))
    with pytest.raises(PersonaProblem):
        services.create_persona(built.study_id, "   ")
    services.set_persona_respondents(first.id, [built.respondents["R01"]])
    services.set_desired(first.id, "aanvraag", 2, [])
    services.delete_persona(first.id)
    assert rows(db, "SELECT name FROM personas") == [("Werkzoekende",)]
    assert rows(db, "SELECT count(*) FROM persona_respondents") == [(0,)]
    assert rows(db, "SELECT count(*) FROM desired_scores") == [(0,)]


def test_respondents_of_a_persona(services: Services, tmp_path: Path):
    built = build(services)
    persona = services.create_persona(built.study_id, "Zelfstandige")
    services.set_persona_respondents(persona.id, [built.respondents["R02"], built.respondents["R01"], built.respondents["R02"]])
    assert [r.code for r in services.persona_respondents(persona.id)] == ["R01", "R02"]
    services.set_persona_respondents(persona.id, [built.respondents["R03"]])
    assert rows(tmp_path / "k.db", "SELECT respondent_id FROM persona_respondents") == [(built.respondents["R03"],)]
    other = services.create_study("Andere studie")
    stranger = services.create_persona(other.id, "Vreemde")
    with pytest.raises(PersonaProblem):
        services.set_persona_respondents(stranger.id, [built.respondents["R01"]])
    assert services.persona_respondents(stranger.id) == []


def test_desired_score_kept_off_the_scale_and_removed_when_empty(services: Services, tmp_path: Path):
    built = build(services)
    persona = services.create_persona(built.study_id, "Zelfstandige")
    with pytest.raises(PersonaProblem):
        services.set_desired(persona.id, "aanvraag", 3, [])
    services.set_desired(persona.id, "aanvraag", -1, ["Eén loket"])
    assert rows(tmp_path / "k.db", "SELECT phase, score, ideas FROM desired_scores") == [("aanvraag", -1, '["Eén loket"]')]
    services.set_desired(persona.id, "aanvraag", None, [])
    assert rows(tmp_path / "k.db", "SELECT count(*) FROM desired_scores") == [(0,)]


def test_proposals_by_segment_and_by_alike_journeys(services: Services):
    built = build(services)
    proposals = services.propose_personas(built.study_id)
    # R01 'ZZP' and R02 'zzp ' share a segment; R03 and R04 told the same call to UWV with -1
    assert [(p.kind, p.codes) for p in proposals] == [("segment", ("R01", "R02")), ("journey", ("R03", "R04"))]
    assert proposals[0].name == "ZZP" and proposals[1].segment == ""
    persona = services.accept_persona_proposal(built.study_id, proposals[1], name="Bellers")
    assert [r.code for r in services.persona_respondents(persona.id)] == ["R03", "R04"]


def test_journey_distance_by_hand():
    a = ({"x": 0.0, "y": -1.5}, {"gemeente", "uwv"}, {"t1"})
    b = ({"x": 1.0, "z": 2.0}, {"gemeente"}, set())
    # phases: x 1/4, y only a 0.5, z only b 0.5 -> 5/12; organisations 1 - 1/2; themes 1 - 0/1
    assert journey_distance(a, b) == pytest.approx(0.5 * 5 / 12 + 0.25 * 0.5 + 0.25 * 1)
    same = ({"x": -1.0}, {"uwv"}, set())
    assert journey_distance(same, same) == pytest.approx(0.25 * 0.5)  # neither has a theme: 0.5
    groups = alike_groups({"r1": same, "r2": same, "r3": a, "r4": b})
    assert groups == [["r1", "r2"]]


def test_forgetting_a_respondent_takes_them_out_of_persona(services: Services, tmp_path: Path):
    built = build(services)
    persona = services.create_persona(built.study_id, "Zelfstandige")
    services.set_persona_respondents(persona.id, [built.respondents["R01"], built.respondents["R02"]])
    services.forget_respondent(built.respondents["R01"])
    assert rows(tmp_path / "k.db", "SELECT respondent_id FROM persona_respondents") == [(built.respondents["R02"],)]
    view = services.persona_view(persona.id)
    assert view.respondents == ("R02",)
    assert {p.name: p.score.n for p in view.phases}["aanvraag"] == 1


def test_alike_grouping_of_many_respondents_is_bounded():
    """60 respondents in three clear kinds of journey come out as three groups (and in bounded time)."""
    kinds = [({"a": -2.0, "b": -1.0}, {"uwv"}, {"t1"}), ({"a": 1.0, "b": 2.0}, {"gemeente"}, {"t2"}),
             ({"c": 0.0}, {"school"}, set())]
    features = {f"r{n:02}": kinds[n % 3] for n in range(60)}
    groups = alike_groups(features)
    assert sorted(len(g) for g in groups) == [20, 20, 20]
    assert all(len({int(r[1:]) % 3 for r in g}) == 1 for g in groups)


def test_purging_a_study_removes_its_personas_and_desired_scores(services: Services, tmp_path: Path):
    built = build(services)
    persona = services.create_persona(built.study_id, "Zelfstandige")
    services.set_persona_respondents(persona.id, [built.respondents["R01"]])
    services.set_desired(persona.id, "aanvraag", 1, ["Eén loket"])
    other = services.create_study("Blijft")
    services.create_persona(other.id, "Andere")
    services.purge_studies([built.study_id])
    db = tmp_path / "k.db"
    assert rows(db, "SELECT name FROM personas") == [("Andere",)]
    assert rows(db, "SELECT count(*) FROM persona_respondents") == [(0,)]
    assert rows(db, "SELECT count(*) FROM desired_scores") == [(0,)]
