"""The presence lock on every platform: shared while klantreis has a database open, exclusive for a restore.

One small interface over ``fcntl.flock`` on Linux and macOS (what ``portalocker`` calls there) and
``portalocker`` (``LockFileEx`` through pywin32) on Windows. The lock lives on a marker file next to the database (``klantreis.db.open``), never on the
database itself, so SQLite's own locking is untouched. The operating system drops a lock when its process
ends, also after a crash or ``kill -9``: a stale marker file holds no lock. ``portalocker`` is imported only
when a lock is taken on Windows (its import reads its package metadata: some 30 ms before the first frame).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from klantreis_tui.system import protect_file


def presence_path(path: str | Path) -> Path:
    """The file every open klantreis holds a shared lock on while it has the database open."""
    return Path(f"{path}.open")


class Presence:
    """A held lock on a marker file; ``close`` releases it (and so does the end of the process)."""

    def __init__(self, handle: IO[bytes]):
        self._handle: IO[bytes] | None = handle

    @property
    def held(self) -> bool:
        return self._handle is not None

    def close(self) -> None:
        handle, self._handle = self._handle, None
        if handle is None:
            return
        try:
            flock = _flock()
            if flock is not None:
                flock.flock(handle.fileno(), flock.LOCK_UN)
            else:
                _portalocker().unlock(handle)
        except Exception:  # closing the file releases the lock anyway
            pass
        handle.close()


def _portalocker() -> Any:
    import portalocker

    return portalocker


def _flock() -> Any:
    """The ``fcntl`` module where there is one (Linux, macOS), else None (Windows: portalocker)."""
    try:
        import fcntl
    except ImportError:
        return None
    return fcntl


def _lock(marker: Path, exclusive: bool) -> Presence | None:
    """Take the lock without waiting; None when another process holds a conflicting one or it cannot be had."""
    try:
        handle = open(marker, "a+b")  # noqa: SIM115 - held until Presence.close
    except OSError:
        return None  # a read-only folder: opening the database still works, unguarded
    protect_file(marker)
    flock = _flock()
    if flock is not None:
        try:
            flock.flock(handle.fileno(), (flock.LOCK_EX if exclusive else flock.LOCK_SH) | flock.LOCK_NB)
        except OSError:  # held by another process (EWOULDBLOCK), or no locks on this file system
            handle.close()
            return None
        return Presence(handle)
    try:
        locker = _portalocker()
        flags = (locker.LOCK_EX if exclusive else locker.LOCK_SH) | locker.LOCK_NB
        locker.lock(handle, flags)
    except ImportError:
        # Windows without pywin32 (a broken install): no shared lock to be had
        handle.close()
        return None
    except Exception as exc:  # portalocker's LockException (AlreadyLocked) or the OSError behind it
        handle.close()
        if isinstance(exc, (OSError, _portalocker().exceptions.LockException)):
            return None
        raise
    return Presence(handle)


def hold_presence(path: str) -> Presence | None:
    """The shared lock that says "klantreis has this database open" (None in memory or where it cannot be had)."""
    if path == ":memory:":
        return None
    return _lock(presence_path(path), exclusive=False)


def in_use_elsewhere(path: str | Path) -> bool:
    """Whether another process holds the presence lock of this database (has it open through klantreis)."""
    marker = presence_path(path)
    if not marker.exists():
        return False
    taken = _lock(marker, exclusive=True)
    if taken is None:
        return True
    taken.close()
    return False


@contextmanager
def sole_user(path: str | Path) -> Iterator[bool]:
    """Hold the presence lock exclusively for the block: True when no klantreis has the database open.

    While the block runs, a klantreis that starts cannot take its shared lock: a restore is not raced. Without
    a marker file no klantreis has opened the database here, and none is made (the folder is left as it was).
    """
    marker = presence_path(path)
    if not marker.is_file():
        yield True
        return
    taken = _lock(marker, exclusive=True)
    if taken is None:
        yield not _marker_usable(marker)
        return
    try:
        yield True
    finally:
        taken.close()


def _marker_usable(marker: Path) -> bool:
    """Whether the marker file can be opened at all (else a failed lock says nothing about other processes)."""
    try:
        with open(marker, "a+b"):
            return True
    except OSError:
        return False
