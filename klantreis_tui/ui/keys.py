"""Key labels in the language of the app: binding descriptions hold message keys, worded per screen or widget."""

from __future__ import annotations

from dataclasses import replace

from textual.dom import DOMNode

from klantreis_tui.i18n import t


class _Marked(str):
    """A binding description of ours, worded when shown (Textual's own descriptions are left as they are)."""


def N_(msgid: str) -> str:
    """Mark ``msgid`` as a text whose words are looked up when shown (gettext's ``N_``)."""
    return _Marked(msgid)


def word_bindings(node: DOMNode) -> None:
    """Give the bindings of ``node`` (a screen, widget or the app, just made) the words of ``lang``.

    Class-level ``BINDINGS`` are made at import, before the language is known; their descriptions are
    message keys (``N_``) and are translated here, per instance, so that the footer, the help screen and
    the command palette show the language the app was built in. Textual's own descriptions stay as they are.
    """
    bindings = node._bindings  # a copy per node, made in DOMNode.__init__
    for key, key_bindings in bindings.key_to_bindings.items():
        bindings.key_to_bindings[key] = [
            replace(binding, description=t(binding.description)) if isinstance(binding.description, _Marked) else binding
            for binding in key_bindings
        ]
