"""One study on many laptops: merging imports (forgotten codes, same title, ambiguous selections), study kits,
respondent-code prefixes and a synthesis over every laptop's interviews."""

from __future__ import annotations

import json
from pathlib import Path

from klantreis_tui.engine import Slot
from klantreis_tui.exchange import read_bundle
from klantreis_tui.services import Services, read_kit_file
from tests.conftest import SMALL_SET
from tests.test_exchange import VALID as VALID_BUNDLE
from tests.test_exchange import cli, db_digest, open_db


def interview(services: Services, study_id: str, interviewer: str = "", code: str | None = None) -> str:
    """A completed interview with the small script: consent given, one step."""
    iv = services.start_interview(study_id, "klein", respondent_code=code, interviewer=interviewer)
    services.answer(iv.id, Slot("mee"), "j")
    services.answer(iv.id, Slot("citaten"), "j")
    services.insert_step(iv.id, description=f"Stap van {interviewer or 'iemand'}")
    services.finish(iv.id)
    return iv.id


# --- the forgotten-code bug ---------------------------------------------------------------------------------


def test_import_never_hands_out_a_forgotten_code_again(tmp_path: Path) -> None:
    laptop_a, laptop_b = open_db(tmp_path / "a.db"), open_db(tmp_path / "b.db")
    study = laptop_a.create_study("Schuldhulpverlening 2026")
    laptop_b.store.add_study(study)  # the same study on both laptops
    forgotten = laptop_a.interview(interview(laptop_a, study.id)).respondent_id
    assert laptop_a.respondent(forgotten).code == "R01"
    laptop_a.forget_respondent(forgotten)
    from_b = interview(laptop_b, study.id)  # B hands out R01 to somebody else
    assert laptop_b.interview_record(from_b).respondent.code == "R01"

    report = laptop_a.import_bundle(laptop_b.export_bundle([from_b]))

    assert report.added == 1
    assert report.renamed == [("R01", "R02", study.title)]
    assert report.renamed_forgotten == report.renamed
    assert laptop_a.interview_record(from_b).respondent.code == "R02"
    assert "R01" not in {r.code for r in laptop_a.store.respondents_of(study.id)}
    laptop_a.close()
    laptop_b.close()


# --- same title, other study; ambiguous selections ------------------------------------------------------------


def two_laptops_same_title(tmp_path: Path) -> tuple[Path, Path, str, str]:
    """Laptop A and B each created "Schuldhulpverlening 2026" themselves: two ids, one title. A has 2 interviews,
    B 3 (codes R01..R03 on both). Returns the database paths and the bundle B exported."""
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    laptop_a, laptop_b = open_db(a), open_db(b)
    study_a = laptop_a.create_study("Schuldhulpverlening 2026")
    study_b = laptop_b.create_study("Schuldhulpverlening 2026")
    for _ in range(2):
        interview(laptop_a, study_a.id, "AB")
    for _ in range(3):
        interview(laptop_b, study_b.id, "CD")
    (tmp_path / "b.json").write_bytes(laptop_b.bundle_bytes(laptop_b.export_bundle(laptop_b.select_interviews())))
    laptop_a.close()
    laptop_b.close()
    return a, tmp_path / "b.json", study_a.id, study_b.id


def test_same_title_other_study_is_refused_without_merge_into(tmp_path: Path) -> None:
    a, bundle, study_a, study_b = two_laptops_same_title(tmp_path)
    before = db_digest(a)
    result = cli(tmp_path, "--db", str(a), "import", str(bundle))
    assert result.returncode == 1
    assert f"Onderzoek 'Schuldhulpverlening 2026' ({study_b[:8]}) in het bestand" in result.stderr
    assert f"--merge-into {study_a[:8]}" in result.stderr
    assert f"  {study_a[:8]}  Schuldhulpverlening 2026  (2 interviews," in result.stderr
    assert "Er is niets geïmporteerd." in result.stderr
    assert db_digest(a) == before


def test_merge_into_adds_the_interviews_to_the_study_here_and_renames_codes(tmp_path: Path) -> None:
    a, bundle, study_a, _ = two_laptops_same_title(tmp_path)
    result = cli(tmp_path, "--db", str(a), "import", str(bundle), "--merge-into", study_a[:8])
    assert result.returncode == 0, result.stderr
    assert f"aan 'Schuldhulpverlening 2026' hier ({study_a[:8]}) toegevoegd" in result.stderr
    laptop_a = open_db(a)
    assert [row.study.id for row in laptop_a.list_studies()] == [study_a]
    codes = sorted(r.code for r in laptop_a.store.respondents_of(study_a))
    assert codes == ["R01", "R02", "R03", "R04", "R05"]
    synthesis = laptop_a.summary_text(laptop_a.select_interviews(study="Schuldhulpverlening 2026"), synthesis=True)
    assert "**Aantal respondenten:** 5" in synthesis
    # repeated: nothing added twice
    again = laptop_a.import_bundle(read_bundle(bundle), merge_into=study_a)
    assert (again.added, again.skipped) == (0, 3)
    laptop_a.close()


