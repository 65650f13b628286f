"""Text at the edges: very long answers, emoji, right-to-left and non-Latin scripts, combining marks,
control characters and lone surrogates, through the services (storage, steps, summaries, bundle, CSV)
and through the interview screen driven headless.

What must happen to control characters (NUL, ESC, DEL, C1, bidi overrides): an answer is a record of what
was entered, so the services keep them exactly (storage, bundle round trip); what is shown or read in a
terminal or a spreadsheet (the screen, summaries, CSV) shows them as visible symbols (safetext.visible). Leading and trailing whitespace is
trimmed, as for every text answer (Python's whitespace includes the separators U+001C..U+001F); in the
long-text area every line separator (NEL, U+2028, VT, FF...) is a line break, stored as "\n". Lone
surrogates cannot come from the terminal (its input is decoded as strict UTF-8) nor from a bundle (JSON
with an unpaired ``\\ud800`` escape is refused); handed to the services directly they are refused with
an error and nothing is stored.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import re
import unicodedata

import pytest
from markupsafe import escape
from textual.widgets import OptionList

from klantreis_tui.engine import LoopPrompt, Slot
from klantreis_tui.exchange import BundleError, bundle_json, csv_bytes, csv_tables, parse_bundle
from klantreis_tui.question_sets import bundled_dir
from klantreis_tui.rendering.templates import md_cell
from klantreis_tui.services import AnswerInvalid, Services
from klantreis_tui.ui.widgets.chat_log import ChatLog
from klantreis_tui.ui.widgets.journey_panel import JourneyPanel
from klantreis_tui.safetext import visible
from tests.uihelpers import answer_widget, build_app, position, press, type_answer

LONG = ("Ik belde de gemeente, kreeg een brief, wachtte weken op antwoord en belde opnieuw. " * 700)[:50_000]
LONG_WORD = ("Schuldhulpverleningstrajectaanvraagformulier" * 50)[:2_000]

# name -> a one-line text (no leading or trailing whitespace, so it is stored as given)
SAMPLES = {
    "long_50000": LONG.strip(),
    "word_2000": LONG_WORD,
    "emoji_zwj": "👩🏽‍💻 thuiswerker, 🇳🇱 vlag, 👨‍👩‍👧‍👦 gezin, 🤷🏾‍♀️ geen idee, ❤️ dank",
    "arabic": "اتصلت بالبلدية وانتظرت ساعتين",
    "hebrew": "התקשרתי לעירייה וחיכיתי שעתיים",
    "rtl_mixed": "Ik zei: مرحبا بكم 42 keer, toen שלום 2026 en 0800-1234 (DigiD)",
    "tigrinya": "ሰላም ከመይ ኣለኹም",
    "amharic": "ሰላም እንዴት ነህ? ቤተሰቤ ሦስት ልጆች አሉት።",
    "chinese": "我打电话给市政府，等了两个小时。",
    "cyrillic": "Я звонил в муниципалитет, ждал два часа.",
    "combining": "Cafe\u0301 of Café, n\u0303 of ñ, Zalgo z\u0336\u0353a\u0337l",
    "astral": "𝕳𝖊𝖑𝖕 𓀀 𠜎 🧾",
    "invisible": "zero\u200bwidth joiner\u200d bom\ufeff lrm\u200e rlo\u202eesrever\u202c end",
    "controls": "a\x00b\x01c\x1b[31md\x7fe\x85f\x9bg\x07h",
}
TEXT_SAMPLES = list(SAMPLES)


@pytest.fixture
def svc(tmp_path):
    services = Services.open(tmp_path / "k.db", [bundled_dir()])
    yield services
    services.close()


def new_interview(services: Services):
    study = services.create_study("Tekst 🇳🇱 ሰላም")
    return services.start_interview(study.id, "vng-algemeen", interviewer="AB")


def consent_all(services: Services, interview_id: str) -> None:
    for question in ("toestemming_deelname", "toestemming_opname", "toestemming_citaten"):
        services.answer(interview_id, Slot(question), True)


def raw_values(db_path, interview_id: str, question: str) -> list[object]:
    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute(
            "SELECT value FROM answers WHERE interview_id = ? AND question_id = ? ORDER BY revision",
            [interview_id, question],
        ).fetchall()
    finally:
        conn.close()
    return [json.loads(row[0]) for row in rows]


# --- services ----------------------------------------------------------------------------------------


def test_samples_are_what_they_claim():
    assert len(SAMPLES["long_50000"]) == 50_000 and len(LONG_WORD) == 2_000 and " " not in LONG_WORD
    assert "\u200d" in SAMPLES["emoji_zwj"] and "\U0001f3fd" in SAMPLES["emoji_zwj"]  # ZWJ and a skin tone
    assert unicodedata.normalize("NFC", "Cafe\u0301") == "Café" != "Cafe\u0301"
    assert all(value == value.strip() for value in SAMPLES.values())


@pytest.mark.parametrize("name", TEXT_SAMPLES)
def test_text_answer_is_stored_and_read_back_exactly(svc, tmp_path, name):
    value = SAMPLES[name]
    interview = new_interview(svc)
    svc.answer(interview.id, Slot("werk"), value)  # text
    svc.answer(interview.id, Slot("aanleiding"), value + "\ntweede regel")  # long text, two lines
    assert svc.state(interview.id).value(Slot("werk")) == value
    assert raw_values(tmp_path / "k.db", interview.id, "werk") == [value]
    # a fresh connection reads the same
    other = Services.open(tmp_path / "k.db", [bundled_dir()])
    try:
        assert other.state(interview.id).value(Slot("werk")) == value
        assert other.state(interview.id).value(Slot("aanleiding")) == value + "\ntweede regel"
    finally:
        other.close()


def test_combining_and_precomposed_forms_stay_distinct(svc):
    interview = new_interview(svc)
    svc.answer(interview.id, Slot("werk"), "Cafe\u0301")
    svc.answer(interview.id, Slot("segment"), "Café")
    state = svc.state(interview.id)
    assert state.value(Slot("werk")) == "Cafe\u0301"  # not normalised: stored as typed
    assert state.value(Slot("segment")) == "Café"


def test_surrounding_whitespace_is_trimmed_but_inner_text_kept(svc):
    interview = new_interview(svc)
    svc.answer(interview.id, Slot("werk"), "\u00a0\t ሰላም\x00ከመይ \u3000\n")
    assert svc.state(interview.id).value(Slot("werk")) == "ሰላም\x00ከመይ"


def answer_step(services: Services, interview_id: str, value: str) -> str:
    """One journey step through the step loop, every text field carrying ``value``."""
    state = services.loop_answer(interview_id, LoopPrompt("stappen", 0), True).state
    step_id = state.steps[-1].id
    for question, raw in [
        ("stap_wat", value),
        ("stap_fase", value[:200]),
        ("stap_instantie", f"{value[:100]}, Wijkteam"),
        ("stap_kanaal", "👩🏽‍💻 chat"),
        ("stap_emotie", -2),
        ("stap_woorden", "machteloos, ሰላም"),
        ("stap_citaat", value),
        ("stap_knelpunt", value),
        ("stap_kans", value),
        ("stap_duur", "٣ أسابيع"),
    ]:
        services.answer(interview_id, Slot(question, step_id), raw)
    return step_id


@pytest.mark.parametrize("name", TEXT_SAMPLES)
def test_step_fields_keep_the_text(svc, name):
    value = SAMPLES[name]
    interview = new_interview(svc)
    consent_all(svc, interview.id)
    answer_step(svc, interview.id, value)
    (step,) = svc.steps(interview.id)
    assert step.description == value
    assert step.phase == value[:200]
    parts = [part.strip() for part in re.split(r"[,;]", f"{value[:100]}, Wijkteam") if part.strip()]
    assert step.instances == list(dict.fromkeys(parts))  # instances: split on commas and semicolons
    assert step.channels == ["👩🏽‍💻 chat"]
    assert step.emotion_words == ["machteloos", "ሰላም"]
    assert step.quotes == [value]
    assert step.pain_point == value and step.opportunity == value
    assert step.duration == "٣ أسابيع"
    # marking a text as quote, pain point and idea keeps it too
    marked = svc.mark(step.id, "pain_point", "ትግርኛ 👩🏽‍💻")
    assert marked.pain_point == f"{value}; ትግርኛ 👩🏽‍💻"


@pytest.mark.parametrize("name", [n for n in TEXT_SAMPLES if n != "controls"])
def test_summaries_show_the_text(svc, name):
    value = SAMPLES[name]
    interview = new_interview(svc)
    consent_all(svc, interview.id)
    svc.answer(interview.id, Slot("aanleiding"), value)
    answer_step(svc, interview.id, value)
    md = svc.interview_summary(interview.id, "md")
    assert value in md  # the trigger, as written
    assert md_cell(value) in md  # the step in the table, on one line
    html = svc.interview_summary(interview.id, "html")
    assert str(escape(value)) in html
    assert html.count("<html") == 1 and "</html>" in html


def test_summaries_of_control_characters_render(svc):
    value = SAMPLES["controls"]
    interview = new_interview(svc)
    consent_all(svc, interview.id)
    svc.answer(interview.id, Slot("aanleiding"), value)
    answer_step(svc, interview.id, value)
    md = svc.interview_summary(interview.id, "md")
    html = svc.interview_summary(interview.id, "html")
    for visible in ("a", "[31md", "h"):
        assert visible in md and visible in html
    assert "</html>" in html


def filled_interview(services: Services) -> str:
    interview = new_interview(services)
    consent_all(services, interview.id)
    for name, value in SAMPLES.items():
        if name != "long_50000":
            answer_step(services, interview.id, value)
    services.answer(interview.id, Slot("werk"), SAMPLES["long_50000"])
    services.answer(interview.id, Slot("aanleiding"), SAMPLES["rtl_mixed"] + "\n" + SAMPLES["controls"])
    return interview.id


def without_export_time(data: bytes) -> bytes:
    return re.sub(rb'\n  "exported_at": "[^"]*",', b"", data, count=1)


def test_bundle_round_trip_is_identical(svc, tmp_path):
    interview_id = filled_interview(svc)
    first = bundle_json(svc.export_bundle([interview_id]))
    assert b"\\u0000" in first and "ሰላም ከመይ ኣለኹም".encode() in first  # JSON escapes NUL, keeps UTF-8
    elsewhere = Services.open(tmp_path / "other.db", [bundled_dir()])
    try:
        report = elsewhere.import_bundle(parse_bundle(first, "bundle.json"))
        assert report.added == 1
        second = bundle_json(elsewhere.export_bundle([interview_id]))
        assert without_export_time(second) == without_export_time(first)
        values = [s.description for s in elsewhere.steps(interview_id)]
        assert values == [v for n, v in SAMPLES.items() if n != "long_50000"]
        assert elsewhere.state(interview_id).value(Slot("werk")) == SAMPLES["long_50000"]
    finally:
        elsewhere.close()


@pytest.mark.parametrize("excel_nl", [False, True])
def test_csv_export_keeps_the_text(svc, excel_nl):
    interview_id = filled_interview(svc)
    tables = csv_tables(svc.interview_records([interview_id]))
    for name, rows in tables.items():
        data = csv_bytes(rows, excel_nl=excel_nl)
        text = data.decode("utf-8-sig" if excel_nl else "utf-8")
        back = list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if excel_nl else ","))
        assert back == [[visible(cell) for cell in row] for row in rows], name
        assert not any(ch in text for ch in "\x00\x1b\x7f\x9b\u202e")
    steps = tables["steps"]
    column = steps[0].index("description")
    assert [row[column] for row in steps[1:]] == [v for n, v in SAMPLES.items() if n != "long_50000"]
    answers = tables["answers"]
    value_column, question_column = answers[0].index("value"), answers[0].index("question_id")
    assert [row[value_column] for row in answers[1:] if row[question_column] == "werk"] == [SAMPLES["long_50000"]]


def test_lone_surrogate_is_refused_and_nothing_is_stored(svc, tmp_path):
    interview = new_interview(svc)
    svc.answer(interview.id, Slot("werk"), "eerst")
    with pytest.raises((AnswerInvalid, UnicodeError)):
        svc.answer(interview.id, Slot("werk"), "half \ud83d emoji")
    with pytest.raises((AnswerInvalid, UnicodeError)):
        svc.answer(interview.id, Slot("segment"), "\udc80")
    assert svc.state(interview.id).value(Slot("werk")) == "eerst"
    assert raw_values(tmp_path / "k.db", interview.id, "werk") == ["eerst"]
    assert raw_values(tmp_path / "k.db", interview.id, "segment") == []
    svc.answer(interview.id, Slot("werk"), "daarna 👩🏽‍💻")  # the connection still works
    assert svc.state(interview.id).value(Slot("werk")) == "daarna 👩🏽‍💻"


def test_bundle_with_a_lone_surrogate_escape_is_refused(svc, tmp_path):
    interview = new_interview(svc)
    svc.answer(interview.id, Slot("werk"), "SURROGATE")
    data = bundle_json(svc.export_bundle([interview.id])).replace(b"SURROGATE", b"half \\ud83d emoji")
    elsewhere = Services.open(tmp_path / "other.db", [bundled_dir()])
    try:
        with pytest.raises(BundleError):
            elsewhere.import_bundle(parse_bundle(data, "bundle.json"))
        assert elsewhere.list_interviews() == []
    finally:
        elsewhere.close()


# --- the interview screen -------------------------------------------------------------------------


def screen_text(app) -> list[str]:
    """The whole screen as rendered, one string per row (asserts every row has the screen's width)."""
    strips = app.screen._compositor.render_strips()
    assert len(strips) == app.size.height
    assert all(strip.cell_length == app.size.width for strip in strips)
    return [strip.text for strip in strips]


def chat_answers(app) -> list[str]:
    return [item.detail[0] for item in app.screen.query_one(ChatLog).items() if item.kind == "answered"]


def chat_plain(app) -> str:
    chat = app.screen.query_one(ChatLog)
    return "\n".join(str(chat.get_option_at_index(i).prompt) for i in range(chat.option_count))


def rich_plain(value: str) -> str:
    """``value`` as the screen shows it: control characters as visible symbols (␀, ␛...), never raw."""
    return visible(value)


def as_text_area(value: str) -> str:
    """``value`` as the long-text area keeps it: every line separator becomes a newline."""
    return "\n".join(value.splitlines())


SAMPLES_MIXED = " ".join(SAMPLES[n] for n in ("amharic", "chinese", "cyrillic", "hebrew", "invisible", "astral"))
UI_SAMPLES = ["long_50000", "word_2000", "emoji_zwj", "rtl_mixed", "tigrinya", "combining", "controls", "mixed"]


@pytest.mark.parametrize("name", UI_SAMPLES)
async def test_typed_text_shows_in_chat_and_journey(svc, name):
    value = SAMPLES_MIXED if name == "mixed" else SAMPLES[name]
    interview = new_interview(svc)
    for question, raw in [("toestemming_deelname", True), ("toestemming_opname", True),
                          ("toestemming_citaten", True), ("leeftijd", "45-54"), ("huishouden", "alleen")]:
        svc.answer(interview.id, Slot(question), raw)
    app = build_app(svc)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_interview(interview.id)
        await pilot.pause()
        assert position(app) == Slot("werk")
        await type_answer(pilot, value)  # one-line input
        assert position(app) == Slot("digitaal")
        assert svc.state(interview.id).value(Slot("werk")) == value
        assert chat_answers(app)[-1] == value
        assert rich_plain(value) in chat_plain(app)
        rows = screen_text(app)
        # nothing typed reaches the terminal as a control character (an escape sequence could repaint it)
        assert not any(ch in row for row in rows for ch in "\x00\x1b\x7f\x85\x9b")
        assert any("◆ Hoe regelt u zaken met instanties online?" in row for row in rows), "\n".join(rows)
        await press(pilot, "1")  # digitaal: zelf
        await type_answer(pilot, value[:300])  # segment
        await type_answer(pilot, f"{value}\n{value[:50]}")  # aanleiding: long text, two lines
        # the text area takes every line separator (NEL, U+2028, VT, FF, FS...) as a line break
        assert svc.state(interview.id).value(Slot("aanleiding")) == as_text_area(f"{value}\n{value[:50]}").strip()
        await type_answer(pilot, "ሰላም")  # verwachting
        await press(pilot, "j")  # the first step
        await type_answer(pilot, value)  # stap_wat
        assert position(app).question_id == "stap_fase"
        (step,) = svc.steps(interview.id)
        assert step.description == as_text_area(value)
        steps_list = app.screen.query_one(JourneyPanel).query_one("#steps", OptionList)
        label = str(steps_list.get_option_at_index(0).prompt)
        assert label.startswith(" 1 " + rich_plain(as_text_area(value))[:8])
        screen_text(app)
        assert chat_answers(app)[-1] == as_text_area(value)
        assert answer_widget(app) is not None and app.screen.focused is answer_widget(app)
