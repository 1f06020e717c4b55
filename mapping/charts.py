"""Server-rendered bar charts (inline SVG): geometry computed here, drawn by templates."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    short_label: str
    value: int


@dataclass(frozen=True)
class Tick:
    y: float
    value: int


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    plot_left: int
    plot_bottom: int
    bars: list[Bar]
    ticks: list[Tick]
    maximum: int


def nice_step(value: int, *, ticks: int = 4) -> int:
    """A round tick step (1, 2 or 5 times a power of ten) so that ``ticks`` steps reach
    ``value``."""
    wanted = max(value, 1) / ticks
    magnitude = 10 ** int(math.floor(math.log10(wanted))) if wanted >= 1 else 1
    for step in (1, 2, 5, 10):
        if step * magnitude >= wanted:
            return step * magnitude
    return 10 * magnitude


def bar_chart(
    values: list[tuple[str, str, int]], *, width: int = 640, height: int = 240
) -> BarChart:
    """``values``: (label, short label, value) in order. Returns the chart's geometry."""
    left, right, top, bottom = 56, 8, 12, 36
    plot_width, plot_height = width - left - right, height - top - bottom
    step = nice_step(max((value for _, _, value in values), default=0))
    maximum = step * 4
    slot = plot_width / max(len(values), 1)
    bars = [
        Bar(
            x=round(left + index * slot + slot * 0.15, 2),
            y=round(top + plot_height - value / maximum * plot_height, 2),
            width=round(slot * 0.7, 2),
            height=round(value / maximum * plot_height, 2),
            label=label,
            short_label=short,
            value=value,
        )
        for index, (label, short, value) in enumerate(values)
    ]
    ticks = [
        Tick(y=round(top + plot_height - plot_height * i / 4, 2), value=step * i) for i in range(5)
    ]
    return BarChart(width, height, left, top + plot_height, bars, ticks, maximum)
