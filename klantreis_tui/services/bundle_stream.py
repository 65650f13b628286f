"""Bundles written and read as streams: export reads the interviews in batches and writes each batch as it
is protected; memory does not grow with the number of interviews (only their ids and heads are held)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from klantreis_tui import __version__
from klantreis_tui.models import steps as step_fields
from klantreis_tui.models.bundle import BUNDLE_FORMAT, BUNDLE_VERSION, DELIVERABLE_TABLES, Bundle
from klantreis_tui.models.records import InterviewRecord
from klantreis_tui.services.base import ServiceBase, gc_paused

#: interviews read (and written) at a time
STREAM_BATCH = 200


@dataclass
class BundleExport:
    """One export, ready to be written: what it holds, and its tables as functions that yield batches."""

    envelope: Bundle
    interviews: int
    identities: int
    tables: dict[str, Callable[[], Iterable[list[Any]]]] = field(default_factory=dict)

    def pieces(self, passphrase: str | None = None) -> Iterator[bytes]:
        """The file's bytes in pieces: JSON, or sealed with ``passphrase`` (checked before anything is read)."""
        from klantreis_tui.exchange.writing import bundle_chunks

        pieces = bundle_chunks(self.envelope, self.tables)
        if passphrase is None:
            return pieces
        from klantreis_tui.sealed import seal_pieces

        return seal_pieces(pieces, passphrase)

    def whole(self) -> Bundle:
        """The bundle as one object (the same records, for a small export or a test)."""
        return self.envelope.model_copy(
            update={name: [r for batch in produce() for r in batch] for name, produce in self.tables.items()}
        )


def _batches(ids: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), STREAM_BATCH):
        yield ids[start : start + STREAM_BATCH]


