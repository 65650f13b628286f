"""The journey of one interview in the shape the deliverables draw (``models.journey_view``): the poster's data."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable

from klantreis_tui.models.journey_view import JourneyView, ViewPhase, ViewScore, ViewStep
from klantreis_tui.models.names import name_key
from klantreis_tui.models.phases import phase_key, phase_order
from klantreis_tui.models.records import Step
from klantreis_tui.services.base import ServiceBase


def _canonical(names: Iterable[str], mapping: dict[str, str]) -> tuple[str, ...]:
    """Each name under the study's canonical spelling, tidied, blanks and repeats left out, order kept."""
    found: dict[str, str] = {}
    for name in names:
        canonical = " ".join(mapping.get(name_key(name), name).split())
        if canonical and name_key(canonical) not in found:
            found[name_key(canonical)] = canonical
    return tuple(found.values())


def phase_score(scores: list[int]) -> ViewScore:
    """The median with its spread; ``n = 0`` (and no median) when nothing was scored."""
    if not scores:
        return ViewScore()
    return ViewScore(median=float(statistics.median(scores)), low=min(scores), high=max(scores), n=len(scores))


def _unique(texts: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t for t in (" ".join(s.split()) for s in texts) if t))


class ViewServices(ServiceBase):
    """Journey views: what the poster (and the office formats) of an interview draw."""

    def interview_view(self, interview_id: str, *, redact: bool = True) -> JourneyView:
        """The interview's journey: the study's phases in order (also those no step reached), then the phases
        its steps name that the study's list lacks (``known=False``), then the steps without a phase (a phase
        named "", ``known=False``); organisations and channels under their canonical names; quotes only when
        the respondent consented to their use; personal data in free text redacted unless ``redact`` is False."""
        record = self.protect(self.interview_record(interview_id), keep_personal_data=not redact)  # type: ignore[attr-defined]
        study = record.study
        steps = sorted(record.steps, key=lambda s: s.position)
        quotes_allowed = record.consent("quotes") is True
        names = self.name_map(study.id)  # type: ignore[attr-defined]
        order = phase_order(self.study_phases(study.id), (s.phase for s in steps))  # type: ignore[attr-defined]
        grouped: dict[str, list[Step]] = {phase_key(name): [] for name, _ in order}
        for step in steps:
            grouped.setdefault(phase_key(step.phase), []).append(step)
        known = {phase_key(name): (name, in_study) for name, in_study in order}
        if "" in grouped and not grouped[""]:
            del grouped[""]
        theme_names = self._step_themes(study.id, {s.id for s in steps})
        phases = []
        for key, members in grouped.items():
            name, in_study = known.get(key, ("", False))
            view_steps = tuple(
                ViewStep(
                    description=" ".join(s.description.split()),
                    instances=_canonical(s.instances, names["instances"]),
                    channels=_canonical(s.channels, names["channels"]),
                    emotion=s.emotion,
                    pain_point=s.pain_point.strip(),
                    opportunity=s.opportunity.strip(),
                    quotes=_unique(s.quotes) if quotes_allowed else (),
                    moment_of_truth=s.moment_of_truth,
                )
                for s in members
            )
            weights = Counter(name for s in members for name in theme_names.get(s.id, ()))
            phases.append(
                ViewPhase(
                    name=name,
                    known=in_study,
                    steps=view_steps,
                    score=phase_score([s.emotion for s in members if s.emotion is not None]),
                    organisations=_unique(n for s in view_steps for n in s.instances),
                    channels=_unique(c for s in view_steps for c in s.channels),
                    themes=tuple(n for n, _ in sorted(weights.items(), key=lambda item: (-item[1], item[0].casefold()))),
                    pain_points=_unique(s.pain_point for s in view_steps),
                    opportunities=_unique(s.opportunity for s in view_steps),
                    quotes=_unique(q for s in view_steps for q in s.quotes),
                    moments_of_truth=tuple(s.description for s in view_steps if s.moment_of_truth),
                )
            )
        respondent = record.respondent
        subtitle = " · ".join(part for part in (study.title, study.trigger, respondent.segment, respondent.age_band) if part.strip())
        return JourneyView(
            kind="interview",
            title=respondent.code,
            subtitle=" ".join(subtitle.split()),
            phases=tuple(phases),
            respondents=(respondent.code,),
        )

    def _step_themes(self, study_id: str, step_ids: set[str]) -> dict[str, list[str]]:
        """Per step, the names of the themes its pain point or idea is assigned to (quotes are evidence, not
        the weight of a knelpunt)."""
        themes = {th.id: th.name for th in self.store.themes_of(study_id)}
        found: dict[str, list[str]] = {}
        for link in self.store.theme_links_of(study_id):
            if link.step_id in step_ids and link.theme_id in themes and link.field == "pain_point":
                found.setdefault(link.step_id, []).append(themes[link.theme_id])
        return found
