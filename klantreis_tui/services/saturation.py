"""Saturation of a study: what each completed interview brought that was new, for the home screen's study row
(the synthesis shows the same figures, from the same computation in ``models.saturation``)."""

from __future__ import annotations

import json
from datetime import datetime

from klantreis_tui.models.names import CanonicalNames
from klantreis_tui.models.saturation import Held, HeldStep, Saturation, saturation
from klantreis_tui.services.base import ServiceBase


class SaturationServices(ServiceBase):
    """Per study: new themes, organisations and pain points per interview, in the order they were held."""

    def study_saturation(self, study_id: str) -> Saturation:
        """Over the completed interviews the synthesis uses (those with consent to take part), organisations
        counted by their canonical names, pain points by their themes; read in one query."""
        interviews: dict[str, Held] = {}
        for interview_id, started, code, step_id, instances, pain_point in self.store.held_steps(study_id):
            entry = interviews.get(interview_id)
            if entry is None:
                entry = interviews[interview_id] = Held(code, datetime.fromisoformat(started), [])
            if step_id is not None:
                entry.steps.append(HeldStep(step_id, json.loads(instances or "[]"), pain_point or ""))  # type: ignore[attr-defined]
        if not interviews:
            return Saturation()
        names = self.name_map(study_id).get("instances", {})  # type: ignore[attr-defined]
        return saturation(interviews.values(), self.store.theme_links_of(study_id), CanonicalNames(names))

    def study_saturation_apart(self, study_id: str) -> Saturation:
        """``study_saturation`` over a database connection of its own, for a worker thread."""
        with self.apart() as apart:
            return apart.study_saturation(study_id)


def saturation_note(found: Saturation) -> str:
    """The study's saturation in a few words, for its row on the home screen: the interviews at the end that
    brought nothing new ("R08 and R09 brought nothing new"), else what the last one brought; "" before there
    is anything to compare."""
    from klantreis_tui.i18n import t, tn

    codes = found.saturated_codes
    if codes:
        if len(codes) > 3:
            return tn('The last {n} interviews brought nothing new (since {code})',
                      'The last {n} interviews brought nothing new (since {code})', len(codes), code=codes[0])
        listed = codes[0] if len(codes) == 1 else t('{first} and {last}', first=", ".join(codes[:-1]), last=codes[-1])
        return tn('{codes} brought nothing new', '{codes} brought nothing new', len(codes), codes=listed)
    if len(found.rows) < 2:
        return ""
    last = found.rows[-1]
    parts = [
        tn('{n} theme', '{n} themes', last.new_themes) if last.new_themes else "",
        tn('{n} organisation', '{n} organisations', last.new_organisations) if last.new_organisations else "",
        tn('{n} pain point', '{n} pain points', last.new_pain_points) if last.new_pain_points else "",
    ]
    return t('{code} brought new: {what}', code=last.code, what=", ".join(p for p in parts if p))
