"""Privacy and robustness in the app: disk trouble, personal-data warning, expired studies, busy interviews,
forgetting a respondent and the key table, driven with Pilot as an interviewer would."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from textual.widgets import DataTable, Input

from klantreis_tui.engine import LoopPrompt, Slot
from klantreis_tui.question_sets import bundled_dir
from klantreis_tui.services import Services
from klantreis_tui.ui.dialogs.forms import ForgetForm, IdentityForm
from klantreis_tui.ui.screens.home import HomeScreen
from klantreis_tui.ui.screens.interview import InterviewScreen
from klantreis_tui.ui.widgets.chat_log import ChatLog
from tests.uihelpers import answer_widget, build_app, looked_at, position, press, type_answer


async def open_small(app, pilot, interview_id: str) -> None:
    """Open an interview of the small script, give both consents, answer age and channel."""
    app.open_interview(interview_id)
    await pilot.pause()
    await press(pilot, "j")
    await press(pilot, "j")
    await type_answer(pilot, "44")
    await press(pilot, "1")
    assert position(app) == Slot("postcode")


def saved_slots(app) -> set[Slot]:
    return {i.slot for i in app.screen.query_one(ChatLog).items() if i.kind == "answered" and i.saved}


@pytest.mark.parametrize(
    ("trouble", "undo", "error_part"),
    [
        # SQLite itself reports the disk as full once the file may not grow
        ("PRAGMA max_page_count = {pages}", "PRAGMA max_page_count = 1073741823", "full"),
        ("PRAGMA query_only = 1", "PRAGMA query_only = 0", "readonly"),
    ],
    ids=["full-disk", "read-only"],
)
async def test_disk_trouble_keeps_the_answer_unsaved_on_screen_for_retry(services, trouble, undo, error_part):
    study = services.create_study("Schijf")
    interview = services.start_interview(study.id, "klein")
    app = build_app(services)
    long_answer = "Noord " * 4000  # needs new pages: a full disk refuses it
    async with app.run_test(size=(100, 30)) as pilot:
        await open_small(app, pilot, interview.id)
        conn = services.store.db.conn
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(trouble.format(pages=pages))
        await type_answer(pilot, long_answer.strip())

        assert position(app) == Slot("postcode")
        error = str(app.screen.query_one("#answer-error").render())
        assert error.startswith("NIET opgeslagen") and error_part in error
        assert answer_widget(app).value == long_answer.strip()
        assert Slot("postcode") not in saved_slots(app)

        conn.execute(undo)
        await press(pilot, "enter")  # the interviewer retries
        assert isinstance(position(app), LoopPrompt)  # the next question: the step loop
        assert Slot("postcode") in saved_slots(app)
    assert services.state(interview.id).value(Slot("postcode")) == long_answer.strip()


async def test_personal_data_is_flagged_while_typing(services):
    study = services.create_study("Typen")
    interview = services.start_interview(study.id, "klein")
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_small(app, pilot, interview.id)
        warning = app.screen.query_one("#pii-warning")
        assert not warning.display
        widget = answer_widget(app)
        assert isinstance(widget, Input)
        widget.value = "bel me op 06-12345678 of jan@example.nl"
        await looked_at(pilot)
        assert warning.display
        text = str(warning.render())
        assert "telefoonnummer" in text and "e-mailadres" in text
        widget.value = "Noord"
        await looked_at(pilot)
        assert not warning.display


async def test_home_marks_expired_studies(services):
    services.create_study("Verlopen onderzoek", retention_until=date.today() - timedelta(days=3))
    services.create_study("Lopend onderzoek", retention_until=date.today() + timedelta(days=3))
    app = build_app(services)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#studies", DataTable)
        titles = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert "Verlopen onderzoek  ⚠ bewaartermijn verlopen" in titles
        assert "Lopend onderzoek" in titles
        assert any("purge --expired" in str(n.message) for n in app._notifications)


async def test_an_interview_open_elsewhere_is_busy_and_not_opened(services, tmp_path, qs_dir):
    study = services.create_study("Twee vensters")
    interview = services.start_interview(study.id, "klein", respondent_code="R07")
    other = Services.open(tmp_path / "k.db", [bundled_dir(), qs_dir])
    try:
        assert other.claim_interview(interview.id) is None  # the other window has it open
        app = build_app(services)
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            table = app.screen.query_one("#interviews", DataTable)
            assert "in gebruik" in str(table.get_row_at(0)[2])
            app.open_interview(interview.id)
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            assert any("ander klantreis-venster" in str(n.message) for n in app._notifications)
            other.release_interview(interview.id)
            app.open_interview(interview.id)
            await pilot.pause()
            assert isinstance(app.screen, InterviewScreen)
            assert other.claim_interview(interview.id) is not None  # now busy the other way round
    finally:
        other.close()


async def test_forget_from_the_home_screen_needs_the_code(services):
    study = services.create_study("Vergeten")
    gone = services.start_interview(study.id, "klein", respondent_code="R01")
    kept = services.start_interview(study.id, "klein", respondent_code="R02")
    app = build_app(services)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#interviews", DataTable)
        table.focus()
        codes = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        table.move_cursor(row=codes.index("R01"))
        await press(pilot, "ctrl+d")
        assert isinstance(app.screen, ForgetForm)
        app.screen.query_one("#forget-code", Input).value = "R02"  # the wrong one
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ForgetForm)
        assert "klopt niet" in str(app.screen.query_one("#form-error").render())
        app.screen.query_one("#forget-code", Input).value = "R01"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, HomeScreen)
    assert services.select_interviews() == [kept.id]
    assert services.find_respondents("R01") == []
    assert gone.id not in {r.interview.id for r in services.list_interviews()}


async def test_the_key_table_is_shown_only_on_request(services):
    study = services.create_study("Sleutel")
    interview = services.start_interview(study.id, "klein", respondent_code="R03")
    app = build_app(services)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        app.screen.query_one("#interviews", DataTable).focus()
        await press(pilot, "k")
        assert isinstance(app.screen, IdentityForm)
        app.screen.query_one("#identity-name", Input).value = "Fatima el Amrani"
        app.screen.query_one("#identity-contact", Input).value = "06-98765432"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, HomeScreen)
        # the name is nowhere on the home screen or in the interview screen
        assert "Fatima" not in str(app.screen.query_one("#interviews", DataTable).get_row_at(0))
        app.open_interview(interview.id)
        await pilot.pause()
        assert "Fatima" not in " ".join(str(i.detail) for i in app.screen.query_one(ChatLog).items())
    identity = services.identity(interview.respondent_id)
    assert identity.name == "Fatima el Amrani" and identity.contact == "06-98765432"


async def test_a_crash_report_shows_no_answer_values(services):
    """Textual's traceback shows local variables by default; ours must not (they hold answers)."""
    study = services.create_study("Crash")
    interview = services.start_interview(study.id, "klein")
    secret = "-".join(["Geheim", "antwoord", "0612345678"])  # not in the source that a traceback shows
    app = build_app(services)
    shown: list = []
    app._print_error_renderables = lambda: shown.extend(app._exit_renderables)  # what would be printed
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await open_small(app, pilot, interview.id)

            def broken(*args, **kwargs):
                value = secret  # noqa: F841 - a local the traceback must not show
                raise RuntimeError("stuk")

            services.answer = broken
            await type_answer(pilot, "Noord")
    except RuntimeError:
        pass
    assert shown
    with app.console.capture() as capture:
        for renderable in shown:
            app.console.print(renderable)
    report = capture.get()
    assert "RuntimeError" in report and "stuk" in report
    assert secret not in report
    assert "Alles wat als" in report and "hervat het interview met r" in report


