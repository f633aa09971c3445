"""Nothing drawn on the timeline overlaps a lane's heading: not a †, not "renamed", not a rename's
dashed line, at the wide screen's text size or the phone's. No database."""

import datetime as dt

from hypothesis import example, given
from hypothesis import strategies as st

from history.timeline import (
    HEADING_ROW,
    NARROW_FONT,
    WIDE_FONT,
    WIDTH,
    TimelineTerm,
    build_timeline,
    text_width,
)

TODAY = dt.date(2030, 1, 1)
FONTS = (WIDE_FONT, NARROW_FONT)

# Boxes are (left, top, right, bottom) in user units, from the font size: a heading is centred
# on its y (half an em each way); "renamed" and † stand on theirs (no descenders) and reach up
# to 0.75 and 0.8 em.


def heading_box(lane, font: float) -> tuple[float, float, float, float]:
    text = lane.name if font == NARROW_FONT else lane.label
    width = text_width(text, font)
    left = lane.label_x if lane.label_anchor == "start" else lane.label_x - width
    return left, lane.label_y - 0.5 * font, left + width, lane.label_y + 0.5 * font


def dagger_box(bar, font: float) -> tuple[float, float, float, float]:
    return bar.end_x - 0.35 * font, bar.mark_y - 0.8 * font, bar.end_x + 0.35 * font, bar.mark_y


def renamed_box(continuation, font: float) -> tuple[float, float, float, float]:
    width = text_width(continuation.label, font)
    left = continuation.label_x - (width if continuation.label_anchor == "end" else 0)
    top = continuation.label_y - 0.75 * font
    return left, top, left + width, continuation.label_y


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def clashes(timeline) -> list[str]:
    """Everything that overlaps a lane heading, or a † overlapping "renamed", at either size."""
    found = []
    for font in FONTS:
        daggers = [dagger_box(bar, font) for bar in timeline.bars if bar.term.died_in_office]
        shown = [
            c
            for c in timeline.continuations
            if c.label and (font == WIDE_FONT or not c.label_wide_only)
        ]
        labels = [renamed_box(c, font) for c in shown]
        lines = [(c.x, y1, c.x, y2) for c in timeline.continuations for y1, y2 in c.segments]
        for lane in timeline.lanes:
            box = heading_box(lane, font)
            found += [f"† on {lane.name} at {font}" for d in daggers if overlap(box, d)]
            found += [f"renamed on {lane.name} at {font}" for r in labels if overlap(box, r)]
            found += [
                f"line on {lane.name} at {font}"
                for x, y1, _, y2 in lines
                if box[0] <= x <= box[2] and y1 < box[3] and box[1] < y2
            ]
        found += [f"† on renamed at {font}" for r in labels for d in daggers if overlap(r, d)]
    return found


def term(holder, title, start, end, died=False) -> TimelineTerm:
    surname = holder.split()[-1]
    return TimelineTerm(
        surname,
        holder,
        title,
        title,
        dt.date.fromisoformat(start),
        dt.date.fromisoformat(end) if end else None,
        died,
    )


COMMISSARS = "Chairman of the Council of People's Commissars"
MINISTERS = "Chairman of the Council of Ministers"


def premiers() -> list[TimelineTerm]:
    """The walkthrough's imported topic: a short term with a death near the start, a rename, and
    a death soon after the rename."""
    return [
        term("Vladimir Lenin", COMMISSARS, "1923-07-06", "1924-01-21", died=True),
        term("Alexei Rykov", COMMISSARS, "1924-02-02", "1930-12-19"),
        term("Vyacheslav Molotov", COMMISSARS, "1930-12-19", "1941-05-06"),
        term("Joseph Stalin", COMMISSARS, "1941-05-06", "1946-03-15"),
        term("Joseph Stalin", MINISTERS, "1946-03-15", "1953-03-05", died=True),
        term("Georgy Malenkov", MINISTERS, "1953-03-06", "1955-02-08"),
        term("Nikolai Bulganin", MINISTERS, "1955-02-08", "1958-03-27"),
        term("Nikita Khrushchev", MINISTERS, "1958-03-27", "1964-10-14"),
        term("Alexei Kosygin", MINISTERS, "1964-10-15", "1980-10-23"),
        term("Nikolai Tikhonov", MINISTERS, "1980-10-23", "1985-09-27"),
    ]


def test_the_premiers_headings_are_clear_of_every_mark_and_label():
    timeline = build_timeline(premiers(), today=TODAY)
    assert clashes(timeline) == []
    commissars, ministers = timeline.lanes
    # Neither heading fits beside its bars, so each has a row of its own above them.
    assert commissars.label_y < commissars.band_y - 30 and ministers.label_y < ministers.band_y - 30
    (rename,) = timeline.continuations
    assert rename.label == "renamed" and rename.holder == "Joseph Stalin"
    # The heading of the lane the rename leads to is too long to clear the rename's dashed line
    # on either side, so the line breaks for the heading's row.
    assert ministers.heading_span[0] < rename.x < ministers.heading_span[1]
    assert rename.segments == (
        (rename.y1, ministers.y),
        (ministers.y + HEADING_ROW, rename.y2),
    )
    (lenin, *_) = timeline.bars
    assert commissars.label_y + 0.5 * NARROW_FONT <= lenin.mark_y - 0.8 * NARROW_FONT


def test_a_rename_label_that_would_run_into_a_dagger_goes_the_other_way():
    timeline = build_timeline(premiers(), today=TODAY)
    (rename,) = timeline.continuations
    stalin_dies = next(bar for bar in timeline.bars if bar.term.died_in_office and bar.lane == 1)
    # To the right of the line, "renamed" at a phone's size would reach Stalin's † of 1953.
    assert rename.x + text_width("renamed", NARROW_FONT) > stalin_dies.end_x - 10
    assert (rename.label_anchor, rename.label_wide_only) == ("end", False)
    assert rename.label_x < rename.x


@st.composite
def successions(draw):
    """Holders one after another under titles A-E, some a few weeks; some die in office, some
    carry on under the next title the same day (a rename)."""
    titles = draw(st.lists(st.sampled_from("ABCDE"), min_size=1, max_size=10))
    day = draw(st.dates(dt.date(1800, 1, 1), dt.date(1990, 1, 1)))
    terms, person = [], 0
    for index, title in enumerate(titles):
        renamed = index > 0 and terms[-1].title != title and draw(st.booleans())
        if not renamed:
            person += 1
            day += dt.timedelta(days=draw(st.integers(0, 200)))
        length = draw(st.sampled_from([20, 100, 400, 1500, 6000]))
        end = day + dt.timedelta(days=length)
        died = draw(st.booleans())
        terms.append(TimelineTerm(f"P{person}", f"Person {person}", title, title, day, end, died))
        day = end
    return terms


@given(successions())
@example(premiers())
def test_no_succession_puts_anything_on_a_lane_heading(terms):
    timeline = build_timeline(terms, today=TODAY)
    assert clashes(timeline) == []
    for lane in timeline.lanes:
        left, _, right, _ = heading_box(lane, WIDE_FONT)
        assert left >= 0 and right <= WIDTH
