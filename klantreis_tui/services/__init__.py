"""The API the UI and the CLI call, by capability (interviews, steps, exchange, privacy, claims, summaries,
assistance) and composed in one ``Services``. Never imports textual."""

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
from klantreis_tui.services.personas import PersonaProblem, PersonaProposal
from klantreis_tui.services.kits import KitReport, read_kit_file
from klantreis_tui.services.privacy import (
    BACKUPS_KEPT,
    DatabaseInfo,
    ForgetReport,
    OpenElsewhere,
    backup_now,
    check_restore,
    database_info,
    expired,
    list_backups,
    restore_backup,
)
from klantreis_tui.services.selection import Ambiguous, NotFound, short_id
from klantreis_tui.services.summaries import heartbeat_lines
from klantreis_tui.services.syncing import SyncWarning, acknowledge_synced_folder, synced_folder_warnings
from klantreis_tui.storage import InterviewRow, StudyRow


__all__ = [
    "Ambiguous", "BACKUPS_KEPT", "CLAIM_REFRESH", "CLAIM_TIMEOUT", "AnswerInvalid", "BundleError", "Busy", "DatabaseInfo",
    "ForgetReport", "ImportConflict", "ImportReport", "KitReport", "InterviewRow", "InterviewState", "NotFound", "OpenElsewhere",
    "OutputRefused", "PersonaProblem", "PersonaProposal", "Saved", "Services", "StorageError", "StudyRow", "SyncWarning", "TemplateProblem", "acknowledge_synced_folder",
    "backup_now", "check_restore", "control_text_fields", "curve_cells", "database_info", "expired", "gc_paused", "heartbeat_lines", "list_backups",
    "open_bundle_file", "read_bundle_file", "read_kit_file", "restore_backup", "score_text", "short_id", "synced_folder_warnings", "write_file",
]
