"""Golden files: compare a text with the file kept under ``tests/golden``; ``KLANTREIS_UPDATE_GOLDEN=1`` writes it."""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"


def check_golden(name: str, text: str, folder: Path = GOLDEN) -> None:
    """Assert that ``text`` is the golden file ``folder / name`` (written first when asked to update)."""
    path = folder / name
    if os.environ.get("KLANTREIS_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    assert path.exists(), f"no golden file {path}; run with KLANTREIS_UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"
