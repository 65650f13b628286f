"""What differs between Windows, macOS and Linux: file modes, whether a process lives, the console's encoding.

Every call here works on each platform; nothing POSIX- or Windows-only is imported at module level.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, TextIO

#: readable and writable by the owner only (POSIX); Windows has no such mode bits
PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def is_windows(platform: str | None = None) -> bool:
    return (platform or sys.platform) == "win32"


def protect_file(path: str | Path, platform: str | None = None) -> None:
    """Make a file readable by its owner only where the platform has mode bits (POSIX).

    On Windows ``chmod`` only sets or clears the read-only flag, so nothing is done: there the file is
    protected by the access rights of the folder it is in (the user's own profile folder by default).
    """
    if is_windows(platform):
        return
    try:
        os.chmod(path, PRIVATE_FILE)
    except OSError:
        pass  # a file system without modes (a FAT stick): the folder's rights are what protects it


def protection(path: str | Path, platform: str | None = None) -> tuple[str, str]:
    """How the file at ``path`` is protected from other users: ``("mode", "0600")`` or ``("profile", folder)``.

    Windows has no mode bits: a file there takes the access rights of its folder, and the folders inside the
    user's profile (``C:\\Users\\NAME``) are readable by that user and administrators only.
    """
    if is_windows(platform):
        return "profile", os.environ.get("USERPROFILE", str(Path.home()))
    try:
        return "mode", f"{os.stat(path).st_mode & 0o777:04o}"
    except OSError:
        return "mode", f"{PRIVATE_FILE:04o}"


def process_alive(pid: int, platform: str | None = None) -> bool | None:
    """Whether a process with this id runs on this machine: True, False, or None when that cannot be told.

    POSIX asks with signal 0. On Windows ``os.kill(pid, 0)`` would send a Ctrl+C to the other process's
    console group (signal 0 is CTRL_C_EVENT there), so it asks the process table through the Win32 API.
    """
    if pid <= 0:
        return False
    if is_windows(platform):
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, owned by another user
    except OSError:
        return None
    return True


def _windows_process_alive(pid: int) -> bool | None:
    try:
        import ctypes

        kernel32: Any = ctypes.windll.kernel32  # type: ignore[attr-defined]
    except (ImportError, AttributeError):
        return None
    query_limited_information, still_active = 0x1000, 259
    handle = kernel32.OpenProcess(query_limited_information, False, pid)
    if not handle:
        # access denied: the process exists (another user's); any other error: no such process
        return kernel32.GetLastError() == 5
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return None
        return code.value == still_active
    finally:
        kernel32.CloseHandle(handle)


def _is_utf8(stream: Any) -> bool:
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    return encoding in ("utf8", "utf8sig")


def utf8_console(streams: tuple[TextIO, ...] | None = None, platform: str | None = None) -> None:
    """Make the standard streams write every character the app prints (☹, ✓, ë) without an encoding error.

    On Windows a redirected stream or an old console uses the ANSI code page (cp1252), which has no ☹: there
    the streams are switched to UTF-8. Elsewhere a non-UTF-8 locale keeps its encoding and shows a ``?``
    for a character it lacks instead of failing.
    """
    for stream in streams if streams is not None else (sys.stdout, sys.stderr):
        if stream is None or _is_utf8(stream) or not hasattr(stream, "reconfigure"):
            continue
        try:
            if is_windows(platform):
                stream.reconfigure(encoding="utf-8", errors="replace")
            else:
                stream.reconfigure(errors="replace")
        except (ValueError, OSError):
            pass  # a stream that was already written to in a way that cannot change