def test_ambiguous_study_and_respondent_are_refused_with_short_ids(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    services = open_db(db)
    first = services.create_study("Inburgering")
    second = services.create_study("Inburgering")
    interview(services, first.id)
    iv = interview(services, second.id)
    services.close()

    result = cli(tmp_path, "--db", str(db), "export", "--study", "Inburgering")
    assert result.returncode == 1
    assert "'Inburgering' komt overeen met 2 onderzoeken" in result.stderr
    assert f"  {first.id[:8]}  Inburgering  (1 interview," in result.stderr
    assert f"  {second.id[:8]}  Inburgering  (1 interview," in result.stderr
    # the short id typed back chooses one
    chosen = cli(tmp_path, "--db", str(db), "export", "--study", second.id[:8])
    assert chosen.returncode == 0, chosen.stderr
    assert [i["id"] for i in json.loads(chosen.stdout)["interviews"]] == [iv]

    result = cli(tmp_path, "--db", str(db), "summary", "--respondent", "R01")
    assert result.returncode == 1
    assert "Code R01 komt overeen met 2 respondenten" in result.stderr
    services = open_db(db)
    respondent = services.interview(iv).respondent_id
    services.close()
    assert f"  R01  respondent {respondent[:8]}  in 'Inburgering' (onderzoek {second.id[:8]})" in result.stderr
    chosen = cli(tmp_path, "--db", str(db), "summary", "--respondent", respondent[:8])
    assert chosen.returncode == 0, chosen.stderr

    result = cli(tmp_path, "--db", str(db), "forget", "R01", "--yes")
    assert result.returncode == 1
    assert f"respondent {respondent[:8]}" in result.stderr
    forgotten = cli(tmp_path, "--db", str(db), "forget", "R01", "--study", second.id[:8], "--yes")
    assert forgotten.returncode == 0, forgotten.stderr
    services = open_db(db)
    assert [r.code for r in services.store.respondents_of(second.id)] == []
    assert [r.code for r in services.store.respondents_of(first.id)] == ["R01"]
    services.close()


# --- the study kit and two laptops ------------------------------------------------------------------------------

INSTANCES = "instances:\n  - name: Stichting Op Orde\n    aliases: [op orde]\n"


def laptop(tmp_path: Path, name: str, prefix: str = "", with_small_set: bool = False) -> Services:
    """One laptop: its own database, question-set folder (the small script only where asked) and assistant folder."""
    from klantreis_tui.question_sets import bundled_dir, load_catalog
    from klantreis_tui.storage import Store

    sets = tmp_path / name / "sets"
    sets.mkdir(parents=True, exist_ok=True)
    if with_small_set:
        (sets / "klein.yaml").write_text(SMALL_SET, encoding="utf-8")
    services = Services(
        Store.open(tmp_path / name / "k.db"), load_catalog([bundled_dir(), sets]), tmp_path / name / "assist"
    )
    services.code_prefix = prefix
    return services


def kit_from_a(tmp_path: Path, prefix_a: str = "", prefix_b: str = "") -> tuple[Services, Services, str]:
    """Laptop A sets up the study with the small script and a word list of its own and makes a kit; B imports it."""
    a = laptop(tmp_path, "a", prefix_a, with_small_set=True)
    b = laptop(tmp_path, "b", prefix_b)
    study = a.create_study("Schuldhulpverlening 2026", doelgroep="inwoners met schulden")
    (tmp_path / "a" / "assist" / study.id).mkdir(parents=True)
    (tmp_path / "a" / "assist" / study.id / "instances.yaml").write_text(INSTANCES, encoding="utf-8")
    a.write_kit(tmp_path / "kit.json", a.export_kit("Schuldhulpverlening 2026", ["klein"]))
    report = b.import_kit(read_kit_file(tmp_path / "kit.json"), tmp_path / "b" / "sets")
    assert report.study_added and report.question_sets_added == [("klein", "2")]
    return a, b, study.id


def test_a_kit_sets_up_the_same_study_on_another_laptop(tmp_path: Path) -> None:
    a, b, study_id = kit_from_a(tmp_path)
    kit = read_kit_file(tmp_path / "kit.json")
    assert "interviews" not in kit.model_dump()
    assert b.study(study_id) == a.study(study_id)  # the same id, the same startdocument
    assert (tmp_path / "b" / "sets" / "klein.yaml").read_text(encoding="utf-8") == SMALL_SET
    assert b.question_set("klein").version == "2"
    assert (tmp_path / "b" / "assist" / study_id / "instances.yaml").read_text(encoding="utf-8") == INSTANCES
    assert "Stichting Op Orde" in b.known_values(study_id, "instances")
    assert b.known_values(study_id, "phase")[:2] == ["oriëntatie", "aanvraag"]
    # importing it again changes nothing and says so
    again = b.import_kit(kit, tmp_path / "b" / "sets")
    assert (again.study_added, again.question_sets_added, again.question_sets_present) == (False, [], [("klein", "2")])
    assert [row.study.id for row in b.list_studies()] == [study_id]
    a.close()
    b.close()


def test_a_kit_whose_question_set_clashes_names_both_versions_and_changes_nothing(tmp_path: Path) -> None:
    a = laptop(tmp_path, "a", with_small_set=True)
    a.create_study("Schuldhulpverlening 2026")
    a.write_kit(tmp_path / "kit.json", a.export_kit("Schuldhulpverlening 2026", ["klein"]))
    a.close()
    sets = tmp_path / "b" / "sets"
    sets.mkdir(parents=True)
    (sets / "klein.yaml").write_text(SMALL_SET.replace('version: "2"', 'version: "3"'), encoding="utf-8")
    db = tmp_path / "b" / "k.db"
    result = cli(tmp_path, "--db", str(db), "--question-sets", str(sets), "import", str(tmp_path / "kit.json"))
    assert result.returncode == 1
    assert "Vragenlijst 'klein' in de kit heeft versie 2, maar deze laptop heeft versie 3" in result.stderr
    assert "Er is niets geïmporteerd." in result.stderr
    b = open_db(db)
    assert b.list_studies() == []
    b.close()
    assert sorted(p.name for p in sets.iterdir()) == ["klein.yaml"]
    assert not (tmp_path / "home" / "data" / "klantreis" / "assist").exists()


def both_interview(a: Services, b: Services, study_id: str) -> None:
    """A: two interviews by AB; B: two by CD and one by AB (an interviewer who borrowed B's laptop)."""
    interview(a, study_id, "AB")
    interview(a, study_id, "AB")
    interview(b, study_id, "CD")
    interview(b, study_id, "CD")
    interview(b, study_id, "AB")


def exchange(tmp_path: Path, a: Services, b: Services, a_first: bool) -> None:
    (tmp_path / "a.json").write_bytes(a.bundle_bytes(a.export_bundle(a.select_interviews())))
    (tmp_path / "b.json").write_bytes(b.bundle_bytes(b.export_bundle(b.select_interviews())))
    order = [(a, "b.json"), (b, "a.json")]
    for services, name in order if a_first else order[::-1]:
        report = services.import_bundle(read_bundle(tmp_path / name))
        assert report.renamed == []  # the laptop prefixes keep codes apart: nothing to rename


def team_view(services: Services, study_id: str) -> tuple[list[str], list[tuple[str, str]], str]:
    """Studies, (interview id, code) pairs, and the synthesis of the study."""
    ids = services.select_interviews(study=study_id)
    pairs = sorted((i, services.interview_record(i).respondent.code) for i in ids)
    return [row.study.id for row in services.list_studies()], pairs, services.summary_text(ids, synthesis=True)


def test_two_laptops_with_a_kit_end_with_one_study_in_either_order_and_when_repeated(tmp_path: Path) -> None:
    results = []
    for a_first in (True, False):
        folder = tmp_path / ("ab" if a_first else "ba")
        a, b, study_id = kit_from_a(folder, prefix_a="A", prefix_b="B")
        both_interview(a, b, study_id)
        exchange(folder, a, b, a_first)
        view_a, view_b = team_view(a, study_id), team_view(b, study_id)
        assert view_a == view_b
        studies, pairs, synthesis = view_a
        assert studies == [study_id]
        assert len(pairs) == 5 and len({i for i, _ in pairs}) == 5  # every interview once
        assert sorted(code for _, code in pairs) == ["A-R01", "A-R02", "B-R01", "B-R02", "B-R03"]
        assert "**Aantal respondenten:** 5" in synthesis  # 2 from A + 3 from B, counted by hand
        # repeated: nothing is added, nothing renamed
        counts = a.store.counts(), b.store.counts()
        exchange(folder, a, b, a_first)
        assert (a.store.counts(), b.store.counts()) == counts
        results.append(sorted(code for _, code in pairs))
        a.close()
        b.close()
    assert results[0] == results[1]


def test_without_prefixes_the_renames_respect_each_laptop_and_count_everyone(tmp_path: Path) -> None:
    a, b, study_id = kit_from_a(tmp_path)
    both_interview(a, b, study_id)
    report = a.import_bundle(b.export_bundle(b.select_interviews()))
    assert [(old, new) for old, new, _ in report.renamed] == [("R01", "R04"), ("R02", "R05")]  # R03 is free here
    _, pairs, synthesis = team_view(a, study_id)
    assert sorted(code for _, code in pairs) == ["R01", "R02", "R03", "R04", "R05"]
    assert "**Aantal respondenten:** 5" in synthesis
    a.close()
    b.close()


# --- the home screen: x writes the kit, i imports it -----------------------------------------------------------


async def test_home_screen_exports_and_imports_a_kit(tmp_path: Path) -> None:
    from textual.widgets import Input

    from klantreis_tui.ui.app import make_app
    from klantreis_tui.ui.dialogs.kit import KitForm

    a = laptop(tmp_path, "a", with_small_set=True)
    study = a.create_study("Schuldhulpverlening 2026")
    interview(a, study.id)
    app = make_app(a, export_dir=tmp_path / "export")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, KitForm)
        path = app.screen.query_one("#kit-path", Input).value
        assert path == str(tmp_path / "export" / "Schuldhulpverlening-2026-kit.json")
        await pilot.press("ctrl+s")
        await pilot.pause()
    kit = read_kit_file(Path(path))
    assert (kit.study.id, [q.id for q in kit.question_sets]) == (study.id, ["klein"])
    a.close()

    b = laptop(tmp_path, "b")
    b.question_set_dir = tmp_path / "b" / "sets"
    app = make_app(b)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#kit-path", Input).value = path
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.current_study == study.id
    assert [row.study.title for row in b.list_studies()] == ["Schuldhulpverlening 2026"]
    assert b.question_set("klein").version == "2"
    b.close()


