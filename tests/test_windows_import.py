"""Nothing POSIX-only at module level: the package imports and ``klantreis --help`` runs as on Windows, without fcntl."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: run in a fresh interpreter: make the POSIX-only modules unimportable, load the libraries klantreis builds on
#: (click and others load Windows' own APIs at import when they see win32, which this machine has not: they
#: stand for their Windows builds), then pretend to be Windows, import every module of the package and run
#: the CLI's --help. portalocker is not among the libraries: klantreis may only import it when it locks.
AS_WINDOWS = r"""
import sys
POSIX_ONLY = ("fcntl", "termios", "tty", "pty", "pwd", "grp", "resource")
for name in POSIX_ONLY:
    sys.modules.pop(name, None)
    sys.modules[name] = None  # import raises ImportError, as on Windows

import click, cryptography, jinja2, pydantic, rich, sqlite_utils, textual.app, yaml
sys.platform = "win32"
for name in [m for m in sys.modules if m.split(".")[0] == "platformdirs"]:
    del sys.modules[name]  # loaded above by textual: klantreis's paths take its Windows variant
import importlib, pkgutil
import klantreis_tui
names = [m.name for m in pkgutil.walk_packages(klantreis_tui.__path__, "klantreis_tui.") if not m.name.endswith("__main__")]
for name in names:
    importlib.import_module(name)
print("imported", len(names))
loaded = sorted(n for n in POSIX_ONLY if sys.modules.get(n) is not None)
print("posix-only loaded:", loaded)

from klantreis_tui.cli import main
try:
    main(["--lang", "en", "--help"])
except SystemExit as exc:
    print("exit", exc.code)
"""


def test_the_package_and_help_as_on_windows_without_fcntl(tmp_path: Path):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("KLANTREIS_")}
    # the folders Windows would give platformdirs (its own override variables: no Win32 API here)
    environment.update(
        USERPROFILE=r"C:\Users\Ömer", WIN_PD_OVERRIDE_APPDATA=r"C:\Users\Ömer\AppData\Roaming",
        WIN_PD_OVERRIDE_LOCAL_APPDATA=r"C:\Users\Ömer\AppData\Local",
        WIN_PD_OVERRIDE_PERSONAL=r"C:\Users\Ömer\Documenten", PYTHONIOENCODING="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-c", AS_WINDOWS], capture_output=True, text=True, encoding="utf-8",
        env=environment, cwd=tmp_path, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("imported ") and int(lines[0].split()[1]) > 80
    assert "posix-only loaded: []" in lines
    assert lines[-1] == "exit 0"
    assert "usage: klantreis" in result.stdout
    assert "--accept-synced-folder" in result.stdout
    # the default database goes to the local (not roaming, never synced) application-data folder
    assert r"C:\Users\Ömer\AppData\Local" in result.stdout
