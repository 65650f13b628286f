"""The one Services object the UI and the CLI hold: every service part composed over one store."""

from __future__ import annotations

from pathlib import Path

from klantreis_tui.question_sets import load_catalog
from klantreis_tui.services.assistance import AssistanceServices
from klantreis_tui.services.claims import ClaimServices
from klantreis_tui.services.exchange import ExchangeServices
from klantreis_tui.services.interviews import InterviewServices
from klantreis_tui.services.kits import KitServices
from klantreis_tui.services.privacy import PrivacyServices
from klantreis_tui.services.publish import PublishServices
from klantreis_tui.services.selection import SelectionServices
from klantreis_tui.services.steps import StepServices
from klantreis_tui.services.summaries import SummaryServices
from klantreis_tui.storage import Store


class Services(
    InterviewServices,
    StepServices,
    ExchangeServices,
    SummaryServices,
    PrivacyServices,
    ClaimServices,
    AssistanceServices,
    SelectionServices,
    KitServices,
    PublishServices,
):
    """Everything the app and the command line do with studies and interviews."""

    @classmethod
    def open(
        cls, db_path: str | Path, question_set_dirs: list[Path], assist_dir: Path | None = None,
        create: bool = True,
    ) -> "Services":
        """Open (``create``: or make) the database and load the question sets."""
        return cls(Store.open(db_path, create=create), load_catalog(question_set_dirs), assist_dir)
