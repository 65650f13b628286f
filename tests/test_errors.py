"""The error family: every error of storage, engine, exchange, sealing, config and templates is a KlantreisError,
worded by reason where it is shown; storage and the engine never import i18n."""

from __future__ import annotations

import subprocess
import sys

import pytest

from klantreis_tui import i18n
from klantreis_tui.config import ConfigError
from klantreis_tui.engine import AnswerInvalid, validate_answer
from klantreis_tui.errors import KlantreisError, SaveFailed, StorageError, TemplateProblem
from klantreis_tui.exchange import BundleError
from klantreis_tui.rendering.templates import TemplateProblem as TemplateProblemFromRendering
from klantreis_tui.sealed import SealError
from klantreis_tui.storage import SaveFailed as SaveFailedFromStorage
from klantreis_tui.storage import StorageError as StorageErrorFromStorage
from klantreis_tui.storage.connection import sqlite_reason


def test_every_error_is_one_family_and_importable_where_it_was():
    for kind in (StorageError, SaveFailed, AnswerInvalid, BundleError, SealError, ConfigError, TemplateProblem):
        assert issubclass(kind, KlantreisError)
    assert StorageErrorFromStorage is StorageError and SaveFailedFromStorage is SaveFailed
    assert TemplateProblemFromRendering is TemplateProblem
    assert issubclass(SaveFailed, StorageError)
    assert issubclass(AnswerInvalid, ValueError)


def test_storage_error_is_worded_by_its_reason_in_the_current_language(monkeypatch):
    error = StorageError("db.unwritable", path="/x/k.db", error="nope")
    monkeypatch.setattr(i18n, "_current", "nl")
    assert str(error) == i18n.describe(error) == "De database /x/k.db kan niet worden aangemaakt of geopend: nope"
    monkeypatch.setattr(i18n, "_current", "en")
    assert str(error) == "The database /x/k.db cannot be created or opened: nope"


def test_a_detail_may_be_called_reason_or_message():
    error = StorageError("backup.refused", backup="b", path="p", reason="r")
    assert error.reason == "backup.refused" and error.detail == {"backup": "b", "path": "p", "reason": "r"}


def test_an_answer_error_is_worded_in_the_language_in_force_where_it_is_shown(small_set):
    with pytest.raises(AnswerInvalid) as info:
        validate_answer(small_set, small_set.question("leeftijd"), "x")
    assert info.value.reason == "answer.not_number"
    assert str(info.value) == i18n.describe(info.value) == "Vul een getal in."
    with i18n.using_language("en"):
        assert str(info.value) == "Enter a number."


def test_worded_errors_keep_their_words():
    assert str(AnswerInvalid("Al gewijzigd.")) == "Al gewijzigd."
    assert str(BundleError("kapotte bundel")) == "kapotte bundel"
    assert str(ConfigError("foute config")) == "foute config"
    assert str(SaveFailed("Niet opgeslagen: database or disk is full")) == "Niet opgeslagen: database or disk is full"
    assert str(SealError("damaged", "no header line")).endswith(": no header line")
    assert SealError("damaged", "no header line").detail == "no header line"
    assert str(TemplateProblem("a.md.j2", 3, "boom")) == "a.md.j2:3: boom"


def test_sqlite_reason_words_sqlite_and_keeps_its_own_words(monkeypatch):
    import sqlite3

    monkeypatch.setattr(i18n, "_current", "en")
    assert str(sqlite_reason(sqlite3.OperationalError("database or disk is full"))) == (
        "the disk is full [database or disk is full]"
    )
    assert str(sqlite_reason(sqlite3.OperationalError("something else"))) == "something else"


def test_storage_and_engine_do_not_load_i18n():
    code = (
        "import sys, klantreis_tui.storage, klantreis_tui.storage.backup, klantreis_tui.engine; "
        "print('klantreis_tui.i18n' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