async def test_a_retention_date_can_be_set_on_an_existing_study(services):
    study = services.create_study("Zonder datum")
    app = build_app(services)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await press(pilot, "e")
        from klantreis_tui.ui.dialogs.forms import StudyForm

        assert isinstance(app.screen, StudyForm)
        assert app.screen.query_one("#study-title", Input).value == "Zonder datum"
        app.screen.query_one("#study-retention_until", Input).value = "2001-02-03"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one("#studies", DataTable)
        assert "bewaartermijn verlopen" in str(table.get_row_at(0)[0])
    assert services.store.get_study(study.id).retention_until == date(2001, 2, 3)
    assert [r.study.id for r in services.expired_studies()] == [study.id]


async def test_a_notice_from_before_the_start_is_shown_in_the_app(services):
    from klantreis_tui.ui.app import make_app
    from tests.uihelpers import fixed_clock

    app = make_app(services, clock=fixed_clock, notices=["LET OP: er kon geen reservekopie worden gemaakt: schijf vol"])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert any("geen reservekopie" in str(n.message) for n in app._notifications)


async def test_a_late_refusal_is_confirmed_first(services):
    from klantreis_tui.ui.dialogs.confirm import ConfirmScreen

    study = services.create_study("Intrekken")
    interview = services.start_interview(study.id, "klein")
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_small(app, pilot, interview.id)
        await press(pilot, "ctrl+o", "ctrl+o", "ctrl+o", "ctrl+o")
        assert position(app) == Slot("mee")
        await press(pilot, "n")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "n")  # not after all
        assert isinstance(app.screen, InterviewScreen)
        assert services.interview(interview.id).status.value == "bezig"
        assert services.state(interview.id).value(Slot("leeftijd")) == 44
        await press(pilot, "n")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "j")
        assert isinstance(app.screen, InterviewScreen)
    assert services.interview(interview.id).status.value == "geen toestemming"
    assert services.state(interview.id).value(Slot("leeftijd")) is None


