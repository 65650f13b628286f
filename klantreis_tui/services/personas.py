"""Persona's of a study: create, edit, delete, reorder, choose their respondents, set the desired journey, and
proposed groupings of respondents (by segment, and by how alike their journeys are).

**How a grouping is proposed.** First, by segment: the respondents that share a segment (case and spacing do not
count), for every segment of two or more. Then by journey: each respondent's completed interviews give
(1) per phase of the study their phase score (the median of their step scores there), (2) the organisations
they dealt with (canonical names), (3) the themes their pain points, ideas and quotes are assigned to. Two
respondents differ by

    distance = 0.5 * phases + 0.25 * organisations + 0.25 * themes        (each part 0..1)

where *phases* averages, over the phases either of them scored, |score a - score b| / 4 (a phase only one of
them scored counts 0.5), and *organisations* and *themes* are 1 - shared / all (Jaccard; 0.5 when neither has
any). Respondents are grouped bottom-up (average linkage): the two closest groups are joined while they are at
most ``ALIKE`` apart. Each group of two or more is proposed, unless a segment proposal holds the same
respondents (a study of more than ``MAX_ALIKE`` respondents gets the segment proposals only). Nothing is
stored until a proposal is accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from klantreis_tui.errors import KlantreisError
from klantreis_tui.i18n import t, tn
from klantreis_tui.models.names import CanonicalNames, name_key
from klantreis_tui.models.personas import DesiredScore, Persona
from klantreis_tui.models.phases import phase_key
from klantreis_tui.models.records import EMOTION_MAX, EMOTION_MIN, Respondent
from klantreis_tui.services.base import ServiceBase
from klantreis_tui.services.persona_journey import respondent_phase_scores

#: the largest distance (0..1) at which two groups of respondents are still joined
ALIKE = 0.35
#: above this many respondents (a programme's pooled bundles, not one study) only segments are proposed: the
#: grouping compares every pair, again for every join
MAX_ALIKE = 300


class PersonaProblem(KlantreisError):
    """A persona change that is refused (a name taken, a respondent of another study); the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__("persona.refused", message)


@dataclass(frozen=True)
class PersonaProposal:
    """A proposed group of respondents for a persona: why (``kind``: segment or journey), a name, who."""

    kind: str  # "segment" or "journey"
    name: str
    segment: str
    respondent_ids: tuple[str, ...]
    codes: tuple[str, ...]
    reason: str


def _jaccard(a: set[str], b: set[str]) -> float:
    union = a | b
    return 1 - len(a & b) / len(union) if union else 0.5


def journey_distance(a: tuple[dict[str, float], set[str], set[str]], b: tuple[dict[str, float], set[str], set[str]]) -> float:
    """How unlike two respondents' journeys are, 0..1 (see the module docstring): (phase scores, organisation
    keys, theme ids) of each."""
    phases = set(a[0]) | set(b[0])
    parts = [abs(a[0][p] - b[0][p]) / 4 if p in a[0] and p in b[0] else 0.5 for p in phases]
    emotion = sum(parts) / len(parts) if parts else 0.5
    return 0.5 * emotion + 0.25 * _jaccard(a[1], b[1]) + 0.25 * _jaccard(a[2], b[2])


def alike_groups(features: dict[str, tuple[dict[str, float], set[str], set[str]]], limit: float = ALIKE) -> list[list[str]]:
    """Average-linkage grouping of the respondents (ids, in the order given) while groups are at most ``limit``
    apart; the groups of two or more, largest first."""
    ids = list(features)
    distance = {(a, b): journey_distance(features[a], features[b]) for a, b in combinations(ids, 2)}

    def apart(x: list[str], y: list[str]) -> float:
        pairs = [distance.get((a, b), distance.get((b, a), 0.0)) for a in x for b in y]
        return sum(pairs) / len(pairs)

    groups = [[i] for i in ids]
    while len(groups) > 1:
        best = min(
            ((apart(x, y), i, j) for (i, x), (j, y) in combinations(enumerate(groups), 2)),
            key=lambda found: (round(found[0], 9), found[1], found[2]),
        )
        if best[0] > limit:
            break
        _, i, j = best
        groups[i] = groups[i] + groups[j]
        del groups[j]
    return sorted((g for g in groups if len(g) > 1), key=lambda g: (-len(g), ids.index(g[0])))


