"""What differs per platform (system.py): file protection, whether a process lives, UTF-8 on the console."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from klantreis_tui.system import process_alive, protect_file, protection, utf8_console


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes; the Windows counterpart is below")
def test_protect_file_makes_it_private_on_posix(tmp_path: Path):
    file = tmp_path / "k.db.open"
    file.write_bytes(b"")
    file.chmod(0o644)
    protect_file(file)
    assert file.stat().st_mode & 0o777 == 0o600
    assert protection(file) == ("mode", "0600")


def test_on_windows_no_mode_is_set_and_the_profile_folder_is_named(tmp_path: Path, monkeypatch):
    """Windows has no 0600: chmod would only toggle the read-only flag, so it is not called; the answer to
    "who can read it" is the profile folder's access rights."""
    file = tmp_path / "k.db"
    file.write_bytes(b"")
    mode = file.stat().st_mode
    monkeypatch.setenv("USERPROFILE", r"C:\Users\Ömer")
    protect_file(file, platform="win32")
    assert file.stat().st_mode == mode
    assert protection(file, platform="win32") == ("profile", r"C:\Users\Ömer")


def test_process_alive_for_this_process_and_for_one_that_ended():
    assert process_alive(os.getpid()) is True
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert process_alive(child.pid) is False
    assert process_alive(0) is False


@pytest.mark.skipif(sys.platform == "win32", reason="on Windows the Win32 API is there and answers")
def test_without_the_win32_api_liveness_is_unknown_not_a_signal():
    """Asked as on Windows where no Win32 API can be reached: unknown (None), and no signal is sent."""
    assert process_alive(os.getpid(), platform="win32") is None


def test_a_cp1252_stream_on_windows_is_switched_to_utf8():
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="cp1252")
    utf8_console((stream,), platform="win32")
    stream.write("☹ ✓ Ömer\n")
    stream.flush()
    assert raw.getvalue().decode("utf-8") == "☹ ✓ Ömer\n"


def test_a_latin1_stream_elsewhere_keeps_its_encoding_but_never_fails():
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="latin-1")
    utf8_console((stream,), platform="linux")
    stream.write("☹ Ömer\n")
    stream.flush()
    assert raw.getvalue() == "? Ömer\n".encode("latin-1")


def test_standard_output_in_cp1252_as_on_windows_writes_utf8(tmp_path: Path):
    """As on Windows, where a redirected stream is in the ANSI code page: ☹, ✓ and ë still come out."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("KLANTREIS_")}
    environment.update(PYTHONIOENCODING="cp1252", HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"))
    script = "import sys; sys.platform = 'win32'; from klantreis_tui.system import utf8_console; utf8_console(); print('☹ ✓ reservekopieën')"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, env=environment, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("utf-8").strip() == "☹ ✓ reservekopieën"
