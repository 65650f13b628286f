"""A persona's journey, derived from its respondents' interviews (never typed), as a ``JourneyView``.

How it is derived (the README says the same):

- The interviews counted are the **completed** interviews of the persona's respondents (as in the study
  synthesis); an interview without consent to take part holds nothing.
- The phases are the study's phases in its order; phases typed at steps that are not in the study's list follow
  (``known=False``), then the steps without a phase; a phase nobody reached is shown with ``n = 0``.
- **A respondent's phase score** is the median of their scored steps in that phase (over all their completed
  interviews). **The persona's phase score** is the median of its respondents' phase scores; the spread is their
  lowest and highest; ``n`` is how many respondents scored the phase.
- **Main steps**: the steps' descriptions, counted once per respondent (case and spacing do not count), the
  ones told by most respondents first (then the most often told, then the first told), at most
  ``MAIN_STEPS``; each with the organisations and channels named at those steps.
- **Organisations and channels** under their canonical names (the study's merged spellings), the ones most
  respondents named first. **Themes**: the study's themes with evidence (a pain point, idea or quote) in
  the phase's steps, weighed by how many of the persona's respondents that evidence comes from, heaviest first.
- Pain points, ideas and moments of truth as typed (each text once); **quotes only of respondents who gave
  consent** to quote use. Text that leaves the laptop is redacted as in every export.
- The desired score and ideas per phase come from what the team set (``desired_scores``).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field

from klantreis_tui.i18n import t
from klantreis_tui.models.journey_view import JourneyView, ViewPhase, ViewScore, ViewStep
from klantreis_tui.models.names import CanonicalNames, name_key
from klantreis_tui.models.personas import Persona
from klantreis_tui.models.phases import phase_key, phase_order
from klantreis_tui.models.records import InterviewRecord, InterviewStatus, Step, Study
from klantreis_tui.services.base import ServiceBase, gc_paused

#: the most main steps shown per phase, and the most themes
MAIN_STEPS = 5
MAIN_THEMES = 5


def _text_key(text: str) -> str:
    return " ".join(text.casefold().split()).strip(" .;:!")


def _usable(record: InterviewRecord) -> bool:
    return record.interview.status is InterviewStatus.afgerond and record.consent("participation") is not False


def respondent_phase_scores(records: list[InterviewRecord]) -> dict[str, dict[str, float]]:
    """Per respondent id, per phase key: the median of the respondent's scored steps in that phase."""
    scores: dict[str, dict[str, list[int]]] = {}
    for record in records:
        for step in record.steps:
            if step.emotion is not None:
                scores.setdefault(record.respondent.id, {}).setdefault(phase_key(step.phase), []).append(step.emotion)
    return {rid: {key: statistics.median(v) for key, v in phases.items()} for rid, phases in scores.items()}


def _ranked(found: dict[str, tuple[str, set[str], int, int]]) -> list[str]:
    """Names by how many respondents (then times), then first appearance; ``found``: key -> (name, respondents,
    times, first)."""
    return [name for name, _, _, _ in sorted(found.values(), key=lambda e: (-len(e[1]), -e[2], e[3]))]


def _count(found: dict[str, tuple[str, set[str], int, int]], key: str, name: str, rid: str, order: int) -> None:
    if not key:
        return
    entry = found.get(key)
    if entry is None:
        found[key] = (name, {rid}, 1, order)
    else:
        found[key] = (entry[0], entry[1] | {rid}, entry[2] + 1, entry[3])


@dataclass(frozen=True)
class _StudyFacts:
    """What the journeys of one study's persona's share."""

    study: Study
    codes: dict[str, str]  # respondent id -> code
    names: dict[str, CanonicalNames]  # the merged spellings per field
    theme_names: dict[str, str]
    step_themes: dict[str, set[str]]  # step id -> the ids of the themes its evidence is assigned to
    phases: list[str]
    redact: Callable[[str], str]


