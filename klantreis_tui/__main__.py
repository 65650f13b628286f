"""Entry point for ``python -m klantreis_tui``."""

import sys

from klantreis_tui.cli import main

sys.exit(main())
