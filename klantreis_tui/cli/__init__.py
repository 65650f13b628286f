"""The command line, and the only wiring point: arguments, paths, database, app."""

from klantreis_tui.cli.commands import main

__all__ = ["main"]
