"""The timeline geometry, from plain data: no database."""

import datetime as dt
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from history.facts import format_date
from history.timeline import (
    DASH,
    MIN_BAR_WIDTH,
    NARROW_FONT,
    PAD_X,
    WIDE_FONT,
    WIDTH,
    TimelineTerm,
    build_timeline,
    text_width,
)

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "cpsu_general_secretary.json"
TODAY = dt.date(2025, 1, 1)


def seed_terms() -> list[TimelineTerm]:
    """The seed fixture's terms, read straight from the JSON file."""
    records = json.loads(FIXTURE.read_text())
    short_titles = {
        r["fields"]["name"]: r["fields"]["short_name"]
        for r in records
        if r["model"] == "history.title"
    }
    surnames = {
        r["fields"]["full_name"]: r["fields"]["short_name"]
        for r in records
        if r["model"] == "history.person"
    }
    terms = []
    for record in records:
        if record["model"] != "history.term":
            continue
        fields = record["fields"]
        person, title = fields["person"][0], fields["title"][0]
        terms.append(
            TimelineTerm(
                holder=surnames[person],
                holder_full_name=person,
                title=title,
                title_short=short_titles[title],
                start=dt.date.fromisoformat(fields["start_date"]),
                end=dt.date.fromisoformat(fields["end_date"]),
                died_in_office=fields["died_in_office"],
                acting=fields["acting"],
            )
        )
    return terms


@pytest.fixture
def timeline():
    return build_timeline(seed_terms(), today=TODAY)


def bars_of(timeline, holder: str):
    return [bar for bar in timeline.bars if bar.term.holder == holder]


def test_no_terms_no_timeline():
    assert build_timeline([], today=TODAY) is None


def test_one_bar_per_term_in_chronological_order(timeline):
    assert len(timeline.bars) == 12
    starts = [bar.term.start for bar in timeline.bars]
    assert starts == sorted(starts)
    xs = [bar.x for bar in timeline.bars]
    assert xs == sorted(xs)


def test_one_lane_per_title_in_order_of_first_use(timeline):
    assert [lane.name for lane in timeline.lanes] == [
        "Chairman of the Secretariat",
        "Responsible Secretary",
        "General Secretary",
        "First Secretary",
        "General Secretary",
    ]
    assert [lane.years for lane in timeline.lanes] == [
        f" (1918{DASH}1919)",
        f" (1919{DASH}1922)",
        f" (1922{DASH}1952)",
        f" (1953{DASH}1966)",
        f" (1966{DASH}1991)",
    ]
    assert [lane.index for lane in timeline.lanes] == [0, 1, 2, 3, 4]
    for bar in timeline.bars:
        lane = timeline.lanes[bar.lane]
        assert bar.term.title == lane.title
        assert bar.y == lane.band_y
        assert f"lane-{bar.lane}" in bar.css_class.split()


def test_axis_spans_whole_years_around_the_terms(timeline):
    assert (timeline.first_year, timeline.last_year) == (1918, 1991)
    assert timeline.ticks[0].year == 1918
    assert timeline.ticks[0].x == PAD_X
    assert timeline.ticks[-1].year == 1992
    assert timeline.ticks[-1].x == WIDTH - PAD_X
    assert [tick.year for tick in timeline.ticks] == list(range(1918, 1993))
    labelled = {tick.year: tick.label_wide_only for tick in timeline.ticks if tick.label}
    # Every decade on every screen; the fives in between only where there is room.
    assert {year for year, wide_only in labelled.items() if not wide_only} == set(
        range(1920, 1991, 10)
    )
    assert {year for year, wide_only in labelled.items() if wide_only} == set(range(1925, 1990, 10))
    assert len(timeline.gridlines) == 8


