"""One name per organisation and channel in a study: merge proposals, accepted merges, and bundle import."""

from __future__ import annotations

from klantreis_tui.models.names import NAME_FIELDS, CanonicalNames, NameVariant, canonical_map, name_key
from klantreis_tui.services.base import ServiceBase

_KINDS = {"instances": "instance", "channels": "channel"}


class NameServices(ServiceBase):
    """What was typed stays in the steps; the study keeps which spelling counts as which name."""

    def name_map(self, study_id: str) -> dict[str, dict[str, str]]:
        """Per field (instances, channels): the key of each merged spelling to its canonical name."""
        return canonical_map(self.store.name_variants(study_id))

    def _alias_finder(self, study_id: str, field: str):  # type: ignore[no-untyped-def]
        """The name the assistant knows a spelling as (an alias covering nearly all of it), or None."""
        from klantreis_tui.assist.names import core, fold

        assistant = self.assistant(study_id)  # type: ignore[attr-defined]

        def alias_of(name: str) -> str | None:
            found = [p for p in assistant.propose(name) if p.kind == _KINDS[field]]
            if len(found) == 1 and len(fold(found[0].text)) >= 0.8 * len(core(name) or fold(name)):
                return str(found[0].value)
            return None

        return alias_of

    def name_proposals(self, study_id: str, field: str) -> list:
        """Spellings of the study's steps proposed to be counted under another name (``MergeProposal``s),
        leaving out those already merged."""
        from klantreis_tui.assist.names import propose_merges

        if field not in NAME_FIELDS:
            raise ValueError(field)
        assistant = self.assistant(study_id)  # type: ignore[attr-defined]
        merged = self.name_map(study_id)[field]
        counts = self.store.step_value_counts(study_id, field)
        used = [(name, n) for name, n in counts if name_key(name) not in merged]
        return propose_merges(used, assistant.names(field), self._alias_finder(study_id, field))

    def name_matcher(self, study_id: str, field: str):  # type: ignore[no-untyped-def]
        """For the organisation or channel being typed (``NameMatcher``): the study's canonical names, most
        used first, then the assistant's; its merged spellings; the assistant's aliases."""
        from klantreis_tui.assist.names import NameMatcher

        if field not in NAME_FIELDS:
            raise ValueError(field)
        merged = self.name_map(study_id)[field]  # a spelling's key to its final canonical name
        canonical = CanonicalNames(merged)
        used = [canonical.name(name) for name, _ in self.store.step_value_counts(study_id, field)]
        names = [*used, *merged.values(), *self.assistant(study_id).names(field)]  # type: ignore[attr-defined]
        return NameMatcher(names, merged, self._alias_finder(study_id, field), field=field)

    def accept_name(self, study_id: str, field: str, typed: str, canonical: str) -> bool:
        """The interviewer took ``canonical`` for what was typed: the spelling is kept as a variant of it, so
        it is counted under that name wherever it was typed (committed); False when they are one spelling."""
        if name_key(typed) == name_key(canonical):
            return False
        self.merge_names(study_id, field, [" ".join(typed.split())], canonical)
        return True

    def merge_names(self, study_id: str, field: str, variants: list[str], canonical: str) -> int:
        """Count ``variants`` under ``canonical`` from now on (one transaction); returns how many were stored."""
        if field not in NAME_FIELDS:
            raise ValueError(field)
        rows = [NameVariant(study_id=study_id, field=field, variant=v, canonical=canonical) for v in variants]
        return self.store.put_name_variants(rows)  # type: ignore[arg-type]

    def unmerge_name(self, study_id: str, field: str, variant: str) -> None:
        self.store.drop_name_variant(study_id, field, variant)

    def export_name_variants(self, study_ids: list[str], keep_personal_data: bool = False) -> list[NameVariant]:
        """Bundle export: the merges of the studies the bundle holds; a spelling with personal data in it (a
        name typed as organisation) is left out unless ``keep_personal_data``."""
        from klantreis_tui import pii

        variants = [v for study_id in sorted(study_ids) for v in self.store.name_variants(study_id)]
        if keep_personal_data:
            return variants
        # residents' words (``services.redaction``): the study's own organisations are no person's name
        stops = {study_id: self.not_names(study_id) for study_id in study_ids}  # type: ignore[attr-defined]
        return [v for v in variants if not pii.kinds_in(f"{v.variant} {v.canonical}", stops[v.study_id])]

    def import_name_variants(self, variants: list[NameVariant]) -> int:
        """Bundle import: the bundle's merges that this database has no merge for yet (by spelling, so
        importing twice adds nothing)."""
        return self.store.put_name_variants(variants, keep_existing=True)

    def study_named(self, text: str) -> str | None:
        """The id of the study with this id or title (for the command line), or None."""
        return next((r.study.id for r in self.store.list_studies() if text in (r.study.id, r.study.title)), None)