class PersonaGone(PersonaProblem, KeyError):
    """The persona is no longer there (deleted in another window, or by an import); also a KeyError, as before."""

    def __init__(self, persona_id: str) -> None:
        super().__init__(t('This persona no longer exists: it was deleted, perhaps in another window.'))
        self.persona_id = persona_id


class PersonaServices(ServiceBase):
    """Every change is committed before it returns."""

    def personas(self, study_id: str) -> list[Persona]:
        return self.store.personas_of(study_id)

    def persona(self, persona_id: str) -> Persona:
        persona = self.store.get_persona(persona_id)
        if persona is None:
            raise PersonaGone(persona_id)
        return persona

    def _check_name(self, persona: Persona) -> None:
        name = " ".join(persona.name.split())
        if not name:
            raise PersonaProblem(t('A persona needs a name.'))
        taken = [p for p in self.store.personas_of(persona.study_id) if name_key(p.name) == name_key(name) and p.id != persona.id]
        if taken:
            raise PersonaProblem(t("This study has a persona named '{name}' already.", name=taken[0].name))

    def create_persona(self, study_id: str, name: str, **fields: str) -> Persona:
        """A new persona (last in the study's list); PersonaProblem when the name is empty or taken."""
        persona = Persona.model_construct(study_id=study_id, name=name)  # checked before it is built
        self._check_name(persona)
        return self.store.put_persona(Persona(study_id=study_id, name=" ".join(name.split()), **fields))

    def update_persona(self, persona: Persona) -> Persona:
        """Store the persona's name, story, goal, context and segment."""
        self._check_name(persona)
        return self.store.put_persona(persona.model_copy(update={"name": " ".join(persona.name.split())}))

    def delete_persona(self, persona_id: str) -> None:
        self.store.delete_persona(persona_id)

    def move_persona(self, persona_id: str, offset: int) -> None:
        """Move the persona ``offset`` places up (negative) or down in its study's list."""
        persona = self.persona(persona_id)
        ids = [p.id for p in self.store.personas_of(persona.study_id)]
        index = ids.index(persona_id)
        target = max(0, min(len(ids) - 1, index + offset))
        ids.insert(target, ids.pop(index))
        self.store.order_personas(persona.study_id, ids)

    # --- respondents ------------------------------------------------------------------------------------

    def study_respondents(self, study_id: str) -> list[Respondent]:
        """Every respondent of the study, by code (to choose a persona's from)."""
        return self.store.respondents_of(study_id)

    def persona_respondents(self, persona_id: str) -> list[Respondent]:
        chosen = set(self.store.persona_respondent_ids(persona_id))
        return [r for r in self.store.respondents_of(self.persona(persona_id).study_id) if r.id in chosen]

    def set_persona_respondents(self, persona_id: str, respondent_ids: list[str]) -> None:
        """The persona's respondents from now on; all of them must be of its study (PersonaProblem)."""
        persona = self.persona(persona_id)
        known = {r.id for r in self.store.respondents_of(persona.study_id)}
        foreign = [r for r in respondent_ids if r not in known]
        if foreign:
            raise PersonaProblem(tn('{n} chosen respondent is no longer part of this study (forgotten, perhaps in another window).', '{n} chosen respondents are no longer part of this study (forgotten, perhaps in another window).', len(foreign)))
        self.store.set_persona_respondents(persona_id, respondent_ids)

    def accept_persona_proposal(self, study_id: str, proposal: PersonaProposal, name: str | None = None) -> Persona:
        """A new persona from a proposal: its name (or ``name``), segment and respondents (one change each)."""
        persona = self.create_persona(study_id, name or proposal.name, segment=proposal.segment)
        self.store.set_persona_respondents(persona.id, list(proposal.respondent_ids))
        return persona

    def propose_personas(self, study_id: str) -> list[PersonaProposal]:
        """Proposed groupings of the study's respondents (see the module docstring): by segment, then by journey."""
        respondents = self.store.respondents_of(study_id)
        codes = {r.id: r.code for r in respondents}
        proposals: list[PersonaProposal] = []
        segments: dict[str, list[Respondent]] = {}
        for r in respondents:
            if r.segment.strip():
                segments.setdefault(name_key(r.segment), []).append(r)
        for members in sorted(segments.values(), key=lambda m: (-len(m), m[0].code)):
            if len(members) < 2:
                continue
            segment = " ".join(members[0].segment.split())
            proposals.append(PersonaProposal(
                "segment", segment, segment, tuple(r.id for r in members), tuple(r.code for r in members),
                t("segment '{segment}'", segment=segment),
            ))
        seen = {frozenset(p.respondent_ids) for p in proposals}
        features = self.journey_features(study_id) if len(respondents) <= MAX_ALIKE else {}
        for number, group in enumerate(alike_groups(features), 1):
            if frozenset(group) in seen:
                continue
            members = [r for r in respondents if r.id in group]
            shared = {name_key(r.segment) for r in members}
            segment = " ".join(members[0].segment.split()) if len(shared) == 1 else ""
            proposals.append(PersonaProposal(
                "journey", t('Alike journeys {n}', n=number), segment, tuple(r.id for r in members),
                tuple(codes[r.id] for r in members), t('phase scores, organisations and themes alike'),
            ))
        return proposals

    def journey_features(self, study_id: str) -> dict[str, tuple[dict[str, float], set[str], set[str]]]:
        """Per respondent with a completed interview (by code): phase scores, organisation keys, theme ids."""
        persona = Persona.model_construct(study_id=study_id, name="-")
        respondents = self.store.respondents_of(study_id)
        records = self.persona_records(persona, [r.id for r in respondents])  # type: ignore[attr-defined]
        organisations = CanonicalNames(self.name_map(study_id)["instances"])  # type: ignore[attr-defined]
        step_themes: dict[str, set[str]] = {}
        for link in self.store.theme_links_of(study_id):
            step_themes.setdefault(link.step_id, set()).add(link.theme_id)
        scores = respondent_phase_scores(records)
        features: dict[str, tuple[dict[str, float], set[str], set[str]]] = {}
        for record in records:
            rid = record.respondent.id
            entry = features.setdefault(rid, (scores.get(rid, {}), set(), set()))
            for step in record.steps:
                entry[1].update(name_key(name) for name in organisations(step.instances))
                entry[2].update(step_themes.get(step.id, set()))
        return features

    # --- the desired journey ------------------------------------------------------------------------------

    def desired_scores(self, persona_id: str) -> list[DesiredScore]:
        return self.store.desired_scores_of(persona_id)

    def set_desired(self, persona_id: str, phase: str, score: int | None, ideas: list[str]) -> DesiredScore:
        """The desired score (-2..+2, or None) and ideas of one phase; PersonaProblem for a score off the scale."""
        if score is not None and not EMOTION_MIN <= score <= EMOTION_MAX:
            raise PersonaProblem(t('A desired score is a whole number from -2 to +2.'))
        self.persona(persona_id)
        # the phase as it is stored already (another spelling of it, from a bundle, is the same phase)
        stored = [d.phase for d in self.store.desired_scores_of(persona_id) if phase_key(d.phase) == phase_key(phase)]
        desired = DesiredScore(
            persona_id=persona_id, phase=stored[0] if stored else " ".join(phase.split()), score=score,
            ideas=[" ".join(i.split()) for i in ideas if i.strip()],
        )
        self.store.put_desired_score(desired)
        return desired