@dataclass
class _Phase:
    name: str
    known: bool
    steps: list[tuple[InterviewRecord, Step]] = field(default_factory=list)


class PersonaJourneyServices(ServiceBase):
    """``persona_view``: what the persona screen, the synthesis and the poster draw."""

    def persona_records(
        self, persona: Persona, respondent_ids: list[str], keep_personal_data: bool = False,
        known: dict[str, InterviewRecord] | None = None,
    ) -> list[InterviewRecord]:
        """The completed interviews of the respondents, protected as exports are, by code and time.

        ``known``: records that the caller read and protected the same way already (by interview id; the
        synthesis and the workbook hold them): only the others are read."""
        chosen = set(respondent_ids)
        ids = [
            row.interview.id for row in self.store.list_interviews(persona.study_id)
            if row.interview.respondent_id in chosen and row.interview.status is InterviewStatus.afgerond
        ]
        known = known or {}
        missing = [i for i in ids if i not in known]
        read: dict[str, InterviewRecord] = {}
        if missing:
            with gc_paused():
                read = {
                    r.interview.id: r
                    for r in self.export_records(missing, keep_personal_data, step_answers=False)  # type: ignore[attr-defined]
                }
        records = (known.get(i) or read.get(i) for i in ids)
        usable = [r for r in records if r is not None and _usable(r)]
        return sorted(usable, key=lambda r: (r.respondent.code, r.interview.started_at, r.interview.id))

    def persona_view(self, persona_id: str, keep_personal_data: bool = False) -> JourneyView:
        """The persona's derived journey (see the module docstring), with its desired score per phase."""
        return self.persona_journey(persona_id, keep_personal_data)[0]

    def persona_journey(self, persona_id: str, keep_personal_data: bool = False) -> tuple[JourneyView, list[tuple[str, int]]]:
        """The persona's view and the themes that weigh most over its whole journey: (name, how many of its
        respondents' evidence is assigned to it), heaviest first, at most ``MAIN_THEMES``."""
        persona = self.store.get_persona(persona_id)
        if persona is None:
            raise KeyError(persona_id)
        respondent_ids = self.store.persona_respondent_ids(persona_id)
        records = self.persona_records(persona, respondent_ids, keep_personal_data)
        return self._journey(persona, respondent_ids, records, self._persona_study(persona.study_id, keep_personal_data))

    def persona_journeys(
        self, study_id: str, keep_personal_data: bool = False, known: dict[str, InterviewRecord] | None = None
    ) -> list[tuple[Persona, JourneyView, list[tuple[str, int]]]]:
        """``persona_journey`` of every persona of the study, in the study's order, each with its persona: the
        interviews of all their respondents read once (and only those not in ``known``, see ``persona_records``),
        the study's names, themes and phases once."""
        personas = self.store.personas_of(study_id)
        if not personas:
            return []
        chosen = {p.id: self.store.persona_respondent_ids(p.id) for p in personas}
        everyone = Persona.model_construct(study_id=study_id, name="-")
        records = self.persona_records(everyone, [r for ids in chosen.values() for r in ids], keep_personal_data, known)
        facts = self._persona_study(study_id, keep_personal_data)
        journeys = []
        for persona in personas:
            mine = set(chosen[persona.id])
            view, themes = self._journey(persona, chosen[persona.id], [r for r in records if r.respondent.id in mine], facts)
            journeys.append((persona, view, themes))
        return journeys

    def _persona_study(self, study_id: str, keep_personal_data: bool) -> _StudyFacts:
        step_themes: dict[str, set[str]] = {}
        for link in self.store.theme_links_of(study_id):
            step_themes.setdefault(link.step_id, set()).add(link.theme_id)
        return _StudyFacts(
            study=self.store.get_study(study_id),
            codes={r.id: r.code for r in self.store.respondents_of(study_id)},
            names={field: CanonicalNames(m) for field, m in self.name_map(study_id).items()},  # type: ignore[attr-defined]
            theme_names={th.id: th.name for th in self.redacted_themes([study_id], keep_personal_data)},  # type: ignore[attr-defined]
            step_themes=step_themes,
            phases=self.study_phases(study_id),  # type: ignore[attr-defined]
            # the team's own words (persona's, desired journeys, themes) by the one rule (services.redaction)
            redact=self.redactor(study_id, keep_personal_data).team,  # type: ignore[attr-defined]
        )

    def _journey(
        self, persona: Persona, respondent_ids: list[str], records: list[InterviewRecord], facts: _StudyFacts
    ) -> tuple[JourneyView, list[tuple[str, int]]]:
        """The view and heaviest themes of ``persona`` from its respondents' ``records`` (see ``persona_journey``)."""
        study, codes, names, redact = facts.study, facts.codes, facts.names, facts.redact
        theme_names, step_themes = facts.theme_names, facts.step_themes
        desired = {phase_key(d.phase): d for d in self.store.desired_scores_of(persona.id)}

        phases: dict[str, _Phase] = {}
        used = [s.phase for r in records for s in r.steps]
        for name, known in phase_order(facts.phases, used):
            phases[phase_key(name)] = _Phase(name, known)
        for key, d in desired.items():  # a desired score for a phase no longer in the list stays in view
            phases.setdefault(key, _Phase(d.phase, False))
        for record in records:
            for step in sorted(record.steps, key=lambda s: s.position):
                key = phase_key(step.phase)
                phases.setdefault(key, _Phase(t('(no phase)'), False)).steps.append((record, step))
        per_respondent = respondent_phase_scores(records)
        view_phases = []
        for key, phase in phases.items():
            scores = [p[key] for p in per_respondent.values() if key in p]
            wish = desired.get(key)
            view_phases.append(self._view_phase(
                phase, scores, names, theme_names, step_themes,
                wish.score if wish else None, tuple(redact(i) for i in wish.ideas) if wish else (),
            ))
        weights: dict[str, tuple[str, set[str], int, int]] = {}
        for order, (record, step) in enumerate((r, s) for r in records for s in r.steps):
            for theme_id in sorted(step_themes.get(step.id, ())):
                if theme_id in theme_names:
                    _count(weights, theme_id, theme_names[theme_id], record.respondent.id, order)
        heaviest = sorted(weights.values(), key=lambda e: (-len(e[1]), -e[2], e[3]))[:MAIN_THEMES]
        subtitle = " · ".join(x for x in (study.title, redact(persona.segment)) if x)
        return JourneyView(
            kind="persona", title=redact(persona.name), subtitle=subtitle, phases=tuple(view_phases),
            respondents=tuple(codes[r] for r in respondent_ids if r in codes),
            story=redact(persona.story), goal=redact(persona.goal), context=redact(persona.context),
        ), [(name, len(who)) for name, who, _, _ in heaviest]

    @staticmethod
    def _view_phase(
        phase: _Phase, scores: list[float], names: dict[str, CanonicalNames], theme_names: dict[str, str],
        step_themes: dict[str, set[str]], desired: int | None, ideas: tuple[str, ...],
    ) -> ViewPhase:
        instances, channels = names["instances"], names["channels"]
        organisations: dict[str, tuple[str, set[str], int, int]] = {}
        media: dict[str, tuple[str, set[str], int, int]] = {}
        themes: dict[str, tuple[str, set[str], int, int]] = {}
        groups: dict[str, dict] = {}
        pains: dict[str, str] = {}
        opportunities: dict[str, str] = {}
        quotes: dict[str, str] = {}
        moments: dict[str, str] = {}
        for order, (record, step) in enumerate(phase.steps):
            rid = record.respondent.id
            quotes_ok = record.consent("quotes") is True
            step_orgs = instances(step.instances)
            step_channels = channels(step.channels)
            for name in step_orgs:
                _count(organisations, name_key(name), name, rid, order)
            for name in step_channels:
                _count(media, name_key(name), name, rid, order)
            for theme_id in sorted(step_themes.get(step.id, ())):
                if theme_id in theme_names:
                    _count(themes, theme_id, theme_names[theme_id], rid, order)
            for texts, text in ((pains, step.pain_point), (opportunities, step.opportunity)):
                if text.strip():
                    texts.setdefault(_text_key(text), " ".join(text.split()))
            if quotes_ok:
                for quote in step.quotes:
                    if quote.strip():
                        quotes.setdefault(_text_key(quote), " ".join(quote.split()))
            description = " ".join(step.description.split())
            if step.moment_of_truth and description:
                moments.setdefault(_text_key(description), description)
            if not description:
                continue
            group = groups.setdefault(_text_key(description), {
                "description": description, "respondents": set(), "times": 0, "first": order, "orgs": {},
                "channels": {}, "pain": "", "idea": "", "quotes": {}, "moment": False,
            })
            group["respondents"].add(rid)
            group["times"] += 1
            group["orgs"].update(dict.fromkeys(step_orgs))
            group["channels"].update(dict.fromkeys(step_channels))
            group["pain"] = group["pain"] or " ".join(step.pain_point.split())
            group["idea"] = group["idea"] or " ".join(step.opportunity.split())
            if quotes_ok:
                group["quotes"].update(dict.fromkeys(" ".join(q.split()) for q in step.quotes if q.strip()))
            group["moment"] = group["moment"] or step.moment_of_truth
        main = sorted(groups.values(), key=lambda g: (-len(g["respondents"]), -g["times"], g["first"]))[:MAIN_STEPS]
        steps = tuple(
            ViewStep(
                description=g["description"], instances=tuple(g["orgs"]), channels=tuple(g["channels"]),
                pain_point=g["pain"], opportunity=g["idea"], quotes=tuple(g["quotes"]), moment_of_truth=g["moment"],
            )
            for g in main
        )
        return ViewPhase(
            name=phase.name, known=phase.known, steps=steps, score=ViewScore.of(scores),
            desired=float(desired) if desired is not None else None, desired_ideas=ideas,
            organisations=tuple(_ranked(organisations)), channels=tuple(_ranked(media)),
            themes=tuple(_ranked(themes)[:MAIN_THEMES]), pain_points=tuple(pains.values()),
            opportunities=tuple(opportunities.values()), quotes=tuple(quotes.values()),
            moments_of_truth=tuple(moments.values()),
        )