class BundleStreamServices(ServiceBase):
    """Bundle export in batches (see the module)."""

    def bundle_export(
        self, interview_ids: list[str], keep_personal_data: bool = False, include_identities: bool = False
    ) -> BundleExport:
        """Every row of the given interviews, in a deterministic order; respondents by code only.

        Quotes without consent are left out and personal data in free text is redacted unless
        ``keep_personal_data``; the key table (names, contact details) only with ``include_identities``.
        The heads (studies, respondents, interviews, consents) are read now; answers and steps batch by
        batch when the tables are written (each read, protected and written once)."""
        with gc_paused():
            heads = self.store.bulk_records(interview_ids, parts=("consents",))
        studies = {s.id: s for s in heads["studies"]}
        respondents = {r.id: r for r in heads["respondents"]}
        interviews = {i.id: i for i in heads["interviews"]}
        order = [i for i in interview_ids if i in interviews]
        consents: dict[str, list[Any]] = {i: [] for i in order}
        for consent in heads["consents"]:
            consents[consent.interview_id].append(consent)
        refused = {
            i for i in order
            if InterviewRecord.model_construct(consents=consents[i]).consent("quotes") is False
        }
        used = sorted({interviews[i].study_id for i in order})
        stops = {} if keep_personal_data else {s: self.not_names(s) for s in used}  # type: ignore[attr-defined]
        # the quick test of a text, and a text redacted with its study's names, remembered for the whole export
        memo: dict[str, bool] = {}
        cleaned: dict[str, dict[str, str]] = {study: {} for study in used}
        people = sorted({interviews[i].respondent_id for i in order})
        shown = [respondents[r] for r in people]
        if not keep_personal_data:
            from klantreis_tui.services.exchange import redacted

            shown = [redacted([r], ("segment", "tags"), stops[r.study_id], memo, cleaned[r.study_id])[0] for r in shown]
        identities = self.store.identities_for(people) if include_identities else []
        step_ids: set[str] = set()
        step_phases: dict[str, set[str]] = {study: set() for study in used}  # the phases the steps used
        themes: dict[str, Any] = {}
        deliverables: dict[str, list[Any]] = {}

        def answers() -> Iterator[list[Any]]:
            from klantreis_tui.services.exchange import redacted

            for batch in _batches(order):
                with gc_paused():
                    parts = ("answers", "steps") if refused.intersection(batch) else ("answers",)
                    data = self.store.bulk_records(batch, parts=parts)
                    by_interview = _grouped(data, ("answers", "steps"))
                    out = []
                    for i in batch:
                        rows = by_interview[i]["answers"]
                        if i in refused:
                            rows = self.withheld_answers(  # type: ignore[attr-defined]
                                interviews[i].question_set_id, rows, by_interview[i]["steps"]
                            )
                        if not keep_personal_data:
                            study = interviews[i].study_id
                            rows = redacted(rows, ("value",), stops[study], memo, cleaned[study])
                        out += rows
                yield out

        def steps() -> Iterator[list[Any]]:
            from klantreis_tui.services.exchange import redacted, without_quotes

            for batch in _batches(order):
                with gc_paused():
                    by_interview = _grouped(self.store.bulk_records(batch, parts=("steps",)), ("steps",))
                    out = []
                    for i in batch:
                        rows = by_interview[i]["steps"]
                        if i in refused:
                            rows = without_quotes(rows)
                        if not keep_personal_data:
                            study = interviews[i].study_id
                            rows = redacted(rows, step_fields.TEXT_NAMES, stops[study], memo, cleaned[study])
                        step_ids.update(s.id for s in rows)
                        step_phases[interviews[i].study_id].update(s.phase for s in rows)
                        out += rows
                yield out

        def themed(name: str) -> Iterator[list[Any]]:
            if not themes:  # after the steps: the links of the steps written
                found, links = self.export_themes(used, step_ids, keep_personal_data)  # type: ignore[attr-defined]
                themes.update(themes=found, theme_links=links)
            yield themes[name]

        def delivered(name: str) -> Iterator[list[Any]]:
            from klantreis_tui.services.deliverables import known_phases

            if not deliverables:  # after the steps and themes: what they point to is known
                phases = {s: known_phases(studies[s], sorted(step_phases[s])) for s in used}
                deliverables.update(self.export_deliverables(  # type: ignore[attr-defined]
                    used, keep_personal_data, respondent_ids=set(people), step_ids=step_ids,
                    theme_ids={th.id for th in themes.get("themes", [])}, phases=phases,
                ))
            yield deliverables[name]

        envelope = Bundle(
            format=BUNDLE_FORMAT,
            schema_version=BUNDLE_VERSION,
            app_version=__version__,
            pseudonymous=not identities,
            personal_data_redacted=not keep_personal_data,
        )
        tables: dict[str, Callable[[], Iterable[list[Any]]]] = {
            "studies": lambda: [sorted((studies[s] for s in used), key=lambda s: (s.created_at, s.id))],
            "respondents": lambda: [sorted(shown, key=lambda r: (r.study_id, r.code))],
            "interviews": lambda: [[interviews[i] for i in order]],
            "consents": lambda: [[c for i in order for c in sorted(consents[i], key=lambda c: c.item)]],
            "answers": answers,
            "steps": steps,
            "identities": lambda: [identities],
            "spellings": lambda: [self.export_name_variants(used, keep_personal_data)],  # type: ignore[attr-defined]
            "themes": lambda: themed("themes"),
            "theme_links": lambda: themed("theme_links"),
            **{name: (lambda name=name: delivered(name)) for name in DELIVERABLE_TABLES},
        }
        return BundleExport(envelope, len(order), len(identities), tables)

    def write_bundle(self, export: BundleExport, path: Path | None, passphrase: str | None = None,
                     out: Callable[[bytes], Any] | None = None) -> None:
        """Write ``export`` to ``path`` (through a temporary file and a rename, as every export) or, without
        a path, piece by piece to ``out`` (the screen)."""
        from klantreis_tui.exchange import write_atomic

        pieces = export.pieces(passphrase)
        with gc_paused():  # for the whole file, not batch by batch: the records hold no cycles
            if path is not None:
                write_atomic(path, pieces)
            else:
                assert out is not None
                for piece in pieces:
                    out(piece)


def _grouped(data: dict[str, Any], kinds: tuple[str, ...]) -> dict[str, dict[str, list[Any]]]:
    grouped: dict[str, dict[str, list[Any]]] = {i.id: {k: [] for k in kinds} for i in data["interviews"]}
    for kind in kinds:
        for row in data[kind]:
            grouped[row.interview_id][kind].append(row)
    return grouped


