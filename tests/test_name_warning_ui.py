"""The personal-data warning while typing a name, driven with Pilot key by key as an interviewer types."""

from __future__ import annotations

from klantreis_tui.question_sets import bundled_dir
from klantreis_tui.services import Services
from tests.test_privacy_ui import open_small
from tests.uihelpers import answer_widget, build_app, looked_at


def keys(text: str) -> list[str]:
    return ["space" if c == " " else c for c in text]


def warning_text(app) -> str | None:
    """The warning shown under the answer, or None when it is hidden."""
    warning = app.screen.query_one("#pii-warning")
    return str(warning.render()) if warning.display else None


async def test_a_name_is_flagged_while_typing_and_the_warning_goes_with_it(services):
    study = services.create_study("Typen")
    interview = services.start_interview(study.id, "klein")
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_small(app, pilot, interview.id)
        await pilot.press(*keys("mijn buurvrouw"))
        await looked_at(pilot)
        assert warning_text(app) is None  # a relation word alone is no name
        await pilot.press(*keys(" Fatima"))
        await looked_at(pilot)
        text = warning_text(app)
        assert text is not None and "persoonsgegevens te bevatten (naam)" in text
        for _ in range(len(" Fatima")):
            await pilot.press("backspace")
        await looked_at(pilot)
        assert answer_widget(app).value == "mijn buurvrouw"
        assert warning_text(app) is None


async def test_organisations_and_places_give_no_warning_and_names_join_other_kinds(services):
    study = services.create_study("Typen")
    interview = services.start_interview(study.id, "klein")
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_small(app, pilot, interview.id)
        await pilot.press(*keys("Ik belde de Gemeente Utrecht en de Belastingdienst in Mei"))
        await looked_at(pilot)
        assert warning_text(app) is None
        await pilot.press(*keys(", mevrouw Jansen: 0612345678"))
        await looked_at(pilot)
        text = warning_text(app)
        assert text is not None and "naam" in text and "telefoonnummer" in text


async def test_the_study_organisations_are_no_names_while_typing(tmp_path, qs_dir):
    assist = tmp_path / "assist"
    services = Services.open(tmp_path / "k.db", [bundled_dir(), qs_dir], assist_dir=assist)
    try:
        study = services.create_study("Lokaal")
        (assist / study.id).mkdir(parents=True)
        (assist / study.id / "instances.yaml").write_text(
            "instances:\n  - name: Sara\n    aliases: [sara]\n", encoding="utf-8"
        )
        interview = services.start_interview(study.id, "klein")
        app = build_app(services)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_small(app, pilot, interview.id)
            await pilot.press(*keys("Ik ging naar Sara"))
            await looked_at(pilot)
            assert warning_text(app) is None  # Sara is an organisation of this study
            await pilot.press(*keys(" met Noah"))
            await looked_at(pilot)
            assert "naam" in (warning_text(app) or "")
    finally:
        services.close()
