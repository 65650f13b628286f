"""The heartbeat (emotion curve) drawn with box characters for the terminal."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

SCORES = (2, 1, 0, -1, -2)
LABELS = {2: "+2", 1: "+1", 0: " 0", -1: "-1", -2: "-2"}


def ascii_heartbeat(scores: Sequence[int | None], width: int = 40) -> list[str]:
    """Five lines (+2 at the top, -2 at the bottom) and an axis with step numbers.

    Each step gets a column; a step without a score leaves a gap in the curve.
    """
    count = len(scores)
    plot_width = max(1, width - 4)
    cell = max(2, min(4, plot_width // max(1, count))) if count else 2
    visible = scores[-(plot_width // cell) :] if count * cell > plot_width else scores
    first_number = count - len(visible) + 1
    columns = len(visible) * cell
    grid = [[" "] * columns for _ in SCORES]
    zero = SCORES.index(0)
    for x in range(columns):
        grid[zero][x] = "·"
    previous: tuple[int, int] | None = None
    for index, score in enumerate(visible):
        if score is None:
            previous = None
            continue
        x, row = index * cell + cell // 2, SCORES.index(score)
        if previous is not None:
            px, prow = previous
            for cx in range(px + 1, x):
                grid[prow][cx] = "─"
            lo, hi = sorted((prow, row))
            for r in range(lo + 1, hi):
                grid[r][x - 1 if x - 1 > px else x] = "│"
        grid[row][x] = "●"
        previous = (x, row)
    lines = [f"{LABELS[score]} ┤{''.join(grid[i])}" for i, score in enumerate(SCORES)]
    lines.append(f"   └{_axis(first_number, len(visible), cell)}")
    return lines


@lru_cache(maxsize=64)  # the same for every interview of as many steps
def _axis(first_number: int, count: int, cell: int) -> str:
    """Step numbers under their columns; where cells are narrow, every fifth step only."""
    axis = [" "] * (count * cell)
    free_from = 0
    for i in range(count):
        label = str(first_number + i)
        if len(label) >= cell and (first_number + i) % 5:
            continue
        start = i * cell + max(0, (cell - len(label)) // 2)
        if start < free_from or start + len(label) > len(axis):
            continue
        axis[start : start + len(label)] = label
        free_from = start + len(label) + 1
    return "".join(axis)
