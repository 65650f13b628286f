"""Claims in the store: which running klantreis has an interview open, kept fresh by a heartbeat."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from klantreis_tui.storage.base import StoreBase, _iso
from klantreis_tui.storage.home_rows import claim_rows


class ClaimsPart(StoreBase):
    """Claims on interviews (a part of ``Store``)."""

    def claims(self) -> dict[str, dict[str, Any]]:
        return claim_rows(self.conn)

    def claim(self, interview_id: str, owner: str, host: str, pid: int, at: datetime, stale: Any) -> dict[str, Any] | None:
        """Claim an interview for ``owner``; returns the other live claim instead if there is one.

        ``stale(row)`` tells whether another owner's claim may be taken over (its process is gone).
        """
        with self.atomic():
            rows = self._rows("SELECT * FROM interview_claims WHERE interview_id = ?", [interview_id])
            if rows and rows[0]["owner"] != owner and not stale(rows[0]):
                return rows[0]
            self.conn.execute(
                "INSERT OR REPLACE INTO interview_claims (interview_id, owner, host, pid, heartbeat_at) VALUES (?, ?, ?, ?, ?)",
                [interview_id, owner, host, pid, _iso(at)],
            )
        return None

    def refresh_claims(self, owner: str, at: datetime) -> None:
        with self.atomic():
            self.conn.execute("UPDATE interview_claims SET heartbeat_at = ? WHERE owner = ?", [_iso(at), owner])

    def release_all(self, owner: str) -> None:
        with self.atomic():
            self.conn.execute("DELETE FROM interview_claims WHERE owner = ?", [owner])

    def release(self, interview_id: str, owner: str) -> None:
        with self.atomic():
            self.conn.execute("DELETE FROM interview_claims WHERE interview_id = ? AND owner = ?", [interview_id, owner])
