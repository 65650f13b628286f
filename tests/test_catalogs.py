"""The message catalogs: every text used in the code is in Dutch and English, with its plural forms and the same
placeholders, and the compiled catalogs the app reads are those of the .po files in the repository."""

from __future__ import annotations

import subprocess
import sys

import pytest

from klantreis_tui import i18n
from tests import catalogs


def test_every_text_in_the_code_is_translated_and_compiled():
    assert catalogs.problems() == []


def test_the_extractor_finds_texts_plurals_and_marks(tmp_path):
    (tmp_path / "m.py").write_text(
        'from klantreis_tui.i18n import N_, t, tn\n'
        'A = N_("Marked")\n'
        'def f(n, x):\n'
        '    t(x)\n'  # a variable: not a text of its own
        '    return t("Hello {name}", name="R01") + tn("{n} step", "{n} steps", n)\n',
        encoding="utf-8",
    )
    found = catalogs.extract(tmp_path)
    assert set(found) == {"Marked", "Hello {name}", "{n} step"}
    assert found["{n} step"].plural == "{n} steps"
    assert [line for _, line in found["Hello {name}"].places] == [5]


def test_plural_forms_follow_the_count_in_both_languages():
    backups = ("Also deleted from {n} backup.", "Also deleted from {n} backups.")
    with i18n.using_language("nl"):
        dutch = [i18n.tn(*backups, n) for n in (0, 1, 2)]
    with i18n.using_language("en"):
        english = [i18n.tn(*backups, n) for n in (0, 1, 2)]
    assert dutch == ["Ook verwijderd uit 0 reservekopieën.", "Ook verwijderd uit 1 reservekopie.", "Ook verwijderd uit 2 reservekopieën."]
    assert english == ["Also deleted from 0 backups.", "Also deleted from 1 backup.", "Also deleted from 2 backups."]


def test_no_faked_plurals_are_left():
    faked = ("(s)", "(en)", "(ën)", "(pen)", "(y/ies)", "(ies)", "(e)")
    for lang in catalogs.LANGUAGES:
        for message in catalogs.read_po(lang):
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for text in strings:
                assert not any(mark in text for mark in faked), (lang, message.id, text)


def test_the_language_is_chosen_in_one_place():
    before = i18n.current_language()
    try:
        i18n.set_language("en")
        assert i18n.t("Keys") == "Keys"
        with i18n.using_language("nl"):
            assert i18n.t("Keys") == "Toetsen"
        assert i18n.t("Keys") == "Keys"
        with pytest.raises(ValueError):
            i18n.set_language("fr")
    finally:
        i18n.set_language(before)


def test_a_fresh_process_reads_the_shipped_catalogs():
    code = "from klantreis_tui import i18n; i18n.set_language('nl'); print(i18n.t('Keys'))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "Toetsen"
