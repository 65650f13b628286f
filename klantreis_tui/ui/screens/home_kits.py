"""Study kits on the home screen: ``x`` writes the highlighted study's kit for the team, ``i`` sets a study up
from a kit made on another laptop (a base class of the home screen; its bindings are merged into the screen's)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.binding import Binding
from textual.screen import Screen

from klantreis_tui.errors import KlantreisError
from klantreis_tui.i18n import t
from klantreis_tui.ui.dialogs.confirm import ConfirmScreen
from klantreis_tui.ui.keys import N_

if TYPE_CHECKING:
    from klantreis_tui.services import Services


def kit_forms():  # type: ignore[no-untyped-def]
    """The kit's form dialog, imported when it first opens: the first frame does not need it."""
    import importlib

    return importlib.import_module("klantreis_tui.ui.dialogs.kit")


class StudyKitKeys(Screen[None]):
    """``x`` and ``i``: a study kit exported and imported."""

    BINDINGS = [
        Binding("x", "export_kit", N_('Study kit: export'), id="home.export_kit", show=False),
        Binding("i", "import_kit", N_('Study kit: import'), id="home.import_kit", show=False),
    ]

    services: Services
    current_study: str | None

    def refresh_studies(self, select: str | None = None) -> None:
        raise NotImplementedError

    def action_export_kit(self) -> None:
        """Write the highlighted study's kit (startdocument, phases, question sets, word lists) for the team."""
        if self.current_study is None:
            self.notify(t('Create a study first (n).'), severity="warning")
            return
        study_id = self.current_study
        default = str(self.app.export_dir / self.services.kit_file_name(study_id))  # type: ignore[attr-defined]

        def chosen(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            try:
                path = Path(values["path"]).expanduser()
                self.services.write_kit(path, self.services.export_kit(study_id))
            except (KlantreisError, OSError) as exc:
                self.notify(str(exc), severity="error", timeout=10)
                return
            self.notify(t('Kit written: {path}. Import it on the other laptops with i (or klantreis import).', path=path))

        explanation = t('The startdocument, phases, question sets and word lists of this study, without interviews: every laptop that imports it interviews for the same study.')
        self.app.push_screen(kit_forms().KitForm(t('Study kit: export'), explanation, default, N_('Export')), chosen)

    def action_import_kit(self) -> None:
        """Set a study up from a kit file made on another laptop."""
        def chosen(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            try:
                kit = self.services.load_kit(Path(values["path"]).expanduser())
            except (KlantreisError, OSError) as exc:
                self.notify(str(exc), severity="error", timeout=15)
                return
            same = self.services.same_title_studies(kit.study)
            if not same:
                install(kit, None)
                return
            # the title is here under another id: merge only when the user says so
            target = next((s for s in same if s.id == self.current_study), same[0])
            question = t("The kit's study '{title}' ({theirs}) is another study than '{title}' here ({ours}): another id. Merge it into the study here (its question sets and word lists)? Bundles of the kit's study are then imported with --merge-into {ours}.", title=kit.study.title, theirs=kit.study.id[:8], ours=target.id[:8])
            self.app.push_screen(ConfirmScreen(question), lambda yes: install(kit, target.id) if yes else None)

        def install(kit: Any, merge_into: str | None) -> None:
            try:
                report = self.services.import_kit(kit, merge_into=merge_into)
            except (KlantreisError, OSError) as exc:
                self.notify(str(exc), severity="error", timeout=15)
                return
            if report.merged_into:
                self.notify(t("The kit's question sets and word lists are now those of '{title}' here ({short}).", title=kit.study.title, short=report.merged_into[:8]))
            elif report.study_added:
                self.notify(t("Study '{title}' ({short}) set up from the kit.", title=kit.study.title, short=kit.study.id[:8]))
            else:
                self.notify(t("Study '{title}' ({short}) was here already.", title=kit.study.title, short=kit.study.id[:8]))
            self.refresh_studies(select=report.study_id)

        explanation = t('A kit made on another laptop (x): the study is set up here with the same id, so that the interviews of every laptop come together in one study.')
        self.app.push_screen(kit_forms().KitForm(t('Study kit: import'), explanation, "", N_('Import')), chosen)
