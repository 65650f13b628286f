"""Persona's, desired scores and actions through bundles and kits: round trips, merging (twice changes nothing),
redaction, refusal of a file whose persona's or actions point to what is missing, and hostile sizes."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from klantreis_tui.exchange import BundleError, bundle_json, kit_json, parse_bundle, parse_kit
from klantreis_tui.models.limits import MAX_LIST_ITEMS, MAX_TEXT_CHARS
from klantreis_tui.question_sets import bundled_dir, load_catalog
from klantreis_tui.services import Services
from klantreis_tui.storage import Store
from tests.conftest import SMALL_SET
from tests.personas_study import Built, build

TABLES = ("personas", "persona_respondents", "desired_scores", "actions", "action_links")


def laptop(tmp_path: Path, name: str) -> Services:
    sets = tmp_path / name / "sets"
    sets.mkdir(parents=True, exist_ok=True)
    (sets / "klein.yaml").write_text(SMALL_SET, encoding="utf-8")
    services = Services(Store.open(tmp_path / name / "k.db"), load_catalog([bundled_dir(), sets]), tmp_path / name / "assist")
    services.question_set_dir = sets
    return services


def deliverables(services: Services) -> dict[str, list[tuple]]:
    """Every row of the five tables, sorted (the persona's and actions by name)."""
    conn = services.store.conn
    return {
        "personas": conn.execute("SELECT name, story, goal, context, segment FROM personas ORDER BY name").fetchall(),
        "persona_respondents": conn.execute(
            """SELECT p.name, r.code FROM persona_respondents x JOIN personas p ON p.id = x.persona_id
               JOIN respondents r ON r.id = x.respondent_id ORDER BY 1, 2""").fetchall(),
        "desired_scores": conn.execute(
            "SELECT p.name, d.phase, d.score, d.ideas FROM desired_scores d JOIN personas p ON p.id = d.persona_id ORDER BY 1, 2").fetchall(),
        "actions": conn.execute("SELECT id, title, organisation, status FROM actions ORDER BY id").fetchall(),
        "action_links": conn.execute("SELECT action_id, kind, target_id FROM action_links ORDER BY 1, 2, 3").fetchall(),
    }


ACTION = "5b0c3f4e-8f51-4c8e-9d7a-1f2e3d4c5b6a"


def with_plan(services: Services, built: Built) -> str:
    """Two persona's (one with respondents and desired scores), an action answering a theme, a persona and an
    idea; returns the first persona's id."""
    first = services.create_persona(built.study_id, "Zelfstandige", goal="Snel weer inkomen", segment="ZZP")
    services.set_persona_respondents(first.id, [built.respondents["R01"], built.respondents["R02"]])
    services.set_desired(first.id, "aanvraag", 1, ["Eén loket"])
    services.set_desired(first.id, "nazorg", 2, [])  # a phase the steps used, outside the study's list
    services.create_persona(built.study_id, "Bellers", story="Belt veel.")
    services.store.add_deliverable_rows("actions", [{
        "id": ACTION, "study_id": built.study_id, "title": "Eén loket voor zelfstandigen", "description": "",
        "organisation": "Gemeente", "owner_role": "teamleider", "time_estimate": "3 maanden", "cost_estimate": "klein",
        "status": "planned",
    }])
    services.store.add_deliverable_rows("action_links", [
        {"action_id": ACTION, "kind": "theme", "target_id": built.themes["Lange formulieren"]},
        {"action_id": ACTION, "kind": "persona", "target_id": first.id},
        {"action_id": ACTION, "kind": "idea", "target_id": built.steps[("R01", 3)]},
    ])
    return first.id


def test_round_trip_through_a_bundle_and_importing_twice_changes_nothing(tmp_path: Path):
    a, b = laptop(tmp_path, "a"), laptop(tmp_path, "b")
    built = build(a)
    with_plan(a, built)
    bundle = a.export_bundle(a.select_interviews(study=built.study_id))
    assert [p.name for p in bundle.personas] == ["Zelfstandige", "Bellers"]
    assert len(bundle.persona_respondents) == 2 and len(bundle.action_links) == 3
    report = b.import_bundle(parse_bundle(bundle_json(bundle), "a.json"))
    assert (report.personas, report.actions) == (2, 1)
    assert deliverables(b) == deliverables(a)
    assert b.persona_view(bundle.personas[0].id) == a.persona_view(bundle.personas[0].id)
    again = b.import_bundle(parse_bundle(bundle_json(bundle), "a.json"))
    assert (again.personas, again.actions) == (0, 0)
    assert deliverables(b) == deliverables(a)
    # and back: the export of b holds the same persona's and plan
    back = b.export_bundle(b.select_interviews(study=built.study_id))
    assert [getattr(back, t) for t in TABLES] == [getattr(bundle, t) for t in TABLES]
    a.close()
    b.close()


def test_import_merges_a_persona_by_name_and_keeps_what_is_here(tmp_path: Path):
    a, b = laptop(tmp_path, "a"), laptop(tmp_path, "b")
    built = build(a)
    with_plan(a, built)
    ids = a.select_interviews(study=built.study_id)
    b.import_bundle(parse_bundle(bundle_json(a.export_bundle(ids)), "a.json"))
    # on b the team made its own 'zelfstandige ' (another id) with another goal and a desired score of its own
    b.delete_persona(next(p.id for p in b.personas(built.study_id) if p.name == "Zelfstandige"))
    ours = b.create_persona(built.study_id, "zelfstandige ", goal="Eigen doel")
    b.set_desired(ours.id, "aanvraag", -1, [])
    b.import_bundle(parse_bundle(bundle_json(a.export_bundle(ids)), "a.json"))
    mine = [p for p in b.personas(built.study_id) if p.name.casefold() == "zelfstandige"]
    assert [(p.id, p.goal) for p in mine] == [(ours.id, "Eigen doel")]  # one persona, ours
    assert sorted(r.code for r in b.persona_respondents(ours.id)) == ["R01", "R02"]  # its respondents added
    assert sorted((d.phase, d.score) for d in b.desired_scores(ours.id)) == [("aanvraag", -1), ("nazorg", 2)]
    assert ("5b0c3f4e-8f51-4c8e-9d7a-1f2e3d4c5b6a", "persona", ours.id) in deliverables(b)["action_links"]
    a.close()
    b.close()


def test_persona_and_plan_texts_are_redacted_unless_asked(tmp_path: Path):
    a = laptop(tmp_path, "a")
    built = build(a)
    persona = a.create_persona(built.study_id, "Zelfstandige", story="Haar dochter belt op 06-12345678.")
    a.set_desired(persona.id, "aanvraag", 1, ["Bel 06-12345678 terug"])
    ids = a.select_interviews(study=built.study_id)
    redacted = a.export_bundle(ids)
    assert "06-12345678" not in bundle_json(redacted).decode("utf-8")
    assert "[telefoonnummer]" in redacted.personas[0].story and "[telefoonnummer]" in redacted.desired_scores[0].ideas[0]
    kept = a.export_bundle(ids, keep_personal_data=True)
    assert kept.personas[0].story == "Haar dochter belt op 06-12345678."
    assert "06-12345678" not in kit_json(a.export_kit(built.study_id)).decode("utf-8")
    a.close()


def edited(bundle_bytes: bytes, change) -> bytes:
    data = json.loads(bundle_bytes)
    change(data)
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


MISSING = "0f0e0d0c-0b0a-4909-8807-060504030201"


def link(bundle: dict, kind: str) -> dict:
    return next(x for x in bundle["action_links"] if x["kind"] == kind)


@pytest.mark.parametrize("change, missing", [
    (lambda b: b["persona_respondents"][0].update(respondent_id=MISSING), f"respondent {MISSING} van persona 'Zelfstandige'"),
    (lambda b: b["desired_scores"][0].update(phase="afhalen"), "fase 'afhalen' van de gewenste klantreis van persona 'Zelfstandige'"),
    (lambda b: link(b, "theme").update(target_id=MISSING), f"thema {MISSING} van actie 'Eén loket voor zelfstandigen'"),
    (lambda b: link(b, "persona").update(target_id=MISSING), f"persona {MISSING} van actie"),
    (lambda b: link(b, "idea").update(target_id=MISSING), f"stap {MISSING} (het idee daarvan) van actie"),
    (lambda b: b["desired_scores"][0].update(persona_id=MISSING), f"gewenste scores van persona {MISSING}, die niet in het bestand staat"),
    (lambda b: b["action_links"][0].update(action_id=MISSING), f"koppelingen van actie {MISSING}"),
])
def test_a_bundle_pointing_to_what_is_missing_is_refused_whole(tmp_path: Path, change, missing):
    a, b = laptop(tmp_path, "a"), laptop(tmp_path, "b")
    built = build(a)
    with_plan(a, built)
    data = edited(bundle_json(a.export_bundle(a.select_interviews(study=built.study_id))), change)
    bundle = parse_bundle(data, "a.json")
    before = b.store.counts()
    with pytest.raises(BundleError) as info:
        b.import_bundle(bundle)
    message = str(info.value)
    assert message.startswith("De persona's of acties in het bestand verwijzen naar iets wat niet in het bestand")
    assert missing in message and message.endswith("Er is niets geïmporteerd.")
    assert b.store.counts() == before and b.list_studies() == []
    assert all(b.store.deliverable_rows(table, [built.study_id]) == [] for table in TABLES)
    a.close()
    b.close()


def test_a_link_to_what_is_here_already_is_accepted(tmp_path: Path):
    """A bundle of one interview whose action points to a step of another interview that is here already."""
    a, b = laptop(tmp_path, "a"), laptop(tmp_path, "b")
    built = build(a)
    with_plan(a, built)
    ids = a.select_interviews(study=built.study_id)
    b.import_bundle(parse_bundle(bundle_json(a.export_bundle(ids)), "a.json"))
    only_r03 = [i for i in ids if a.interview(i).respondent_id == built.respondents["R03"]]
    bundle = a.export_bundle(only_r03)
    assert bundle.persona_respondents == []  # R01 and R02 are not in this bundle
    assert {x.kind for x in bundle.action_links} == {"theme", "persona"}  # R01's step is not in it either
    data = edited(bundle_json(bundle), lambda d: d["action_links"].append(
        {"action_id": ACTION, "kind": "idea", "target_id": built.steps[("R01", 3)]}))
    b.import_bundle(parse_bundle(data, "a.json"))  # the step is here: accepted
    a.close()
    b.close()


def test_round_trip_through_a_kit(tmp_path: Path):
    a, b = laptop(tmp_path, "a"), laptop(tmp_path, "b")
    built = build(a)
    first = with_plan(a, built)
    kit = a.export_kit(built.study_id)
    # a kit holds no interview: no respondents behind the persona's, only the actions' links to persona's
    assert [p.name for p in kit.personas] == ["Zelfstandige", "Bellers"] and kit.persona_respondents == []
    assert [(x.kind, x.target_id) for x in kit.action_links] == [("persona", first)]
    # nazorg is no phase of the study and a kit holds no step: its desired score stays home
    assert [(d.phase, d.score) for d in kit.desired_scores] == [("aanvraag", 1)]
    data = json.loads(kit_json(kit))
    data["desired_scores"].append({"persona_id": first, "phase": "nazorg", "score": 2, "ideas": []})
    with pytest.raises(BundleError, match="fase 'nazorg' van de gewenste klantreis van persona 'Zelfstandige'"):
        b.import_kit(parse_kit(json.dumps(data).encode("utf-8"), "kit.json"))
    assert b.list_studies() == []
    parsed = parse_kit(kit_json(kit), "kit.json")
    report = b.import_kit(parsed)
    assert (report.personas, report.actions) == (2, 1)
    rows = deliverables(b)
    assert rows["personas"] == deliverables(a)["personas"] and rows["persona_respondents"] == []
    assert rows["desired_scores"] == [("Zelfstandige", "aanvraag", 1, '["Eén loket"]')]
    assert rows["action_links"] == [(ACTION, "persona", first)]
    again = b.import_kit(parsed)
    assert (again.personas, again.actions) == (0, 0) and deliverables(b) == rows
    a.close()
    b.close()


def test_a_kit_naming_respondents_that_are_not_here_is_refused_whole(tmp_path: Path):
    a, b = laptop(tmp_path, "a"), laptop(tmp_path, "b")
    built = build(a)
    first = with_plan(a, built)
    data = json.loads(kit_json(a.export_kit(built.study_id)))
    data["persona_respondents"] = [{"persona_id": first, "respondent_id": built.respondents["R01"]}]
    kit = parse_kit(json.dumps(data).encode("utf-8"), "kit.json")
    with pytest.raises(BundleError, match=f"respondent {built.respondents['R01']} van persona 'Zelfstandige'"):
        b.import_kit(kit)
    assert b.list_studies() == [] and not (tmp_path / "b" / "assist" / built.study_id).exists()
    a.close()
    b.close()


def test_hostile_sizes_are_refused_like_the_other_tables(tmp_path: Path):
    a = laptop(tmp_path, "a")
    built = build(a)
    with_plan(a, built)
    base = bundle_json(a.export_bundle(a.select_interviews(study=built.study_id)))
    long_story = edited(base, lambda d: d["personas"][0].update(story="x" * (MAX_TEXT_CHARS + 1)))
    with pytest.raises(BundleError, match=r"personas\.0\.story: tekst van 100001 tekens"):
        parse_bundle(long_story, "a.json")
    many_ideas = edited(base, lambda d: d["desired_scores"][0].update(ideas=["idee"] * (MAX_LIST_ITEMS + 1)))
    with pytest.raises(BundleError, match=r"desired_scores\.0\.ideas: 1001 items"):
        parse_bundle(many_ideas, "a.json")
    bad_target = edited(base, lambda d: d["action_links"][0].update(target_id="../../etc"))
    with pytest.raises(BundleError, match=r"action_links\.0\.target_id: '\.\./\.\./etc' is geen UUID"):
        parse_bundle(bad_target, "a.json")
    kit = json.loads(kit_json(a.export_kit(built.study_id)))
    kit["personas"][0]["goal"] = "y" * (MAX_TEXT_CHARS + 1)
    with pytest.raises(BundleError, match=r"personas\.0\.goal: tekst van 100001 tekens"):
        parse_kit(json.dumps(kit).encode("utf-8"), "kit.json")
    a.close()


def test_forgetting_a_respondent_drops_the_plans_links_to_their_ideas(tmp_path: Path):
    a = laptop(tmp_path, "a")
    built = build(a)
    with_plan(a, built)
    a.forget_respondent(built.respondents["R01"])
    conn = sqlite3.connect(tmp_path / "a" / "k.db")
    kinds = [k for (k,) in conn.execute("SELECT kind FROM action_links ORDER BY kind")]
    codes = [c for (c,) in conn.execute("SELECT r.code FROM persona_respondents x JOIN respondents r ON r.id = x.respondent_id")]
    conn.close()
    assert kinds == ["persona", "theme"] and codes == ["R02"]
    a.close()


def test_the_command_line_says_what_was_added(tmp_path: Path):
    from tests.test_exchange import VALID, cli

    db = tmp_path / "k.db"
    result = cli(tmp_path, "--db", str(db), "import", str(VALID))
    assert result.returncode == 0, result.stderr
    assert "1 persona toegevoegd." in result.stdout.splitlines()
    assert "1 actie van het verbeterplan toegevoegd." in result.stdout.splitlines()
    again = cli(tmp_path, "--db", str(db), "import", str(VALID))
    assert "toegevoegd" not in again.stdout
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT name FROM personas").fetchall() == [("Alleenstaande met schulden",)]
    assert conn.execute("SELECT kind FROM action_links ORDER BY kind").fetchall() == [("idea",), ("persona",)]
    conn.close()


def test_merge_into_takes_the_personas_and_plan_along(tmp_path: Path):
    a, b = laptop(tmp_path, "a"), laptop(tmp_path, "b")
    built = build(a)
    with_plan(a, built)
    here = b.create_study("Bijstand")  # the same title, another id
    bundle = parse_bundle(bundle_json(a.export_bundle(a.select_interviews(study=built.study_id))), "a.json")
    report = b.import_bundle(bundle, merge_into=here.id)
    assert report.merged and (report.personas, report.actions) == (2, 1)
    assert [p.name for p in b.personas(here.id)] == ["Zelfstandige", "Bellers"]
    first = b.personas(here.id)[0]
    assert sorted(r.code for r in b.persona_respondents(first.id)) == ["R01", "R02"]
    assert b.store.action_study(ACTION) == here.id
    targets = {kind: target for _, kind, target in deliverables(b)["action_links"]}
    assert b.store.theme_study(targets["theme"]) == here.id and targets["persona"] == first.id
    assert [th.name for th in b.themes(here.id)] == ["Lange formulieren", "Kastje en muur"]
    a.close()
    b.close()


def test_a_personas_invented_name_survives_redaction_and_its_own_bundle_comes_back_without_duplicates(tmp_path: Path):
    """'Henk' of a persona is a name the team made up: a redacted bundle keeps it (in its name, its story and an
    action's title) while the other personal data goes; importing the bundle back into the laptop it came from
    (after it went round a colleague) matches the persona by id and adds nothing."""
    a = laptop(tmp_path, "a")
    built = build(a)
    henk = a.create_persona(built.study_id, "Henk, vastgelopen na ontslag", story="Henk belt mevrouw Jansen op 06-12345678.")
    a.set_persona_respondents(henk.id, [built.respondents["R01"]])
    a.set_desired(henk.id, "aanvraag", 1, ["Henk krijgt een vaste contactpersoon"])
    a.create_action(built.study_id, "Henk hoeft maar één keer zijn verhaal te doen", links=[("persona", henk.id)],
                    owner_role="Bel Pieter Bakker")
    ids = a.select_interviews(study=built.study_id)
    bundle = a.export_bundle(ids)
    assert [p.name for p in bundle.personas] == ["Henk, vastgelopen na ontslag"]
    assert bundle.personas[0].story == "Henk belt mevrouw [naam] op [telefoonnummer]."
    assert bundle.desired_scores[0].ideas == ["Henk krijgt een vaste contactpersoon"]
    assert bundle.actions[0].title == "Henk hoeft maar één keer zijn verhaal te doen"
    assert "Pieter Bakker" not in bundle_json(bundle).decode("utf-8")
    before = deliverables(a)
    report = a.import_bundle(parse_bundle(bundle_json(bundle), "terug.json"))
    assert (report.personas, report.actions) == (0, 0)
    assert deliverables(a) == before
    a.close()


def test_a_persona_renamed_elsewhere_is_matched_by_its_id_on_the_way_back(tmp_path: Path):
    a = laptop(tmp_path, "a")
    built = build(a)
    first = with_plan(a, built)
    ids = a.select_interviews(study=built.study_id)
    before = deliverables(a)
    renamed = edited(bundle_json(a.export_bundle(ids)), lambda d: d["personas"][0].update(name="Zelfstandige (hernoemd)"))
    report = a.import_bundle(parse_bundle(renamed, "terug.json"))
    assert report.personas == 0
    assert deliverables(a) == before and a.persona(first).name == "Zelfstandige"
    a.close()


def test_a_persona_naming_a_respondent_of_another_study_in_the_file_is_refused(tmp_path: Path):
    a, b = laptop(tmp_path, "a"), laptop(tmp_path, "b")
    built = build(a)
    with_plan(a, built)
    other = a.create_study("Andere studie")
    a.create_persona(other.id, "Vreemde")
    ids = a.select_interviews(study=built.study_id)
    bundle = a.export_bundle(ids)
    data = json.loads(bundle_json(bundle))
    data["studies"].append(json.loads(other.model_dump_json()))
    stranger = next(p for p in a.store.deliverable_rows("personas", [other.id]))
    data["personas"].append(stranger)
    data["persona_respondents"].append({"persona_id": stranger["id"], "respondent_id": built.respondents["R01"]})
    with pytest.raises(BundleError, match=f"respondent {built.respondents['R01']} van persona 'Vreemde'"):
        b.import_bundle(parse_bundle(json.dumps(data).encode("utf-8"), "a.json"))
    assert b.list_studies() == []
    a.close()
    b.close()


def test_one_phase_in_two_spellings_is_one_desired_score(services: Services):
    built = build(services)
    persona = services.create_persona(built.study_id, "Zelfstandige")
    services.set_desired(persona.id, "Orientatie", 1, [])
    services.set_desired(persona.id, "oriëntatie", 2, ["Uitleg"])
    assert [(d.phase, d.score) for d in services.desired_scores(persona.id)] == [("Orientatie", 2)]
    view = {p.name: p for p in services.persona_view(persona.id).phases}
    assert view["oriëntatie"].desired == 2.0 and "Orientatie" not in view


def test_an_action_id_taken_by_another_study_here_gets_no_links_from_the_file(tmp_path: Path):
    a, b = laptop(tmp_path, "a"), laptop(tmp_path, "b")
    built = build(a)
    with_plan(a, built)
    elsewhere = b.create_study("Elders")
    b.store.add_deliverable_rows("actions", [{
        "id": ACTION, "study_id": elsewhere.id, "title": "Iets anders", "description": "", "organisation": "",
        "owner_role": "", "time_estimate": "", "cost_estimate": "", "status": "proposed",
    }])
    report = b.import_bundle(parse_bundle(bundle_json(a.export_bundle(a.select_interviews(study=built.study_id))), "a.json"))
    assert report.actions == 0
    assert deliverables(b)["actions"] == [(ACTION, "Iets anders", "", "proposed")]
    assert deliverables(b)["action_links"] == []
    a.close()
    b.close()


def test_a_study_kit_with_an_invented_persona_name_comes_home_without_a_second_persona(tmp_path: Path):
    """The kit of a study (redacted) keeps 'Henk' and, imported back where it was made, adds nothing."""
    a = laptop(tmp_path, "a")
    built = build(a)
    henk = a.create_persona(built.study_id, "Henk, vastgelopen na ontslag", story="Henk belt 06-12345678.")
    a.set_desired(henk.id, "aanvraag", 1, ["Henk krijgt een vaste contactpersoon"])
    kit = a.export_kit(built.study_id)
    assert [p.name for p in kit.personas] == ["Henk, vastgelopen na ontslag"]
    assert kit.personas[0].story == "Henk belt [telefoonnummer]."
    before = deliverables(a)
    report = a.import_kit(parse_kit(kit_json(kit), "kit.json"))
    assert (report.personas, report.actions) == (0, 0) and deliverables(a) == before
    a.close()
