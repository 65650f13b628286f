"""The README's second keys for terminals that do not send alt+letter or F-keys: valid ids, free keys, working."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import tomllib
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input, TextArea

import klantreis_tui.ui
from klantreis_tui.ui.app import binding_ids

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_keymap() -> dict[str, str]:
    text = README.read_text(encoding="utf-8")
    block = text.split("**Terminals and keys.**", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    return tomllib.loads(block)["keys"]


def keys_taken() -> set[str]:
    """Every key bound by klantreis's screens, dialogs and widgets, and by Textual's app, screen and inputs."""
    owners: list[type] = [App, Screen, Input, TextArea]
    for module in pkgutil.walk_packages(klantreis_tui.ui.__path__, "klantreis_tui.ui."):
        owners += [cls for _, cls in inspect.getmembers(importlib.import_module(module.name), inspect.isclass)]
    taken = {App.COMMAND_PALETTE_BINDING}
    for owner in owners:
        for cls in getattr(owner, "__mro__", ()):
            for binding in cls.__dict__.get("BINDINGS", ()):
                key = binding.key if isinstance(binding, Binding) else binding[0]
                taken.update(k.strip() for k in key.split(","))
    return taken


def test_the_readme_keymap_names_real_bindings_and_keeps_their_first_key():
    keymap = readme_keymap()
    assert keymap and set(keymap) <= binding_ids()
    from klantreis_tui.ui.screens.interview import InterviewScreen

    original = {b.id: b.key for b in InterviewScreen.BINDINGS if isinstance(b, Binding) and b.id}
    for ident, keys in keymap.items():
        assert keys.split(",")[0] == original[ident], ident


def test_the_second_keys_are_free_everywhere():
    taken = keys_taken()
    assert {"alt+c", "f10", "ctrl+k", "ctrl+p"} <= taken  # the collection sees our bindings and Textual's
    second = {keys.split(",")[1] for keys in readme_keymap().values()}
    assert second.isdisjoint(taken), second & taken
