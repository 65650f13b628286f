"""The one text rule (safetext): control characters and escape sequences become visible symbols."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from klantreis_tui.safetext import has_controls, visible


def test_visible_replaces_control_characters_and_keeps_newline_and_tab():
    assert visible("a\x1b[31mb") == "a␛[31mb"
    assert visible("nul\x00 bel\x07") == "nul␀ bel␇"
    assert visible("regel\nnog\tmeer") == "regel\nnog\tmeer"
    assert visible("del\x7f c1\x9b") == "del␡ c1\ufffd"
    assert visible("gewoon tekst, één €, عربى, ትግርኛ 👩🏽‍💻") == "gewoon tekst, één €, عربى, ትግርኛ 👩🏽‍💻"


def test_escape_sequences_of_an_attacker_become_text():
    assert visible("\x1b]52;c;ZWNobw==\x07") == "␛]52;c;ZWNobw==␇"  # clipboard write
    assert visible("\x1b]0;titel\x07\x1b[2J") == "␛]0;titel␇␛[2J"  # window title, clear screen
    assert visible("\x9b2J") == "\ufffd2J"  # the one-byte CSI


def test_bidi_overrides_and_isolates_are_shown_marks_stay():
    assert visible("rlo\u202eesrever\u202c") == "rlo\ufffdesrever\ufffd"
    assert visible("\u2066isolaat\u2069") == "\ufffdisolaat\ufffd"
    assert visible("lrm\u200e zwj\u200d") == "lrm\u200e zwj\u200d"  # marks and joiners do not reorder or act


def test_one_line_shows_newline_and_tab_too():
    assert visible("a\nb\tc", multiline=False) == "a␊b␉c"
    assert visible("a\r\nb", multiline=False) == "a␍␊b"


def test_carriage_return_stays_only_before_a_newline():
    assert visible("a\r\nb") == "a\r\nb"
    assert visible("a\rb") == "a␍b"  # a lone CR would move the cursor back over what was shown
    assert not has_controls("a\r\nb\tc\n") and has_controls("a\rb")


@given(st.text())
def test_nothing_a_terminal_acts_on_is_left_and_the_rule_is_idempotent(text):
    shown = visible(text)
    assert not has_controls(shown)
    assert visible(shown) == shown
    one_line = visible(text, multiline=False)
    assert not any(ch in one_line for ch in "\n\t\r\x1b\x7f")
    assert has_controls(text) == (shown != text)
