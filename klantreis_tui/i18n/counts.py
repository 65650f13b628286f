"""Counted things in words, singular or plural by the count ("1 interview", "2 interviews"), for messages that
name more than one count."""

from __future__ import annotations

from klantreis_tui.i18n import tn


def interviews(n: int) -> str:
    return tn("{n} interview", "{n} interviews", n)


def answers(n: int) -> str:
    return tn("{n} answer", "{n} answers", n)


def steps(n: int) -> str:
    return tn("{n} step", "{n} steps", n)


def studies(n: int) -> str:
    return tn("{n} study", "{n} studies", n)


def new_studies(n: int) -> str:
    return tn("{n} new study", "{n} new studies", n)


def respondents(n: int) -> str:
    return tn("{n} respondent", "{n} respondents", n)
