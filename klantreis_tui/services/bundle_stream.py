"""Bundles written and read as streams: export reads the interviews in batches and writes each batch as it
is protected; memory does not grow with the number of interviews (only their ids and heads are held)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from klantreis_tui import __version__
from klantreis_tui.models import steps as step_fields
from klantreis_tui.models.bundle import BUNDLE_FORMAT, BUNDLE_VERSION, Bundle
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
        from klantreis_tui.exchange.stream import bundle_chunks

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
        people = sorted({interviews[i].respondent_id for i in order})
        shown = [respondents[r] for r in people]
        if not keep_personal_data:
            from klantreis_tui.services.exchange import redacted

            shown = [redacted([r], ("segment", "tags"), stops[r.study_id])[0] for r in shown]
        identities = self.store.identities_for(people) if include_identities else []
        step_ids: set[str] = set()
        themes: dict[str, Any] = {}

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
                            rows = redacted(rows, ("value",), stops[interviews[i].study_id])
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
                            rows = redacted(rows, step_fields.TEXT_NAMES, stops[interviews[i].study_id])
                        step_ids.update(s.id for s in rows)
                        out += rows
                yield out

        def themed(name: str) -> Iterator[list[Any]]:
            if not themes:  # after the steps: the links of the steps written
                found, links = self.export_themes(used, step_ids)  # type: ignore[attr-defined]
                themes.update(themes=found, theme_links=links)
            yield themes[name]

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
        }
        return BundleExport(envelope, len(order), len(identities), tables)

    def write_bundle(self, export: BundleExport, path: Path | None, passphrase: str | None = None,
                     out: Callable[[bytes], Any] | None = None) -> None:
        """Write ``export`` to ``path`` (through a temporary file and a rename, as every export) or, without
        a path, piece by piece to ``out`` (the screen)."""
        from klantreis_tui.exchange import write_atomic

        pieces = export.pieces(passphrase)
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
