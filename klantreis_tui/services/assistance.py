"""Help while typing: personal data in a text, the assistant's proposals, probes, reminders and known values."""

from __future__ import annotations

import re
from typing import Any

from klantreis_tui.models.question_set import Question, QuestionKind
from klantreis_tui.models.records import Step
from klantreis_tui.services.base import ServiceBase


#: The step fields whose question takes what a proposal of a kind would put there.
_FIELD_KINDS = {"instances": "instance", "channels": "channel", "duration": "duration"}


def _key(text: str) -> str:
    return " ".join(text.casefold().split()).strip(" .")


class AssistanceServices(ServiceBase):
    """What the interviewer is offered while typing; accepted proposals go into the step."""

    def assistant(self, study_id: str) -> Any:
        """The assistant for a study: bundled lists, the user's, then the study's own (cached).

        The study's own lists are in the subfolder named after its id, only when that id is a UUID as
        klantreis makes them: an id from elsewhere (``/some/folder``, ``../x``) never names a folder."""
        from klantreis_tui.assist import Assistant

        # the interview screen loads it on a thread when it opens: a key typed meanwhile waits for that load
        # instead of reading the lists a second time
        with self._assistant_lock:
            if study_id not in self._assistants:
                self._assistants[study_id] = Assistant.load(self._assist_dirs(study_id))
            return self._assistants[study_id]

    def warm_up_typing(self, study_id: str) -> None:
        """Load, on a thread of the caller's, what a key typed in an interview of this study needs: the
        assistant's lists, the words of the study that are no names, and the name lists. No database access."""
        self.assistant(study_id)
        self.personal_data_kinds("Mevrouw Jansen", study_id)

    def _assist_dirs(self, study_id: str) -> list[Any]:
        """The folders of the user's and the study's own lists that are there (see ``assistant``)."""
        from klantreis_tui.models.limits import valid_id

        dirs = [self.assist_dir] if self.assist_dir else []
        if self.assist_dir and valid_id(study_id):
            dirs.append(self.assist_dir / study_id)
        return [d for d in dirs if d.is_dir()]

    def personal_data_kinds(self, text: str, study_id: str | None = None) -> list[Any]:
        """The kinds of personal data (BSN, IBAN, phone, name, ...) in a text being typed, in order of appearance;
        with ``study_id``, the organisations of that study's assistant lists are not taken for names."""
        from klantreis_tui import pii

        return pii.kinds_in(text, self.not_names(study_id) if study_id else None)  # type: ignore[attr-defined]

    def proposals(self, study_id: str, text: str, question: Question | None = None, step: Step | None = None) -> list[Any]:
        """What the assistant finds in a text: organisations, channels, emotions, durations (Proposals).

        With the ``question`` being typed and its ``step``: without the proposals that only repeat what the
        interviewer typed for that field ("Gemeente KCC" typed as the organisation) or what the step holds.
        """
        found = self.assistant(study_id).propose(text)
        if question is None and step is None:
            return found
        typed: dict[str, set[str]] = {"instance": set(), "channel": set(), "duration": set()}
        kind = _FIELD_KINDS.get(question.field or "") if question is not None else None
        if kind is not None:
            typed[kind] = {_key(item) for item in re.split(r"[,;]", text)} - {""}
        if step is not None:
            typed["instance"] |= {_key(i) for i in step.instances}
            typed["channel"] |= {_key(c) for c in step.channels}
        whole = _key(text)
        return [
            p
            for p in found
            if not (_key(str(p.value)) in typed.get(p.kind, ()) or (p.kind == kind == "duration" and _key(p.text) == whole))
        ]

    def probes_after(self, study_id: str, question: Question, value: Any) -> list[str]:
        """Probes for the interviewer after an answer that was short, vague or strongly negative (the
        question's own first); [] when none is called for."""
        own = [p.get(self.lang) for p in question.probes]
        assistant = self.assistant(study_id)
        if question.kind is QuestionKind.emotion:
            if isinstance(value, int) and value <= -2:
                from klantreis_tui.assist import Proposal

                strong = Proposal(kind="emotion", value=value, text="", start=0, end=0)
                return assistant.probes("", [strong], own)
            return []
        if question.kind in (QuestionKind.text, QuestionKind.long_text) and isinstance(value, str):
            return assistant.probes(value, assistant.propose(value), own)
        return []

    def missing_reminder(self, study_id: str, step: Step) -> str:
        """Before a step is closed: a reminder when it has no organisation or channel; else ""."""
        return self.assistant(study_id).missing_reminder(step.instances, step.channels) or ""

    def accept_proposal(self, step_id: str, kind: str, value: Any, word: str = "") -> Step:
        """Put an accepted proposal of the assistant into a step (committed)."""
        step = self.store.get_step(step_id)

        def add(items: list[str], item: str) -> list[str]:
            return list(dict.fromkeys([*items, item]))

        if kind == "instance":
            fields: dict[str, Any] = {"instances": add(step.instances, str(value))}
        elif kind == "channel":
            fields = {"channels": add(step.channels, str(value))}
        elif kind == "emotion":
            fields = {"emotion": int(value), "emotion_words": add(step.emotion_words, word) if word else step.emotion_words}
        elif kind == "duration":
            fields = {"duration": str(value)}
        else:
            raise ValueError(kind)
        return self.store.update_step(step_id, **fields)

    def known_values(self, study_id: str, field: str) -> list[str]:
        """Values for completion: those used earlier in the study first, then the common ones (the
        assistant's organisations and channels); for the phase, the study's phases in order, then others used."""
        if field == "phase":
            return list(dict.fromkeys([*self.study_phases(study_id), *self.store.step_values(study_id, field)]))  # type: ignore[attr-defined]
        common = self.assistant(study_id).names(field)
        return list(dict.fromkeys([*self.store.step_values(study_id, field), *common]))
