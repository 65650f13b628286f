"""Two app instances on one database: an interview open in one is busy in the other (claims with a heartbeat)."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from klantreis_tui.models.records import now
from klantreis_tui.services.base import ServiceBase
from klantreis_tui.system import process_alive

#: An open interview's claim is refreshed this often (seconds) and counts as gone after CLAIM_TIMEOUT.
CLAIM_REFRESH = 30
CLAIM_TIMEOUT = 120


@dataclass(frozen=True)
class Busy:
    """Another app instance has the interview open."""

    host: str
    pid: int
    since: datetime

    @classmethod
    def from_claim(cls, row: dict[str, Any]) -> "Busy":
        return cls(host=row["host"], pid=row["pid"], since=datetime.fromisoformat(row["heartbeat_at"]))


class ClaimServices(ServiceBase):
    """Claiming, refreshing and releasing open interviews."""

    def claim_interview(self, interview_id: str) -> Busy | None:
        """Claim an interview for this app instance; returns who has it when another live instance does."""
        other = self.store.claim(interview_id, self.instance_id, socket.gethostname(), os.getpid(), now(), self._stale)
        return None if other is None else Busy.from_claim(other)

    def release_interview(self, interview_id: str) -> None:
        self.store.release(interview_id, self.instance_id)

    def keep_claims(self) -> None:
        """Refresh this instance's claims (call every ``CLAIM_REFRESH`` seconds while an interview is open)."""
        self.store.refresh_claims(self.instance_id, now())

    def busy_interviews(self) -> dict[str, Busy]:
        """Interviews another live instance has open."""
        return {
            interview_id: Busy.from_claim(row)
            for interview_id, row in self.store.claims().items()
            if row["owner"] != self.instance_id and not self._stale(row)
        }

    @staticmethod
    def _stale(row: dict[str, Any]) -> bool:
        """A claim whose instance is gone: its process ended (same machine), or it stopped refreshing."""
        age = (now() - datetime.fromisoformat(row["heartbeat_at"])).total_seconds()
        if age > CLAIM_TIMEOUT:
            return True
        if row["host"] == socket.gethostname():
            # not os.kill(pid, 0): on Windows signal 0 is a Ctrl+C to the other window
            return process_alive(row["pid"]) is False
        return False
