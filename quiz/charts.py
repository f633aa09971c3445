"""A line chart of percentages over time, as numbers an SVG template can draw (no Django here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT = 640, 260
# The SVG scales with the page, so on a phone a viewBox unit is about half a pixel; quiz.css sets
# the text larger there (up to NARROW_FONT units), and LEFT leaves room for "100%" at that size.
LEFT, RIGHT, TOP, BOTTOM = 68, 16, 16, 40
NARROW_FONT = 22


@dataclass(frozen=True)
class Point:
    """One attempt on the chart."""

    x: float
    y: float
    value: int
    label: str


@dataclass(frozen=True)
class Chart:
    """Everything the SVG needs: the viewBox, the points, the polyline, the axis labels."""

    width: int
    height: int
    points: tuple[Point, ...]
    y_ticks: tuple[tuple[float, str], ...]
    x_labels: tuple[tuple[float, str, str], ...]  # x, text, text-anchor
    left: int = LEFT
    right: float = WIDTH - RIGHT
    bottom: float = HEIGHT - BOTTOM

    @property
    def polyline(self) -> str:
        return " ".join(f"{point.x:.1f},{point.y:.1f}" for point in self.points)

    @property
    def summary(self) -> str:
        values = [point.value for point in self.points]
        if not values:
            return "No finished quizzes yet."
        return (
            f"{len(values)} quiz{'zes' if len(values) != 1 else ''}: first {values[0]}%, "
            f"latest {values[-1]}%, best {max(values)}%."
        )


def percentage_chart(results: Sequence[tuple[dt.datetime, int]]) -> Chart:
    """Percentages (0-100) in time order, spaced evenly so close quizzes stay readable."""
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM

    def y_for(value: float) -> float:
        return TOP + plot_height * (1 - max(0, min(100, value)) / 100)

    count = len(results)
    points = tuple(
        Point(
            x=LEFT + (plot_width * index / (count - 1) if count > 1 else plot_width / 2),
            y=y_for(value),
            value=value,
            label=f"{when:%d %b %Y %H:%M}: {value}%",
        )
        for index, (when, value) in enumerate(results)
    )
    x_labels: tuple[tuple[float, str, str], ...] = ()
    if count == 1:
        x_labels = ((points[0].x, f"{results[0][0]:%d %b %Y}", "middle"),)
    elif count > 1:
        x_labels = (
            (points[0].x, f"{results[0][0]:%d %b %Y}", "start"),
            (points[-1].x, f"{results[-1][0]:%d %b %Y}", "end"),
        )
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        points=points,
        y_ticks=tuple((y_for(value), f"{value}%") for value in (0, 25, 50, 75, 100)),
        x_labels=x_labels,
    )