def test_kit_commands_on_the_command_line(tmp_path: Path) -> None:
    a_db, b_db = tmp_path / "a.db", tmp_path / "b.db"
    a = open_db(a_db)
    study = a.create_study("Leeg onderzoek")  # an empty study: its kit is what the team starts from
    a.close()
    made = cli(tmp_path, "--db", str(a_db), "study", "export-kit", "--study", "Leeg onderzoek", "-o", str(tmp_path / "kit.json"))
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(f"Kit van 'Leeg onderzoek' ({study.id[:8]}) geschreven:")
    assert "vragenlijsten: vng-algemeen" in made.stdout
    done = cli(tmp_path, "--db", str(b_db), "study", "import-kit", str(tmp_path / "kit.json"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == f"Onderzoek 'Leeg onderzoek' ({study.id[:8]}) uit de kit ingericht."
    b = open_db(b_db)
    assert b.study(study.id) == study
    b.close()
    not_a_kit = cli(tmp_path, "--db", str(b_db), "study", "import-kit", str(VALID_BUNDLE))
    assert not_a_kit.returncode == 1 and "dit is geen klantreis-onderzoekskit" in not_a_kit.stderr


def test_a_laptop_prefix_is_read_from_the_configuration_and_used_for_new_codes(tmp_path: Path) -> None:
    import pytest

    from klantreis_tui.config import ConfigError, load_config

    (tmp_path / "config.toml").write_text('respondent_prefix = "AB"\n', encoding="utf-8")
    assert load_config(tmp_path / "config.toml").respondent_prefix == "AB"
    (tmp_path / "bad.toml").write_text('respondent_prefix = "A-B"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="respondent_prefix"):
        load_config(tmp_path / "bad.toml")
    services = open_db(tmp_path / "k.db")
    services.code_prefix = "AB"
    study = services.create_study("Paspoort")
    assert services.next_respondent_code(study.id) == "AB-R01"
    interview(services, study.id)
    assert services.next_respondent_code(study.id) == "AB-R02"
    services.close()


def test_a_synthesis_covers_exactly_the_studies_selected(tmp_path: Path) -> None:
    services = open_db(tmp_path / "k.db")
    first, second, third = (services.create_study(title) for title in ("Inburgering", "Paspoort", "Parkeren"))
    for study, count in ((first, 2), (second, 3), (third, 1)):
        for _ in range(count):
            interview(services, study.id)
    one = services.summary_text(services.select_interviews(study=second.id), synthesis=True)
    assert "**Aantal respondenten:** 3" in one
    chosen = services.select_interviews(study=first.id) + services.select_interviews(study=second.id)
    both = services.summary_text(chosen, synthesis=True)
    assert "Inburgering + Paspoort" in both and "Parkeren" not in both
    assert "**Aantal respondenten:** 5" in both  # 2 + 3: the R01 of each study counted apart
    assert f"| R01 ({first.id[:8]}) |" in both and f"| R01 ({second.id[:8]}) |" in both
    services.close()


def test_the_command_line_says_why_a_forgotten_code_was_renamed(tmp_path: Path) -> None:
    a_db = tmp_path / "a.db"
    laptop_a, laptop_b = open_db(a_db), open_db(tmp_path / "b.db")
    study = laptop_a.create_study("Schuldhulpverlening 2026")
    laptop_b.store.add_study(study)
    laptop_a.forget_respondent(laptop_a.interview(interview(laptop_a, study.id)).respondent_id)
    from_b = interview(laptop_b, study.id)
    (tmp_path / "b.json").write_bytes(laptop_b.bundle_bytes(laptop_b.export_bundle([from_b])))
    laptop_a.close()
    laptop_b.close()
    result = cli(tmp_path, "--db", str(a_db), "import", str(tmp_path / "b.json"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "Respondentcode R01 hoorde bij een vergeten respondent in 'Schuldhulpverlening 2026' en wordt nooit meer "
        "uitgegeven: geïmporteerd als R02."
    )


async def test_home_screen_tells_same_titles_apart_and_asks_before_merging_a_kit(tmp_path: Path) -> None:
    from textual.widgets import DataTable, Input

    from klantreis_tui.ui.app import make_app
    from klantreis_tui.ui.dialogs.confirm import ConfirmScreen

    a = laptop(tmp_path, "a", with_small_set=True)
    theirs = a.create_study("Inburgering")
    a.write_kit(tmp_path / "kit.json", a.export_kit(theirs.id, ["klein"]))
    a.close()
    b = laptop(tmp_path, "b")
    b.question_set_dir = tmp_path / "b" / "sets"
    ours = b.create_study("Inburgering")
    app = make_app(b)
    async with app.run_test(size=(80, 24)) as pilot:
        for answer in ("n", "j"):
            await pilot.press("i")
            await pilot.pause()
            app.screen.query_one("#kit-path", Input).value = str(tmp_path / "kit.json")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            assert f"'Inburgering' ({theirs.id[:8]})" in app.screen.question and f"--merge-into {ours.id[:8]}" in app.screen.question
            await pilot.press(answer)
            await pilot.pause()
            if answer == "n":  # refused: nothing changed
                assert [row.study.id for row in b.list_studies()] == [ours.id] and "klein" not in b.catalog.sets
        assert [row.study.id for row in b.list_studies()] == [ours.id]  # merged: no second study
        assert b.question_set("klein").version == "2"
        b.create_study("Inburgering")  # a second study of the same title, made here
        app.screen.refresh_studies()
        titles = [str(app.screen.query_one("#studies", DataTable).get_row_at(i)[0]) for i in range(2)]
        assert f"Inburgering ({ours.id[:8]})" in titles and len(set(titles)) == 2
    b.close()


def test_a_kit_with_a_broken_word_list_or_question_set_changes_nothing(tmp_path: Path) -> None:
    import pytest

    from klantreis_tui.services import ImportConflict

    a, b, study_id = kit_from_a(tmp_path)
    kit = read_kit_file(tmp_path / "kit.json")
    c = laptop(tmp_path, "c")
    broken_list = kit.model_copy(update={"word_lists": [kit.word_lists[0].model_copy(update={"text": "instances:\n  - naam: x\n"})]})
    with pytest.raises(ImportConflict, match="Een woordenlijst in de kit klopt niet: instances.yaml"):
        c.import_kit(broken_list, tmp_path / "c" / "sets")
    broken_set = kit.model_copy(update={"question_sets": [kit.question_sets[0].model_copy(update={"text": "id: klein\n"})]})
    with pytest.raises(ImportConflict, match="Vragenlijst 'klein' in de kit klopt niet"):
        c.import_kit(broken_set, tmp_path / "c" / "sets")
    assert c.list_studies() == [] and "klein" not in c.catalog.sets
    assert list((tmp_path / "c" / "sets").iterdir()) == [] and not (tmp_path / "c" / "assist").exists()
    for services in (a, b, c):
        services.close()