def test_the_1952_to_1953_vacancy_is_a_gap(timeline):
    (gap,) = timeline.gaps
    assert (gap.start, gap.end) == (dt.date(1952, 10, 16), dt.date(1953, 9, 7))
    (stalin,) = bars_of(timeline, "Stalin")
    (khrushchev,) = bars_of(timeline, "Khrushchev")
    assert stalin.end_x == gap.x
    assert khrushchev.x == pytest.approx(gap.x + gap.width, abs=0.1)
    days_per_unit = (dt.date(1992, 1, 1) - dt.date(1918, 1, 1)).days / (WIDTH - 2 * PAD_X)
    assert (khrushchev.x - stalin.end_x) * days_per_unit == pytest.approx(326, abs=5)
    assert "16 October 1952 to 7 September 1953" in timeline.description


def test_short_handovers_are_not_vacancies_unless_asked(timeline):
    handovers = build_timeline(seed_terms(), today=TODAY, vacancy_min_days=1)
    # Sverdlov's death, then Brezhnev's, Andropov's and Chernenko's: days, not a vacancy.
    assert [gap.start for gap in handovers.gaps] == [
        dt.date(1919, 3, 16),
        dt.date(1952, 10, 16),
        dt.date(1982, 11, 10),
        dt.date(1984, 2, 9),
        dt.date(1985, 3, 10),
    ]
    assert len(timeline.gaps) == 1


def test_the_1966_rename_moves_brezhnev_to_a_new_lane(timeline):
    first, second = bars_of(timeline, "Brezhnev")
    assert (first.lane, second.lane) == (3, 4)
    assert first.end_x == pytest.approx(second.x, abs=0.1)
    (continuation,) = timeline.continuations
    assert continuation.holder == "Leonid Brezhnev"
    assert continuation.day == dt.date(1966, 4, 8)
    assert continuation.x == second.x
    assert (continuation.y1, continuation.y2) == (first.y + first.height, second.y)
    assert (
        "Title changed from First Secretary to General Secretary on 8 April 1966"
        in continuation.tooltip
    )


def test_died_in_office_and_acting_marks(timeline):
    died = [bar.term.holder for bar in timeline.bars if "died" in bar.css_class.split()]
    assert died == ["Sverdlov", "Brezhnev", "Andropov", "Chernenko"]
    assert bars_of(timeline, "Brezhnev")[0].css_class.split().count("died") == 0
    acting = [bar.term.holder for bar in timeline.bars if "acting" in bar.css_class.split()]
    assert acting == ["Ivashko"]
    assert bars_of(timeline, "Ivashko")[0].tooltip.startswith("Vladimir Ivashko (acting)")
    assert bars_of(timeline, "Chernenko")[0].tooltip.endswith("10 March 1985 †")


def test_surnames_label_the_bars_they_fit(timeline):
    labels = {
        bar.term.holder: (bar.label, bar.label_wide_only) for bar in timeline.bars if bar.label
    }
    assert labels == {
        "Stalin": ("Stalin", False),
        "Khrushchev": ("Khrushchev", True),
        "Brezhnev": ("Brezhnev", False),
    }
    for bar in timeline.bars:
        if bar.label:
            font = WIDE_FONT if bar.label_wide_only else NARROW_FONT
            assert bar.label_x + text_width(bar.label, font) <= bar.x + bar.width


def test_tiny_terms_stay_visible(timeline):
    (ivashko,) = bars_of(timeline, "Ivashko")
    assert ivashko.width == MIN_BAR_WIDTH
    assert ivashko.end_x <= WIDTH


def test_lane_labels_sit_beside_their_bars_inside_the_picture(timeline):
    for lane in timeline.lanes:
        bars = [bar for bar in timeline.bars if bar.lane == lane.index]
        wide = text_width(lane.label, WIDE_FONT)
        narrow = text_width(lane.name, NARROW_FONT)
        if lane.label_anchor == "start":
            assert lane.label_x >= bars[-1].end_x
            assert lane.label_x + max(wide, narrow) <= WIDTH - PAD_X
        else:
            assert lane.label_x <= bars[0].x
            assert lane.label_x - max(wide, narrow) >= PAD_X
    assert [lane.label_anchor for lane in timeline.lanes] == ["start"] * 4 + ["end"]


