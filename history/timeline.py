"""Geometry of the timeline picture: terms in, lanes, bars, ticks and gaps out (no Django)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from history.facts import format_date

# User units of the SVG viewBox. The stylesheet sets text to WIDE_FONT on wide screens and
# NARROW_FONT on phones (the picture shrinks there), so text that must fit is measured at both.
WIDTH = 1000
PAD_X = 14
TOP = 6
MARK_ROW = 26
BAR_HEIGHT = 38
LANE_GAP = 12
LANE_HEIGHT = MARK_ROW + BAR_HEIGHT + LANE_GAP
AXIS_HEIGHT = 56
WIDE_FONT = 15
NARROW_FONT = 30
# A generous average glyph width for a bold sans-serif face, in ems: estimates lean towards
# "won't fit", so a label is left out rather than spilling over its bar.
CHAR_EM = 0.62
LABEL_PAD = 4
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
    """A horizontal band for one title, with its label placed beside its bars."""

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
    label: str
    label_x: float
    label_y: float
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


def build_timeline(
    terms: Iterable[TimelineTerm], *, today: dt.date, vacancy_min_days: int = 30
) -> Timeline | None:
    """Lay the terms out in one lane per title, titles in order of first use; None if no terms."""
    ordered = sorted(terms, key=lambda term: (term.start, term.end or today))
    if not ordered:
        return None
    ends = [term.end or today for term in ordered]
    domain_start = dt.date(ordered[0].start.year, 1, 1)
    domain_end = dt.date(max(ends).year + 1, 1, 1)
    span_days = (domain_end - domain_start).days
    plot_width = WIDTH - 2 * PAD_X

    def x_of(day: dt.date) -> float:
        return PAD_X + (day - domain_start).days / span_days * plot_width

    titles: list[str] = []
    for term in ordered:
        if term.title not in titles:
            titles.append(term.title)
    lane_of = {title: index for index, title in enumerate(titles)}

    bars = tuple(_bar(term, lane_of[term.title], x_of, today) for term in ordered)
    lanes = tuple(
        _lane(index, title, [bar for bar in bars if bar.lane == index])
        for index, title in enumerate(titles)
    )
    axis_y = TOP + len(titles) * LANE_HEIGHT
    gaps = tuple(_gaps(ordered, today, x_of, vacancy_min_days))
    continuations = tuple(_continuations(bars))
    ticks, gridlines = _ticks(domain_start.year, domain_end.year, x_of, axis_y)
    return Timeline(
        width=WIDTH,
        height=int(axis_y + AXIS_HEIGHT),
        first_year=ordered[0].start.year,
        last_year=max(ends).year,
        lanes=lanes,
        bars=bars,
        ticks=ticks,
        gridlines=gridlines,
        gaps=gaps,
        continuations=continuations,
        plot_left=PAD_X,
        plot_right=WIDTH - PAD_X,
        plot_top=TOP,
        axis_y=axis_y,
        description=_description(ordered, lanes, gaps, continuations),
    )


def _bar(term: TimelineTerm, lane: int, x_of: XOf, today: dt.date) -> Bar:
    lane_top = TOP + lane * LANE_HEIGHT
    x = x_of(term.start)
    end_x = x_of(term.end or today)
    width = max(end_x - x, MIN_BAR_WIDTH)
    fits_narrow = text_width(term.holder, NARROW_FONT) + 2 * LABEL_PAD <= width
    fits_wide = text_width(term.holder, WIDE_FONT) + 2 * LABEL_PAD <= width
    classes = ["term", f"lane-{lane % LANE_CLASSES}"]
    classes += [name for name, on in (("died", term.died_in_office), ("acting", term.acting)) if on]
    if term.end is None:
        classes.append("ongoing")
    until = format_date(term.end) if term.end else "present"
    tooltip = f"{term.holder_full_name}{' (acting)' if term.acting else ''}, {term.title_short}: "
    tooltip += f"{format_date(term.start)} {DASH} {until}{' †' if term.died_in_office else ''}"
    bar_y = lane_top + MARK_ROW
    return Bar(
        term=term,
        lane=lane,
        x=round(x, 1),
        y=bar_y,
        width=round(width, 1),
        height=BAR_HEIGHT,
        end_x=round(x + width, 1),
        label=term.holder if fits_wide else "",
        label_x=round(x + LABEL_PAD, 1),
        label_y=bar_y + BAR_HEIGHT / 2,
        label_wide_only=fits_wide and not fits_narrow,
        mark_y=lane_top + MARK_ROW - 4,
        tooltip=tooltip,
        css_class=" ".join(classes),
    )


def _lane(index: int, title: str, bars: list[Bar]) -> Lane:
    first, last = bars[0].term, bars[-1].term
    until = last.end.year if last.end else "present"
    years = f"{first.start.year}{DASH}{until}" if first.start.year != until else str(until)
    name, years = first.title_short, f" ({years})"
    # Phones show the name only; wide screens add the years.
    needed = max(text_width(name, NARROW_FONT), text_width(name + years, WIDE_FONT)) + LABEL_PAD
    room_left = bars[0].x - PAD_X
    room_right = WIDTH - PAD_X - bars[-1].end_x
    lane_top = TOP + index * LANE_HEIGHT
    band_y = lane_top + MARK_ROW
    label_y = band_y + BAR_HEIGHT / 2
    # Beside the bars, on whichever side has room; else above the lane's first bar.
    if room_right >= needed:
        label_x, anchor = bars[-1].end_x + LABEL_PAD, "start"
    elif room_left >= needed:
        label_x, anchor = bars[0].x - LABEL_PAD, "end"
    else:
        label_x, anchor = min(bars[0].x, WIDTH - PAD_X - needed), "start"
        label_y = lane_top + MARK_ROW / 2
    return Lane(
        index=index,
        title=title,
        name=name,
        years=years,
        y=lane_top,
        band_y=band_y,
        band_height=BAR_HEIGHT,
        label_x=round(max(label_x, PAD_X), 1),
        label_y=label_y,
        label_anchor=anchor,
        css_class=f"lane-{index % LANE_CLASSES}",
    )


def _gaps(
    ordered: Sequence[TimelineTerm], today: dt.date, x_of: XOf, min_days: int
) -> Iterator[Gap]:
    covered_until = ordered[0].end or today
    for term in ordered[1:]:
        if (term.start - covered_until).days >= min_days:
            x = x_of(covered_until)
            yield Gap(
                start=covered_until,
                end=term.start,
                x=round(x, 1),
                width=round(x_of(term.start) - x, 1),
                tooltip=f"No holder: {format_date(covered_until)} {DASH} {format_date(term.start)}",
            )
        covered_until = max(covered_until, term.end or today)


def _continuations(bars: Sequence[Bar]) -> Iterator[Continuation]:
    for before in bars:
        for after in bars:
            same_holder = before.term.holder_full_name == after.term.holder_full_name
            if same_holder and before.lane != after.lane and before.term.end == after.term.start:
                top, bottom = sorted((before, after), key=lambda bar: bar.y)
                yield Continuation(
                    holder=after.term.holder_full_name,
                    day=after.term.start,
                    x=after.x,
                    y1=top.y + top.height,
                    y2=bottom.y,
                    label="renamed",
                    label_x=after.x + LABEL_PAD,
                    label_y=bottom.y - 6,
                    tooltip=(
                        f"Title changed from {before.term.title_short} to {after.term.title_short} on "
                        f"{format_date(after.term.start)}; {after.term.holder_full_name} continued"
                    ),
                )


def _ticks(
    first_year: int, end_year: int, x_of: XOf, axis_y: float
) -> tuple[tuple[Tick, ...], tuple[float, ...]]:
    years = range(first_year, end_year + 1)
    per_year = x_of(dt.date(first_year + 1, 1, 1)) - x_of(dt.date(first_year, 1, 1))
    narrow_step = _label_step(per_year, NARROW_FONT)
    wide_step = _label_step(per_year, WIDE_FONT)
    minor_step = 1 if per_year >= 4 else wide_step
    ticks = []
    for year in years:
        if year % minor_step:
            continue
        labelled = year % wide_step == 0
        ticks.append(
            Tick(
                year=year,
                x=round(x_of(dt.date(year, 1, 1)), 1),
                y1=axis_y,
                y2=axis_y + (10 if labelled else 5),
                label=str(year) if labelled else "",
                label_y=axis_y + 14,
                label_wide_only=labelled and year % narrow_step != 0,
            )
        )
    gridlines = tuple(tick.x for tick in ticks if tick.year % narrow_step == 0)
    return tuple(ticks), gridlines


def _label_step(per_year: float, font_size: float) -> int:
    needed = text_width("0000", font_size) + 2 * LABEL_PAD
    for step in (1, 2, 5, 10, 20, 25, 50, 100):
        if step * per_year >= needed:
            return step
    return 100


def _description(
    ordered: Sequence[TimelineTerm],
    lanes: Sequence[Lane],
    gaps: Sequence[Gap],
    continuations: Sequence[Continuation],
) -> str:
    open_ended = any(term.end is None for term in ordered)
    last = "the present" if open_ended else max(term.end for term in ordered).year
    lane_count = f"{len(lanes)} lane{'s' if len(lanes) != 1 else ''}"
    parts = [
        f"{len(ordered)} terms from {ordered[0].start.year} to {last}, drawn as bars in "
        f"{lane_count}, one per title in order of first use: "
        + "; ".join(lane.label for lane in lanes)
        + "."
    ]
    parts += [
        f"No one held the office from {format_date(gap.start)} to {format_date(gap.end)}."
        for gap in gaps
    ]
    parts += [f"{continuation.tooltip}." for continuation in continuations]
    deaths = [term.holder_full_name for term in ordered if term.died_in_office]
    if deaths:
        parts.append("Died in office (†): " + ", ".join(deaths) + ".")
    return " ".join(parts)
