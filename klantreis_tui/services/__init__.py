"""The API the UI and the CLI call, by capability (interviews, steps, exchange, privacy, claims, summaries,
assistance) and composed in one ``Services``. Never imports textual.

The names below are loaded when first used (PEP 562): a light part (``home_rows``, ``opening``) is imported
before the first frame without the rest of the services and their models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from klantreis_tui.engine import InterviewState
    from klantreis_tui.errors import AnswerInvalid, OutputRefused, StorageError, TemplateProblem
    from klantreis_tui.exchange import BundleError
    from klantreis_tui.services.base import gc_paused
    from klantreis_tui.services.bundle_checks import control_text_fields
    from klantreis_tui.services.claims import CLAIM_REFRESH, CLAIM_TIMEOUT, Busy
    from klantreis_tui.services.exchange import ImportConflict, ImportReport, open_bundle_file, read_bundle_file, write_file
    from klantreis_tui.services.facade import Services
    from klantreis_tui.services.interviews import Saved
    from klantreis_tui.services.persona_journey import curve_cells, score_text
    from klantreis_tui.services.personas import PersonaGone, PersonaProblem, PersonaProposal
    from klantreis_tui.services.kits import KitReport, read_kit_file
    from klantreis_tui.services.privacy import BACKUPS_KEPT, DatabaseInfo, ForgetReport, OpenElsewhere, backup_now, check_restore, database_info, expired, list_backups, restore_backup
    from klantreis_tui.services.selection import Ambiguous, NotFound, short_id
    from klantreis_tui.services.summaries import heartbeat_lines
    from klantreis_tui.services.syncing import SyncWarning, acknowledge_synced_folder, synced_folder_warnings
    from klantreis_tui.storage import InterviewRow, StudyRow

__all__ = [
    "Ambiguous", "BACKUPS_KEPT", "CLAIM_REFRESH", "CLAIM_TIMEOUT", "AnswerInvalid", "BundleError", "Busy", "DatabaseInfo",
    "ForgetReport", "ImportConflict", "ImportReport", "KitReport", "InterviewRow", "InterviewState", "NotFound", "OpenElsewhere",
    "OutputRefused", "PersonaGone", "PersonaProblem", "PersonaProposal", "Saved", "Services", "StorageError", "StudyRow", "SyncWarning", "TemplateProblem", "acknowledge_synced_folder",
    "backup_now", "check_restore", "control_text_fields", "curve_cells", "database_info", "expired", "gc_paused", "heartbeat_lines", "list_backups",
    "open_bundle_file", "read_bundle_file", "read_kit_file", "restore_backup", "score_text", "short_id", "synced_folder_warnings", "write_file",
]

#: where each name lives
_HOMES = {
    "Ambiguous": "klantreis_tui.services.selection",
    "BACKUPS_KEPT": "klantreis_tui.services.privacy",
    "CLAIM_REFRESH": "klantreis_tui.services.claims",
    "CLAIM_TIMEOUT": "klantreis_tui.services.claims",
    "AnswerInvalid": "klantreis_tui.errors",
    "BundleError": "klantreis_tui.exchange",
    "Busy": "klantreis_tui.services.claims",
    "DatabaseInfo": "klantreis_tui.services.privacy",
    "ForgetReport": "klantreis_tui.services.privacy",
    "ImportConflict": "klantreis_tui.services.exchange",
    "ImportReport": "klantreis_tui.services.exchange",
    "KitReport": "klantreis_tui.services.kits",
    "InterviewRow": "klantreis_tui.storage",
    "InterviewState": "klantreis_tui.engine",
    "NotFound": "klantreis_tui.services.selection",
    "OpenElsewhere": "klantreis_tui.services.privacy",
    "OutputRefused": "klantreis_tui.errors",
    "PersonaGone": "klantreis_tui.services.personas",
    "PersonaProblem": "klantreis_tui.services.personas",
    "PersonaProposal": "klantreis_tui.services.personas",
    "Saved": "klantreis_tui.services.interviews",
    "Services": "klantreis_tui.services.facade",
    "StorageError": "klantreis_tui.errors",
    "StudyRow": "klantreis_tui.storage",
    "SyncWarning": "klantreis_tui.services.syncing",
    "TemplateProblem": "klantreis_tui.errors",
    "acknowledge_synced_folder": "klantreis_tui.services.syncing",
    "backup_now": "klantreis_tui.services.privacy",
    "check_restore": "klantreis_tui.services.privacy",
    "control_text_fields": "klantreis_tui.services.bundle_checks",
    "curve_cells": "klantreis_tui.services.persona_journey",
    "database_info": "klantreis_tui.services.privacy",
    "expired": "klantreis_tui.services.privacy",
    "gc_paused": "klantreis_tui.services.base",
    "heartbeat_lines": "klantreis_tui.services.summaries",
    "list_backups": "klantreis_tui.services.privacy",
    "open_bundle_file": "klantreis_tui.services.exchange",
    "read_bundle_file": "klantreis_tui.services.exchange",
    "read_kit_file": "klantreis_tui.services.kits",
    "restore_backup": "klantreis_tui.services.privacy",
    "score_text": "klantreis_tui.services.persona_journey",
    "short_id": "klantreis_tui.services.selection",
    "synced_folder_warnings": "klantreis_tui.services.syncing",
    "write_file": "klantreis_tui.services.exchange",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # once: later lookups do not come here
    return value
