"""Run the benchmarks and print each figure beside its reference: ``python -m tests.benchmarks``.

Every reference is measured in the same run as its figure, interleaved where the two can alternate, so that a
busy machine affects both. ``--quick`` uses fewer runs and smaller sizes; ``--only 1,3`` runs some of them.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.common import Row

SECTIONS = {
    "1": "first frame against a bare Textual app with the same layout and rows",
    "2": "saving an answer against a raw sqlite3 commit",
    "3": "keys in an interview against a bare Input, in a pty",
    "4": "the interview summary, first and warm calls",
    "5": "the study synthesis",
    "6": "export and import commands against plain json + sqlite3",
    "8": "the assistant's proposals and word lists",
    "9": "the personal-data check per key, names included",
    "10": "the study synthesis in the app (a worker): its first screen and the whole text, and Esc while it is built",
}


def run(only: set[str], quick: bool, workdir: Path) -> list[Row]:
    rows: list[Row] = []

    def section_1() -> None:
        nonlocal rows
        from tests.benchmarks.start import bench_start

        sizes = [(0, 1), (1000, 1)] if quick else [(0, 1), (1000, 1), (10000, 10), (10000, 1)]
        rows += bench_start(3 if quick else 7, workdir, sizes)

    def section_2() -> None:
        nonlocal rows
        from tests.benchmarks.save import bench_save

        rows += bench_save(100 if quick else 500, workdir)

    def section_3() -> None:
        nonlocal rows
        from tests.benchmarks.keystrokes import bench_keys

        rows += bench_keys(1 if quick else 3, 40 if quick else 100, workdir)

    def section_4() -> None:
        nonlocal rows
        from tests.benchmarks.bulk import bench_summary

        rows += bench_summary(10 if quick else 50, workdir)

    def section_5() -> None:
        nonlocal rows
        from tests.benchmarks.bulk import bench_synthesis

        rows += bench_synthesis(workdir, [100, 1000] if quick else [100, 1000, 10000])

    def section_6() -> None:
        nonlocal rows
        from tests.benchmarks.bulk import bench_exchange

        rows += bench_exchange(workdir, [1000] if quick else [1000, 10000])

    def section_8() -> None:
        nonlocal rows
        from tests.benchmarks.assistant import measure

        figures = measure(20 if quick else 200)
        propose, search = figures["propose"]
        load, read = figures["load"]
        rows += [
            Row("8 proposals for a 2,000-char answer", propose * 1000, "ms", search * 1000,
                "within a frame (< 16 ms)", propose < 0.016, "reference: one re of the alias words"),
            Row("8 load the word lists (uncached)", load * 1000, "ms", read * 1000, "-", True,
                "reference: yaml reading the files"),
            Row("8 name proposal per key, 2,000 names", figures["names"][0] * 1e6, "µs", figures["names"][1] * 1e6,
                "within a frame (< 16 ms)", figures["names"][0] < 0.016, "reference: one rapidfuzz extractOne"),
        ]

    def section_9() -> None:
        nonlocal rows
        from tests.benchmarks.names import per_key

        for label, (names, other) in per_key(200 if quick else 2000).items():
            rows.append(Row(f"9 pii check per key, {label}", names * 1e6, "µs", other * 1e6,
                            "well within a frame (< 1 ms)", names < 0.001, "reference: the kinds without names"))

    def section_10() -> None:
        nonlocal rows
        from tests.benchmarks.bulk import bench_app_synthesis

        rows += bench_app_synthesis(workdir, 1000)

    for key, section in sorted(((k, v) for k, v in locals().items() if k.startswith("section_")), key=lambda kv: int(kv[0].split("_")[1])):
        number = key.split("_")[1]
        if number not in only:
            continue
        try:  # one section that breaks does not take the others' figures with it
            section()
        except Exception as exc:  # noqa: BLE001
            rows.append(Row(f"{number} failed: {type(exc).__name__}: {exc}"[:60], 0.0, "", None, "-", False))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks", description=__doc__,
                                     epilog="; ".join(f"{k}: {v}" for k, v in SECTIONS.items()))
    parser.add_argument("--quick", action="store_true", help="fewer runs and smaller sizes")
    parser.add_argument("--only", help="comma-separated benchmark numbers, e.g. 1,2")
    args = parser.parse_args()
    only = set(args.only.split(",")) if args.only else set(SECTIONS)
    with tempfile.TemporaryDirectory() as folder:
        rows = run(only, args.quick, Path(folder))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    print(f"klantreis benchmarks · {time.strftime('%Y-%m-%d')} · {os.cpu_count()} cores · load {load:.1f} · "
          f"Python {sys.version.split()[0]}")
    print(f"{'figure':<48} {'value':>10} {'reference':>10} {'ratio':>6}  {'goal':<26} {'met'}")
    for row in rows:
        reference = f"{row.reference:.2f}" if row.reference is not None else "-"
        print(f"{row.name:<48} {row.value:>8.2f}{row.unit:>3} {reference:>10} {row.ratio():>6}  {row.goal:<26} "
              f"{'yes' if row.ok else 'NO'} {row.note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
