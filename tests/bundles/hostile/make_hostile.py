"""Writes the hostile bundles of tests/test_hostile_bundles.py: the corpus bundle changed as an attacker would.

Run from the repository root after changing this file: ``python tests/bundles/hostile/make_hostile.py``.
The test checks that the files on disk are what this script makes. Bundles too large to keep in the
repository (``LARGE``) are made by the test in a temporary folder.

- ``escapes.json``: valid, but every text field holds escape sequences (clear screen, window title,
  clipboard write, a one-byte CSI, a right-to-left override): it imports with a warning and is never
  sent to a terminal raw.
- every other file is refused whole with the message in ``REFUSED``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent.parent.parent))

from tests.bundles import make_bundles as corpus  # noqa: E402

#: what an attacker puts in a text: clear screen, window title, clipboard write (OSC 52), C1 CSI, bidi override
ESCAPES = "\x1b[2J\x1b]0;gehackt\x07\x1b]52;c;ZWNobyBoaQ==\x07\x9b31m\u202e"

Json = dict[str, Any]


def _edit(change: Callable[[Json], None]) -> bytes:
    bundle = json.loads(corpus.bundle_json(corpus.valid()))
    change(bundle)
    return (json.dumps(bundle, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _answer(bundle: Json, question: str, revision: int = 1) -> Json:
    return corpus._answer(bundle, question, revision)


def _escape_every_text(bundle: Json) -> None:
    """Escape sequences appended to every text field of every record (ids, codes, times, kinds left alone)."""
    skip = {"id", "study_id", "respondent_id", "interview_id", "step_id", "question_id", "question_set_id",
            "question_set_version", "code", "status", "item", "text_version", "recorded_at", "started_at",
            "ended_at", "created_at", "retention_until", "format", "app_version", "exported_at", "persona_id",
            "action_id", "target_id", "kind"}
    for table in ("studies", "respondents", "interviews", "steps", "identities", "personas", "desired_scores", "actions"):
        for record in bundle[table]:
            for key, value in record.items():
                if key in skip:
                    continue
                if isinstance(value, str):
                    record[key] = value + ESCAPES
                elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                    record[key] = [v + ESCAPES for v in value] or [ESCAPES.strip()]
    for answer in bundle["answers"]:
        if isinstance(answer["value"], str) and answer["question_id"] in ("hulp", "wat", "nog_iets"):
            answer["value"] += ESCAPES


def _rename_id(bundle: Json, old: str, new: str) -> None:
    """An id changed everywhere it occurs: the bundle stays consistent, only the id's form is wrong."""
    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return new if node == old else node

    bundle.update(walk(bundle))


def deep_nesting(levels: int = 100_000) -> bytes:
    """An answer value nested ``levels`` arrays deep (a parser recursing into it ends in RecursionError)."""
    return _edit(lambda b: _answer(b, "hulp").update(value="__DEEP__")).replace(b'"__DEEP__"', b"[" * levels + b"]" * levels, 1)


def _unknown_set(bundle: Json) -> None:
    """The interview's question set is not here: only the general limits can check its answers."""
    for interview in bundle["interviews"]:
        interview["question_set_id"] = "elders"


def build_small() -> dict[str, bytes]:
    return {
        "escapes.json": _edit(_escape_every_text),
        "deep_nesting.json": deep_nesting(),
        "study_id_path.json": _edit(lambda b: _rename_id(b, corpus.STUDY, "/some/folder")),
        "interview_id_dotdot.json": _edit(lambda b: _rename_id(b, corpus.I1, "../../etc/passwd")),
        "step_id_with_escape.json": _edit(lambda b: _rename_id(b, corpus.S1, "\x1b[2J")),
        "yes_no_as_text.json": _edit(lambda b: _answer(b, "mee").update(value="ja" * 20_000)),
        "choice_not_offered.json": _edit(lambda b: _answer(b, "digitaal").update(value="telepathie")),
        "number_against_rule.json": _edit(lambda b: _answer(b, "leeftijd", 2).update(value=7)),
        "number_as_text.json": _edit(lambda b: _answer(b, "leeftijd", 2).update(value="45")),
        "emotion_answer_out_of_range.json": _edit(lambda b: next(a for a in b["answers"] if a["question_id"] == "emotie" and a["value"] is not None).update(value=9)),
        "text_against_pattern.json": _edit(lambda b: _answer(b, "postcode").update(value="1234 AB", skipped=False)),
        "instances_not_a_list.json": _edit(lambda b: next(a for a in b["answers"] if a["question_id"] == "wie").update(value="Gemeente")),
        "too_many_items.json": _edit(lambda b: b["steps"][0].update(channels=[f"kanaal {n}" for n in range(1_500)])),
    }


#: bundles over 300 kB: made by the test, not kept in the repository
LARGE: dict[str, Callable[[], bytes]] = {
    "long_text_unknown_set.json": lambda: _edit(lambda b: (_unknown_set(b), _answer(b, "hulp").update(value="x" * 150_000))),
    "huge_yes_no.json": lambda: _edit(lambda b: _answer(b, "mee").update(value="j" * 3_000_000)),
}

#: file -> a fragment of its (Dutch) message; each is refused whole, with a non-zero exit
REFUSED = {
    "deep_nesting.json": "de JSON is 100003 niveaus diep genest (een bundel heeft er hoogstens 32 nodig)",
    "study_id_path.json": "studies.0.id: '/some/folder' is geen UUID",
    "interview_id_dotdot.json": "interviews.0.id: '../../etc/passwd' is geen UUID",
    "step_id_with_escape.json": "steps.0.id: '\\x1b[2J' is geen UUID",
    "yes_no_as_text.json": "answers.0 (mee): Antwoord met ja of nee.",
    "choice_not_offered.json": "(digitaal): Kies een van: tel, web.",
    "number_against_rule.json": "(leeftijd): Tussen 18 en 120.",
    "number_as_text.json": "(leeftijd): Vul een getal in.",
    "emotion_answer_out_of_range.json": "(emotie): Kies een score van -2 tot en met +2.",
    "text_against_pattern.json": "(postcode): Alleen letters.",
    "instances_not_a_list.json": "(wie): Vul een of meer namen in",
    "too_many_items.json": "steps.0.channels: 1500 items (hoogstens 1000)",
    "long_text_unknown_set.json": "answers.4.value: tekst van 150000 tekens (hoogstens 100000)",
    "huge_yes_no.json": "answers.0.value: tekst van 3000000 tekens (hoogstens 100000)",
}


if __name__ == "__main__":
    for name, data in build_small().items():
        (HERE / name).write_bytes(data)
        print(f"{name:<36} {len(data):>8} bytes")
