"""Keys per step: how many keys besides the typed text the step loop costs, on the three example journeys, with
the bundled question sets as they are (``after``) and as they were before ``ask: on_request`` and the moment of
truth in the loop (``before``): ``python -m tests.benchmarks.keys``.

Each journey is run through the real services on a scratch database, answering what the step loop asks as an
interviewer would with the documented keys: ``j`` for another step, Enter after a typed answer (or to skip an
empty one), one digit for the score, ``j``/``n`` for a yes/no question, ``alt+e`` before a question asked on
request. Before, the general script did not ask the moment of truth at all: it was set in the step editor, which
took 16 keys a step (``f2``, ``Up``, ``e``, ten ``Tab``, ``Space``, ``ctrl+s``, ``f2``; measured by hand in issue
12). Two ways of interviewing are counted: recording the feeling words of every step (as the example journeys
do), and leaving them out (the usual case the change is for).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import yaml

from klantreis_tui.engine import LoopPrompt, Slot
from klantreis_tui.models.question_set import QuestionKind
from klantreis_tui.question_sets import bundled_dir
from klantreis_tui.services import Services

ROOT = Path(__file__).resolve().parent.parent
JOURNEYS = ("johan-paspoort", "jan-schulden", "dennis-werkbedrijf")
SETS = ("vng-algemeen", "schuldhulpverlening", "werk-en-inkomen")
EDITOR_KEYS_FOR_MOMENT = 16


def _before(folder: Path) -> None:
    """The bundled sets as they were: every step question asked in every step; the general script without a
    moment-of-truth question, the themed ones asking it in every step."""
    for name in SETS:
        data = yaml.safe_load((bundled_dir() / f"{name}.yaml").read_text(encoding="utf-8"))
        for section in data["sections"]:
            if section.get("kind") != "step_loop":
                continue
            questions = []
            for question in section["questions"]:
                question.pop("ask", None)
                if question.get("field") == "moment_of_truth":
                    if name == "vng-algemeen":
                        continue  # added with the change
                    question.pop("when", None)
                questions.append(question)
            section["questions"] = questions
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _typed(step: dict, field: str | None) -> str:
    return {
        "description": step["step"],
        "phase": step["phase"],
        "instances": step["instance"],
        "channels": step["channel"],
        "emotion_words": ", ".join(step["emotion_words"]),
        "quote": step.get("quote") or "",
        "pain_point": step.get("pain_point") or "",
        "opportunity": step.get("opportunity") or "",
        "duration": step.get("duration") or "",
    }.get(field or "", "")


def count(services: Services, set_id: str, journey: dict, with_words: bool, editor_moment: bool) -> list[int]:
    """The keys (not counting typed characters) of each step of ``journey`` in question set ``set_id``."""
    study = services.create_study(journey["study"])
    interview = services.start_interview(study.id, set_id)
    iid = interview.id
    while not isinstance(slot := (state := services.state(iid)).current(), LoopPrompt):  # up to the loop: not counted
        kind = state.question(slot).kind
        raw = True if kind is QuestionKind.yes_no else "1" if "choice" in kind.value or kind is QuestionKind.number else "x"
        services.answer(iid, slot, raw if kind is not QuestionKind.date else "2026-03-02", state)
    per_step = []
    for step in journey["steps"]:
        keys = 1  # "j": another step
        services.loop_answer(iid, services.state(iid).current(), True)
        step_id = services.state(iid).steps[-1].id
        if with_words and step["emotion_words"]:
            pending = [q for q in services.state(iid).qs.step_loop().questions if q.field == "emotion_words" and q.on_request]
        else:
            pending = []
        while isinstance(slot := (state := services.state(iid)).current(), Slot) and slot.step_id == step_id:
            question = state.question(slot)
            if question.kind is QuestionKind.emotion:
                raw: object = step["emotion"]
            elif question.kind is QuestionKind.yes_no:
                raw = bool(step.get("moment_of_truth")) if question.field == "moment_of_truth" else False
            elif question.field == "emotion_words" and not with_words:
                raw = ""
            else:
                raw = _typed(step, question.field)
            services.answer(iid, slot, raw, state)
            keys += 1  # Enter, the digit, or j/n
            if question.kind is QuestionKind.emotion:
                for extra in pending:  # asked on request, right after the score
                    services.answer(iid, Slot(extra.id, step_id), _typed(step, extra.field), services.state(iid))
                    keys += 2  # alt+e, Enter
        if editor_moment and step.get("moment_of_truth"):
            keys += EDITOR_KEYS_FOR_MOMENT
        per_step.append(keys)
    services.loop_answer(iid, services.state(iid).current(), False)
    return per_step


def measure() -> list[tuple[str, str, str, float, float]]:
    journeys = {name: json.loads((ROOT / "fixtures" / "journeys" / f"{name}.json").read_text(encoding="utf-8")) for name in JOURNEYS}
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        old = Path(scratch) / "before"
        old.mkdir()
        _before(old)
        for set_id in SETS:
            for with_words in (True, False):
                figures = {}
                for label, folder in (("before", old), ("after", bundled_dir())):
                    services = Services.open(Path(scratch) / f"{label}-{set_id}-{with_words}.db", [folder])
                    try:
                        counts = [
                            k
                            for journey in journeys.values()
                            for k in count(services, set_id, journey, with_words, label == "before" and set_id == "vng-algemeen")
                        ]
                    finally:
                        services.close()
                    figures[label] = sum(counts) / len(counts)
                way = "with feeling words" if with_words else "without feeling words"
                rows.append((set_id, way, f"{len(counts)} steps", figures["before"], figures["after"]))
    return rows


def main() -> int:
    print("keys per step (besides typed text), three example journeys, 17 steps")
    print(f"{'question set':22} {'interviewing':24} {'':>9} {'before':>7} {'after':>7}")
    for set_id, way, steps, before, after in measure():
        print(f"{set_id:22} {way:24} {steps:>9} {before:7.2f} {after:7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
