"""A snapshot that fixes the look of the plan screen at 80x24: ranked actions, proposals, the evidence."""

from __future__ import annotations

from tests.test_plan import build
from tests.uihelpers import build_app


def test_plan_screen(snap_compare, services):
    build(services)

    async def open_plan(pilot):
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("down")
        await pilot.pause()

    assert snap_compare(build_app(services), terminal_size=(80, 24), run_before=open_plan)
