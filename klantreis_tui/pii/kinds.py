"""The kinds of personal data, a match found in a text, and the labels that replace each kind."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from klantreis_tui.i18n import LANGUAGES, N_, t, using_language


class PiiKind(StrEnum):
    BSN = "bsn"
    IBAN = "iban"
    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"
    NAME = "name"


@dataclass(frozen=True)
class PiiMatch:
    kind: PiiKind
    start: int
    end: int
    text: str


#: What a match is replaced by, as source texts for the catalog (``labels`` gives them in a language).
LABELS: dict[PiiKind, str] = {
    PiiKind.BSN: N_("[BSN]"),
    PiiKind.IBAN: N_("[IBAN]"),
    PiiKind.PHONE: N_("[phone number]"),
    PiiKind.EMAIL: N_("[e-mail address]"),
    PiiKind.ADDRESS: N_("[address]"),
    PiiKind.NAME: N_("[name]"),
}


def labels(lang: str) -> dict[PiiKind, str]:
    """The labels in ``lang``: nl or en, another language by its primary subtag, else nl."""
    primary = lang.replace("_", "-").split("-")[0].lower()
    with using_language(primary if primary in LANGUAGES else "nl"):
        return {kind: t(text) for kind, text in LABELS.items()}
