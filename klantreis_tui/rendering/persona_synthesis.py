"""The persona section of a study synthesis: per persona its respondents, goal, the current heartbeat per phase
(median, spread, n) beside the desired one, and the themes that weigh most.

``persona_context`` turns the services' ``JourneyView``s (already derived and redacted) into template data;
the drawing (an SVG of both curves) is made only when a template shows it.
"""

from __future__ import annotations

from typing import Any

from klantreis_tui.models.journey_view import JourneyView
from klantreis_tui.rendering.formatting import _decimal
from klantreis_tui.rendering.svg import LazySvg


def persona_context(
    personas: list[tuple[JourneyView, list[tuple[str, int]]]], words: dict[str, str]
) -> list[dict[str, Any]]:
    """Per persona (a view and its heaviest themes as (name, respondents)): ``name``, ``segment`` (the view's
    subtitle), ``goal``, ``context``, ``story``, ``respondents`` (codes), ``respondent_count``, ``phases``
    (``name``, ``known``, ``n``, ``median``, ``median_text``, ``min_text``, ``max_text``, ``desired``,
    ``desired_text``, ``desired_ideas``), ``has_desired``, ``themes`` (``name``, ``respondent_count``) and
    ``curves_svg`` (both curves over the phases)."""
    rows = []
    for view, themes in personas:
        phases = [
            {
                "name": p.name,
                "known": p.known,
                "n": p.score.n,
                "median": p.score.median,
                "median_text": _decimal(p.score.median),
                "min_text": _decimal(p.score.low),
                "max_text": _decimal(p.score.high),
                "desired": p.desired,
                "desired_text": _decimal(p.desired),
                "desired_ideas": list(p.desired_ideas),
            }
            for p in view.phases
        ]
        rows.append({
            "name": view.title,
            "segment": view.subtitle,
            "goal": view.goal,
            "context": view.context,
            "story": view.story,
            "respondents": list(view.respondents),
            "respondent_count": len(view.respondents),
            "phases": phases,
            "has_desired": view.has_desired,
            "themes": [{"name": name, "respondent_count": n} for name, n in themes],
            "curves_svg": LazySvg(
                [p.score.median for p in view.phases],
                width=max(640, 96 * len(view.phases)),
                title=f"{words['persona_heartbeat']}: {view.title}",
                labels=[p.name for p in view.phases],
                desired=[p.desired for p in view.phases],
                spreads=[(p.score.low, p.score.high) if p.score.n else None for p in view.phases],
                legend=(words["current_journey"], words["desired_journey"]),
            ),
        })
    return rows