# --- import -----------------------------------------------------------------------------------------------

#: the tables an import holds until the head is settled (which interviews are added, under which codes)
HEAD = ("studies", "respondents", "interviews")
#: the tables written batch by batch as they are read, once the head is settled
STREAMED = ("answers", "steps")
#: rows written at a time
INSERT_BATCH = 1000


@dataclass
class BundleSource:
    """A bundle file opened for reading: its name and its bytes in pieces (decrypted as they are read)."""

    name: str
    pieces: Iterator[bytes]
    sealed: bool = False


@dataclass
class _Head:
    """What the settled head decided."""

    added: set[str]  # the interviews written
    respondents: set[str]  # the respondents written


class _Import:
    """One import under way: what is held, what is pending, and the problems that will refuse it."""

    def __init__(self, services: Any, merge_into: str | None) -> None:
        from klantreis_tui.services.bundle_checks import AnswerCheck
        from klantreis_tui.services.exchange import ImportReport

        self.services, self.merge_into = services, merge_into
        self.report = ImportReport()
        self.held: dict[str, list[Any]] = {}
        self.pending: dict[str, list[Any]] = {table: [] for table in STREAMED}
        self.head: _Head | None = None
        self.interviews: dict[str, Any] = {}
        self.answers = AnswerCheck(services.catalog, self.interviews)
        self.conflicts: list[Exception] = []  # ImportConflicts, and errors of a bundle the reader refuses yet
        self.taken_steps: list[str] = []
        self.counts: dict[str, int] = {}
        self.mapping: dict[str, str] = {}
        self.step_ids: dict[str, str] = {}  # what the file's actions may point to: step id -> interview id
        self.phases_of: dict[str, set[str]] = {}  # per interview, the phases its steps used

    @property
    def failed(self) -> bool:
        return bool(self.conflicts or self.answers.problems)

    def take(self, table: str, record: Any, head_read: Callable[[], bool]) -> None:
        index = self.counts.get(table, 0)
        self.counts[table] = index + 1
        if table not in STREAMED:
            self.held.setdefault(table, []).append(record)
            if table == "interviews":
                self.interviews[record.id] = record
            return
        if table == "steps":
            self.step_ids[record.id] = record.interview_id
            self.phases_of.setdefault(record.interview_id, set()).add(record.phase)
        if self.head is None and head_read():  # (asked until the head is settled, not for every record)
            self.settle()
        if self.head is None:  # a bundle in another order than klantreis writes: held until the head is read
            self.held.setdefault(table, []).append((index, record))
        else:
            self._stream(table, index, record)

    def _stream(self, table: str, index: int, record: Any) -> None:
        assert self.head is not None
        if table == "answers":
            self.answers.check(index, record)
        if not self.failed and record.interview_id in self.head.added:
            pending = self.pending[table]
            pending.append(record)
            if len(pending) >= INSERT_BATCH:
                self.flush(table)

    def settle(self) -> None:
        """Decide (and write) the studies, respondents and interviews; an ImportConflict is kept, not raised
        (the rest of the file is still read: a problem of the file itself is said first)."""
        try:
            self.head = self._settle()
        except Exception as exc:  # noqa: BLE001 - kept; raised at the end unless the reader refuses the file
            self.conflicts.append(exc)
            self.head = _Head(set(), set())
        for table in STREAMED:  # what came before the head (another order than klantreis writes)
            for index, record in self.held.pop(table, []):
                self._stream(table, index, record)

    def _settle(self) -> _Head:
        from klantreis_tui.models.codes import next_code, prefix_of
        from klantreis_tui.services.exchange import ImportConflict
        from klantreis_tui.i18n import t

        services, store, report = self.services, self.services.store, self.report
        studies, respondents_in = self.held.get("studies", []), self.held.get("respondents", [])
        interviews = self.held.get("interviews", [])
        mapping = self.mapping = services.same_title_mapping(studies, self.merge_into)
        if mapping:
            report.merged = [(s.title, mapping[s.id]) for s in studies if s.id in mapping]
            studies = [s for s in studies if s.id not in mapping]
            respondents_in = [r.model_copy(update={"study_id": mapping.get(r.study_id, r.study_id)}) for r in respondents_in]
            interviews = [i.model_copy(update={"study_id": mapping.get(i.study_id, i.study_id)}) for i in interviews]
        services.merge_imported_phases(studies)
        new_studies = [s for s in studies if not store.has_row("studies", s.id)]
        report.studies_added = len(new_studies)
        here = store.existing_ids("interviews", [i.id for i in interviews])
        new_interviews = [i for i in interviews if i.id not in here]
        report.skipped = len(interviews) - len(new_interviews)
        # a respondent forgotten here (or purged with a study) stays forgotten: an old bundle cannot undo it
        forgotten = store.forgotten_respondents()
        report.forgotten = len([i for i in new_interviews if i.respondent_id in forgotten])
        new_interviews = [i for i in new_interviews if i.respondent_id not in forgotten]
        needed = {i.respondent_id for i in new_interviews}
        study_titles = {row.study.id: row.study.title for row in store.list_studies()}
        study_titles.update({s.id: s.title for s in studies})
        store.insert_records(studies=new_studies)
        respondents = []
        # what is here, read for all of them at once (the writes below come after the loop)
        studies_here = store.respondent_studies([r.id for r in respondents_in if r.id in needed])
        codes_by_study: dict[str, list[str]] = {}
        for respondent in respondents_in:
            if respondent.id in needed and respondent.id not in studies_here:
                codes_by_study.setdefault(respondent.study_id, []).append(respondent.code)
        owners = {study: store.respondent_code_owners(study, codes) for study, codes in codes_by_study.items()}
        retired_of = {study: store.retired_codes(study) for study in codes_by_study}  # never given again
        for respondent in respondents_in:
            if respondent.id not in needed:
                continue
            here = studies_here.get(respondent.id)
            if here is not None and here != respondent.study_id:
                raise ImportConflict(t('Respondent {id} in the bundle already belongs to another study here. Nothing was imported.', id=respondent.id))
            if here is not None:
                continue
            owner = owners[respondent.study_id].get(respondent.code)
            retired = retired_of[respondent.study_id]  # a forgotten code is never given again
            if (owner is not None and owner != respondent.id) or respondent.code in retired:
                # the next code free here (forgotten codes included) and in the bundle
                taken = {r.code for r in store.respondents_of(respondent.study_id)} | retired
                taken |= {r.code for r in respondents_in if r.study_id == respondent.study_id}
                taken |= {r.code for r in respondents if r.study_id == respondent.study_id}
                new_code = next_code(taken, prefix_of(respondent.code))
                rename = (respondent.code, new_code, study_titles.get(respondent.study_id, ""))
                report.renamed.append(rename)
                if owner is None:
                    report.renamed_forgotten.append(rename)
                respondent = respondent.model_copy(update={"code": new_code})
            respondents.append(respondent)
        store.insert_records(respondents=respondents, interviews=new_interviews)
        report.added = len(new_interviews)
        return _Head({i.id for i in new_interviews}, {r.id for r in respondents})

    def flush(self, table: str) -> None:
        rows, self.pending[table] = self.pending[table], []
        if not rows or self.failed:
            return
        store = self.services.store
        if table == "steps":  # a step id of another interview here refuses the bundle
            here = store.steps_here([s.id for s in rows])
            self.taken_steps += [s.id for s in rows if s.id in here]
            if self.taken_steps:
                return
        try:
            store.insert_records(**{table: rows})
        except Exception as exc:  # noqa: BLE001 - as in settle
            self.conflicts.append(exc)

    def finish(self) -> Any:
        """The whole file was read and found valid: write what was held, then refuse or return the report."""
        from klantreis_tui.i18n import tn
        from klantreis_tui.services.exchange import ImportConflict

        if self.head is None:
            self.settle()
        for table in STREAMED:
            self.flush(table)
        refusal = self.answers.refusal()
        if refusal is not None:
            raise refusal
        if not self.conflicts:
            self.check_deliverables()
        if self.conflicts:
            raise self.conflicts[0]
        if self.taken_steps:
            taken = self.taken_steps
            raise ImportConflict(tn('{n} step in the bundle has an id that already belongs to another interview here ({first}). Nothing was imported.', '{n} steps in the bundle have an id that already belongs to another interview here (for example {first}). Nothing was imported.', len(taken), first=taken[0]))
        services, store, head = self.services, self.services.store, self.head
        store.insert_records(consents=[c for c in self.held.get("consents", []) if c.interview_id in head.added])
        identities = [i for i in self.held.get("identities", []) if i.respondent_id in head.respondents]
        store.insert_identities(identities)
        self.report.identities = len(identities)
        mapping = self.mapping  # the study's merged names and themes go along into the study here
        services.import_name_variants(
            [v.model_copy(update={"study_id": mapping.get(v.study_id, v.study_id)}) for v in self.held.get("spellings", [])]
        )
        themes = self.held.get("themes", [])
        services.import_themes(
            [th.model_copy(update={"study_id": mapping.get(th.study_id, th.study_id)}) for th in themes],
            self.held.get("theme_links", []),
        )
        self.report.personas, self.report.actions = services.import_deliverables(self._deliverables(), mapping, themes)
        return self.report

    def _deliverables(self) -> Any:
        from types import SimpleNamespace

        return SimpleNamespace(**{table: self.held.get(table, []) for table in DELIVERABLE_TABLES})

    def check_deliverables(self) -> None:
        """What the file's persona's and actions point to must be in the file or here (BundleError)."""
        from klantreis_tui.services.deliverables import known_phases

        services, studies = self.services, self.held.get("studies", [])
        used: dict[str, set[str]] = {}
        for interview_id, phases in self.phases_of.items():
            interview = self.interviews.get(interview_id)
            if interview is not None:
                used.setdefault(interview.study_id, set()).update(phases)
        phases_known = {s.id: known_phases(s, sorted(used.get(s.id, set()))) for s in studies}
        for s in studies:
            target = self.mapping.get(s.id, s.id)
            if services.store.has_row("studies", target):
                phases_known[s.id] |= known_phases(services.store.get_study(target), services.study_phases(target))
        study_of = {i: interview.study_id for i, interview in self.interviews.items()}
        services.check_deliverables(
            self._deliverables(), self.mapping, {r.id: r.study_id for r in self.held.get("respondents", [])},
            {step: study_of.get(interview, "") for step, interview in self.step_ids.items()},
            {th.id: th.study_id for th in self.held.get("themes", [])}, phases_known,
        )


