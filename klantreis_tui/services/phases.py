"""A study's phases: proposed from the question set, chosen by number or name in the step loop, added in place."""

from __future__ import annotations

from klantreis_tui.models.phases import DEFAULT_PHASES, merged_phases, resolve_phase, unique_phases, with_phase
from klantreis_tui.models.question_set import QuestionSet
from klantreis_tui.models.records import Study
from klantreis_tui.services.base import ServiceBase


class PhaseServices(ServiceBase):
    """The ordered phases of a study (its startdocument) and how a typed phase maps onto them."""

    def study_phases(self, study_id: str) -> list[str]:
        """The study's phases in order: its own list; for a study without one, the phases a kit wrote into its
        assistant folder, else the usual ones."""
        phases = self.store.get_study(study_id).phases
        return list(phases) if phases else self.kit_file_phases(study_id) or list(DEFAULT_PHASES)  # type: ignore[attr-defined]

    def default_phases(self, question_set: QuestionSet | None = None) -> list[str]:
        """What a study without phases is offered: the question set's phases, else the usual ones."""
        if question_set is not None and question_set.phases:
            return unique_phases(p.get(self.lang) for p in question_set.phases)
        return list(DEFAULT_PHASES)

    def propose_phases(self, study: Study, question_set: QuestionSet) -> Study:
        """Give a study that has no phases yet those of the question set (when its first interview starts)."""
        if study.phases:
            return study
        return self.store.update_study(study.model_copy(update={"phases": self.default_phases(question_set)}))

    def choose_phase(self, study_id: str, raw: str) -> tuple[str, bool]:
        """The phase a typed answer means: by its number or name in the study's list (``(name, True)``),
        or a phase the list does not hold (``(typed text, False)``)."""
        return resolve_phase(self.study_phases(study_id), raw)

    def add_phase(self, study_id: str, name: str, index: int) -> Study:
        """Insert a phase into the study's list before position ``index`` (0: first; the length: last)."""
        study = self.store.get_study(study_id)
        phases = with_phase(self.study_phases(study_id), name, index)
        return self.store.update_study(study.model_copy(update={"phases": phases}))

    def adopt_phases(self, study_id: str, phases: list[str]) -> None:
        """A kit's phases: the list of a study without one; else those it lacks, each after the phase it
        follows in the kit."""
        study = self.store.get_study(study_id)
        merged = merged_phases(study.phases, phases)
        if merged != study.phases:
            self.store.update_study(study.model_copy(update={"phases": merged}))

    def merge_imported_phases(self, studies: list[Study]) -> None:
        """Bundle import: a study known here keeps its phases and gains the bundle's that it lacks, each after
        the phase it follows in the bundle (by name, so importing twice changes nothing more)."""
        for theirs in studies:
            if not self.store.has_row("studies", theirs.id):
                continue
            ours = self.store.get_study(theirs.id)
            merged = merged_phases(ours.phases, theirs.phases)
            if merged != ours.phases:
                self.store.update_study(ours.model_copy(update={"phases": merged}))
