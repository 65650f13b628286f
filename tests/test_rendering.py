"""Rendering: interview summaries and the study synthesis (contexts, templates, golden Markdown, HTML, SVG).

Regenerate the golden files after an intended change with ``KLANTREIS_UPDATE_GOLDEN=1 pytest tests/test_rendering.py``
and read the diff before committing it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path

import pytest

from klantreis_tui.i18n import using_language

from klantreis_tui.models import Answer, Consent, Interview, InterviewRecord, InterviewStatus, Respondent, Step, Study
from klantreis_tui.question_sets import bundled_dir, load_question_set
from klantreis_tui.rendering import svg
from klantreis_tui.rendering.summary import interview_context, labels, normalise, study_context
from klantreis_tui.rendering.svg import svg_heartbeat
from klantreis_tui.rendering.templates import TemplateProblem, render
from tests.golden_files import check_golden

HERE = Path(__file__).parent
JOURNEYS = HERE / "fixtures" / "journeys"
GOLDEN = HERE / "golden"
NAMES = ("johan-paspoort", "jan-schulden", "dennis-werkbedrijf")
STARTED = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc)
XHTML = "{http://www.w3.org/1999/xhtml}"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def vng():
    return load_question_set(bundled_dir() / "vng-algemeen.yaml")


def journey(name: str) -> dict:
    return json.loads((JOURNEYS / f"{name}.json").read_text(encoding="utf-8"))


def build_record(data: dict, quotes: bool | None = True, study: Study | None = None) -> InterviewRecord:
    """An InterviewRecord of an example journey, with fixed ids and times so output is reproducible.

    ``quotes`` is the answer to the quote consent; None leaves that consent unrecorded.
    """
    code = data["respondent"]["code"]
    study = study or Study(id="study-1", title=data["study"], created_at=STARTED)
    respondent = Respondent(id=f"resp-{code}", study_id=study.id, **data["respondent"])
    interview = Interview(
        id=f"iv-{code}",
        study_id=study.id,
        respondent_id=respondent.id,
        question_set_id="vng-algemeen",
        question_set_version="1.0",
        interviewer="Interviewer A",
        started_at=STARTED,
        ended_at=STARTED,
        status=InterviewStatus.afgerond,
    )
    granted = {"participation": True, "audio": True, "quotes": quotes}
    consents = [
        Consent(
            interview_id=interview.id,
            item=item,
            granted=value,
            text_version="2026-1",
            question_set_version="1.0",
            recorded_at=STARTED,
        )
        for item, value in granted.items()
        if value is not None
    ]
    answers = [
        Answer(interview_id=interview.id, question_id=qid, revision=1, value=data[key], recorded_at=STARTED)
        for qid, key in (("aanleiding", "trigger"), ("verwachting", "expectation"))
    ]
    steps = [
        Step(
            id=f"{code}-s{n}",
            interview_id=interview.id,
            position=n,
            phase=s["phase"],
            description=s["step"],
            instances=s["instance"].split(", "),
            channels=[s["channel"]],
            emotion=s["emotion"],
            emotion_words=s["emotion_words"],
            quotes=[s["quote"]] if s.get("quote") else [],
            pain_point=s.get("pain_point") or "",
            opportunity=s.get("opportunity") or "",
            moment_of_truth=s.get("moment_of_truth", False),
        )
        for n, s in enumerate(data["steps"], start=1)
    ]
    return InterviewRecord(
        study=study, respondent=respondent, interview=interview, consents=consents, answers=answers, steps=steps
    )


def all_quotes(data: dict) -> list[str]:
    return [s["quote"] for s in data["steps"] if s.get("quote")]




def three_records() -> list[InterviewRecord]:
    study = Study(id="study-1", title="Drie voorbeeldreizen", created_at=STARTED)
    return [build_record(journey(name), study=study) for name in NAMES]


# --- golden Markdown --------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_interview_markdown_matches_golden(name, vng):
    text = render("interview.md.j2", interview_context(build_record(journey(name)), vng))
    check_golden(f"{name}.md", text)


def test_english_interview_markdown_matches_golden(vng, english):
    text = render("interview.md.j2", interview_context(build_record(journey("johan-paspoort")), vng))
    check_golden("johan-paspoort.en.md", text)
    assert "Interview summary R01 (DRAFT)" in text
    assert "Samenvatting" not in text


def test_study_markdown_matches_golden(vng):
    records = three_records()
    text = render("study.md.j2", study_context(records[0].study, records, {"vng-algemeen": vng}))
    check_golden("study.md", text)


# --- the interview context ---------------------------------------------------------------------


def test_interview_context_holds_the_summary_facts(vng):
    context = interview_context(build_record(journey("johan-paspoort")), vng)
    assert context["respondent"] == "R01"
    assert (context["segment"], context["age_band"]) == ("weinig digitaal vaardig", "65-74")
    assert (context["question_set"], context["question_set_version"]) == ("vng-algemeen", "1.0")
    assert context["date"] == "2026-03-02"
    assert context["trigger"] == "Wil zijn dochter in New York bezoeken; zijn paspoort is verlopen."
    assert context["expectation"] == "Snel een afspraak en binnen een week een nieuw paspoort."
    assert context["scores"] == [-1, -1, -2, 2, 1]
    # Step 3 is flagged; the lowest score (-2) is step 3 and the highest (+2) step 4.
    assert [s["number"] for s in context["moments"]] == [3]
    assert context["moments_flagged"] is True
    assert [s["number"] for s in context["low_points"]] == [3]
    assert [s["number"] for s in context["high_points"]] == [4]
    assert [(p["number"], p["text"]) for p in context["pain_points"]] == [
        (1, "Telefoon verwijst door naar online"),
        (2, "Afhankelijk van familie"),
        (3, "Wachtrij ondanks afspraak"),
    ]
    assert [(p["number"], p["text"]) for p in context["ideas"]] == [
        (1, "Afspraak ook telefonisch kunnen maken"),
        (3, "Afspraakhouders direct doorlaten"),
    ]
    # Burgerzaken at steps 3 and 4; the other three organisations once each.
    assert context["instances"][0] == {"name": "Burgerzaken", "count": 2}
    assert sorted(i["count"] for i in context["instances"]) == [1, 1, 1, 2]
    assert context["channels"][0] == {"name": "balie", "count": 2}
    assert len(context["quotes"]) == 5 and context["quotes_withheld"] == ""
    narrative = " ".join(context["narrative"])
    assert "Eerst belt de respondent de gemeente voor een afspraak. De betrokken organisatie: Gemeente KCC." in narrative
    assert "Dit is het dieptepunt van de reis: de respondent voelt zich gespannen en boos (zeer negatief)." in narrative
    assert "De beleving loopt uiteen van zeer negatief (stap 3) tot zeer positief (stap 4)." in narrative


def test_moments_fall_back_to_lowest_and_highest_steps(vng):
    data = journey("jan-schulden")
    for step in data["steps"]:
        step.pop("moment_of_truth", None)
    context = interview_context(build_record(data), vng)
    # Scores -2, -1, -1, +1, -2, +1: lowest -2 at steps 1 and 5, highest +1 at steps 4 and 6.
    assert context["moments_flagged"] is False
    assert [s["number"] for s in context["moments"]] == [1, 4, 5, 6]
    text = render("interview.md.j2", context)
    assert labels("nl")["moments_derived"] in text


@pytest.mark.parametrize(
    ("scores", "lows", "highs"),
    [
        ([-2, -1, -1], [1], []),  # never above zero: no high point
        ([0, 1, 1], [], [2, 3]),  # never below zero: no low point; a tie gives both
        ([0, 0], [], []),
        ([None, -1, 2], [2], [3]),
    ],
)
def test_low_and_high_points(scores, lows, highs, vng):
    record = build_record(journey("johan-paspoort"))
    record.steps = record.steps[: len(scores)]
    for step, score in zip(record.steps, scores):
        step.emotion = score
        step.moment_of_truth = False
    context = interview_context(record, vng)
    assert [s["number"] for s in context["low_points"]] == lows
    assert [s["number"] for s in context["high_points"]] == highs
    assert [s["number"] for s in context["moments"]] == sorted(lows + highs)


def test_the_step_order_follows_position_not_storage_order(vng):
    record = build_record(journey("johan-paspoort"))
    record.steps = list(reversed(record.steps))
    context = interview_context(record, vng)
    assert [s["description"][:4] for s in context["steps"]] == ["Belt", "Zoon", "Moet", "Mede", "Na v"]


def test_summary_without_question_set_still_renders(vng):
    context = interview_context(build_record(journey("dennis-werkbedrijf")), None)
    assert context["trigger"] == "" and context["question_set_title"] == ""
    text = render("interview.md.j2", context)
    assert "| 5 ★ | werk | Proefplaatsing leidt tot een baan |" in text


def test_latest_revision_of_the_trigger_is_used(vng):
    record = build_record(journey("johan-paspoort"))
    record.answers.append(
        Answer(
            interview_id=record.interview.id,
            question_id="aanleiding",
            revision=2,
            value="Verlopen paspoort.",
            recorded_at=STARTED,
        )
    )
    assert interview_context(record, vng)["trigger"] == "Verlopen paspoort."


def test_other_answers_show_labels_not_codes_and_skip_retracted_ones(vng):
    record = build_record(journey("johan-paspoort"))

    def answer(qid, value, revision=1, retracted=False):
        record.answers.append(
            Answer(
                interview_id=record.interview.id,
                question_id=qid,
                revision=revision,
                value=value,
                retracted=retracted,
                recorded_at=STARTED,
            )
        )

    answer("toestemming_deelname", True)  # consent: shown as consent, never as an answer
    answer("leeftijd", "65-74")  # fills age_band: shown in the header
    answer("huishouden", "alleen")
    answer("digitaal", "hulp")
    answer("werk", "Gepensioneerd")
    answer("werk", None, revision=2, retracted=True)  # undone: no longer an answer
    answer("klopt_beeld", True)
    groups = interview_context(record, vng)["other_answers"]
    assert [(g["section"], [(i["question"], i["answer"]) for i in g["items"]]) for g in groups] == [
        (
            "Over de respondent",
            [
                ("Hoe ziet uw huishouden eruit?", "Alleenstaand"),
                ("Hoe regelt u zaken met instanties online?", "Online met hulp van anderen"),
            ],
        ),
        ("Terugblik op de reis", [("Klopt dit beeld van uw reis?", "ja")]),
    ]
    with using_language("en"):
        english = interview_context(record, vng)["other_answers"]
    assert english[0]["items"][0] == {"question": "What does your household look like?", "answer": "Single"}
    text = render("interview.md.j2", interview_context(record, vng))
    assert "## Terugblik op de reis\n\n- **Klopt dit beeld van uw reis?** ja\n" in text


# --- privacy: quotes ---------------------------------------------------------------------------


@pytest.mark.parametrize("consent", [False, None], ids=["refused", "not-recorded"])
def test_no_quote_anywhere_without_quote_consent(consent, vng):
    data = journey("jan-schulden")
    record = build_record(data, quotes=consent)
    context = interview_context(record, vng)
    assert context["quotes"] == []
    assert all(step["quotes"] == [] for step in context["steps"])
    assert context["quotes_withheld"] == labels("nl")["quotes_refused" if consent is False else "quotes_not_recorded"]
    others = [build_record(journey(n)) for n in ("johan-paspoort", "dennis-werkbedrijf")]
    with using_language("en"):
        english_markdown = render("interview.md.j2", interview_context(record, vng))
    outputs = [
        render("interview.md.j2", context),
        render("interview.html.j2", context),
        english_markdown,
        render("study.md.j2", study_context(record.study, [record, *others], {"vng-algemeen": vng})),
        render("study.html.j2", study_context(record.study, [record, *others], {"vng-algemeen": vng})),
    ]
    for output in outputs:
        for quote in all_quotes(data):
            assert quote not in output
    # The other respondents consented: their quotes stay in the synthesis.
    assert "Ik had toch een afspraak?" in outputs[3]


def test_interviews_without_participation_consent_are_left_out(vng):
    records = three_records()
    records[1].interview.status = InterviewStatus.geen_toestemming
    context = study_context(records[0].study, records, {"vng-algemeen": vng})
    assert context["respondent_count"] == 2
    assert [r["code"] for r in context["respondents"]] == ["R01", "R03"]


# --- synthesis figures, computed by hand -------------------------------------------------------


def test_study_synthesis_figures(vng):
    records = three_records()
    context = study_context(records[0].study, list(reversed(records)), {"vng-algemeen": vng})
    assert context["respondent_count"] == 3
    assert [r["code"] for r in context["respondents"]] == ["R01", "R02", "R03"]
    # Averages per respondent: R01 (-1-1-2+2+1)/5 = -0.2; R02 (-2-1-1+1-2+1)/6 = -0.67; R03 (-2-1+1-1+2-1)/6 = -0.33
    assert [r["emotion_average"] for r in context["respondents"]] == [-0.2, -0.67, -0.33]

    phases = {p["name"]: p for p in context["phases"]}
    # First seen in R01, then R02, then R03 (respondents in code order).
    assert list(phases) == [
        "orientatie", "aanvraag", "afhalen",
        "voor de hulp", "aanmelding", "traject",
        "wachten", "begeleiding", "werk", "nazorg",
    ]  # fmt: skip
    # aanvraag: R01 steps 2, 3, 4 (-1, -2, +2) and R03 step 1 (-2): sorted -2 -2 -1 +2, median (-2 + -1)/2 = -1.5
    assert (phases["aanvraag"]["n"], phases["aanvraag"]["median"]) == (4, -1.5)
    assert (phases["aanvraag"]["min"], phases["aanvraag"]["max"], phases["aanvraag"]["respondent_count"]) == (-2, 2, 2)
    assert phases["aanvraag"]["median_text"] == "-1,5"
    # voor de hulp: -2, -1 -> -1.5; aanmelding: -1, +1 -> 0; traject: -2, +1 -> -0.5; begeleiding: +1, -1 -> 0
    assert phases["voor de hulp"]["median"] == -1.5
    assert phases["aanmelding"]["median"] == 0
    assert phases["traject"]["median"] == -0.5
    assert phases["begeleiding"]["median"] == 0
    # single steps: orientatie -1, afhalen +1, wachten -1, werk +2, nazorg -1
    assert [phases[p]["median"] for p in ("orientatie", "afhalen", "wachten", "werk", "nazorg")] == [-1, 1, -1, 2, -1]

    instances = {i["name"]: i for i in context["instances"]}
    # R01: Gemeente KCC, Gemeente afsprakenmodule, Burgerzaken (x2), Gemeente            -> 4 names
    # R02: Zorgverzekeraar, energiebedrijf, Woningcorporatie, Gemeente schuldhulpverlening,
    #      Voedselbank, Deurwaarder, Budgetbeheerder                                      -> 7 names
    # R03: Gemeente werkbedrijf, Gemeente KCC*, Werkbedrijf (x2), Werkgever, re-integratiebedrijf, Gemeente*
    #      (* already seen)                                                               -> 4 new names
    assert len(instances) == 4 + 7 + 4
    # Twice each: Burgerzaken (R01 -2, +2), Gemeente (R01 +1, R03 -1), Gemeente KCC (R01 -1, R03 -1),
    # Werkbedrijf (R03 +1, -1); sorted by count, then name.
    assert [(i["name"], i["count"]) for i in context["instances"][:4]] == [
        ("Burgerzaken", 2), ("Gemeente", 2), ("Gemeente KCC", 2), ("Werkbedrijf", 2),
    ]  # fmt: skip
    # every step names one organisation, except R02 step 1 and R03 step 5, which name two
    assert sum(i["count"] for i in context["instances"]) == 5 + (6 + 1) + (6 + 1)
    assert instances["Gemeente KCC"]["average"] == -1  # (-1 + -1) / 2
    assert instances["Burgerzaken"]["average"] == 0  # (-2 + 2) / 2
    assert instances["Gemeente"]["respondent_count"] == 2

    channels = {c["name"]: c for c in context["channels"]}
    # brief: R02 step 1 (-2), R02 step 5 (-2), R03 step 6 (-1): (-2 - 2 - 1) / 3 = -1.67
    assert (channels["brief"]["count"], channels["brief"]["respondent_count"]) == (3, 2)
    assert channels["brief"]["average"] == -1.67
    assert channels["brief"]["average_text"] == "-1,7"
    # telefoon: R01 step 1, R02 step 2, R03 step 2, all -1
    assert (channels["telefoon"]["count"], channels["telefoon"]["average"]) == (3, -1)
    # fysiek: R02 step 4 (+1), R03 step 5 (+2): 3 / 2 = 1.5
    assert channels["fysiek"]["average"] == 1.5
    assert [c["name"] for c in context["channels"][:2]] == ["brief", "telefoon"]  # 3 each, then by name

    # 3 + 3 + 4 pain points, all different, each by one respondent: the sorest (-2) first, then by name.
    assert len(context["pain_points"]) == 10
    assert [p["text"] for p in context["pain_points"][:4]] == [
        "Bewijslast",
        "Schaamte; incassokosten lopen op",
        "Schuldeisers niet op elkaar afgestemd",
        "Wachtrij ondanks afspraak",
    ]
    assert {p["respondent_count"] for p in context["pain_points"]} == {1}

    assert [(m["code"], m["number"]) for m in context["moments"]] == [("R01", 3), ("R02", 5), ("R03", 5)]
    assert [(g["segment"], g["codes"]) for g in context["segments"]] == [
        ("gescheiden, baan verloren", ["R02"]),
        ("ondernemer, failliet", ["R03"]),
        ("weinig digitaal vaardig", ["R01"]),
    ]


def test_pain_points_rank_by_respondents_with_codes_and_quotes(vng):
    records = three_records()
    data = journey("jan-schulden")
    data["respondent"]["code"] = "R04"
    data["steps"][0]["pain_point"] = "  WACHTTIJD. "  # the same pain point as R02 step 3, typed differently
    data["steps"][0]["quote"] = "Weer een envelop."
    data["steps"][2]["pain_point"] = "Wachttijd"  # R04 again: counts once per respondent
    data["steps"][4]["pain_point"] = None
    r04 = build_record(data, quotes=False, study=records[0].study)
    context = study_context(records[0].study, [*records, r04], {"vng-algemeen": vng})
    top = context["pain_points"][0]
    assert normalise(top["text"]) == "wachttijd"
    # R02 step 3, R04 steps 1 and 3: two respondents
    assert (top["rank"], top["respondent_count"]) == (1, 2)
    assert [(m["code"], m["number"]) for m in top["mentions"]] == [("R02", 3), ("R04", 1), ("R04", 3)]
    # R02 consented to quotes, R04 did not
    assert [m["quotes"] for m in top["mentions"]] == [["Wachten voelt eindeloos."], [], []]
    # scores at those steps: R02 -1, R04 -2 and -1: (-1 - 2 - 1) / 3 = -1.33
    assert top["emotion_average"] == -1.33
    # the other pain points of R01, R02 and R03: 10 - 1 (Wachttijd), one respondent each
    assert [p["respondent_count"] for p in context["pain_points"][1:]] == [1] * 9
    assert context["segments"][0] == {"segment": "gescheiden, baan verloren", "codes": ["R02", "R04"], "count": 2}
    assert context["quotes_note"] == labels("nl")["quotes_some_withheld"]
    assert "Weer een envelop." not in render("study.md.j2", context)


# --- HTML and SVG ------------------------------------------------------------------------------

#: y of a score in a 200-high heartbeat: top margin 16, bottom 24, so 160 units for 4 score steps:
#: y = 16 + (2 - score) * 40  ->  +2: 16, +1: 56, 0: 96, -1: 136, -2: 176
Y_OF_SCORE = {2: 16.0, 1: 56.0, 0: 96.0, -1: 136.0, -2: 176.0}


def circles(svg_element: ET.Element) -> list[ET.Element]:
    return svg_element.findall(f"{SVG}circle")


@pytest.mark.parametrize("name", NAMES)
def test_interview_html_is_xml_with_one_circle_per_scored_step(name, vng):
    data = journey(name)
    data["steps"][1]["emotion"] = None  # one step without a score: no circle for it
    html = render("interview.html.j2", interview_context(build_record(data), vng))
    root = ET.fromstring(html)
    assert root.tag == f"{XHTML}html"
    style = root.find(f"{XHTML}head/{XHTML}style").text
    assert "@page { size: A4; margin: 15mm; }" in style
    assert "http" not in style and root.find(f".//{XHTML}script") is None and root.find(f".//{XHTML}link") is None
    svgs = root.findall(f".//{SVG}svg")
    assert len(svgs) == 1
    scored = [(n, s["emotion"]) for n, s in enumerate(data["steps"], start=1) if s["emotion"] is not None]
    found = circles(svgs[0])
    assert [(int(c.get("data-step")), int(c.get("data-score"))) for c in found] == scored
    assert len(found) == len(data["steps"]) - 1
    for circle in found:
        assert float(circle.get("cy")) == Y_OF_SCORE[int(circle.get("data-score"))]
    assert len(svgs[0].findall(f"{SVG}polyline")) == 1
    rows = root.findall(f".//{XHTML}table[@class='steps']/{XHTML}tbody/{XHTML}tr")
    assert len(rows) == len(data["steps"])


def test_study_html_is_xml(vng, english):
    records = three_records()
    html = render("study.html.j2", study_context(records[0].study, records, {"vng-algemeen": vng}))
    root = ET.fromstring(html)
    assert root.get("lang") == "en"
    assert root.find(f".//{XHTML}dd[@class='respondent-count']").text == "3"
    # one heartbeat per respondent plus the phase medians
    svgs = root.findall(f".//{SVG}svg")
    assert len(svgs) == 4
    assert [len(circles(s)) for s in svgs] == [10, 5, 6, 6]
    phase_medians = [float(c.get("data-score")) for c in circles(svgs[0])]
    assert phase_medians[:3] == [-1, -1.5, 1]  # orientatie, aanvraag, afhalen
    assert float(circles(svgs[0])[1].get("cy")) == 16 + (2 + 1.5) * 40


def test_html_escapes_text_and_markdown_does_not(vng):
    data = journey("johan-paspoort")
    data["steps"][0]["step"] = "Belt <b>KCC</b> & wacht"
    context = interview_context(build_record(data), vng)
    html = render("interview.html.j2", context)
    ET.fromstring(html)
    assert "Belt &lt;b&gt;KCC&lt;/b&gt; &amp; wacht" in html
    assert "Belt <b>KCC</b> & wacht" in render("interview.md.j2", context)


def test_svg_heartbeat_geometry_and_determinism():
    scores = [2, None, -2, 0, 1]
    drawing = svg_heartbeat(scores)
    assert drawing == svg_heartbeat(scores)
    root = ET.fromstring(drawing)
    found = circles(root)
    assert [c.get("data-step") for c in found] == ["1", "3", "4", "5"]
    assert [float(c.get("cy")) for c in found] == [16, 176, 96, 56]
    assert all(float(c.get("cy")) == svg.score_y(int(c.get("data-score")), 200) for c in found)
    # columns of (640 - 40 - 16) / 5 = 116.8 each; step 1 in the middle of the first: 40 + 58.4 = 98.4
    assert float(found[0].get("cx")) == 98.4
    points = root.find(f"{SVG}polyline").get("points").split()
    assert points == [f"{c.get('cx')},{c.get('cy')}" for c in found]
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert labels[:5] == ["+2", "+1", "0", "-1", "-2"] and labels[5:] == ["1", "2", "3", "4", "5"]
    # another height: the plot is 300 - 16 - 24 = 260 high, 65 per score step
    tall = ET.fromstring(svg_heartbeat([-1], width=300, height=300))
    assert float(circles(tall)[0].get("cy")) == 16 + 3 * 65
    assert tall.find(f"{SVG}polyline") is None  # one point: no line
    assert circles(ET.fromstring(svg_heartbeat([]))) == []


# --- templates: errors and overrides -----------------------------------------------------------


def test_undefined_variable_names_template_and_line(tmp_path, vng):
    (tmp_path / "interview.md.j2").write_text("# {{ respondent }}\n\nregel 3\n{{ foo }}\n", encoding="utf-8")
    context = interview_context(build_record(journey("johan-paspoort")), vng)
    with pytest.raises(TemplateProblem) as caught:
        render("interview.md.j2", context, user_dir=tmp_path)
    assert str(caught.value) == "interview.md.j2:4: 'foo' is undefined"
    assert (caught.value.template, caught.value.line) == ("interview.md.j2", 4)


def test_undefined_attribute_in_an_included_template_names_that_template(tmp_path):
    (tmp_path / "main.md.j2").write_text("a\n{% include 'part.md.j2' %}\n", encoding="utf-8")
    (tmp_path / "part.md.j2").write_text("b\nc\n{{ labels.nope }}\n", encoding="utf-8")
    with pytest.raises(TemplateProblem) as caught:
        render("main.md.j2", {"labels": {}}, user_dir=tmp_path)
    assert str(caught.value).startswith("part.md.j2:3: ")
    assert "nope" in str(caught.value)


def test_syntax_error_names_template_and_line(tmp_path):
    (tmp_path / "kapot.md.j2").write_text("een\ntwee\n{% for x in y %}\n", encoding="utf-8")
    with pytest.raises(TemplateProblem, match=r"^kapot\.md\.j2:3: .*endfor"):
        render("kapot.md.j2", {"y": []}, user_dir=tmp_path)


def test_missing_template_is_a_template_problem(tmp_path):
    with pytest.raises(TemplateProblem, match="bestaat-niet.md.j2"):
        render("bestaat-niet.md.j2", {}, user_dir=tmp_path)
    (tmp_path / "main.md.j2").write_text("x\n{% include 'weg.md.j2' %}\n", encoding="utf-8")
    with pytest.raises(TemplateProblem, match=r"^main\.md\.j2:2: .*weg\.md\.j2"):
        render("main.md.j2", {}, user_dir=tmp_path)


def test_user_template_overrides_the_bundled_one(tmp_path, vng):
    own = "Eigen sjabloon voor {{ respondent }} ({{ labels.segment }})\n"
    (tmp_path / "interview.md.j2").write_text(own, encoding="utf-8")
    record = build_record(journey("johan-paspoort"))
    context = interview_context(record, vng)
    assert render("interview.md.j2", context, user_dir=tmp_path) == "Eigen sjabloon voor R01 (Segment)\n"
    assert render("interview.md.j2", context).startswith("# Samenvatting interview R01")  # bundled without user_dir
    # templates the user did not override still come from the bundle
    study = study_context(record.study, [record], {"vng-algemeen": vng})
    assert render("study.md.j2", study, user_dir=tmp_path).startswith("# Synthese onderzoek")
    # a user HTML template is autoescaped too
    (tmp_path / "interview.html.j2").write_text("<p>{{ study }}</p>", encoding="utf-8")
    context["study"] = "A & B"
    assert render("interview.html.j2", context, user_dir=tmp_path) == "<p>A &amp; B</p>"


def test_bundled_templates_are_found_next_to_the_module():
    from klantreis_tui.rendering import templates

    assert templates.BUNDLED_DIR == Path(templates.__file__).parent / "templates"
    names = {p.name for p in templates.BUNDLED_DIR.iterdir()}
    assert {"interview.md.j2", "interview.html.j2", "study.md.j2", "study.html.j2"} <= names


def test_labels_exist_in_both_languages():
    assert labels("nl").keys() == labels("en").keys()
    assert all(labels("nl").values()) and all(labels("en").values())
    assert (labels("nl")["steps"], labels("en")["steps"]) == ("Stappen", "Steps")


def test_rendering_loads_no_ui_or_storage():
    others = "('klantreis_tui.services', 'klantreis_tui.storage', 'klantreis_tui.engine', 'klantreis_tui.ui')"
    code = (
        "import sys, klantreis_tui.rendering.summary, klantreis_tui.rendering.templates; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'sqlite_utils') "
        f"or m.startswith({others})))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_a_summary_in_a_fresh_process_loads_neither_the_assistant_nor_the_network_modules(tmp_path):
    """What the first summary of a process costs: not the assistant's matchers (only the names of its lists are
    read, for the personal-data check) and not xml.sax (which brings urllib, http.client and ssl)."""
    from klantreis_tui.services import Services

    services = Services.open(tmp_path / "k.db", [bundled_dir()])
    study = services.create_study("Vers")
    interview = services.start_interview(study.id, "vng-algemeen").id
    services.close()
    code = (
        "import sys\n"
        "from klantreis_tui.question_sets import bundled_dir\n"
        "from klantreis_tui.services import Services\n"
        "s = Services.open(sys.argv[1], [bundled_dir()])\n"
        "assert '# ' in s.interview_summary(sys.argv[2], 'md') and '<svg' in s.interview_summary(sys.argv[2], 'html')\n"
        "print(sorted(m for m in sys.modules if m in ('klantreis_tui.assist.assistant', 'xml.sax', 'ssl', 'http.client')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path / "k.db"), interview],
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("text", ["a&b<c>d", 'x"y', "x'y\"z", "tab\there\nnl\r", "", "&amp;"])
def test_svg_escapes_as_xml_sax_does(text):
    from xml.sax.saxutils import escape, quoteattr

    from klantreis_tui.rendering import svg

    assert (svg.escape(text), svg.quoteattr(text)) == (escape(text), quoteattr(text))


@pytest.fixture
def cache_folder(tmp_path, monkeypatch):
    """The compiled templates kept in a folder of the test's own (the environment built anew around it)."""
    from klantreis_tui import paths
    from klantreis_tui.rendering import templates

    monkeypatch.setattr(paths, "user_cache_dir", lambda: tmp_path / "cache")
    templates._environment.cache_clear()
    yield tmp_path / "cache" / "templates"
    templates._environment.cache_clear()


