"""The summary screen's Markdown view: what the one-pass reader makes of the templates' Markdown, wrapping to a
width, tables fitted to it, and the view scrolling over a document of thousands of rows."""

from __future__ import annotations

from textual.app import App, ComposeResult

from klantreis_tui.ui.markdown_lines import wrap_offsets
from klantreis_tui.ui.markdown_reader import head, inline, parse
from klantreis_tui.ui.widgets.markdown_view import MarkdownView


def rows(markdown: str, width: int) -> list[str]:
    document = parse(markdown)
    document.layout(width)
    return document.plain_rows()


def test_headings_lists_quotes_and_rules_become_rows_without_their_marks():
    text = "# Titel\n\n> **CONCEPT**: controleer\n\n- **Doelgroep:** inwoners\n- Respondenten: 3\n\n---\nslot"
    assert rows(text, 60) == [
        "Titel", "", "▌ CONCEPT: controleer", "", "• Doelgroep: inwoners", "• Respondenten: 3", "",
        "─" * 40, "", "slot",
    ]


def test_nested_list_under_a_numbered_item_is_indented_and_tight():
    text = "1. **Wachten**: 2 respondenten\n\n    - R01, stap 2: lang\n\n    - R02, stap 1: lang\n\n2. **Post**: 1"
    assert rows(text, 60) == [
        "1. Wachten: 2 respondenten", "   • R01, stap 2: lang", "   • R02, stap 1: lang", "", "2. Post: 1",
    ]


def test_a_line_left_of_the_item_text_after_a_blank_line_ends_the_list():
    assert rows("- a\n\n  more of a\n\nafter\n\n| x | y |\n|---|--:|\n| 1 | 2 |", 40) == [
        "• a", "  more of a", "", "after", "", "x │ y", "──┼──", "1 │ 2",
    ]


def test_a_long_item_wraps_under_its_text_not_under_its_bullet():
    shown = rows("- " + "woord " * 12, 20)
    assert shown[0].startswith("• woord") and all(r.startswith("  woord") for r in shown[1:])
    assert all(len(r) <= 20 for r in shown)
    assert " ".join(r.strip("• ") for r in shown).split() == ["woord"] * 12


def test_wrap_offsets_break_at_spaces_and_cut_only_words_longer_than_a_row():
    assert wrap_offsets("aa bb cc", 5) == [0, 6]
    assert wrap_offsets("aaaaaaaaaa", 4) == [0, 4, 8]
    assert wrap_offsets("code  that  runs", 6, words=False) == [0, 6, 12]
    # wide characters take two cells: the row holds half as many
    assert wrap_offsets("漢字漢字漢字", 4) == [0, 2, 4]


def test_inline_marks_bold_italic_code_links_and_escapes():
    assert inline("**vet** en *schuin*, `code`, [link](https://x) en a\\|b") == [
        ("vet", "bold"), (" en ", ""), ("schuin", "italic"), (", ", ""), ("code", "code"), (", ", ""),
        ("link", "link"), (" en a|b", ""),
    ]
    assert inline("5 * 3 en snake_case_name") == [("5 * 3 en snake_case_name", "")]


def test_table_columns_are_aligned_and_fitted_to_the_width():
    text = "| Instantie | Aantal |\n|---|---:|\n| Gemeente schuldhulpverlening | 12 |\n| UWV | 3 |"
    wide = rows(text, 60)
    assert wide == [
        "Instantie                    │ Aantal",
        "─────────────────────────────┼───────",
        "Gemeente schuldhulpverlening │     12",
        "UWV                          │      3",
    ]
    # too narrow for the longest word: the widest column gives way first, a word is cut only then
    assert rows(text, 24) == [
        "Instantie       │ Aantal",
        "────────────────┼───────",
        "Gemeente        │     12",
        "schuldhulpverle │       ",
        "ning            │       ",
        "UWV             │      3",
    ]


def test_fenced_code_keeps_its_spaces_and_is_not_read_as_markdown():
    assert rows("```text\n +2 ┤ *\n  0 ┤──●\n```\nna", 40) == [" +2 ┤ *", "  0 ┤──●", "", "na"]


def test_code_wider_than_the_view_is_not_wrapped_and_widens_the_document():
    document = parse("tekst\n\n```text\n" + "─●" * 30 + "\n```")
    document.layout(40)
    assert document.height == 3 and document.wide == 60
    assert document.plain_rows()[2] == "─●" * 30


def test_hard_line_breaks_start_a_new_row_at_the_same_indent():
    assert rows("- eerste\\\n  tweede regel", 40) == ["• eerste", "  tweede regel"]


class Viewer(App[None]):
    def compose(self) -> ComposeResult:
        yield MarkdownView(id="view")


