"""Figures of the suite: Dexter against its floor (or peer), round by round, and the verdict.

A figure is measured in rounds (≥ 7). Each round measures both sides back to back, the order
alternating between rounds, so noise from other work on the machine lands on both alike.
The figure reports the median of Dexter's round values, the median of the floor's, the median
of the per-round ratios (or differences, for goals stated in milliseconds) and their spread
(min–max over the rounds).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

MIN_ROUNDS = 7
Kind = Literal["ratio", "over", "value"]


class Unavailable(Exception):
    """A group whose tools are not installed (the peer, the gateway): skipped, and said so."""


@dataclass
class Figure:
    name: str
    unit: str  # of dexter / floor: "ms", "MiB", ...
    kind: Kind  # "ratio": goal on dexter/floor; "over": goal on dexter − floor; "value": on dexter
    goal: float | None  # the bound (ratio, or the unit's amount); None: reported only
    dexter: list[float] = field(default_factory=list)  # one value per round
    floor: list[float] = field(default_factory=list)
    floor_name: str = ""
    note: str = ""
    passed: bool | None = None  # an extra condition (e.g. "none lost"); None when not used

    @property
    def compared(self) -> list[float]:
        if self.kind == "ratio":
            return [d / f for d, f in zip(self.dexter, self.floor, strict=True) if f]
        if self.kind == "over":
            return [d - f for d, f in zip(self.dexter, self.floor, strict=True)]
        return list(self.dexter)

    @property
    def middle(self) -> float:
        values = self.compared
        return statistics.median(values) if values else float("nan")

    @property
    def verdict(self) -> str:
        if self.passed is False:
            return "FAIL"
        if self.goal is None:
            return "info" if self.passed is None else "ok"
        return "ok" if self.middle <= self.goal else "FAIL"

    def row(self) -> list[str]:
        values = self.compared
        dexter = _num(statistics.median(self.dexter)) if self.dexter else "–"
        floor = _num(statistics.median(self.floor)) if self.floor else "–"
        if self.kind == "ratio":
            middle, spread = f"{self.middle:.3f}×", f"{min(values):.2f}–{max(values):.2f}×"
            goal = f"≤ {self.goal}×" if self.goal is not None else "–"
        elif self.kind == "over":
            middle = f"{self.middle:+.2f} {self.unit}"
            spread = f"{min(values):+.2f}–{max(values):+.2f}"
            goal = f"≤ +{self.goal} {self.unit}" if self.goal is not None else "–"
        else:
            middle, spread = "–", f"{_num(min(values))}–{_num(max(values))} {self.unit}"
            goal = f"≤ {self.goal} {self.unit}" if self.goal is not None else "–"
        name = f"{self.name} [{self.floor_name}]" if self.floor_name else self.name
        return [name, f"{dexter} {self.unit}", f"{floor} {self.unit}" if self.floor else "–",
                middle, spread, goal, self.verdict]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        values = self.compared
        data.update(middle=self.middle, verdict=self.verdict, rounds=len(self.dexter),
                    spread=[min(values), max(values)] if values else None)
        return data


def _num(value: float) -> str:
    return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"


def interleaved(rounds: int, dexter: Callable[[], float], floor: Callable[[], float],
                figure: Figure) -> Figure:
    """Fill `figure` with `rounds` rounds, alternating which side goes first."""
    for index in range(max(rounds, MIN_ROUNDS)):
        if index % 2 == 0:
            d, f = dexter(), floor()
        else:
            f, d = floor(), dexter()
        figure.dexter.append(d)
        figure.floor.append(f)
    return figure


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


HEADER = ["figure", "Dexter", "floor/peer", "ratio (median)", "spread (min–max)", "goal",
          "verdict"]


def table(figures: Sequence[Figure]) -> str:
    rows = [HEADER, *(f.row() for f in figures)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER))]
    lines = [" | ".join(cell.ljust(widths[i]) for i, cell in enumerate(r)) for r in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    notes = [f"  {f.name}: {f.note}" for f in figures if f.note]
    return "\n".join(lines + (["", "notes:", *notes] if notes else []))
