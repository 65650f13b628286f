"""User-facing texts through gettext: English source strings in the code, one catalog per language (nl, en).

``t("text {name}", name=...)`` and ``tn("one {n} step", "{n} steps", n)`` look a text up in the catalog of the
language in force and fill in its placeholders; ``N_("text")`` marks a text for the catalog where it is looked up
later (tables of labels). The language is chosen in one way: ``set_language`` for the process (the CLI does it from
``--lang`` or ``KLANTREIS_LANG``), ``using_language`` for a block that needs another one. The catalogs are
``locale/<lang>/LC_MESSAGES/klantreis.po`` (kept in the repository) and the ``.mo`` files compiled from them.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from klantreis_tui.errors import KlantreisError, set_describer

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
DOMAIN = "klantreis"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_current = DEFAULT_LANGUAGE
_block: ContextVar[str | None] = ContextVar("klantreis_language", default=None)


@cache
def catalog(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of ``lang`` (loaded once); texts missing from it stay in English."""
    try:
        with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as file:
            return gettext.GNUTranslations(file)
    except OSError:
        return gettext.NullTranslations()


def set_language(lang: str) -> None:
    """Choose the language of user-facing texts for this process."""
    global _current
    if lang not in LANGUAGES:
        raise ValueError(lang)
    _current = lang


def current_language() -> str:
    return _block.get() or _current


@contextmanager
def using_language(lang: str) -> Iterator[None]:
    """Texts inside the block in ``lang`` (for example a summary asked for in English in a Dutch app)."""
    if lang not in LANGUAGES:
        raise ValueError(lang)
    token = _block.set(lang)
    try:
        yield
    finally:
        _block.reset(token)


def language_from_env(default: str = DEFAULT_LANGUAGE) -> str:
    lang = os.environ.get("KLANTREIS_LANG", default)
    return lang if lang in LANGUAGES else default


def t(msgid: str, /, **values: object) -> str:
    """``msgid`` in the current language, its ``{placeholders}`` filled from ``values``."""
    text = catalog(current_language()).gettext(msgid)
    return text.format(**values) if values else text


def tn(singular: str, plural: str, n: int, /, **values: object) -> str:
    """The singular or plural form for the count ``n`` in the current language; ``{n}`` is the count."""
    text = catalog(current_language()).ngettext(singular, plural, n)
    return text.format(n=n, **values)


def keyed(key: str) -> str:
    """The text for a value's key (``status.afgerond``, ``emotion.-2``), from ``i18n/by_value.py``.

    That module is not named ``keyed``: importing a submodule binds its name on the package, which would put
    the module in place of this function for every later ``from klantreis_tui.i18n import keyed``.
    """
    from klantreis_tui.i18n.by_value import KEYED

    return KEYED[key]


def N_(msgid: str) -> str:
    """Marks ``msgid`` for the catalog; it is looked up with ``t`` where it is shown."""
    return msgid


def library_text(text: str) -> str:
    """A text from a library that ships English only (Textual's key descriptions, argparse) in the UI language."""
    return catalog(current_language()).gettext(text)


def describe(error: BaseException) -> str:
    """The words for an error where it is shown: by its reason when the catalog has it, else its own message."""
    if isinstance(error, KlantreisError):
        from klantreis_tui.i18n.reasons import REASONS

        if error.reason in REASONS:
            return t(REASONS[error.reason], **error.detail)
        return error.message or error.reason
    return str(error)


set_describer(describe)
