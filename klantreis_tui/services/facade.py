"""The one Services object the UI and the CLI hold: every service part composed over one store."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from klantreis_tui.services.assistance import AssistanceServices
from klantreis_tui.services.claims import ClaimServices
from klantreis_tui.services.deliverables import DeliverableServices
from klantreis_tui.services.exchange import ExchangeServices
from klantreis_tui.services.interviews import InterviewServices
from klantreis_tui.services.practice import PracticeServices
from klantreis_tui.services.names import NameServices
from klantreis_tui.services.office import WorkbookServices
from klantreis_tui.services.word import WordServices
from klantreis_tui.services.persona_journey import PersonaJourneyServices
from klantreis_tui.services.personas import PersonaServices
from klantreis_tui.services.phases import PhaseServices
from klantreis_tui.services.plan import PlanServices
from klantreis_tui.services.kits import KitServices
from klantreis_tui.services.privacy import PrivacyServices
from klantreis_tui.services.saturation import SaturationServices
from klantreis_tui.services.publish import PublishServices
from klantreis_tui.services.redaction import RedactionServices
from klantreis_tui.services.research_formats import ResearchFormatServices
from klantreis_tui.services.selection import SelectionServices
from klantreis_tui.services.steps import StepServices
from klantreis_tui.services.summaries import SummaryServices
from klantreis_tui.services.themes import ThemeServices
from klantreis_tui.services.views import ViewServices
from klantreis_tui.storage import Store

if TYPE_CHECKING:
    from klantreis_tui.question_sets import Catalog


class Services(
    InterviewServices,
    StepServices,
    ExchangeServices,
    SummaryServices,
    PrivacyServices,
    ClaimServices,
    AssistanceServices,
    RedactionServices,
    PracticeServices,
    PhaseServices,
    NameServices,
    ThemeServices,
    PersonaServices,
    PersonaJourneyServices,
    DeliverableServices,
    SaturationServices,
    SelectionServices,
    KitServices,
    PublishServices,
    PlanServices,
    ResearchFormatServices,
    ViewServices,
    WorkbookServices,
    WordServices,
):
    """Everything the app and the command line do with studies and interviews."""

    @classmethod
    def open(
        cls, db_path: str | Path, question_set_dirs: list[Path], assist_dir: Path | None = None,
        create: bool = True,
    ) -> "Services":
        """Open (``create``: or make) the database; the question sets are loaded when first needed."""
        return cls.over(Store.open(db_path, create=create), question_set_dirs, assist_dir)

    @classmethod
    def over(cls, store: Store, question_set_dirs: list[Path], assist_dir: Path | None = None) -> "Services":
        """The services over an open store; the question sets are loaded when first needed."""
        dirs = list(question_set_dirs)

        def catalog() -> Catalog:
            from klantreis_tui.question_sets import load_catalog

            return load_catalog(dirs)

        return cls(store, catalog, assist_dir)
