"""Moments as readers see them: in Dutch time, where the interviews are held (stored times are UTC)."""

from __future__ import annotations

from datetime import datetime, tzinfo


def local_zone() -> tzinfo | None:
    """The municipality's time zone (Europe/Amsterdam); None when this machine has no time-zone data."""
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Europe/Amsterdam")
    except Exception:  # no tz database here
        return None


def local_date(moment: datetime) -> str:
    """The date of ``moment`` in Dutch time (ISO); the stored time as it is without time-zone data."""
    zone = local_zone()
    if moment.tzinfo is not None and zone is not None:
        moment = moment.astimezone(zone)
    return moment.date().isoformat()
