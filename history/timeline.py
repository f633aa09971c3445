"""Geometry of the timeline picture: terms in, lanes, bars, ticks and gaps out (no Django)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from history.facts import format_date
from history.timeline_shapes import (
    AXIS_HEIGHT,
    BAR_HEIGHT,
    CONTINUATION_LABEL,
    DAGGER_EM,
    DASH,
    HEADING_ROW,
    LABEL_LIFT,
    LABEL_PAD,
    LANE_CLASSES,
    LANE_GAP,
    MARK_LIFT,
    MARK_ROW,
    MIN_BAR_WIDTH,
    NARROW_FONT,
    PAD_X,
    TOP,
    WIDE_FONT,
    WIDTH,
    Bar,
    Continuation,
    Gap,
    Lane,
    Tick,
    Timeline,
    TimelineTerm,
    XOf,
    heading_width,
    text_width,
)


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
    spans = [_span(term, x_of, today) for term in ordered]
    renames = _renames(ordered, lane_of)

    lanes: list[Lane] = []
    lane_top = TOP
    for index, title in enumerate(titles):
        lane_spans = [
            span for term, span in zip(ordered, spans, strict=True) if term.title == title
        ]
        lane_terms = [term for term in ordered if term.title == title]
        lane = _lane(index, title, lane_terms, lane_spans, lane_top, renames, spans)
        lanes.append(lane)
        lane_top = lane.band_y + BAR_HEIGHT + LANE_GAP
    bars = tuple(
        _bar(term, lane_of[term.title], span, lanes[lane_of[term.title]])
        for term, span in zip(ordered, spans, strict=True)
    )
    axis_y = lane_top
    gaps = tuple(_gaps(ordered, today, x_of, vacancy_min_days))
    continuations = tuple(_continuations(bars, lanes, renames))
    ticks, gridlines = _ticks(domain_start.year, domain_end.year, x_of, axis_y)
    return Timeline(
        width=WIDTH,
        height=int(axis_y + AXIS_HEIGHT),
        first_year=ordered[0].start.year,
        last_year=max(ends).year,
        lanes=tuple(lanes),
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


@dataclass(frozen=True)
class _Span:
    """Where a term's bar runs on the axis."""

    x: float
    end_x: float


@dataclass(frozen=True)
class _Rename:
    """A holder carrying on under another title the same day: terms by index, lanes by index."""

    before: int
    after: int
    upper_lane: int
    lower_lane: int


def _span(term: TimelineTerm, x_of: XOf, today: dt.date) -> _Span:
    x = x_of(term.start)
    width = max(x_of(term.end or today) - x, MIN_BAR_WIDTH)
    return _Span(x=round(x, 1), end_x=round(x + width, 1))


def _renames(ordered: Sequence[TimelineTerm], lane_of: dict[str, int]) -> list[_Rename]:
    starting: dict[tuple[str, dt.date], list[int]] = {}
    for index, term in enumerate(ordered):
        starting.setdefault((term.holder_full_name, term.start), []).append(index)
    renames = []
    for before, term in enumerate(ordered):
        if term.end is None:
            continue
        for after in starting.get((term.holder_full_name, term.end), []):
            lanes = lane_of[term.title], lane_of[ordered[after].title]
            if lanes[0] != lanes[1]:
                renames.append(_Rename(before, after, min(lanes), max(lanes)))
    return renames


def _clear_start(preferred: float, width: float, lines: Sequence[float]) -> float:
    """Where text `width` wide starts, nearest `preferred`, inside the plot and crossing no line."""
    low = PAD_X
    high = max(low, WIDTH - PAD_X - width)
    candidates = [preferred, low]
    for x in lines:
        candidates += [x + LABEL_PAD, x - LABEL_PAD - width]
    clamped = [min(max(candidate, low), high) for candidate in candidates]
    clear = [
        start for start in clamped if not any(start - 1 <= x <= start + width + 1 for x in lines)
    ]
    return min(clear or clamped[:1], key=lambda start: abs(start - preferred))


def _lane(
    index: int,
    title: str,
    terms: list[TimelineTerm],
    spans: list[_Span],
    top: float,
    renames: Sequence[_Rename],
    all_spans: Sequence[_Span],
) -> Lane:
    first, last = terms[0], terms[-1]
    until = last.end.year if last.end else "present"
    years = f"{first.start.year}{DASH}{until}" if first.start.year != until else str(until)
    name, years = first.title_short, f" ({years})"
    # Phones show the name only; wide screens add the years.
    needed = heading_width(name, years) + LABEL_PAD
    # A rename's dashed line runs from the upper lane's bar down to the lower lane's: through
    # every row of the lanes between, and through the lower lane's heading and mark rows.
    lines_through = [all_spans[r.after].x for r in renames if r.upper_lane < index < r.lower_lane]
    lines_above_bars = lines_through + [
        all_spans[r.after].x for r in renames if r.lower_lane == index
    ]

    def crosses(start: float) -> bool:
        return any(start <= x <= start + needed for x in lines_through)

    # Beside the bars, on whichever side has room; else in a row of its own above the bars.
    right = spans[-1].end_x + LABEL_PAD
    left = spans[0].x - LABEL_PAD
    heading_row = 0.0
    if right + needed <= WIDTH - PAD_X and not crosses(right):
        label_x, anchor = right, "start"
    elif left - needed >= PAD_X and not crosses(left - needed):
        label_x, anchor = left, "end"
    else:
        preferred = min(spans[0].x, WIDTH - PAD_X - needed)
        label_x, anchor = _clear_start(preferred, needed, lines_above_bars), "start"
        heading_row = HEADING_ROW
    band_y = top + heading_row + MARK_ROW
    return Lane(
        index=index,
        title=title,
        name=name,
        years=years,
        y=top,
        band_y=band_y,
        band_height=BAR_HEIGHT,
        label_x=round(max(label_x, PAD_X), 1),
        label_y=top + HEADING_ROW / 2 if heading_row else band_y + BAR_HEIGHT / 2,
        label_anchor=anchor,
        css_class=f"lane-{index % LANE_CLASSES}",
    )