def test_open_term_runs_to_today():
    terms = [
        TimelineTerm("Ada", "Ada Lovelace", "Chancellor", "Chancellor", dt.date(2020, 5, 1), None),
    ]
    timeline = build_timeline(terms, today=TODAY)
    (bar,) = timeline.bars
    assert "ongoing" in bar.css_class.split()
    assert bar.tooltip.endswith(f"1 May 2020 {DASH} present")
    assert bar.end_x == pytest.approx(PAD_X + 1827 / 2192 * (WIDTH - 2 * PAD_X), abs=0.1)
    assert "from 2020 to the present" in timeline.description
    assert timeline.lanes[0].label == f"Chancellor (2020{DASH}present)"


def test_description_sums_the_picture_up(timeline):
    assert timeline.description.startswith("12 terms from 1918 to 1991, drawn as bars in 5 lanes")
    assert (
        "Title changed from First Secretary to General Secretary on 8 April 1966"
        in timeline.description
    )
    assert timeline.description.endswith(
        "Died in office (†): Yakov Sverdlov, Leonid Brezhnev, Yuri Andropov, Konstantin Chernenko."
    )


def test_view_box_fits_every_lane_and_the_axis(timeline):
    assert timeline.view_box == f"0 0 {WIDTH} {timeline.height}"
    assert timeline.axis_y == timeline.bars[-1].y + timeline.bars[-1].height + 12
    assert timeline.height > timeline.axis_y + NARROW_FONT + 10


def test_timeline_term_reads_a_term_like_object():
    term = SimpleNamespace(
        person=SimpleNamespace(short_name="Stalin", full_name="Joseph Stalin"),
        title=SimpleNamespace(name="General Secretary of X", short_name="General Secretary"),
        start_date=dt.date(1922, 4, 3),
        end_date=dt.date(1952, 10, 16),
        died_in_office=False,
        acting=False,
    )
    assert TimelineTerm.of(term) == TimelineTerm(
        "Stalin",
        "Joseph Stalin",
        "General Secretary of X",
        "General Secretary",
        dt.date(1922, 4, 3),
        dt.date(1952, 10, 16),
    )


def test_format_date():
    assert format_date(dt.date(1918, 3, 8)) == "8 March 1918"
    assert format_date(dt.date(1991, 12, 25)) == "25 December 1991"


@st.composite
def term_lists(draw):
    titles = draw(st.lists(st.sampled_from("ABCDE"), min_size=1, max_size=12))
    day = draw(st.dates(dt.date(1800, 1, 1), dt.date(2000, 1, 1)))
    terms = []
    for index, title in enumerate(titles):
        day += dt.timedelta(days=draw(st.integers(0, 400)))
        length = draw(st.integers(0, 6000))
        end = day + dt.timedelta(days=length) if index < len(titles) - 1 or length else None
        terms.append(TimelineTerm(f"P{index}", f"Person {index}", title, title, day, end))
        day = end or day
    return terms


@given(term_lists())
def test_any_succession_fits_the_picture(terms):
    timeline = build_timeline(terms, today=dt.date(2030, 1, 1))
    assert len(timeline.bars) == len(terms)
    assert len(timeline.lanes) == len({term.title for term in terms})
    for bar in timeline.bars:
        assert PAD_X <= bar.x <= bar.end_x <= WIDTH
        assert bar.width >= MIN_BAR_WIDTH
        assert 0 < bar.y < timeline.axis_y < timeline.height
    for lane in timeline.lanes:
        assert PAD_X <= lane.label_x <= WIDTH - PAD_X
    for gap in timeline.gaps:
        assert gap.width > 0
        assert (gap.end - gap.start).days >= 30
