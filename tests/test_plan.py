"""The improvement plan: actions and their links in the store, proposals drawn from ideas and themes, the
ranking computed by hand, the residents' words behind each action, redaction, the documents and their templates."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from klantreis_tui.errors import TemplateProblem
from klantreis_tui.models import Consent, InterviewStatus
from klantreis_tui.models.personas import ActionStatus
from klantreis_tui.services import Services
from klantreis_tui.services.plan import PlanProblem, next_status
from tests.conftest import make_interview, make_respondent, make_step

PHONE = "06-12345678"

#: per respondent: quote consent (True, False, None: never asked) and the steps
STUDY = {
    "R01": (True, [
        {"pain_point": "lang wachten", "quotes": ["Het duurde eindeloos."], "instances": ["Gemeente"]},
        {"pain_point": "niemand belde terug", "opportunity": "een vaste contactpersoon"},
    ]),
    "R02": (False, [
        {"pain_point": f"zes weken gewacht, bel me op {PHONE}", "opportunity": "een vaste contactpersoon graag",
         "quotes": ["Ik werd er gek van."], "instances": ["gemeente"]},
    ]),
    "R03": (None, [
        {"pain_point": "wachttijd", "opportunity": "een terugbelafspraak", "quotes": ["Niemand wist het."]},
    ]),
    "R04": (True, [
        {"pain_point": "brief onduidelijk", "opportunity": "brief in gewone taal", "instances": ["UWV"]},
    ]),
}


def build(services: Services) -> dict:
    """The study above, its themes, a persona and six actions; returns the ids by name."""
    study = services.create_study("Bijstand", phases=["aanvraag", "besluit"])
    ids: dict = {"study": study.id}
    for code, (quotes, steps) in STUDY.items():
        respondent = make_respondent(study.id, code)
        interview = make_interview(study.id, respondent.id, status=InterviewStatus.afgerond)
        consents = [Consent(interview_id=interview.id, item="participation", granted=True, text_version="t1", question_set_version="2")]
        if quotes is not None:
            consents.append(Consent(interview_id=interview.id, item="quotes", granted=quotes, text_version="t1", question_set_version="2"))
        built = [make_step(interview.id, n, emotion=-1, phase="aanvraag", **fields) for n, fields in enumerate(steps, 1)]
        services.store.insert_records(respondents=[respondent], interviews=[interview], consents=consents, steps=built)
        ids[code] = respondent.id
        for n, step in enumerate(built, 1):
            ids[f"{code}.{n}"] = step.id
    evidence = {(e.code, e.number, e.field, e.item): e for e in services.evidence(study.id)}
    wait = services.create_theme(study.id, "Wachten")
    services.assign(study.id, wait.id, [evidence[k] for k in [
        ("R01", 1, "pain_point", 0), ("R01", 1, "quotes", 0), ("R02", 1, "pain_point", 0),
        ("R03", 1, "pain_point", 0), ("R03", 1, "quotes", 0)]])
    letters = services.create_theme(study.id, "Brieven")
    services.assign(study.id, letters.id, [evidence[("R04", 1, "pain_point", 0)]])
    digital = services.create_theme(study.id, "Bereikbaarheid")
    services.assign(study.id, digital.id, [evidence[("R03", 1, "opportunity", 0)]])
    ids.update(wait=wait.id, letters=letters.id, digital=digital.id)
    with services.store.atomic():
        services.store.conn.execute("INSERT INTO personas (id, study_id, name, position) VALUES ('p1', ?, 'Sandra', 1)", [study.id])
        services.store.conn.execute("INSERT INTO persona_respondents VALUES ('p1', ?)", [ids["R03"]])
    make = services.create_action
    ids["A"] = make(study.id, "Wachttijd korter", links=[("theme", wait.id)], organisation="gemeente", owner_role="teamleider").id
    ids["B"] = make(study.id, "Vaste contactpersoon", links=[("idea", ids["R01.2"]), ("idea", ids["R02.1"])]).id
    ids["C"] = make(study.id, "Brief herschrijven", links=[("theme", letters.id), ("idea", ids["R04.1"])], organisation="UWV").id
    ids["D"] = make(study.id, "Alles beter", links=[("theme", wait.id), ("idea", ids["R04.1"])]).id
    ids["E"] = make(study.id, "Tweede contact", links=[("idea", ids["R01.2"])]).id
    ids["F"] = make(study.id, "Brieven weg", links=[("theme", letters.id)], status=ActionStatus.dropped).id
    services.merge_names(study.id, "instances", ["gemeente"], "Gemeente Utrecht")
    return ids


def rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_the_ranking_counts_distinct_respondents_behind_themes_and_ideas(services: Services):
    ids = build(services)
    plan = services.improvement_plan(ids["study"])
    # by hand: D = Wachten {R01, R02, R03} + idea of R04 = 4; A = Wachten = 3; B = ideas of R01 and R02 = 2;
    # C = Brieven {R04} + idea of R04 = 1 (position 3); E = idea of R01 = 1 (position 5); F dropped
    assert [(a.rank, a.action.title, a.respondent_count) for a in plan.actions] == [
        (1, "Alles beter", 4), (2, "Wachttijd korter", 3), (3, "Vaste contactpersoon", 2),
        (4, "Brief herschrijven", 1), (5, "Tweede contact", 1)]
    assert plan.actions[0].respondents == ["R01", "R02", "R03", "R04"]
    assert [(a.rank, a.action.title) for a in plan.dropped] == [(0, "Brieven weg")]
    assert plan.respondent_count == 4
    # the owner under its canonical name, whatever spelling was typed
    assert plan.actions[1].organisation == "Gemeente Utrecht" and plan.actions[1].action.owner_role == "teamleider"
    # an owner typed in another case than a name the steps use: shown under that name
    services.update_action(ids["study"], ids["E"], organisation="gemeente UTRECHT")
    assert services.improvement_plan(ids["study"]).actions[4].organisation == "Gemeente Utrecht"

    # a tie is broken by position: moving E up past C (both 1) works, past B (2) does not
    assert services.move_action(ids["study"], ids["E"], -1)
    assert [a.action.title for a in services.improvement_plan(ids["study"]).actions][3:] == ["Tweede contact", "Brief herschrijven"]
    assert not services.move_action(ids["study"], ids["E"], -1)


def test_the_words_behind_each_action_with_quotes_only_by_consent(services: Services):
    ids = build(services)
    plan = {a.action.title: a for a in services.improvement_plan(ids["study"]).actions}
    words = lambda title: [(w.kind, w.code, w.number, w.text) for w in plan[title].words]  # noqa: E731
    assert words("Wachttijd korter") == [
        ("pain_point", "R01", 1, "lang wachten"),
        ("quote", "R01", 1, "Het duurde eindeloos."),  # consent given
        ("pain_point", "R02", 1, "zes weken gewacht, bel me op [telefoonnummer]"),
        ("pain_point", "R03", 1, "wachttijd"),  # R03's quote: consent never asked, so left out
    ]
    assert all(w.themes == ["Wachten"] for w in plan["Wachttijd korter"].words)
    # an idea brings its step's pain point and idea; R02's quote is left out (consent refused)
    assert words("Vaste contactpersoon") == [
        ("pain_point", "R01", 2, "niemand belde terug"), ("idea", "R01", 2, "een vaste contactpersoon"),
        ("pain_point", "R02", 1, "zes weken gewacht, bel me op [telefoonnummer]"),
        ("idea", "R02", 1, "een vaste contactpersoon graag"),
    ]
    # a piece reached through a theme and an idea is there once, marked as both
    brief = plan["Brief herschrijven"].words
    assert [(w.kind, w.text, w.themes, w.idea) for w in brief] == [
        ("pain_point", "brief onduidelijk", ["Brieven"], True), ("idea", "brief in gewone taal", [], True)]
    assert services.improvement_plan(ids["study"]).quotes_withheld


def test_personal_data_is_redacted_unless_kept(services: Services):
    ids = build(services)
    services.update_action(ids["study"], ids["A"], description=f"Bel de teamleider op {PHONE}")
    redacted = services.plan_text(ids["study"], "md")
    assert PHONE not in redacted and "[telefoonnummer]" in redacted
    assert PHONE not in services.plan_text(ids["study"], "html")
    kept = services.plan_text(ids["study"], "md", keep_personal_data=True)
    assert f"Bel de teamleider op {PHONE}" in kept and f"zes weken gewacht, bel me op {PHONE}" in kept
    # the database keeps what was typed
    assert rows(services.store.path, f"SELECT description FROM actions WHERE id = '{ids['A']}'") == [(f"Bel de teamleider op {PHONE}",)]


def test_the_documents_hold_every_action_and_its_evidence(services: Services):
    ids = build(services)
    md = services.plan_text(ids["study"], "md")
    for title in ("Alles beter", "Wachttijd korter", "Vaste contactpersoon", "Brief herschrijven", "Tweede contact"):
        assert f"| {title} |" in md
    assert md.index("## 1. Alles beter") < md.index("## 2. Wachttijd korter") < md.index("## 5. Tweede contact")
    section = md[md.index("## 2. Wachttijd korter"):md.index("## 3. ")]
    assert '"Het duurde eindeloos."' in section and "lang wachten" in section and "Niemand wist het" not in section
    assert "Gemeente Utrecht, teamleider" in section and "Wachten" in section
    assert "## Vervallen acties" in md and "Brieven weg" in md[md.index("## Vervallen acties"):]
    html = services.plan_text(ids["study"], "html")
    assert "@page" in html and "<style>" in html and "http" not in html.replace('xmlns="http://www.w3.org/1999/xhtml"', "")
    assert html.count('class="plan-action') == 5 and "“Het duurde eindeloos.”" in html


def test_english_labels(services: Services, english):
    ids = build(services)
    md = services.plan_text(ids["study"], "md")
    assert md.startswith("# Improvement plan: Bijstand") and "## Dropped actions" in md and "| Rank | Action | Owner |" in md


def test_a_user_template_overrides_the_bundled_one_and_a_bad_one_is_named(services: Services, tmp_path: Path):
    ids = build(services)
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "plan.md.j2").write_text(
        "{% for a in actions %}{{ a.rank }}={{ a.title }}:{{ a.respondent_count }};{% endfor %}", encoding="utf-8")
    assert services.plan_text(ids["study"], "md", templates=folder) == (
        "1=Alles beter:4;2=Wachttijd korter:3;3=Vaste contactpersoon:2;4=Brief herschrijven:1;5=Tweede contact:1;")
    # the HTML is still the bundled one
    assert "<!DOCTYPE html>" in services.plan_text(ids["study"], "html", templates=folder)
    (folder / "plan.md.j2").write_text("line one\n{{ actions[0].nothing_here }}\n", encoding="utf-8")
    with pytest.raises(TemplateProblem) as problem:
        services.plan_text(ids["study"], "md", templates=folder)
    assert str(problem.value).startswith("plan.md.j2:2:") and "nothing_here" in str(problem.value)
    (folder / "plan.md.j2").write_text("{% for a in actions %}", encoding="utf-8")
    with pytest.raises(TemplateProblem, match="plan.md.j2:1"):
        services.plan_text(ids["study"], "md", templates=folder)


def test_proposals_one_per_idea_and_theme_without_an_action(services: Services, tmp_path: Path):
    ids = build(services)
    proposals = services.action_proposals(ids["study"])
    # ideas of R01.2, R02.1 and R04.1 and the themes Wachten and Brieven have actions (a dropped one too)
    assert [(p.kind, p.title, p.respondent_count) for p in proposals] == [
        ("theme", "Bereikbaarheid", 1), ("idea", "een terugbelafspraak", 1)]
    idea = proposals[1]
    assert (idea.code, idea.number) == ("R03", 1)
    # the idea's proposal answers the theme its idea is in, and the persona built from R03
    assert idea.links == [("idea", ids["R03.1"]), ("theme", ids["digital"]), ("persona", "p1")]
    action = services.accept_action_proposal(ids["study"], idea, organisation="Gemeente", time_estimate="3 maanden")
    db = tmp_path / "k.db"
    assert rows(db, f"SELECT title, organisation, time_estimate, status FROM actions WHERE id = '{action.id}'") == [
        ("een terugbelafspraak", "Gemeente", "3 maanden", "proposed")]
    assert sorted(rows(db, f"SELECT kind, target_id FROM action_links WHERE action_id = '{action.id}'")) == sorted([
        ("idea", ids["R03.1"]), ("theme", ids["digital"]), ("persona", "p1")])
    assert services.action_proposals(ids["study"]) == []  # the theme is answered by the accepted idea too
    plan = {a.action.title: a for a in services.improvement_plan(ids["study"]).actions}
    assert plan["een terugbelafspraak"].personas == ["Sandra"] and plan["een terugbelafspraak"].themes == ["Bereikbaarheid"]


def test_dropping_a_proposal_keeps_it_dropped(services: Services, tmp_path: Path):
    ids = build(services)
    theme = services.action_proposals(ids["study"])[0]
    dropped = services.drop_action_proposal(ids["study"], theme)
    assert rows(tmp_path / "k.db", f"SELECT status FROM actions WHERE id = '{dropped.id}'") == [("dropped",)]
    assert [p.kind for p in services.action_proposals(ids["study"])] == ["idea"]
    assert "Bereikbaarheid" in [a.action.title for a in services.improvement_plan(ids["study"]).dropped]


def test_edit_status_links_and_delete_are_committed(services: Services, tmp_path: Path):
    ids = build(services)
    db = tmp_path / "k.db"
    study = ids["study"]
    services.update_action(study, ids["B"], title="Eén contactpersoon", cost_estimate="€ 20.000", owner_role="  klantmanager ")
    assert rows(db, f"SELECT title, cost_estimate, owner_role FROM actions WHERE id = '{ids['B']}'") == [
        ("Eén contactpersoon", "€ 20.000", "klantmanager")]
    with pytest.raises(PlanProblem):
        services.update_action(study, ids["B"], title="   ")
    assert rows(db, f"SELECT title FROM actions WHERE id = '{ids['B']}'") == [("Eén contactpersoon",)]
    seen = [services.cycle_action_status(study, ids["B"]).status for _ in range(5)]
    assert seen == [ActionStatus.planned, ActionStatus.in_progress, ActionStatus.done, ActionStatus.dropped, ActionStatus.proposed]
    assert next_status(ActionStatus.done) is ActionStatus.dropped
    services.set_action_links(ids["B"], "theme", [ids["wait"], ids["letters"]])
    services.set_action_links(ids["B"], "idea", [ids["R01.2"]])
    assert sorted(rows(db, f"SELECT kind, target_id FROM action_links WHERE action_id = '{ids['B']}'")) == sorted([
        ("idea", ids["R01.2"]), ("theme", ids["wait"]), ("theme", ids["letters"])])
    assert services.link_action(ids["B"], "persona", "p1") and not services.link_action(ids["B"], "persona", "p1")
    services.unlink_action(ids["B"], "theme", ids["letters"])
    assert ("theme", ids["letters"]) not in rows(db, f"SELECT kind, target_id FROM action_links WHERE action_id = '{ids['B']}'")
    services.delete_action(ids["B"])
    assert rows(db, f"SELECT count(*) FROM actions WHERE id = '{ids['B']}'") == [(0,)]
    assert rows(db, f"SELECT count(*) FROM action_links WHERE action_id = '{ids['B']}'") == [(0,)]
    with pytest.raises(PlanProblem):
        services.cycle_action_status(study, ids["B"])


def test_links_to_what_is_gone_are_left_out(services: Services):
    """A forgotten respondent's step or a deleted theme: the action stays, with nothing behind it from there."""
    ids = build(services)
    services.delete_theme(services.themes(ids["study"])[0])  # Wachten
    plan = {a.action.title: a for a in services.improvement_plan(ids["study"]).actions}
    assert plan["Wachttijd korter"].respondent_count == 0 and plan["Wachttijd korter"].words == []
    assert plan["Wachttijd korter"].themes == []
    assert plan["Alles beter"].respondent_count == 1


