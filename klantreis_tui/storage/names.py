"""The store's name variants: which spelling of an organisation or channel stands for which canonical name."""

from __future__ import annotations

from klantreis_tui.models.names import NameVariant, name_key
from klantreis_tui.storage.base import StoreBase


class NamesPart(StoreBase):
    """Rows of ``name_variants``, one per study, field and spelling (compared without case)."""

    def name_variants(self, study_id: str) -> list[NameVariant]:
        rows = self._rows(
            "SELECT study_id, field, variant, canonical FROM name_variants WHERE study_id = ? ORDER BY field, variant_key",
            [study_id],
        )
        return [NameVariant.model_validate(r) for r in rows]

    def put_name_variants(self, variants: list[NameVariant], keep_existing: bool = False) -> int:
        """Store variants in one transaction; ``keep_existing``: a spelling mapped here already is left as it is
        (bundle import). Returns how many rows were written."""
        verb = "INSERT OR IGNORE" if keep_existing else "INSERT OR REPLACE"
        written = 0
        with self.atomic():
            for v in variants:
                if name_key(v.variant) == name_key(v.canonical):
                    continue
                cursor = self.db.execute(
                    f"{verb} INTO name_variants (study_id, field, variant_key, variant, canonical) VALUES (?, ?, ?, ?, ?)",
                    [v.study_id, v.field, name_key(v.variant), v.variant.strip(), v.canonical.strip()],
                )
                written += cursor.rowcount
        return written

    def drop_name_variant(self, study_id: str, field: str, variant: str) -> None:
        with self.atomic():
            self.db.execute(
                "DELETE FROM name_variants WHERE study_id = ? AND field = ? AND variant_key = ?",
                [study_id, field, name_key(variant)],
            )
