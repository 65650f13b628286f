"""Interviews leaving and entering the laptop: selection, protection (quotes, personal data), bundles, CSV, import."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from klantreis_tui.errors import KlantreisError
from klantreis_tui.exchange import BundleError, bundle_json, csv_bytes, csv_tables, is_kit, parse_bundle, parse_kit
from klantreis_tui.exchange import read_bundle_bytes
from klantreis_tui.exchange import output_target, write_atomic
from klantreis_tui.i18n import keyed, t, tn
from klantreis_tui.models import steps as step_fields
from klantreis_tui.models.bundle import TABLE_MODELS, Bundle
from klantreis_tui.models.kit import Kit
from klantreis_tui.models.codes import next_code, prefix_of
from klantreis_tui.models.records import Answer, InterviewRecord, InterviewStatus, Step, Study
from klantreis_tui.services.base import gc_paused
from klantreis_tui.services.bundle_checks import BundleCheckServices
from klantreis_tui.services.bundle_stream import BundleImportServices, BundleSource, BundleStreamServices

#: records read at a time for a CSV export (progress is reported per batch)
EXPORT_BATCH = 200



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


def open_bundle_file(
    path: Path, passphrase: Callable[[], str | None], passphrase_env: str = ""
) -> BundleSource | Kit:
    """A bundle file opened to be read in pieces (plain, or decrypted as it is read with what ``passphrase()``
    gives), or the study kit it holds (read whole). Raises BundleError, worded, for a problem found before
    the first record (unreadable, too large, a damaged seal header, no passphrase, a wrong passphrase)."""
    from itertools import chain

    from klantreis_tui import sealed
    from klantreis_tui.exchange import file_pieces, whole

    pieces = file_pieces(path)
    first = next(pieces, b"")
    if not sealed.is_sealed(first):
        head = first[:64]
        if head.startswith(b"KLANTREIS") or b"SEALED" in head:  # a sealed file whose first line was damaged
            raise BundleError(t('{path}: the encrypted bundle is damaged or incomplete ({detail}). Nothing was imported.', path=path, detail="header"))
        if is_kit(first):
            return parse_kit(whole(chain([first], pieces), path), str(path))
        return BundleSource(str(path), chain([first], pieces))
    secret = passphrase()
    if secret is None:
        raise BundleError(t('{path} is encrypted: give the passphrase (in a terminal, or through ${env}).', path=path, env=passphrase_env))

    def worded(plain: Iterator[bytes]) -> Iterator[bytes]:
        try:
            yield from plain
        except sealed.SealError as exc:
            raise BundleError(t(keyed(f"seal.{exc.reason}"), path=path, detail=exc.detail)) from None

    try:
        plain = worded(sealed.unseal_pieces(chain([first], pieces), secret))
    except sealed.SealError as exc:
        raise BundleError(t(keyed(f"seal.{exc.reason}"), path=path, detail=exc.detail)) from None
    start = next(plain, b"")
    if is_kit(start):
        return parse_kit(whole(chain([start], plain), path), str(path))
    return BundleSource(str(path), chain([start], plain), sealed=True)


def without_quotes(steps: list[Step]) -> list[Step]:
    return [s.model_copy(update={"quotes": []}) if s.quotes else s for s in steps]


#: texts remembered by ``redacted`` at most (a memo that grows past it starts again: memory stays bounded)
MEMO_LIMIT = 100_000


def redacted(
    models: list[Any], names: tuple[str, ...], stop: Any, memo: dict[str, bool] | None = None,
    cleaned: dict[str, str] | None = None,
) -> list[Any]:
    """The models with personal data in their text fields ``names`` redacted: the same list (and the same
    objects) when there was nothing to redact. ``memo``: the quick test of the texts seen before (a dict
    the caller keeps for an export: organisations, channels, emotion words and copied descriptions recur);
    ``cleaned``: the texts redacted before with the same ``stop`` (kept by the caller per study)."""
    from klantreis_tui import pii

    memo = {} if memo is None else memo
    cleaned = {} if cleaned is None else cleaned
    if len(memo) > MEMO_LIMIT:
        memo.clear()
    if len(cleaned) > MEMO_LIMIT:
        cleaned.clear()
    might = pii.might_contain

    def text(value: str) -> str:
        """``value`` redacted (itself when it holds nothing)."""
        found = memo.get(value)
        if found is None:
            found = memo[value] = might(value)
        if not found:
            return value
        clean = cleaned.get(value)
        if clean is None:
            clean = cleaned[value] = pii.redact(value, stop)
        return clean

    seen = memo.get
    out: list[Any] | None = None
    for index, model in enumerate(models):
        changes = {}
        for name in names:
            value = getattr(model, name)
            if not value:  # "", [] and None hold nothing
                continue
            kind = type(value)
            if kind is str:
                if seen(value) is False:  # (most texts: known to hold nothing, looked up without a call)
                    continue
                clean: Any = text(value)
            elif kind is list:
                for item in value:
                    if type(item) is not str or seen(item) is not False:
                        break
                else:
                    continue  # texts all known to hold nothing
                if all(type(item) is str for item in value):
                    clean = [text(item) for item in value]
                elif might(value):
                    clean = pii.redact_value(value, stop)
                else:
                    continue
            elif might(value):
                clean = pii.redact_value(value, stop)
            else:
                continue
            if clean != value:
                changes[name] = clean
        if changes:
            if out is None:
                out = list(models)
            out[index] = model.model_copy(update=changes)
    return models if out is None else out


class ExchangeServices(BundleCheckServices, BundleStreamServices, BundleImportServices):
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
        seen: dict[str, bool] = {}  # a text recurs (organisations, channels): checked once
        return [
            self.protect(r, keep_personal_data, seen)
            for r in self.interview_records(interview_ids, step_answers)  # type: ignore[attr-defined]
        ]

    def protect(
        self, record: InterviewRecord, keep_personal_data: bool = False, seen: dict[str, bool] | None = None
    ) -> InterviewRecord:
        """One record with its quotes withheld (quote use refused) and personal data in free text redacted.

        ``seen``: the quick test of the short texts already checked in this export (kept by the caller)."""
        answers, steps, respondent = record.answers, record.steps, record.respondent
        if record.consent("quotes") is False:  # summaries go further: they need consent recorded as given
            answers = self.withheld_answers(record.interview.question_set_id, answers, steps)
            steps = without_quotes(steps)
        if not keep_personal_data:
            stop = self.not_names(record.study.id)  # type: ignore[attr-defined]
            answers = redacted(answers, ("value",), stop, seen)
            steps = redacted(steps, step_fields.TEXT_NAMES, stop, seen)
            respondent = redacted([respondent], ("segment", "tags"), stop, seen)[0]
        if answers is record.answers and steps is record.steps and respondent is record.respondent:
            return record
        return record.model_copy(update={"answers": answers, "steps": steps, "respondent": respondent})

    def withhold_quotes(self, record: InterviewRecord) -> InterviewRecord:
        """The record with its quotes taken out: the steps' quotes and the answers that held them."""
        answers = self.withheld_answers(record.interview.question_set_id, record.answers, record.steps)
        return record.model_copy(update={"answers": answers, "steps": without_quotes(record.steps)})

    def withheld_answers(self, question_set_id: str, answers: list[Answer], steps: list[Step]) -> list[Answer]:
        """The answers of one interview with those that held quotes emptied (the quote questions of its
        question set, and answers whose text is one of the steps' quotes)."""
        qs = self.catalog.sets.get(question_set_id)
        quoted = {q for step in steps for q in step.quotes}
        if qs is not None:
            quote_ids = {q.id for section in qs.sections for q in section.questions if q.field == "quote"}

            def withheld(a: Answer) -> bool:
                return a.question_id in quote_ids or (isinstance(a.value, str) and a.value in quoted)
        else:
            # the question set is not here: which answers held quotes cannot be told; withhold every
            # text answer given within a step (the steps themselves still carry the journey)
            def withheld(a: Answer) -> bool:
                return bool(a.step_id) and isinstance(a.value, str) and bool(a.value)
        return [a.model_copy(update={"value": None}) if withheld(a) else a for a in answers]

    def export_bundle(
        self, interview_ids: list[str], keep_personal_data: bool = False, include_identities: bool = False
    ) -> Bundle:
        """Every row of the given interviews as one object (see ``bundle_export``, which writes them in batches)."""
        return self.bundle_export(interview_ids, keep_personal_data, include_identities).whole()

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

    def import_bundle(self, bundle: Bundle, merge_into: str | None = None) -> ImportReport:
        """Merge a checked bundle in one transaction (see ``import_records``, which does it as a file is read)."""
        records = ((table, record) for table in TABLE_MODELS for record in getattr(bundle, table))
        return self.import_records(records, lambda: True, merge_into)  # type: ignore[no-any-return]
