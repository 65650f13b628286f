"""The store's record of practice studies (a part of ``Store``): which studies hold example journeys only."""

from __future__ import annotations

from klantreis_tui.storage.base import StoreBase


class PracticePart(StoreBase):
    """Practice studies: marked when made, left out of exports unless asked, deleted together."""

    def mark_practice(self, study_id: str) -> None:
        with self.atomic():
            self.db.execute("INSERT OR IGNORE INTO practice_studies (study_id) VALUES (?)", [study_id])

    def practice_study_ids(self) -> set[str]:
        return {r["study_id"] for r in self._rows("SELECT study_id FROM practice_studies")}
