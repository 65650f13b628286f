"""The kinds of personal data, a match found in a text, and the labels that replace each kind."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PiiKind(StrEnum):
    BSN = "bsn"
    IBAN = "iban"
    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"


@dataclass(frozen=True)
class PiiMatch:
    kind: PiiKind
    start: int
    end: int
    text: str


LABELS: dict[str, dict[PiiKind, str]] = {
    "nl": {
        PiiKind.BSN: "[BSN]",
        PiiKind.IBAN: "[IBAN]",
        PiiKind.PHONE: "[telefoonnummer]",
        PiiKind.EMAIL: "[e-mailadres]",
        PiiKind.ADDRESS: "[adres]",
    },
    "en": {
        PiiKind.BSN: "[BSN]",
        PiiKind.IBAN: "[IBAN]",
        PiiKind.PHONE: "[phone number]",
        PiiKind.EMAIL: "[e-mail address]",
        PiiKind.ADDRESS: "[address]",
    },
}
