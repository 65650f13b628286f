"""A deterministic (seeded) generator of synthetic studies in the shape of the example journeys."""

from __future__ import annotations

import json
import random
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from klantreis_tui import __version__
from klantreis_tui.models import Answer, Consent, Interview, InterviewStatus, Respondent, Step, Study
from klantreis_tui.models.bundle import BUNDLE_FORMAT, BUNDLE_VERSION, Bundle

JOURNEYS = Path(__file__).resolve().parent.parent / "fixtures" / "journeys"
BASE_TIME = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)


def _pool() -> dict[str, list]:
    steps = []
    triggers, segments, ages = [], [], []
    for path in sorted(JOURNEYS.glob("*.json")):
        journey = json.loads(path.read_text(encoding="utf-8"))
        steps.extend(journey["steps"])
        triggers.append((journey["trigger"], journey["expectation"]))
        segments.append(journey["respondent"]["segment"])
        ages.append(journey["respondent"]["age_band"])
    return {"steps": steps, "triggers": triggers, "segments": segments, "ages": ages}


def make_bundle(interviews: int, steps_per_interview: int = 20, seed: int = 1, studies: int = 1) -> Bundle:
    """``interviews`` completed interviews spread over ``studies`` studies, each with the given steps."""
    rng = random.Random(seed)
    pool = _pool()

    def uid() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    study_rows = [
        Study(id=uid(), title=f"Synthetische studie {i + 1}", doelgroep="inwoners", created_at=BASE_TIME)
        for i in range(studies)
    ]
    respondents, interview_rows, consents, answers, step_rows = [], [], [], [], []
    for number in range(interviews):
        study = study_rows[number % studies]
        started = BASE_TIME + timedelta(minutes=37 * number)
        respondent = Respondent(
            id=uid(), study_id=study.id, code=f"R{number // studies + 1:02d}",
            age_band=rng.choice(pool["ages"]), segment=rng.choice(pool["segments"]),
        )
        interview = Interview(
            id=uid(), study_id=study.id, respondent_id=respondent.id, question_set_id="vng-algemeen",
            question_set_version="1.0", interviewer="BM", started_at=started,
            ended_at=started + timedelta(minutes=55), status=InterviewStatus.afgerond,
        )
        respondents.append(respondent)
        interview_rows.append(interview)
        for item in ("participation", "audio", "quotes"):
            consents.append(Consent(interview_id=interview.id, item=item, granted=True, text_version="2026-1",
                                    question_set_version="1.0", recorded_at=started))
        trigger, expectation = rng.choice(pool["triggers"])
        for offset, (question, value) in enumerate(
            (("toestemming_deelname", True), ("toestemming_opname", True), ("toestemming_citaten", True),
             ("aanleiding", trigger), ("verwachting", expectation))
        ):
            answers.append(Answer(interview_id=interview.id, question_id=question, revision=1, value=value,
                                  recorded_at=started + timedelta(seconds=30 * offset)))
        for position in range(1, steps_per_interview + 1):
            source = rng.choice(pool["steps"])
            step = Step(
                id=uid(), interview_id=interview.id, position=position, phase=source["phase"],
                description=source["step"], instances=[p.strip() for p in source["instance"].split(",")],
                channels=[source["channel"]], emotion=rng.choice([-2, -1, -1, 0, 1, 1, 2, None]),
                emotion_words=list(source["emotion_words"]), quotes=[source["quote"]] if source["quote"] else [],
                pain_point=source["pain_point"] or "", opportunity=source["opportunity"] or "",
                moment_of_truth=bool(source.get("moment_of_truth")) and rng.random() < 0.5,
            )
            step_rows.append(step)
            answers.append(Answer(interview_id=interview.id, question_id="stap_wat", step_id=step.id, revision=1,
                                  value=step.description, recorded_at=started + timedelta(minutes=position)))
    return Bundle(
        format=BUNDLE_FORMAT, schema_version=BUNDLE_VERSION, app_version=__version__, exported_at=BASE_TIME,
        studies=study_rows, respondents=respondents, interviews=interview_rows, consents=consents,
        answers=answers, steps=step_rows,
    )
