"""The timeline picture's parts and sizes: what history.timeline lays out and the template draws."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# User units of the SVG viewBox. The stylesheet sets text to WIDE_FONT on wide screens and
# NARROW_FONT on phones (the picture shrinks there), so text that must fit is measured at both.
WIDTH = 1000
PAD_X = 14
TOP = 6
WIDE_FONT = 15
NARROW_FONT = 30
# A lane is, top to bottom: its heading's row (only when the heading has no room beside the
# bars), a row for the marks above the bars († and "renamed"), the bars, and a gap. Rows are
# tall enough for NARROW_FONT text, so that nothing in one row reaches into another.
HEADING_ROW = NARROW_FONT + 6
MARK_ROW = NARROW_FONT
MARK_LIFT = 3
BAR_HEIGHT = 38
LANE_GAP = 12
AXIS_HEIGHT = 56
# A generous average glyph width for a bold sans-serif face, in ems: estimates lean towards
# "won't fit", so a label is left out rather than spilling over its bar.
CHAR_EM = 0.62
LABEL_PAD = 4
# "renamed" stands this far above the bar it leads to; a † is this many ems to each side.
LABEL_LIFT = 5
DAGGER_EM = 0.35
CONTINUATION_LABEL = "renamed"
MIN_BAR_WIDTH = 3.0
LANE_CLASSES = 6

DASH = "\N{EN DASH}"
# Maps a day to its x coordinate on the axis.
XOf = Callable[[dt.date], float]


@dataclass(frozen=True)
class TimelineTerm:
    """One term as the timeline needs it: who, under which title, from when to when."""

    holder: str
    holder_full_name: str
    title: str
    title_short: str
    start: dt.date
    end: dt.date | None
    died_in_office: bool = False
    acting: bool = False

    @classmethod
    def of(cls, term: Any) -> TimelineTerm:
        """Read a Term-like object (person, title, start_date, end_date, died_in_office, acting)."""
        return cls(
            holder=term.person.short_name,
            holder_full_name=term.person.full_name,
            title=term.title.name,
            title_short=term.title.short_name,
            start=term.start_date,
            end=term.end_date,
            died_in_office=term.died_in_office,
            acting=term.acting,
        )


@dataclass(frozen=True)
class Lane:
    """A horizontal band for one title, its heading beside its bars or in a row above them."""

    index: int
    title: str
    name: str
    years: str
    y: float
    band_y: float
    band_height: float
    label_x: float
    label_y: float
    label_anchor: str
    css_class: str

    @property
    def label(self) -> str:
        return self.name + self.years

    @property
    def heading_span(self) -> tuple[float, float]:
        """From where to where the heading runs, at the wider of its two sizes."""
        width = heading_width(self.name, self.years)
        if self.label_anchor == "end":
            return self.label_x - width, self.label_x
        return self.label_x, self.label_x + width

    @property
    def heading_row(self) -> tuple[float, float] | None:
        """The heading's own row above the bars, if it has one."""
        return (self.y, self.y + HEADING_ROW) if self.label_y < self.band_y else None


@dataclass(frozen=True)
class Bar:
    """One term drawn as a bar in its title's lane."""

    term: TimelineTerm
    lane: int
    x: float
    y: float
    width: float
    height: float
    end_x: float
    label: str
    label_x: float
    label_y: float
    label_wide_only: bool
    mark_y: float
    tooltip: str
    css_class: str


@dataclass(frozen=True)
class Tick:
    """A year mark on the time axis; labelled on every screen, on wide screens only, or never."""

    year: int
    x: float
    y1: float
    y2: float
    label: str
    label_y: float
    label_wide_only: bool


@dataclass(frozen=True)
class Gap:
    """A stretch of time when no one held the office."""

    start: dt.date
    end: dt.date
    x: float
    width: float
    tooltip: str


@dataclass(frozen=True)
class Continuation:
    """A holder carrying on under a new title on the same day: the office was renamed."""

    holder: str
    day: dt.date
    x: float
    y1: float
    y2: float
    # The dashed line from y1 to y2, broken where it would cross a lane's heading.
    segments: tuple[tuple[float, float], ...]
    label: str
    label_x: float
    label_y: float
    label_anchor: str
    label_wide_only: bool
    tooltip: str


@dataclass(frozen=True)
class Timeline:
    """Everything the template needs to draw the picture."""

    width: int
    height: int
    first_year: int
    last_year: int
    lanes: tuple[Lane, ...]
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    gridlines: tuple[float, ...]
    gaps: tuple[Gap, ...]
    continuations: tuple[Continuation, ...]
    plot_left: float
    plot_right: float
    plot_top: float
    axis_y: float
    description: str

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def plot_width(self) -> float:
        return self.plot_right - self.plot_left

    @property
    def plot_height(self) -> float:
        return self.axis_y - self.plot_top


def text_width(text: str, font_size: float) -> float:
    """An upper estimate of how wide the text runs, in user units."""
    return len(text) * CHAR_EM * font_size


def heading_width(name: str, years: str) -> float:
    """A lane heading's width: the name alone on phones, with the years on wide screens."""
    return max(text_width(name, NARROW_FONT), text_width(name + years, WIDE_FONT))
