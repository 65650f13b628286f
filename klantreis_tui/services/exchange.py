"""Interviews leaving and entering the laptop: selection, protection (quotes, personal data), bundles, CSV, import."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from klantreis_tui import __version__
from klantreis_tui.errors import KlantreisError
from klantreis_tui.exchange import BundleError, bundle_json, csv_bytes, csv_tables, is_kit, parse_bundle, parse_kit
from klantreis_tui.exchange import read_bundle_bytes
from klantreis_tui.exchange import output_target, write_atomic
from klantreis_tui.i18n import keyed, t, tn
from klantreis_tui.models import steps as step_fields
from klantreis_tui.models.bundle import BUNDLE_FORMAT, BUNDLE_VERSION, Bundle
from klantreis_tui.models.kit import Kit
from klantreis_tui.models.codes import next_code, prefix_of
from klantreis_tui.models.records import Answer, InterviewRecord, InterviewStatus, Study
from klantreis_tui.services.base import gc_paused
from klantreis_tui.services.bundle_checks import BundleCheckServices

#: records read at a time for a CSV export (progress is reported per batch)
EXPORT_BATCH = 200


_UNSEEN = object()


class ImportConflict(KlantreisError):
    """A bundle that cannot be merged into this database; the message says why. Nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__("import_conflict", message)  # worded where raised: the reason is no message key


@dataclass
class ImportReport:
    """What an import did."""

    added: int = 0
    skipped: int = 0
    studies_added: int = 0
    identities: int = 0
    forgotten: int = 0  # interviews of respondents forgotten here: not imported
    renamed: list[tuple[str, str, str]] = field(default_factory=list)
    #: those of ``renamed`` whose code belonged to a respondent forgotten here (never handed out again)
    renamed_forgotten: list[tuple[str, str, str]] = field(default_factory=list)
    merged: list[tuple[str, str]] = field(default_factory=list)  # (title, id of the study here) merged into
    personas: int = 0  # persona's added (a persona of the same name here is merged into)
    actions: int = 0  # actions of the improvement plan added


def write_file(path: Path, data: bytes) -> None:
    """Write an export (bundle, CSV table, summary) through a temporary file: never a half-written file."""
    write_atomic(path, data)


def read_bundle_file(
    path: Path, passphrase: Callable[[], str | None], passphrase_env: str = ""
) -> Bundle | Kit:
    """A bundle (or a study kit), plain or encrypted (then decrypted with what ``passphrase()`` gives: None
    when there is nobody to ask; the message then names ``passphrase_env``). Raises BundleError, worded, for
    every problem."""
    from klantreis_tui import sealed

    data = read_bundle_bytes(path)
    if not sealed.is_sealed(data):
        head = data[:64]
        if head.startswith(b"KLANTREIS") or b"SEALED" in head:  # a sealed file whose first line was damaged
            raise BundleError(t('{path}: the encrypted bundle is damaged or incomplete ({detail}). Nothing was imported.', path=path, detail="header"))
        return parse_kit(data, str(path)) if is_kit(data) else parse_bundle(data, str(path))
    secret = passphrase()
    if secret is None:
        raise BundleError(t('{path} is encrypted: give the passphrase (in a terminal, or through ${env}).', path=path, env=passphrase_env))
    try:
        plain = sealed.unseal(data, secret)
    except sealed.SealError as exc:
        raise BundleError(t(keyed(f"seal.{exc.reason}"), path=path, detail=exc.detail)) from None
    return parse_kit(plain, str(path)) if is_kit(plain) else parse_bundle(plain, str(path))


