"""Checks of a parsed bundle against what is here, before anything of it is merged: every answer value
against its question's kind and rules (when the bundle's question set and version are here), and where
its text holds control characters (reported as a warning; shown as symbols everywhere)."""

from __future__ import annotations

from typing import Any

from klantreis_tui.engine import LOOP_PREFIX, check_loop_value, check_stored_value
from klantreis_tui.errors import AnswerInvalid
from klantreis_tui.exchange import BundleError
from klantreis_tui.i18n import current_language, t
from klantreis_tui.models.bundle import DELIVERABLE_TABLES, TABLES, Bundle
from klantreis_tui.safetext import has_controls
from klantreis_tui.services.base import ServiceBase


def _strings(value: Any, where: str) -> list[tuple[str, str]]:
    if isinstance(value, str):
        return [(where, value)]
    if isinstance(value, list):
        return [found for i, item in enumerate(value) for found in _strings(item, f"{where}.{i}")]
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in _strings(item, f"{where}.{key}")]
    return []


def control_text_fields(bundle: Bundle) -> list[str]:
    """Where the bundle's text holds control characters or escape sequences (``studies.0.title``, ...)."""
    found = []
    for table in (*TABLES, *DELIVERABLE_TABLES):
        for index, record in enumerate(getattr(bundle, table)):
            for name, value in record:
                found += [where for where, text in _strings(value, f"{table}.{index}.{name}") if has_controls(text)]
    return found


class AnswerCheck:
    """Every answer of a bundle against its question's kind and rules, one at a time (see
    ``BundleCheckServices.check_bundle_answers``); ``problems`` lists those that do not fit."""

    def __init__(self, catalog: Any, interviews: dict[str, Any]) -> None:
        self.catalog, self.interviews = catalog, interviews
        self.lang = current_language()
        self.questions: dict[str, Any] = {}
        self.problems: list[str] = []

    def check(self, index: int, answer: Any) -> None:
        interview = self.interviews.get(answer.interview_id)
        if interview is None:
            return
        key = f"{interview.question_set_id}@{interview.question_set_version}"
        if key not in self.questions:
            qs = self.catalog.sets.get(interview.question_set_id)
            known = qs is not None and qs.version == interview.question_set_version
            self.questions[key] = (qs, {q.id: q for _, q in qs.questions()}) if known else None
        if self.questions[key] is None:
            return
        qs, by_id = self.questions[key]
        try:
            if answer.question_id.startswith(LOOP_PREFIX):
                check_loop_value(answer.value)
            elif answer.question_id in by_id:
                check_stored_value(qs, by_id[answer.question_id], answer.value, self.lang)
        except AnswerInvalid as exc:
            self.problems.append(f"answers.{index} ({answer.question_id}): {exc}")

    def refusal(self) -> BundleError | None:
        """The error that refuses the bundle (worded, nothing changed), or None when every answer fits."""
        if not self.problems:
            return None
        problems = self.problems
        shown = "; ".join(problems[:5]) + (f" (+{len(problems) - 5})" if len(problems) > 5 else "")
        return BundleError(t('An answer in the bundle does not fit its question: {problems} Nothing was imported.', problems=shown), "bundle.answer")


class BundleCheckServices(ServiceBase):
    """The checks an import makes before it changes anything."""

    def check_bundle_answers(self, bundle: Bundle) -> None:
        """Raise BundleError (worded, nothing changed) when an answer's value does not fit its question: a
        yes/no answer that is no yes or no, a choice that is not one of the choices, a text against the
        question's pattern or length. Interviews whose question set (id and version) is not here are
        checked by the bundle's general limits only."""
        check = AnswerCheck(self.catalog, {i.id: i for i in bundle.interviews})
        for index, answer in enumerate(bundle.answers):
            check.check(index, answer)
        refusal = check.refusal()
        if refusal is not None:
            raise refusal
