"""The figures of a study synthesis at some size, fixed by golden files: a change in how they are computed shows.

A seeded synthetic study (two studies, quote consent refused by some, merged spellings, study phases that the
steps partly miss, themes, two persona's with desired scores) is synthesised as Markdown and HTML, and its
figures (every phase, persona phase, tally and ranking of the template context, the workbook's persona rows)
are written as JSON. Regenerate after an intended change with
``KLANTREIS_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_synthesis_figures.py`` and read the diff.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

import pytest

from klantreis_tui.models.themes import ThemeLink
from klantreis_tui.question_sets import bundled_dir
from klantreis_tui.services import Services
from tests import golden_files
from tests.benchmarks.synthetic import make_bundle

GOLDEN = Path(__file__).parent / "golden" / "synthesis"


def check_golden(name: str, text: str) -> None:
    golden_files.check_golden(name, text, GOLDEN)




def _bundle():
    bundle = make_bundle(36, steps_per_interview=12, seed=18, studies=2)
    # every fifth respondent refused quote use, every seventh did not answer the question at all
    consents = []
    for number, consent in enumerate(bundle.consents):
        if consent.item == "quotes" and (number // 3) % 5 == 2:
            consent = consent.model_copy(update={"granted": False})
        if consent.item == "quotes" and (number // 3) % 7 == 3:
            continue
        consents.append(consent)
    return bundle.model_copy(update={"consents": consents})


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("synthesis")
    services = Services.open(folder / "k.db", [bundled_dir()])
    services.import_bundle(_bundle())
    first, second = (row.study for row in sorted(services.store.list_studies(), key=lambda r: r.study.title))
    # phases of the study in an order of its own; "nazorg" and "traject" are left out (outside the study's list)
    services.store.update_study(first.model_copy(update={"phases": ["orientatie", "aanmelding", "aanvraag", "wachten",
                                                                    "besluit", "begeleiding", "werk", "afhalen"]}))
    services.merge_names(first.id, "instances", ["UWV", "uwv werkbedrijf"], "UWV Werkbedrijf")
    ids = services.select_interviews(study=first.id)
    records = services.interview_records(ids, step_answers=False)
    steps = [(r, s) for r in records for s in sorted(r.steps, key=lambda s: s.position)]
    pains = [s for _, s in steps if s.pain_point][:9]
    quotes = [s for _, s in steps if s.quotes][:4]
    waiting = services.create_theme(first.id, "Lang wachten", description="Weken zonder bericht")
    unclear = services.create_theme(first.id, "Onduidelijke brieven")
    services.store.put_theme_links(
        [ThemeLink(theme_id=waiting.id, step_id=s.id, field="pain_point") for s in pains[:6]]
        + [ThemeLink(theme_id=unclear.id, step_id=s.id, field="pain_point") for s in pains[4:]]
        + [ThemeLink(theme_id=unclear.id, step_id=s.id, field="quotes", item=0) for s in quotes]
    )
    codes = {r.respondent.code: r.respondent.id for r in records}
    henk = services.create_persona(first.id, "Henk", goal="Rust in zijn hoofd", segment="alleenstaand")
    services.set_persona_respondents(henk.id, [codes[c] for c in ("R01", "R02", "R03", "R05", "R08")])
    services.set_desired(henk.id, "aanvraag", 1, ["Eén loket"])
    services.set_desired(henk.id, "nazorg", 0, [])
    fatima = services.create_persona(first.id, "Fatima", story="Werkt parttime")
    services.set_persona_respondents(fatima.id, [codes[c] for c in ("R04", "R05", "R06", "R07", "R09", "R12")])
    services.set_desired(fatima.id, "wachten", 2, ["Een bericht per week"])
    services.create_persona(first.id, "Nog leeg")
    yield services, ids, services.select_interviews(study=second.id)
    services.close()


def _figures(context: dict[str, Any]) -> dict[str, Any]:
    """What the synthesis computes (not how it is worded), as JSON-able values: types show (1 is not 1.0)."""
    personas = [
        {"name": p["name"], "respondents": p["respondents"], "themes": p["themes"],
         "phases": [{k: v for k, v in ph.items() if k != "desired_ideas"} for ph in p["phases"]]}
        for p in context["personas"]
    ]
    return {
        "respondent_count": context["respondent_count"],
        "interview_count": context["interview_count"],
        "respondents": [{k: r[k] for k in ("code", "step_count", "scores", "emotion_average", "emotion_average_text")}
                        for r in context["respondents"]],
        "phases": context["phases"],
        "pain_points": [{k: p[k] for k in ("rank", "text", "respondent_count", "emotion_average")} |
                        {"mentions": [(m["code"], m["number"], len(m["quotes"])) for m in p["mentions"]]}
                        for p in context["pain_points"]],
        "ideas": [{k: p[k] for k in ("rank", "text", "respondent_count", "emotion_average")} for p in context["ideas"]],
        "instances": context["instances"],
        "channels": context["channels"],
        "moments": [(m["code"], m["number"], m["emotion_text"], m["flagged"]) for m in context["moments"]],
        "segments": context["segments"],
        "themes": [{k: th[k] for k in ("rank", "name", "respondent_count", "respondents", "emotion_average_text",
                                       "phases", "organisations")} for th in context["themes"]],
        "handovers": context["handovers"],
        "saturation": context["saturation"],
        "personas": personas,
    }


def test_the_synthesis_of_a_study_matches_its_golden_files(synthetic):
    services, ids, _ = synthetic
    check_golden("synthetic.md", services.summary_text(ids, "md", synthesis=True))
    check_golden("synthetic.html", services.summary_text(ids, "html", synthesis=True))
    figures = _figures(services.synthesis_context(ids))
    check_golden("synthetic.json", json.dumps(figures, ensure_ascii=False, indent=1, default=repr) + "\n")


def test_the_synthesis_of_two_studies_matches_its_golden_file(synthetic):
    services, first, second = synthetic
    check_golden("two-studies.md", services.summary_text(first + second, "md", synthesis=True))


def test_the_workbooks_persona_rows_match_their_golden_file(synthetic):
    services, ids, _ = synthetic
    records = services.export_records(ids)
    sheets = services.workbook_sheets(records)
    rows = {sheet.name: sheet.rows for sheet in sheets if sheet.name in ("Persona's", "Hartslag persona's")}
    assert set(rows) == {"Persona's", "Hartslag persona's"}
    check_golden("workbook-personas.json", json.dumps(rows, ensure_ascii=False, indent=1, default=repr) + "\n")


def test_the_phase_figures_are_the_median_and_spread_of_the_scored_steps(synthetic):
    """Worked out here from the records, independently of the synthesis."""
    services, ids, _ = synthetic
    records = services.interview_records(ids, step_answers=False)
    scores: dict[str, list[int]] = {}
    for record in records:
        for step in record.steps:
            if step.emotion is not None:
                scores.setdefault(step.phase.strip().casefold(), []).append(step.emotion)
    phases = {p["name"].casefold(): p for p in services.synthesis_context(ids)["phases"]}
    assert set(scores) <= set(phases)
    for key, values in scores.items():
        phase = phases[key]
        assert (phase["n"], phase["median"], phase["min"], phase["max"]) == (
            len(values), statistics.median(values), min(values), max(values)), key


@pytest.mark.parametrize("make", ["synthesis", "workbook"])
def test_every_interview_is_read_once_persona_journeys_included(synthetic, monkeypatch, make):
    """The persona's respondents' interviews are among those read for the synthesis (or the workbook): their
    journeys take them from there instead of reading them again, persona by persona."""
    services, ids, _ = synthetic
    read: list[str] = []
    reading = services.interview_records

    def counted(interview_ids, step_answers=True):
        read.extend(interview_ids)
        return reading(interview_ids, step_answers)

    monkeypatch.setattr(services, "interview_records", counted)
    text = services.study_synthesis(ids, "md") if make == "synthesis" else services.workbook(ids)
    assert sorted(read) == sorted(ids)
    assert text
