"""Two app instances on one database: an interview open in one is busy in the other (claims with a heartbeat)."""

from __future__ import annotations

import os
import socket

from klantreis_tui.models.records import now
from klantreis_tui.services.base import ServiceBase
from klantreis_tui.services.home_rows import CLAIM_REFRESH, CLAIM_TIMEOUT, Busy, HomeRows, stale_claim

__all__ = ["CLAIM_REFRESH", "CLAIM_TIMEOUT", "Busy", "ClaimServices"]


class ClaimServices(ServiceBase):
    """Claiming, refreshing and releasing open interviews."""

    def claim_interview(self, interview_id: str) -> Busy | None:
        """Claim an interview for this app instance; returns who has it when another live instance does."""
        other = self.store.claim(interview_id, self.instance_id, socket.gethostname(), os.getpid(), now(), stale_claim)
        return None if other is None else Busy.from_claim(other)

    def release_interview(self, interview_id: str) -> None:
        self.store.release(interview_id, self.instance_id)

    def keep_claims(self) -> None:
        """Refresh this instance's claims (call every ``CLAIM_REFRESH`` seconds while an interview is open)."""
        self.store.refresh_claims(self.instance_id, now())

    def busy_interviews(self) -> dict[str, Busy]:
        """Interviews another live instance has open."""
        return self.home_rows().busy_interviews()

    def home_rows(self) -> HomeRows:
        """The home screen's rows, read over this store's connection."""
        return HomeRows(lambda: self.store.conn, self.instance_id)
