"""A snapshot that fixes the look of the persona screen at 80x24: the card, the text heartbeat beside the desired
score, and what the respondents met in the highlighted phase."""

from __future__ import annotations

from tests.personas_study import build
from tests.uihelpers import build_app


def test_persona_screen(snap_compare, services):
    built = build(services)
    persona = services.create_persona(built.study_id, "Zelfstandige", segment="ZZP", goal="Snel weer inkomen",
                                      context="Alleenstaand; digitaal vaardig")
    services.set_persona_respondents(persona.id, [built.respondents["R01"], built.respondents["R02"]])
    services.set_desired(persona.id, "aanvraag", 1, ["Eén loket"])
    services.create_persona(built.study_id, "Bellers")

    async def open_personas(pilot):
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("enter", "down")
        await pilot.pause()

    assert snap_compare(build_app(services), terminal_size=(80, 24), run_before=open_personas)
