"""Study kits: one study on every laptop of a team (startdocument, phases, question sets, word lists; no interview)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from klantreis_tui import __version__
from klantreis_tui.exchange import BundleError, is_kit, kit_json, parse_kit, read_bundle_bytes, write_atomic
from klantreis_tui.i18n import t
from klantreis_tui.models.kit import KIT_FORMAT, KIT_VERSION, PHASES_FILE, WORD_LIST_FILES, Kit, KitFile, KitQuestionSet
from klantreis_tui.models.phases import DEFAULT_PHASES as PHASES
from klantreis_tui.services.base import ServiceBase
from klantreis_tui.services.exchange import ImportConflict

#: the question set a kit of a study without interviews carries when none is asked for
DEFAULT_QUESTION_SET = "vng-algemeen"


def read_kit_file(path: Path) -> Kit:
    """A study kit from its file; BundleError, worded, when it is unreadable or not a valid kit."""
    data = read_bundle_bytes(path)
    if not is_kit(data):
        raise BundleError(t("{path}: this is not a klantreis study kit (field 'format' is missing or wrong). Nothing was imported.", path=path))
    return parse_kit(data, str(path))


@dataclass
class KitReport:
    """What importing a kit did."""

    study_id: str
    study_added: bool = False
    merged_into: str = ""  # the id of the study here the kit's study was merged into (same title, --merge-into)
    question_sets_added: list[tuple[str, str]] = field(default_factory=list)  # (id, version)
    question_sets_present: list[tuple[str, str]] = field(default_factory=list)
    word_lists: list[str] = field(default_factory=list)
    phases_written: bool = False
    personas: int = 0  # persona's added (a persona of the same name here is merged into)
    actions: int = 0  # actions of the improvement plan added


class KitServices(ServiceBase):
    """Making a study kit and setting a study up from one."""

    def kit_file_phases(self, study_id: str) -> list[str] | None:
        """The phases a kit wrote into the study's assistant folder (kits made before the startdocument held
        them), or None; ``PhaseServices.study_phases`` reads the study's own list first."""
        from klantreis_tui import yamlfile

        from klantreis_tui.models.limits import valid_id

        # only a UUID names a folder (an id from elsewhere, such as /some/folder, never does)
        path = self.assist_dir / study_id / PHASES_FILE if self.assist_dir and valid_id(study_id) else None
        if path is not None and path.is_file():
            try:
                data = yamlfile.parse(path.read_text(encoding="utf-8")).mapping(empty=True)
            except (OSError, UnicodeDecodeError, yamlfile.YamlError):
                return None
            phases = data.get("phases")
            if isinstance(phases, list) and all(isinstance(p, str) and p for p in phases):
                return list(phases)
        return None

    def export_kit(self, study: str, question_set_ids: list[str] | None = None) -> Kit:
        """The kit of the study ``study`` names: its startdocument, phases, the question sets its interviews use
        (and ``question_set_ids``; without either the general script) and its own assistant word lists."""
        from klantreis_tui.services.deliverables import known_phases

        chosen = self.resolve_study(study)  # type: ignore[attr-defined]
        ids = list(dict.fromkeys([
            *(row.interview.question_set_id for row in self.store.list_interviews(chosen.id)), *(question_set_ids or []),
        ])) or [DEFAULT_QUESTION_SET]
        sets = []
        for set_id in sorted(ids):
            if set_id not in self.catalog.sets:
                raise ImportConflict(t("Question set '{id}' is not on this laptop; the kit cannot hold it. Nothing was written.", id=set_id))
            text = self.catalog.paths[set_id].read_text(encoding="utf-8-sig")
            sets.append(KitQuestionSet(id=set_id, version=self.catalog.sets[set_id].version, text=text))
        folder = self.assist_dir / chosen.id if self.assist_dir else None
        word_lists = [
            KitFile(name=name, text=(folder / name).read_text(encoding="utf-8"))  # type: ignore[arg-type]
            for name in WORD_LIST_FILES
            if folder is not None and (folder / name).is_file()
        ]
        return Kit(
            format=KIT_FORMAT, schema_version=KIT_VERSION, app_version=__version__, study=chosen,
            phases=self.study_phases(chosen.id), question_sets=sets, word_lists=word_lists,
            # a kit holds no step: the desired scores of the study's own phases
            **self.export_deliverables([chosen.id], phases={chosen.id: known_phases(chosen, self.study_phases(chosen.id))}),  # type: ignore[attr-defined]
        )

    def write_kit(self, path: Path, kit: Kit) -> None:
        """Write the kit (JSON) through a temporary file."""
        write_atomic(path, kit_json(kit))

    def kit_file_name(self, study_id: str) -> str:
        """A file name for a study's kit: its title, made safe."""
        title = self.store.get_study(study_id).title
        return "".join(c if c.isalnum() or c in "-_" else "-" for c in title).strip("-") + "-kit.json"

    def load_kit(self, path: Path) -> Kit:
        """The kit in a file (BundleError, worded, for a file that is not a valid kit)."""
        return read_kit_file(path)

    def import_kit(self, kit: Kit, question_set_dir: Path | None = None, merge_into: str | None = None) -> KitReport:
        """Set up the kit's study here (the same id), its question sets in ``question_set_dir`` and its word lists
        and phases in the study's assistant folder. Everything is checked first: a question set whose id is here
        with another version, a broken set or word list, or the study's title here under another id (without
        ``merge_into``) raises ImportConflict and nothing is changed."""
        from klantreis_tui.question_sets import QuestionSetError, parse_question_set

        question_set_dir = question_set_dir or self.question_set_dir
        mapping = self.same_title_mapping([kit.study], merge_into)  # type: ignore[attr-defined]
        study_id = mapping.get(kit.study.id, kit.study.id)
        report = KitReport(study_id=study_id, merged_into=study_id if mapping else "")
        new_sets = []
        for entry in kit.question_sets:
            try:
                qs = parse_question_set(entry.text, f"{entry.id}.yaml")
            except QuestionSetError as exc:
                raise ImportConflict(t("Question set '{id}' in the kit is not valid: {problem}. Nothing was imported.", id=entry.id, problem=exc.problems[0])) from None
            if (qs.id, qs.version) != (entry.id, entry.version):
                raise ImportConflict(t("Question set '{id}' in the kit is not valid: {problem}. Nothing was imported.", id=entry.id, problem=t("its file is question set {file_id} version {file_version}, not {id} version {version}", file_id=qs.id, file_version=qs.version, id=entry.id, version=entry.version)))
            here = self.catalog.sets.get(qs.id)
            if here is not None and here.version != qs.version:
                raise ImportConflict(t("Question set '{id}' in the kit has version {theirs}, but this laptop has version {ours} of it ({path}). Use one version on every laptop of the team: put version {theirs} in place of {ours}, or make a new kit. Nothing was imported.", id=qs.id, theirs=qs.version, ours=here.version, path=self.catalog.paths[qs.id]))
            if here is not None:
                report.question_sets_present.append((qs.id, qs.version))
            else:
                new_sets.append((entry, qs))
        self._check_word_lists(kit)
        self._check_kit_deliverables(kit, mapping)
        if kit.word_lists or kit.phases != list(PHASES):
            if self.assist_dir is None:
                raise ImportConflict(t('This kit holds word lists, but there is no assistant folder to put them in. Nothing was imported.'))
        if new_sets and question_set_dir is None:
            raise ImportConflict(t("There is no question-set folder to put the kit's question sets in. Nothing was imported."))
        # checked: now change things
        for entry, qs in new_sets:
            assert question_set_dir is not None
            path = question_set_dir / f"{qs.id}.yaml"
            if path.exists():
                path = question_set_dir / f"{qs.id}-{qs.version}.yaml"
            write_atomic(path, entry.text.encode("utf-8"))
            self.catalog.sets[qs.id], self.catalog.paths[qs.id] = qs, path
            report.question_sets_added.append((qs.id, qs.version))
        if self.assist_dir is not None:
            folder = self.assist_dir / study_id
            for word_list in kit.word_lists:
                write_atomic(folder / word_list.name, word_list.text.encode("utf-8"))
                report.word_lists.append(word_list.name)
            if kit.phases != list(PHASES):
                import yaml

                text = yaml.safe_dump({"phases": kit.phases}, allow_unicode=True, sort_keys=False)
                write_atomic(folder / PHASES_FILE, text.encode("utf-8"))
                report.phases_written = True
            self._assistants.pop(study_id, None)
        if not mapping and not self.store.has_row("studies", kit.study.id):
            self.store.add_study(kit.study)
            report.study_added = True
        self.adopt_phases(study_id, kit.study.phases)  # type: ignore[attr-defined]
        report.personas, report.actions = self.import_deliverables(kit, mapping)  # type: ignore[attr-defined]
        return report

    def _check_kit_deliverables(self, kit: Kit, mapping: dict[str, str]) -> None:
        """What the kit's persona's and actions point to must be in the kit or here (BundleError)."""
        from klantreis_tui.services.deliverables import known_phases

        phases = known_phases(kit.study, kit.phases)
        target = mapping.get(kit.study.id, kit.study.id)
        if self.store.has_row("studies", target):
            phases |= known_phases(self.store.get_study(target), self.study_phases(target))  # type: ignore[attr-defined]
        self.check_deliverables(kit, mapping, {}, {}, {}, {kit.study.id: phases})  # type: ignore[attr-defined]

    def _check_word_lists(self, kit: Kit) -> None:
        """Every word list of the kit read as the assistant will read it; ImportConflict naming the problem."""
        from klantreis_tui.assist.files import AssistDataError, read_source

        with tempfile.TemporaryDirectory(prefix="klantreis-kit-") as folder:
            for word_list in kit.word_lists:
                path = Path(folder) / word_list.name
                path.write_text(word_list.text, encoding="utf-8")
                try:
                    read_source(path, word_list.name)
                except AssistDataError as exc:
                    raise ImportConflict(t('A word list in the kit is not valid: {problem}. Nothing was imported.', problem=exc)) from None
