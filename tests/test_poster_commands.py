"""The poster from the command line (``klantreis poster CODE``) and from the summary screen (``p``): through the
services, redacted by default, output paths checked, a second sheet beside the first."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from klantreis_tui.question_sets import bundled_dir
from klantreis_tui.services import Services
from klantreis_tui.ui.screens.summary import SummaryScreen
from tests.test_cli import klantreis
from tests.test_snapshots import fill_debts_interview
from tests.uihelpers import build_app, press


def _database(tmp_path, steps: int = 6, phone: bool = False):
    services = Services.open(tmp_path / "p.db", [bundled_dir()])
    interview = fill_debts_interview(services, steps=steps)
    services.finish(interview.id)
    if phone:  # personal data typed into a step
        step = services.steps(interview.id)[-1]
        services.store.update_step(step.id, description="Belt 06-12345678 over de huur")
    services.close()
    return tmp_path / "p.db", interview.id


def test_the_command_writes_a_redacted_poster(tmp_path):
    db, _ = _database(tmp_path, phone=True)
    out = tmp_path / "uit" / "poster.svg"
    result = klantreis("--db", str(db), "poster", "R02", "--study", "Schuldhulpverlening", "-o", str(out), home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"Poster geschreven: {out}" in result.stdout
    svg = out.read_text(encoding="utf-8")
    root = ET.fromstring(svg.encode("utf-8"))
    assert root.get("width") == "420mm"
    assert "Reis van R02" in svg and "06-12345678" not in svg and "[telefoonnummer]" in svg
    html = tmp_path / "poster.html"
    kept = klantreis("--db", str(db), "poster", "R02", "--keep-personal-data", "-o", str(html), home=tmp_path)
    assert kept.returncode == 0, kept.stderr
    assert "06-12345678" in html.read_text(encoding="utf-8") and "--keep-personal-data" in kept.stderr
    assert "@page { size: A3 landscape;" in html.read_text(encoding="utf-8")


def test_the_command_refuses_a_folder_and_an_unknown_code(tmp_path):
    db, _ = _database(tmp_path, steps=2)
    folder = klantreis("--db", str(db), "poster", "R02", "-o", str(tmp_path), home=tmp_path)
    assert folder.returncode == 1 and "is een map" in folder.stderr
    unknown = klantreis("--db", str(db), "poster", "R77", "-o", str(tmp_path / "x.svg"), home=tmp_path)
    assert unknown.returncode == 1 and "R77" in unknown.stderr and not (tmp_path / "x.svg").exists()


def test_every_sheet_is_written_or_none(tmp_path):
    from klantreis_tui.models.journey_view import JourneyView, ViewPhase, ViewStep

    services = Services.open(tmp_path / "q.db", [bundled_dir()])
    view = JourneyView(kind="interview", title="R01", phases=(
        ViewPhase(name="wachten", steps=tuple(ViewStep(f"Stap {n}", -1) for n in range(40))),))
    target = tmp_path / "reis.svg"
    (tmp_path / "reis-2.svg").mkdir()  # the second sheet's path is a folder: refused before anything is written
    try:
        services.write_poster(view, "svg", target)
    except OSError as exc:
        assert "reis-2.svg" in str(exc)
    else:
        raise AssertionError("a folder in the way was not refused")
    assert not target.exists()
    (tmp_path / "reis-2.svg").rmdir()
    paths = services.write_poster(view, "svg", target)
    assert [p.name for p in paths][:2] == ["reis.svg", "reis-2.svg"] and all(p.is_file() for p in paths)
    services.close()


async def test_p_on_the_summary_screen_writes_the_poster(services, tmp_path):
    interview = fill_debts_interview(services, steps=6)
    services.finish(interview.id)
    app = build_app(services)
    app.export_dir = tmp_path / "export"
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_summary([interview.id], study=False)
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await press(pilot, "p")
    files = sorted((tmp_path / "export").iterdir())
    assert sorted(p.suffix for p in files) == [".html", ".svg"]
    assert all(p.name.startswith("Schuldhulpverlening-R02-poster-") for p in files)
    svg = next(p for p in files if p.suffix == ".svg").read_text(encoding="utf-8")
    assert "Loonbeslag tijdens het traject" in svg


async def test_the_poster_key_is_not_offered_on_a_synthesis(services, tmp_path):
    interview = fill_debts_interview(services, steps=2)
    services.finish(interview.id)
    app = build_app(services)
    app.export_dir = tmp_path / "export"
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_summary([interview.id], study=True)
        await pilot.pause()
        await press(pilot, "p")
        assert not (tmp_path / "export").exists()
        assert app.screen.check_action("poster", ()) is False


# --- a persona's poster -----------------------------------------------------------------------------------------


def _persona_database(tmp_path):
    from tests.personas_study import build

    services = Services.open(tmp_path / "p.db", [bundled_dir()])
    built = build(services)
    persona = services.create_persona(built.study_id, "Zelfstandige", goal="Snel weer inkomen", segment="ZZP")
    services.set_persona_respondents(persona.id, [built.respondents["R01"], built.respondents["R02"]])
    services.set_desired(persona.id, "aanvraag", 1, ["Eén loket"])
    services.set_desired(persona.id, "wachten", 2, [])
    return services, persona


def test_the_command_writes_a_persona_poster_with_both_curves(tmp_path):
    services, persona = _persona_database(tmp_path)
    services.close()
    out = tmp_path / "persona.svg"
    result = klantreis("--db", str(tmp_path / "p.db"), "poster", "--persona", "zelfstandige", "--study", "Bijstand",
                       "-o", str(out), home=tmp_path)
    assert result.returncode == 0, result.stderr
    svg = out.read_text(encoding="utf-8")
    root = ET.fromstring(svg.encode("utf-8"))
    texts = " ".join("".join(e.itertext()) for e in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "Zelfstandige" in texts and "KLANTREIS · PERSONA" in texts and "Snel weer inkomen" in texts
    assert "R01, R02 (n = 2)" in texts and "Eén loket" in texts
    assert 'class="curve desired"' in svg and 'class="curve current"' in svg
    # the medians of R01 and R02 in aanvraag (-1.5 and 0: -0.75) and the desired scores where the team set them
    faces = {float(g.get("data-score")) for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "face current"}
    assert -0.75 in faces
    desired = [float(c.get("data-score")) for c in root.iter("{http://www.w3.org/2000/svg}circle") if c.get("class") == "desired-point"]
    assert desired == [1.0, 2.0]
    for wrong in (["--persona", "Onbekend", "--study", "Bijstand"], ["--persona", "Zelfstandige"], ["R01", "--persona", "x", "--study", "Bijstand"], []):
        refused = klantreis("--db", str(tmp_path / "p.db"), "poster", *wrong, "-o", str(tmp_path / "nee.svg"), home=tmp_path)
        assert refused.returncode == 1 and not (tmp_path / "nee.svg").exists(), wrong
    assert "Geen persona 'Onbekend'" in klantreis(
        "--db", str(tmp_path / "p.db"), "poster", "--persona", "Onbekend", "--study", "Bijstand", "-o", str(tmp_path / "x.svg"),
        home=tmp_path).stderr


async def test_p_on_the_persona_screen_writes_its_poster(tmp_path):
    from klantreis_tui.ui.screens.personas import PersonasScreen

    services, persona = _persona_database(tmp_path)
    app = build_app(services)
    app.export_dir = tmp_path / "export"
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await press(pilot, "p")  # the persona screen, from home
            assert isinstance(app.screen, PersonasScreen)
            await press(pilot, "p")
        files = sorted((tmp_path / "export").iterdir())
        assert sorted(p.suffix for p in files) == [".html", ".svg"]
        assert all(p.name.startswith("Bijstand-Zelfstandige-poster-") for p in files)
        html = next(p for p in files if p.suffix == ".html").read_text(encoding="utf-8")
        assert "@page { size: A3 landscape;" in html and "gewenste hartslag" in html
    finally:
        services.close()