async def test_forget_of_an_interview_open_elsewhere_is_refused_before_the_dialog(services, tmp_path, qs_dir):
    study = services.create_study("Elders open")
    interview = services.start_interview(study.id, "klein", respondent_code="R01")
    other = Services.open(tmp_path / "k.db", [bundled_dir(), qs_dir])
    try:
        assert other.claim_interview(interview.id) is None
        app = build_app(services)
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            app.screen.query_one("#interviews", DataTable).focus()
            await press(pilot, "ctrl+d")
            assert isinstance(app.screen, HomeScreen)
            assert any("open is in een ander klantreis-venster" in str(n.message) for n in app._notifications)
    finally:
        other.close()
    assert services.select_interviews() == [interview.id]


async def test_home_follows_changes_made_in_another_window(services, tmp_path, qs_dir):
    study = services.create_study("Twee vensters")
    app = build_app(services)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#interviews", DataTable)
        assert table.row_count == 0
        other = Services.open(tmp_path / "k.db", [bundled_dir(), qs_dir])
        started = other.start_interview(study.id, "klein", respondent_code="R05")
        assert other.claim_interview(started.id) is None
        app.screen.follow_other_windows()  # what the two-second timer does
        await pilot.pause()
        assert table.row_count == 1 and str(table.get_row_at(0)[0]) == "R05"
        assert "in gebruik" in str(table.get_row_at(0)[2])
        other.close()  # closing there releases the claim
        app.screen.follow_other_windows()
        await pilot.pause()
        assert "in gebruik" not in str(table.get_row_at(0)[2])


async def test_help_shows_textual_keys_in_dutch(services):
    services.create_study("Help")
    app = build_app(services)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        descriptions = {description for _, description in app.help_rows(app.screen)}
        assert not descriptions & {"Cursor down", "Page Up", "Copy selected text", "Focus Next", "Quit"}
        assert "Cursor omlaag" in descriptions or "Volgend veld" in descriptions
