"""What every benchmark shares: a result row, medians, and running a command in a pseudo-terminal."""

from __future__ import annotations

import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
COLUMNS, LINES = 100, 30


@dataclass
class Row:
    """One printed figure: its value, the reference measured in the same run, the goal and whether it is met."""

    name: str
    value: float
    unit: str
    reference: float | None
    goal: str
    ok: bool
    note: str = ""

    def ratio(self) -> str:
        return f"{self.value / self.reference:.2f}" if self.reference else "-"


def median(values: list[float]) -> float:
    return statistics.median(values)


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]


def environment(workdir: Path) -> dict[str, str]:
    """A clean home for the measured commands (no user config, no user lists), with the same terminal."""
    return {
        **os.environ,
        "HOME": str(workdir),
        "XDG_DATA_HOME": str(workdir / "data"),
        "XDG_CONFIG_HOME": str(workdir / "config"),
        "TERM": "xterm-256color",
        "COLUMNS": str(COLUMNS),
        "LINES": str(LINES),
    }


def resident_peak(pid: int) -> float:
    """The peak resident memory of a running process in MiB (VmHWM), 0 where /proc is not there."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


@dataclass
class Terminal:
    """A command in a pseudo-terminal, its screen kept up to date by pyte."""

    command: list[str]
    env: dict[str, str]
    started: float = 0.0
    child: object = None
    screen: object = None
    stream: object = None
    log: list[tuple[float, bytes]] = field(default_factory=list)

    def __enter__(self) -> "Terminal":
        import pexpect
        import pyte

        self.screen = pyte.Screen(COLUMNS, LINES)
        self.stream = pyte.ByteStream(self.screen)
        self.started = time.perf_counter()
        self.child = pexpect.spawn(self.command[0], self.command[1:], env=self.env, dimensions=(LINES, COLUMNS),
                                   timeout=60)
        self.child.delaybeforesend = None  # pexpect waits 50 ms before every send by default
        return self

    def __exit__(self, *exc: object) -> None:
        self.child.kill(9)  # type: ignore[attr-defined]
        self.child.close(force=True)  # type: ignore[attr-defined]

    @property
    def pid(self) -> int:
        return self.child.pid  # type: ignore[attr-defined]

    def display(self) -> list[str]:
        return self.screen.display  # type: ignore[attr-defined]

    def pump(self, timeout: float = 0.002) -> bool:
        """Read what the program wrote; True when something came."""
        import pexpect

        try:
            data = self.child.read_nonblocking(65536, timeout=timeout)  # type: ignore[attr-defined]
        except pexpect.TIMEOUT:
            return False
        self.log.append((time.perf_counter(), data))
        self.stream.feed(data)  # type: ignore[attr-defined]
        return True

    def wait_for(self, found, limit: float = 60.0) -> float:  # type: ignore[no-untyped-def]
        """Seconds since start until ``found(display)`` holds."""
        while time.perf_counter() - self.started < limit:
            self.pump()
            if found(self.display()):
                return time.perf_counter() - self.started
        raise RuntimeError(f"timed out; screen: {self.display()}")

    def settle(self, quiet: float = 0.1, limit: float = 5.0) -> float:
        """Read until nothing came for ``quiet`` seconds; the time of the last output (perf_counter)."""
        last = time.perf_counter()
        end = last + limit
        while time.perf_counter() < end:
            if self.pump(0.005):
                last = time.perf_counter()
            elif time.perf_counter() - last >= quiet:
                break
        return last

    def send(self, text: str) -> None:
        self.child.send(text)  # type: ignore[attr-defined]


def footer_drawn(marker: str = "palette"):  # type: ignore[no-untyped-def]
    """The footer's last entry is on the bottom line: the first frame is complete."""
    return lambda display: marker in display[-1]


def python() -> str:
    return sys.executable
