"""Counted things in words, singular or plural by the count ("1 interview", "2 interviews"), for messages that
name more than one count."""

from __future__ import annotations

from klantreis_tui.i18n import tn


def interviews(n: int, lang: str | None = None) -> str:
    return tn("{n} interview", "{n} interviews", n, lang)


def answers(n: int, lang: str | None = None) -> str:
    return tn("{n} answer", "{n} answers", n, lang)


def steps(n: int, lang: str | None = None) -> str:
    return tn("{n} step", "{n} steps", n, lang)


def studies(n: int, lang: str | None = None) -> str:
    return tn("{n} study", "{n} studies", n, lang)


def new_studies(n: int, lang: str | None = None) -> str:
    return tn("{n} new study", "{n} new studies", n, lang)


def respondents(n: int, lang: str | None = None) -> str:
    return tn("{n} respondent", "{n} respondents", n, lang)