class BundleImportServices(ServiceBase):
    """Bundle import as a stream (see the module)."""

    def import_records(
        self, records: Iterable[tuple[str, Any]], head_read: Callable[[], bool], merge_into: str | None = None
    ) -> Any:
        """Merge the records of a bundle in one transaction, as they come (``(table, record)``, checked by
        the reader; ``head_read()`` tells whether the studies, respondents and interviews have all been
        read). Known interviews are skipped, never duplicated; a respondent code that is taken by another
        respondent (or was forgotten) is renamed and reported. Answers that do not fit their questions
        refuse the bundle (BundleError), conflicts with what is here raise ImportConflict; either way, and
        when the reader refuses the file, nothing is changed.

        A study whose title is here under another id is refused, unless ``merge_into`` names the study here
        (id, short id or title): then its interviews go into that one."""
        work = _Import(self, merge_into)
        with gc_paused(), self.store.atomic():
            for table, record in records:
                work.take(table, record, head_read)
            return work.finish()

    def import_source(self, source: BundleSource, merge_into: str | None = None) -> tuple[Any, list[str], int]:
        """Import a bundle file read in pieces; returns the report, where text holds control characters (the
        first) and how many such texts there are. Raises BundleError (the file) or ImportConflict."""
        from klantreis_tui.exchange import MAX_BUNDLE_BYTES, BundleError
        from klantreis_tui.exchange.stream import BundleReader

        reader = BundleReader(source.pieces, source.name, MAX_BUNDLE_BYTES)
        try:
            report = self.import_records(reader.records(), lambda: set(HEAD) <= reader.done, merge_into)
        except BundleError:
            if source.sealed:  # garbage from a wrong passphrase: the tag at the end says so, and is said first
                for _ in source.pieces:
                    pass
            raise
        return report, reader.controls, reader.control_count