def test_the_bundled_templates_are_kept_compiled_and_loaded_again(cache_folder, vng):
    from klantreis_tui.rendering import templates

    context = interview_context(build_record(journey("johan-paspoort")), vng)
    text = render("interview.md.j2", context)
    kept = list(cache_folder.glob("*.code"))
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"klantreis templates ")
    templates._environment.cache_clear()  # as a fresh process: its code is loaded, not compiled
    env = templates.environment()
    source, filename, _ = env.loader.get_source(env, "interview.md.j2")
    bucket = env.bytecode_cache.get_bucket(env, "interview.md.j2", filename, source)
    assert bucket.code is not None
    assert render("interview.md.j2", context) == text
    # a changed template is compiled again (its checksum is in the file)
    assert env.bytecode_cache.get_bucket(env, "interview.md.j2", filename, source + "x").code is None


@pytest.mark.parametrize("damage", [b"", b"garbage", b"klantreis templates 0 0 0 0\n\x00", "truncated"])
def test_a_damaged_compiled_template_is_compiled_again(cache_folder, vng, damage):
    from klantreis_tui.rendering import templates

    context = interview_context(build_record(journey("jan-schulden")), vng)
    text = render("interview.md.j2", context)
    (kept,) = cache_folder.glob("*.code")
    whole = kept.read_bytes()
    kept.write_bytes(whole[: len(whole) // 2] if damage == "truncated" else damage)
    templates._environment.cache_clear()
    assert render("interview.md.j2", context) == text
    assert kept.read_bytes() == whole  # written again, whole


def test_user_templates_are_not_kept_and_an_unwritable_cache_changes_nothing(cache_folder, tmp_path, vng):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "interview.md.j2").write_text("Mijn {{ respondent }}\n", encoding="utf-8")
    context = interview_context(build_record(journey("johan-paspoort")), vng)
    assert render("interview.md.j2", context, folder) == "Mijn R01\n"
    assert not cache_folder.exists()
    cache_folder.parent.mkdir(parents=True)
    cache_folder.write_text("a file where the folder would be", encoding="utf-8")
    assert render("study.md.j2", study_context(three_records()[0].study, three_records(), {"vng-algemeen": vng}))
    assert cache_folder.read_text(encoding="utf-8") == "a file where the folder would be"