async def test_view_scrolls_a_long_document_and_draws_the_rows_in_view():
    text = "# Synthese\n\n" + "\n".join(f"- R{n:04d}, stap {n % 20}: wachten op een besluit" for n in range(5000))
    app = Viewer()
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.query_one(MarkdownView)
        view.update(text)
        view.focus()
        await pilot.pause()
        assert view.document.height == 5002 and view.max_scroll_y == 5002 - 20
        await pilot.press("end")
        await pilot.pause()
        shown = [strip.text for strip in app.screen._compositor.render_strips()]
        assert any("R4999" in row for row in shown)
        await pilot.press("home", "pagedown")
        await pilot.pause()
        assert view.scroll_y == 20
        shown = [strip.text for strip in app.screen._compositor.render_strips()]
        assert any("R0018" in row for row in shown) and not any("Synthese" in row for row in shown)


async def test_view_scrolls_sideways_to_the_end_of_a_wide_heartbeat():
    beat = "".join(f"{n:<4}" for n in range(1, 31))
    app = Viewer()
    async with app.run_test(size=(60, 12)) as pilot:
        view = app.query_one(MarkdownView)
        view.update("# Hartslag\n\n```text\n" + beat + "\n```")
        view.focus()
        await pilot.pause()
        assert view.max_scroll_x > 0
        shown = [strip.text for strip in app.screen._compositor.render_strips()]
        assert not any("30" in row for row in shown)
        await pilot.press(*["right"] * view.max_scroll_x)
        await pilot.pause()
        shown = [strip.text for strip in app.screen._compositor.render_strips()]
        assert any(row.rstrip().endswith("29  30") for row in shown)


async def test_view_lays_out_again_when_the_width_changes_and_keeps_the_place():
    text = "\n\n".join(f"Alinea {n}: " + "een zin die over meerdere regels loopt " * 3 for n in range(200))
    app = Viewer()
    async with app.run_test(size=(100, 20)) as pilot:
        view = app.query_one(MarkdownView)
        view.update(text)
        await pilot.pause()
        wide = view.document.height
        view.scroll_to(0, view.document.starts[100], animate=False, immediate=True)
        await pilot.resize_terminal(50, 20)
        await pilot.pause()
        assert view.document.height > wide
        assert view.document.block_at(round(view.scroll_y))[0] == 100


SYNTHESIS_LIKE = (
    "# Synthese\n\n> **CONCEPT**: controleer\n\n- **Respondenten:** 300\n\n## Respondenten\n\n"
    "| Respondent | Stappen |\n|---|---:|\n" + "".join(f"| R{n:03d} | {n % 20} |\n" for n in range(300))
    + "\n## Hartslagen\n\n```text\n+2 ─╮\n\n-2  ╰─\n```\n\n"
    + "\n\n".join(f"1. **Knelpunt {n}**: een zin die over meerdere regels loopt " * 3 for n in range(100))
)


def test_the_beginning_of_a_text_gives_the_same_first_rows_as_the_whole():
    whole = rows(SYNTHESIS_LIKE, 40)
    for lines in (1, 5, 20, 330):
        beginning = head(SYNTHESIS_LIKE, lines)
        assert beginning is not None and len(beginning) < len(SYNTHESIS_LIKE)
        assert beginning.count("\n") >= lines  # at least as many lines as asked for
        first = rows(beginning, 40)
        assert first and first == whole[: len(first)]
    # the table is not cut: its column widths come from all its rows
    assert head(SYNTHESIS_LIKE, 10).rstrip().endswith("| R299 | 19 |")


def test_the_beginning_is_not_cut_inside_code_and_a_short_text_has_none():
    text = "# Hartslag\n\n```text\n" + "\n\n".join(f"{n:+d}" for n in range(10)) + "\n```\n\nslot\n\nnog"
    beginning = head(text, 3)
    assert beginning is not None and beginning.rstrip().endswith("```")
    assert head("# Kort\n\nEen regel.", 30) is None and head("een blok\nzonder lege regel\n", 1) is None


async def test_the_rest_of_a_document_shown_after_its_beginning_keeps_the_readers_place():
    app = Viewer()
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.query_one(MarkdownView)
        beginning = parse(head(SYNTHESIS_LIKE, 10))
        beginning.layout(view.text_width)
        view.show(beginning)
        view.focus()
        await pilot.pause()
        await pilot.press("pagedown")
        await pilot.pause()
        place, first_height = view.scroll_y, view.document.height
        assert place == 20
        whole = parse(SYNTHESIS_LIKE)
        whole.layout(view.text_width)
        view.show(whole, keep_place=True)
        await pilot.pause()
        assert view.scroll_y == place and view.document.height > first_height
        assert view.source == SYNTHESIS_LIKE
        shown = [strip.text for strip in app.screen._compositor.render_strips()]
        assert any("R015" in row for row in shown)
        view.show(beginning)  # a new document starts at its top
        await pilot.pause()
        assert view.scroll_y == 0