def test_link_choices_and_organisations(services: Services, english):
    ids = build(services)
    choices = services.link_choices(ids["study"])
    assert [c.label for c in choices["theme"]] == ["Wachten (3 respondents)", "Brieven (1 respondent)", "Bereikbaarheid (1 respondent)"]
    assert [c.label for c in choices["persona"]] == ["Sandra"]
    assert [c.label for c in choices["idea"]][0] == "R01, step 2: een vaste contactpersoon"
    assert services.plan_organisations(ids["study"]) == ["Gemeente Utrecht", "UWV"]


def test_the_example_journeys_give_a_plan_whose_every_action_has_residents_words(services: Services):
    """The three example journeys (the practice study): themes proposed and taken, every action proposal
    accepted; each action then stands on at least one respondent and their words, in the plan and its HTML."""
    study = services.create_practice_study()
    for name, evidence in services.propose_themes(study.id):
        services.accept_theme_proposal(study.id, name, evidence)
    ideas = [e for e in services.evidence(study.id) if e.field == "opportunity"]
    proposals = services.action_proposals(study.id)
    assert len([p for p in proposals if p.kind == "idea"]) == len(ideas) > 0
    for proposal in proposals:
        services.accept_action_proposal(study.id, proposal)
    assert services.action_proposals(study.id) == []
    plan = services.improvement_plan(study.id)
    assert len(plan.actions) == len(proposals) and plan.respondent_count == 3
    counts = [a.respondent_count for a in plan.actions]
    assert counts == sorted(counts, reverse=True) and min(counts) >= 1
    html = services.plan_text(study.id, "html")
    for entry in plan.actions:
        assert entry.words, entry.action.title
        assert any(w.kind == "idea" for w in entry.words) or entry.themes
        assert entry.words[0].text in html.replace("&#39;", "'").replace("&quot;", '"')