def _bar(term: TimelineTerm, lane_index: int, span: _Span, lane: Lane) -> Bar:
    width = span.end_x - span.x
    fits_narrow = text_width(term.holder, NARROW_FONT) + 2 * LABEL_PAD <= width
    fits_wide = text_width(term.holder, WIDE_FONT) + 2 * LABEL_PAD <= width
    classes = ["term", f"lane-{lane_index % LANE_CLASSES}"]
    classes += [name for name, on in (("died", term.died_in_office), ("acting", term.acting)) if on]
    if term.end is None:
        classes.append("ongoing")
    until = format_date(term.end) if term.end else "present"
    tooltip = f"{term.holder_full_name}{' (acting)' if term.acting else ''}, {term.title_short}: "
    tooltip += f"{format_date(term.start)} {DASH} {until}{' †' if term.died_in_office else ''}"
    return Bar(
        term=term,
        lane=lane_index,
        x=span.x,
        y=lane.band_y,
        width=round(width, 1),
        height=BAR_HEIGHT,
        end_x=span.end_x,
        label=term.holder if fits_wide else "",
        label_x=round(span.x + LABEL_PAD, 1),
        label_y=lane.band_y + BAR_HEIGHT / 2,
        label_wide_only=fits_wide and not fits_narrow,
        mark_y=lane.band_y - MARK_LIFT,
        tooltip=tooltip,
        css_class=" ".join(classes),
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


def _mark_extent(bar: Bar, font_size: float) -> tuple[float, float]:
    """How far left and right a bar's † reaches, in user units (it is centred on the bar's end)."""
    return bar.end_x - DAGGER_EM * font_size, bar.end_x + DAGGER_EM * font_size


def _label_spot(
    line_x: float, font_size: float, taken: Sequence[tuple[float, float]], marks: Sequence[Bar]
) -> tuple[float, str] | None:
    """Where "renamed" goes beside its line, right or else left, clear of what the row holds."""
    width = text_width(CONTINUATION_LABEL, font_size)
    busy = [*taken, *(_mark_extent(bar, font_size) for bar in marks)]
    for start, anchor in ((line_x + LABEL_PAD, "start"), (line_x - LABEL_PAD, "end")):
        low = start if anchor == "start" else start - width
        inside = PAD_X <= low <= WIDTH - PAD_X - width
        if inside and not any(low < right and left < low + width for left, right in busy):
            return start, anchor
    return None


def _line_segments(
    x: float, y1: float, y2: float, lanes: Sequence[Lane]
) -> list[tuple[float, float]]:
    """The line from y1 down to y2, with a break wherever a heading's row is in its way."""
    segments, y = [], y1
    for lane in lanes:
        row = lane.heading_row
        left, right = lane.heading_span
        if row is not None and y1 < row[1] and row[0] < y2 and left <= x <= right:
            if row[0] > y:
                segments.append((y, row[0]))
            y = row[1]
    if y < y2:
        segments.append((y, y2))
    return segments


def _continuations(
    bars: Sequence[Bar], lanes: Sequence[Lane], renames: Sequence[_Rename]
) -> Iterator[Continuation]:
    taken: dict[int, list[tuple[float, float]]] = {}
    for rename in renames:
        before, after = bars[rename.before], bars[rename.after]
        top, bottom = sorted((before, after), key=lambda bar: bar.y)
        # "renamed" sits in the lower lane's mark row, beside the line, clear of that row's †s;
        # on phones only where it fits at their larger text, on wide screens where it fits there.
        row = taken.setdefault(bottom.lane, [])
        marks = [bar for bar in bars if bar.lane == bottom.lane and bar.term.died_in_office]
        narrow = _label_spot(after.x, NARROW_FONT, row, marks)
        spot = narrow or _label_spot(after.x, WIDE_FONT, row, marks)
        if spot is not None:
            width = text_width(CONTINUATION_LABEL, NARROW_FONT if narrow else WIDE_FONT)
            low = spot[0] - width if spot[1] == "end" else spot[0]
            row.append((low, low + width))
        yield Continuation(
            holder=after.term.holder_full_name,
            day=after.term.start,
            x=after.x,
            y1=top.y + top.height,
            y2=bottom.y,
            segments=tuple(_line_segments(after.x, top.y + top.height, bottom.y, lanes)),
            label=CONTINUATION_LABEL if spot else "",
            label_x=round(spot[0], 1) if spot else after.x,
            label_y=bottom.y - LABEL_LIFT,
            label_anchor=spot[1] if spot else "start",
            label_wide_only=spot is not None and narrow is None,
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
