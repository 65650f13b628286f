"""One name per organisation and channel: merge proposals, stored merges, the synthesis counting canonical
names, bundles carrying the merges, and the ``names`` command."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from klantreis_tui.assist.names import propose_merges
from klantreis_tui.models import Consent, InterviewStatus
from klantreis_tui.models.names import NameVariant, canonical_map
from klantreis_tui.rendering.summary import study_context
from klantreis_tui.services import Services
from klantreis_tui.question_sets import bundled_dir
from tests.conftest import make_interview, make_respondent, make_step
from tests.test_cli import klantreis

TYPED = {
    "R01": [["Belastingsdienst"], ["Gemeente schuldhulpverlening", "woningcoorporatie"]],
    "R02": [["Belastingdienst"], ["Schuldhulpverlening"], ["de fiscus"]],
    "R03": [["Schuldhulpverlening"], ["Woningcorporatie"], ["UWV"]],
}


def fill(services: Services, title: str = "Schulden") -> str:
    """A study of three completed interviews whose steps name organisations as residents spell them."""
    study = services.create_study(title)
    for code, steps in TYPED.items():
        respondent = make_respondent(study.id, code)
        interview = make_interview(study.id, respondent.id, status=InterviewStatus.afgerond)
        consent = Consent(interview_id=interview.id, item="participation", granted=True, text_version="t1",
                          question_set_version="2")
        built = [make_step(interview.id, n, instances=names, emotion=-1) for n, names in enumerate(steps, 1)]
        services.store.insert_records(respondents=[respondent], interviews=[interview], consents=[consent], steps=built)
    return study.id


def test_proposals_for_typos_generic_words_and_aliases(services: Services):
    study_id = fill(services)
    proposals = {(p.variant, p.canonical, p.reason) for p in services.name_proposals(study_id, "instances")}
    assert proposals == {
        ("Belastingsdienst", "Belastingdienst", "similar"),
        ("Gemeente schuldhulpverlening", "Schuldhulpverlening", "alias"),
        ("woningcoorporatie", "Woningcorporatie", "similar"),
        ("de fiscus", "Belastingdienst", "alias"),
    }


def test_unrelated_names_are_not_proposed():
    used = [("UWV", 3), ("SVB", 2), ("Gemeente KCC", 2), ("Gemeente", 4), ("Wijkteam", 1), ("Werkbedrijf", 1)]
    assert propose_merges(used, ["UWV", "SVB", "Gemeente"]) == []
    words = propose_merges([("Gemeente Schuldhulp", 1), ("schuldhulp", 3)], [])
    assert [(p.variant, p.canonical, p.reason) for p in words] == [("Gemeente Schuldhulp", "schuldhulp", "words")]


def test_accepted_merges_count_once_in_the_synthesis_and_keep_what_was_typed(services: Services):
    study_id = fill(services)
    for p in services.name_proposals(study_id, "instances"):
        services.merge_names(study_id, "instances", [p.variant], p.canonical)
    assert services.name_proposals(study_id, "instances") == []
    records = services.export_records(services.select_interviews(study=study_id), keep_personal_data=True)
    context = study_context(records[0].study, records, {}, services.name_map(study_id))
    tally = {row["name"]: (row["count"], row["respondent_count"]) for row in context["instances"]}
    assert tally == {"Belastingdienst": (3, 2), "Schuldhulpverlening": (3, 3), "Woningcorporatie": (2, 2), "UWV": (1, 1)}
    typed = sorted(n for r in records for s in r.steps for n in s.instances)
    assert "Belastingsdienst" in typed and "woningcoorporatie" in typed  # the steps are unchanged


def test_a_chain_of_merges_ends_at_one_name():
    variants = [
        NameVariant(study_id="s", field="instances", variant="Belastingsdienst", canonical="belastingdienst "),
        NameVariant(study_id="s", field="instances", variant="Belastingdienst", canonical="Belastingdienst/Toeslagen"),
    ]
    assert canonical_map(variants)["instances"]["belastingsdienst"] == "Belastingdienst/Toeslagen"


def test_bundle_carries_the_merges_and_import_keeps_local_ones(services: Services, tmp_path: Path):
    study_id = fill(services)
    services.merge_names(study_id, "instances", ["Belastingsdienst", "de fiscus"], "Belastingdienst")
    bundle = services.export_bundle(services.select_interviews(study=study_id))
    assert {(v.variant, v.canonical) for v in bundle.spellings} == {
        ("Belastingsdienst", "Belastingdienst"), ("de fiscus", "Belastingdienst"),
    }
    other = Services.open(tmp_path / "other.db", [bundled_dir()])
    try:
        other.import_bundle(bundle)
        assert other.name_map(study_id) == services.name_map(study_id)
        other.merge_names(study_id, "instances", ["de fiscus"], "Fiscus")  # decided differently there
        other.import_bundle(bundle)  # again: nothing doubled, the local decision kept
        assert other.name_map(study_id)["instances"] == {"belastingsdienst": "Belastingdienst", "de fiscus": "Fiscus"}
        rows = other.store.db.execute("SELECT count(*) FROM name_variants").fetchone()[0]
        assert rows == 2
    finally:
        other.close()


def test_names_command_lists_and_accepts(services: Services, tmp_path: Path):
    fill(services, "Schulden Noord")
    services.close()
    db = tmp_path / "k.db"
    listed = klantreis("--db", str(db), "names", "--study", "Schulden Noord", "--field", "instances", home=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "Belastingsdienst → Belastingdienst" in listed.stdout and "4 voorgestelde samenvoegingen" in listed.stdout
    accepted = klantreis("--db", str(db), "names", "--study", "Schulden Noord", "--accept", home=tmp_path)
    assert "4 samenvoegingen overgenomen." in accepted.stdout, accepted.stdout
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM name_variants WHERE field = 'instances'").fetchone()[0] == 4
    conn.close()
    by_hand = klantreis("--db", str(db), "names", "--study", "Schulden Noord", "--merge", "UWV=Uitvoeringsinstituut",
                        home=tmp_path)
    assert "'UWV' telt vanaf nu als 'Uitvoeringsinstituut'." in by_hand.stdout
    wrong = klantreis("--db", str(db), "names", "--study", "Onbekend", home=tmp_path)
    assert wrong.returncode != 0 and "Geen onderzoek met de titel of id 'Onbekend'." in wrong.stderr