#: the cells of a text curve: -2, -1.5, ..., +2
CURVE_CELLS = 9


def _cell(score: float) -> int:
    return max(0, min(CURVE_CELLS - 1, int(round((score + 2) * 2))))


def curve_cells(score: ViewScore, desired: float | None) -> str:
    """One phase of the heartbeat as text, from -2 (left) to +2 (right) in half points: ``─`` the spread of
    the respondents, ``●`` the median, ``◇`` the desired score (``◆`` where both fall), ``┊`` the neutral line."""
    cells = ["·"] * CURVE_CELLS
    cells[_cell(0)] = "┊"
    if score.low is not None and score.high is not None:
        for index in range(_cell(score.low), _cell(score.high) + 1):
            cells[index] = "─"
    if desired is not None:
        cells[_cell(desired)] = "◇"
    if score.median is not None:
        both = desired is not None and _cell(desired) == _cell(score.median)
        cells[_cell(score.median)] = "◆" if both else "●"
    return "".join(cells)


def score_text(value: float | None) -> str:
    """A score as shown: signed, at most two decimals, with a decimal comma in Dutch ("+0,75"); "" for none."""
    if value is None:
        return ""
    from klantreis_tui.i18n import current_language

    text = f"{value:+.2f}".rstrip("0").rstrip(".")
    text = "0" if text in ("+0", "-0") else text
    return text.replace(".", ",") if current_language() == "nl" else text