class ExchangeServices(BundleCheckServices):
    """Selecting, protecting, exporting and importing interviews."""

    def select_interviews(
        self, study: str | None = None, respondent: str | None = None, interview: str | None = None,
        status: InterviewStatus | None = None, include_practice: bool = False,
    ) -> list[str]:
        """Interview ids by study (id, short id or title), respondent (code or short id), interview id (or its
        start) and status. A study or respondent that matches more than one raises Ambiguous, listing them.
        Interviews of a practice study are left out unless ``include_practice`` or the study is named."""
        rows = self.store.list_interviews()
        if study:
            study_id = self.resolve_study(study).id  # type: ignore[attr-defined]
            rows = [r for r in rows if r.interview.study_id == study_id]
        elif not include_practice:
            practice = self.store.practice_study_ids()
            rows = [r for r in rows if r.interview.study_id not in practice]
        if respondent:
            _, chosen = self.resolve_respondent(respondent, study)  # type: ignore[attr-defined]
            rows = [r for r in rows if r.interview.respondent_id == chosen.id]
        if interview:
            rows = [r for r in rows if r.interview.id.startswith(interview)]
        if status:
            rows = [r for r in rows if r.interview.status is status]
        return [r.interview.id for r in sorted(rows, key=lambda r: (r.interview.started_at, r.interview.id))]

    def export_records(
        self, interview_ids: list[str], keep_personal_data: bool = False, step_answers: bool = True
    ) -> list[InterviewRecord]:
        """The records as they may leave the laptop: quotes of respondents who refused quote use taken out
        everywhere, and (unless ``keep_personal_data``) personal data in free text redacted."""
        seen: dict[tuple[str, Any], Any] = {}  # a text recurs (organisations, channels): checked once
        return [
            self.protect(r, keep_personal_data, seen)
            for r in self.interview_records(interview_ids, step_answers)  # type: ignore[attr-defined]
        ]

    def protect(
        self, record: InterviewRecord, keep_personal_data: bool = False, seen: dict[tuple[str, Any], Any] | None = None
    ) -> InterviewRecord:
        """One record with its quotes withheld (quote use refused) and personal data in free text redacted.

        ``seen``: the texts already checked in this export (by study and text) and what they became."""
        from klantreis_tui import pii

        if record.consent("quotes") is False:  # summaries go further: they need consent recorded as given
            record = self.withhold_quotes(record)
        answers, steps, respondent = record.answers, record.steps, record.respondent
        if not keep_personal_data:
            stop = self.not_names(record.study.id)  # type: ignore[attr-defined]
            memo: dict[tuple[str, Any], Any] = {} if seen is None else seen
            study_id = record.study.id

            def clean_value(value: Any) -> Any:
                key = (study_id, tuple(value) if isinstance(value, list) else value)
                try:
                    found = memo.get(key, _UNSEEN)
                except TypeError:  # not hashable (a nested value): checked each time
                    found = _UNSEEN
                    key = None  # type: ignore[assignment]
                if found is _UNSEEN:
                    found = pii.redact_value(value, stop) if pii.might_contain(value) else value
                    if key is not None:
                        memo[key] = found
                return found

            def redacted(model: Any, names: tuple[str, ...]) -> Any:
                """The model with its text fields redacted; the same object when there was nothing to redact."""
                changes = {}
                for name in names:
                    value = getattr(model, name)
                    if not value:
                        continue
                    clean = clean_value(value)
                    if clean != value:
                        changes[name] = list(clean) if isinstance(clean, list) else clean
                return model.model_copy(update=changes) if changes else model

            answers = [redacted(a, ("value",)) for a in answers]
            steps = [redacted(s, step_fields.TEXT_NAMES) for s in steps]
            respondent = redacted(respondent, ("segment", "tags"))
        if answers is record.answers and steps is record.steps and respondent is record.respondent:
            return record
        return record.model_copy(update={"answers": answers, "steps": steps, "respondent": respondent})

    def withhold_quotes(self, record: InterviewRecord) -> InterviewRecord:
        """The record with its quotes taken out: the steps' quotes and the answers that held them."""
        qs = self.catalog.sets.get(record.interview.question_set_id)
        quoted = {q for step in record.steps for q in step.quotes}
        if qs is not None:
            quote_ids = {q.id for section in qs.sections for q in section.questions if q.field == "quote"}

            def withheld(a: Answer) -> bool:
                return a.question_id in quote_ids or (isinstance(a.value, str) and a.value in quoted)
        else:
            # the question set is not here: which answers held quotes cannot be told; withhold every
            # text answer given within a step (the steps themselves still carry the journey)
            def withheld(a: Answer) -> bool:
                return bool(a.step_id) and isinstance(a.value, str) and bool(a.value)
        answers = [a.model_copy(update={"value": None}) if withheld(a) else a for a in record.answers]
        steps = [s.model_copy(update={"quotes": []}) if s.quotes else s for s in record.steps]
        return record.model_copy(update={"answers": answers, "steps": steps})

    def export_bundle(
        self, interview_ids: list[str], keep_personal_data: bool = False, include_identities: bool = False
    ) -> Bundle:
        """Every row of the given interviews, in a deterministic order; respondents by code only.

        Quotes without consent are left out and personal data in free text is redacted unless
        ``keep_personal_data``; the key table (names, contact details) only with ``include_identities``.
        """
        with gc_paused():
            records = self.export_records(interview_ids, keep_personal_data)
        studies = {r.study.id: r.study for r in records}
        respondents = {r.respondent.id: r.respondent for r in records}
        identities = self.store.identities_for(sorted(respondents)) if include_identities else []
        step_ids = {s.id for r in records for s in r.steps}
        themes = self._bundle_themes(list(studies), step_ids)
        return Bundle(
            format=BUNDLE_FORMAT,
            schema_version=BUNDLE_VERSION,
            app_version=__version__,
            pseudonymous=not identities,
            personal_data_redacted=not keep_personal_data,
            studies=sorted(studies.values(), key=lambda s: (s.created_at, s.id)),
            respondents=sorted(respondents.values(), key=lambda r: (r.study_id, r.code)),
            interviews=[r.interview for r in records],
            consents=[c for r in records for c in sorted(r.consents, key=lambda c: c.item)],
            answers=[a for r in records for a in r.answers],
            steps=[s for r in records for s in r.steps],
            identities=identities,
            spellings=self.export_name_variants(list(studies), keep_personal_data),  # type: ignore[attr-defined]
            **themes,
            **self.export_deliverables(  # type: ignore[attr-defined]
                list(studies), keep_personal_data, respondent_ids=set(respondents), step_ids=step_ids,
                theme_ids={th.id for th in themes["themes"]}, phases=self._file_phases(list(studies.values()), records),
            ),
        )

    @staticmethod
    def _file_phases(studies: list[Study], records: list[InterviewRecord]) -> dict[str, set[str]]:
        """Per study of a bundle, the phase keys it knows (its list, the phases its steps used)."""
        from klantreis_tui.services.deliverables import known_phases

        return {s.id: known_phases(s, [st.phase for r in records if r.study.id == s.id for st in r.steps]) for s in studies}

    def _bundle_themes(self, study_ids: list[str], step_ids: set[str]) -> dict[str, Any]:
        themes, links = self.export_themes(study_ids, step_ids)  # type: ignore[attr-defined]
        return {"themes": themes, "theme_links": links}

    def bundle_bytes(self, bundle: Bundle, passphrase: str | None = None) -> bytes:
        """The bundle as a file holds it: JSON, or sealed with ``passphrase`` when one is given."""
        data = bundle_json(bundle)
        if passphrase is not None:
            from klantreis_tui.sealed import seal

            data = seal(data, passphrase)
        return data

    def export_csv(
        self, interview_ids: list[str], folder: Path, keep_personal_data: bool = False, excel_nl: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Write the CSV tables of the interviews into ``folder``, read in batches (``progress`` is told how
        many were read each time); returns how many interviews were written."""
        records: list[InterviewRecord] = []
        for start in range(0, len(interview_ids), EXPORT_BATCH):
            batch = interview_ids[start : start + EXPORT_BATCH]
            with gc_paused():
                records.extend(self.export_records(batch, keep_personal_data))
            if progress is not None:
                progress(len(batch))
        tables = csv_tables(records)
        for name in tables:  # all three checked before any is written
            output_target(folder / f"{name}.csv")
        for name, rows in tables.items():
            write_atomic(folder / f"{name}.csv", csv_bytes(rows, excel_nl=excel_nl))
        return len(records)

    def same_title_studies(self, study: Study) -> list[Study]:
        """The studies here with the title of ``study`` (from a bundle or kit) but another id; [] when it is here."""
        if self.store.has_row("studies", study.id):
            return []
        return [row.study for row in self.store.list_studies() if row.study.title == study.title]

    def same_title_mapping(self, studies: list[Study], merge_into: str | None) -> dict[str, str]:
        """Which of ``studies`` (from a bundle or kit) go into the study here that ``merge_into`` names: those not
        here by id whose title is that study's. A study of a title that is here under another id, without
        ``merge_into`` naming it, raises ImportConflict listing the studies here with their short ids."""
        from klantreis_tui.services.selection import short_id

        target = self.resolve_study(merge_into) if merge_into else None  # type: ignore[attr-defined]
        mapping: dict[str, str] = {}
        for study in studies:
            same = self.same_title_studies(study)
            if not same:
                continue
            if target is None or target.title != study.title:
                lines = "\n".join(self.study_line(s) for s in same)  # type: ignore[attr-defined]
                raise ImportConflict(t("Study '{title}' ({short}) in the file is another study than the one with that title here (another id). To add its interviews to the study here, import again with --merge-into {here}. Nothing was imported.", title=study.title, short=short_id(study.id), here=short_id(same[0].id)) + "\n" + lines)
            mapping[study.id] = target.id
        if target is not None and not mapping:
            raise ImportConflict(t("--merge-into: the file holds no study titled '{title}' that is not here already. Nothing was imported.", title=target.title))
        return mapping

    def _check_bundle_deliverables(self, bundle: Bundle, mapping: dict[str, str]) -> None:
        """What the bundle's persona's and actions point to must be in the bundle or here (BundleError)."""
        from klantreis_tui.services.deliverables import known_phases

        study_of = {i.id: i.study_id for i in bundle.interviews}
        phases = {
            s.id: known_phases(s, [st.phase for st in bundle.steps if study_of.get(st.interview_id) == s.id])
            for s in bundle.studies
        }
        for s in bundle.studies:
            target = mapping.get(s.id, s.id)
            if self.store.has_row("studies", target):
                phases[s.id] |= known_phases(self.store.get_study(target), self.study_phases(target))  # type: ignore[attr-defined]
        self.check_deliverables(  # type: ignore[attr-defined]
            bundle, mapping, {r.id: r.study_id for r in bundle.respondents},
            {s.id: study_of.get(s.interview_id, "") for s in bundle.steps}, {th.id: th.study_id for th in bundle.themes},
            phases,
        )

    def import_bundle(self, bundle: Bundle, merge_into: str | None = None) -> ImportReport:
        """Merge a checked bundle in one transaction: known interviews are skipped, never duplicated;
        a respondent code that is taken by another respondent (or was forgotten) is renamed and reported.
        Answers that do not fit their questions refuse the bundle first (BundleError).

        A study whose title is here under another id is refused, unless ``merge_into`` names the study here
        (id, short id or title): then its interviews go into that one."""
        self.check_bundle_answers(bundle)
        report = ImportReport()
        mapping = self.same_title_mapping(bundle.studies, merge_into)
        self._check_bundle_deliverables(bundle, mapping)
        original = bundle
        if mapping:
            report.merged = [(s.title, mapping[s.id]) for s in bundle.studies if s.id in mapping]
            bundle = bundle.model_copy(update={
                "studies": [s for s in bundle.studies if s.id not in mapping],
                "respondents": [r.model_copy(update={"study_id": mapping.get(r.study_id, r.study_id)}) for r in bundle.respondents],
                "interviews": [i.model_copy(update={"study_id": mapping.get(i.study_id, i.study_id)}) for i in bundle.interviews],
                # the study's merged names and themes go along (they failed on the missing study before)
                "spellings": [v.model_copy(update={"study_id": mapping.get(v.study_id, v.study_id)}) for v in bundle.spellings],
                "themes": [th.model_copy(update={"study_id": mapping.get(th.study_id, th.study_id)}) for th in bundle.themes],
            })
        with gc_paused(), self.store.atomic():
            self.merge_imported_phases(bundle.studies)  # type: ignore[attr-defined]
            studies = [s for s in bundle.studies if not self.store.has_row("studies", s.id)]
            report.studies_added = len(studies)
            new_interviews = [i for i in bundle.interviews if not self.store.has_row("interviews", i.id)]
            report.skipped = len(bundle.interviews) - len(new_interviews)
            # a respondent forgotten here (or purged with a study) stays forgotten: an old bundle cannot undo it
            forgotten = self.store.forgotten_respondents()
            report.forgotten = len([i for i in new_interviews if i.respondent_id in forgotten])
            new_interviews = [i for i in new_interviews if i.respondent_id not in forgotten]
            needed = {i.respondent_id for i in new_interviews}
            study_titles = {row.study.id: row.study.title for row in self.store.list_studies()}
            study_titles.update({s.id: s.title for s in bundle.studies})
            self.store.insert_records(studies=studies)
            self.import_name_variants(bundle.spellings)  # type: ignore[attr-defined]
            respondents = []
            for respondent in bundle.respondents:
                if respondent.id not in needed:
                    continue
                here = self.store.respondent_study(respondent.id)
                if here is not None and here != respondent.study_id:
                    raise ImportConflict(t('Respondent {id} in the bundle already belongs to another study here. Nothing was imported.', id=respondent.id))
                if here is not None:
                    continue
                owner = self.store.respondent_code_owner(respondent.study_id, respondent.code)
                retired = self.store.retired_codes(respondent.study_id)  # a forgotten code is never given again
                if (owner is not None and owner != respondent.id) or respondent.code in retired:
                    # the next code free here (forgotten codes included) and in the bundle
                    taken = {r.code for r in self.store.respondents_of(respondent.study_id)} | retired
                    taken |= {r.code for r in bundle.respondents if r.study_id == respondent.study_id}
                    taken |= {r.code for r in respondents if r.study_id == respondent.study_id}
                    new_code = next_code(taken, prefix_of(respondent.code))
                    rename = (respondent.code, new_code, study_titles.get(respondent.study_id, ""))
                    report.renamed.append(rename)
                    if owner is None:
                        report.renamed_forgotten.append(rename)
                    respondent = respondent.model_copy(update={"code": new_code})
                respondents.append(respondent)
            added = {i.id for i in new_interviews}
            taken_steps = [s.id for s in bundle.steps if s.interview_id in added and self.store.has_step(s.id)]
            if taken_steps:
                raise ImportConflict(tn('{n} step in the bundle has an id that already belongs to another interview here ({first}). Nothing was imported.', '{n} steps in the bundle have an id that already belongs to another interview here (for example {first}). Nothing was imported.', len(taken_steps), first=taken_steps[0]))
            self.store.insert_records(
                respondents=respondents,
                interviews=new_interviews,
                consents=[c for c in bundle.consents if c.interview_id in added],
                answers=[a for a in bundle.answers if a.interview_id in added],
                steps=[s for s in bundle.steps if s.interview_id in added],
            )
            added_respondents = {r.id for r in respondents}
            identities = [i for i in bundle.identities if i.respondent_id in added_respondents]
            self.store.insert_identities(identities)
            report.identities = len(identities)
            self.import_themes(bundle.themes, bundle.theme_links)  # type: ignore[attr-defined]
            report.personas, report.actions = self.import_deliverables(  # type: ignore[attr-defined]
                original, mapping, original.themes,
            )
            report.added = len(new_interviews)
        return report
