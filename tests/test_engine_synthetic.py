"""The engine on positions other than the seed: random ones (no database) and factory-built ones."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from history.facts import AssociationFact, PersonFact, PositionFacts, TermFact, TitleFact
from history.models import Association, Position
from quiz.engine import (
    KINDS,
    EngineError,
    available_kinds,
    distinct_question_count,
    generate_questions,
)
from tests.factories import (
    AssociationFactory,
    PersonFactory,
    PositionFactory,
    TermFactory,
    TitleFactory,
)
from tests.test_engine import Oracle

PEOPLE = [PersonFact(f"Ada Person{n}", f"Person{n}", f"ada-person-{n}") for n in range(8)]


@st.composite
def positions(draw) -> PositionFacts:
    """A position with a few titles (some sharing a short name), terms in order, de facto ties."""
    people = PEOPLE[: draw(st.integers(1, 8))]
    titles = [
        TitleFact(
            f"Chancellor of the Council, style {n}", draw(st.sampled_from(["Chancellor", "Chair"]))
        )
        for n in range(draw(st.integers(1, 5)))
    ]
    day = dt.date(1900, 1, 1) + dt.timedelta(days=draw(st.integers(0, 3000)))
    terms = []
    for index in range(draw(st.integers(0, 10))):
        if index:
            day += dt.timedelta(days=draw(st.sampled_from([0, 0, 1, 3, 40, 400, 4000])))
        length = draw(st.sampled_from([0, 1, 2, 30, 200, 800, 3000, 9000]))
        end: dt.date | None = day + dt.timedelta(days=length)
        is_last = False
        if draw(st.integers(0, 9)) == 0:
            end, is_last = None, True
        # Another reading of the start, as the source's text may give: some days or a year
        # off, kept after the previous term's start and before this term's end.
        disputed = None
        if draw(st.integers(0, 3)) == 0:
            disputed = day + dt.timedelta(
                days=draw(st.sampled_from([-400, -40, -7, -1, 1, 7, 400]))
            )
            if (terms and disputed <= terms[-1].start) or (end is not None and disputed >= end):
                disputed = None
        terms.append(
            TermFact(
                person=draw(st.sampled_from(people)),
                title=draw(st.sampled_from(titles)),
                start=day,
                end=end,
                died_in_office=end is not None and draw(st.booleans()),
                acting=draw(st.integers(0, 4)) == 0,
                note="",
                disputed_start=disputed,
            )
        )
        if is_last:
            break
        day = end
    associations = []
    for _ in range(draw(st.integers(0, 3))):
        start = dt.date(1900, 1, 1) + dt.timedelta(days=draw(st.integers(0, 40000)))
        end = start + dt.timedelta(days=draw(st.integers(0, 400)))
        associations.append(
            AssociationFact(
                person=draw(st.sampled_from(PEOPLE)),
                relation=draw(st.sampled_from(["de_facto_holder", "de_facto_holder", "deputy"])),
                start=None if draw(st.integers(0, 9)) == 0 else start,
                end=None if draw(st.integers(0, 9)) == 0 else end,
                ended_by_death=draw(st.booleans()),
                description="",
            )
        )
    return PositionFacts(
        name="Chancellor of Testland",
        short_name="Chancellor",
        slug="chancellor-of-testland",
        titles=tuple(titles),
        terms=tuple(terms),
        associations=tuple(associations),
    )


def _twice_de_facto() -> PositionFacts:
    """Found by Hypothesis: one person recorded twice as de facto holder between two terms."""
    title = TitleFact("Chancellor of the Council, style 0", "Chancellor")
    terms = tuple(
        TermFact(PEOPLE[n], title, start, end, False, False, "")
        for n, (start, end) in enumerate(
            [
                (dt.date(1900, 1, 1), dt.date(1910, 1, 1)),
                (dt.date(1911, 1, 1), dt.date(1920, 1, 1)),
                (dt.date(1920, 1, 1), dt.date(1930, 1, 1)),
                (dt.date(1930, 1, 1), dt.date(1940, 1, 1)),
                (dt.date(1940, 1, 1), dt.date(1950, 1, 1)),
            ]
        )
    )
    tie = AssociationFact(PEOPLE[6], "de_facto_holder", None, None, False, "")
    again = dataclasses.replace(tie, start=dt.date(1910, 3, 1), end=dt.date(1910, 5, 1))
    return PositionFacts(
        "Chancellor of Testland",
        "Chancellor",
        "chancellor-of-testland",
        (title,),
        terms,
        (tie, tie, again),
    )


def test_a_person_tied_twice_is_named_once_with_both_spans():
    facts = _twice_de_facto()
    count = distinct_question_count(facts, ["successor"])
    questions = generate_questions(facts, rng=random.Random(0), count=count, kinds=["successor"])
    assert len(questions) == count == 4
    (question,) = [q for q in questions if q.about["person"] == "Ada Person0"]
    assert question.explanation.endswith(
        " In between, Ada Person6 (from 1 March to 1 May 1910) held the office de facto."
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts=positions(), seed=st.integers(0, 2**32))
@example(facts=_twice_de_facto(), seed=0)
def test_random_positions_give_only_unambiguous_questions(facts, seed):
    oracle = Oracle(facts)
    kinds = available_kinds(facts)
    assert list(kinds) == list(KINDS)
    for kind, reason in kinds.items():
        if reason is not None:
            assert isinstance(reason, str) and reason
            with pytest.raises(EngineError, match=kind):
                generate_questions(facts, rng=random.Random(seed), count=1, kinds=[kind])
            continue
        capacity = distinct_question_count(facts, [kind], repeat_facts=True)
        assert capacity > 0
        count = min(capacity, 40)
        questions = generate_questions(
            facts, rng=random.Random(seed), count=count, kinds=[kind], repeat_facts=True
        )
        assert len({q.prompt for q in questions}) == count
        for question in questions:
            assert question.kind == kind
            oracle.check(question)


@settings(max_examples=100, deadline=None)
@given(facts=positions(), seed=st.integers(0, 2**32))
def test_the_whole_capacity_and_no_more(facts, seed):
    askable = [kind for kind, reason in available_kinds(facts).items() if reason is None]
    assume(askable)
    capacity = distinct_question_count(facts, repeat_facts=True)
    assume(capacity <= 3000)
    questions = generate_questions(
        facts, rng=random.Random(seed), count=capacity, repeat_facts=True
    )
    assert len({q.prompt for q in questions}) == capacity
    assert {q.kind for q in questions} == set(askable)
    with pytest.raises(EngineError, match="distinct question"):
        generate_questions(facts, rng=random.Random(seed), count=capacity + 1, repeat_facts=True)


@settings(max_examples=150, deadline=None)
@given(facts=positions(), seed=st.integers(0, 2**32), data=st.data())
def test_a_quiz_asks_each_fact_once_up_to_the_capacity_and_no_more(facts, seed, data):
    askable = [kind for kind, reason in available_kinds(facts).items() if reason is None]
    assume(askable)
    kinds = data.draw(st.lists(st.sampled_from(askable), min_size=1, unique=True))
    capacity = distinct_question_count(facts, kinds)
    oracle = Oracle(facts)
    questions = generate_questions(facts, rng=random.Random(seed), count=capacity, kinds=kinds)
    keys = [q.about["fact_key"] for q in questions]
    assert len(set(keys)) == len(keys) == capacity
    assert len({q.prompt for q in questions}) == capacity
    for question in questions:
        oracle.check(question)
    with pytest.raises(EngineError, match="distinct question"):
        generate_questions(facts, rng=random.Random(seed), count=capacity + 1, kinds=kinds)


def test_a_position_with_no_terms_can_ask_nothing():
    facts = PositionFacts("Empty Office", "Empty", "empty", (), (), ())
    assert all(reason for reason in available_kinds(facts).values())
    with pytest.raises(EngineError, match="No question can be asked"):
        generate_questions(facts, rng=random.Random(1), count=1)


def test_a_start_disputed_across_new_year_asks_neither_its_year_nor_the_days_between():
    people = [PersonFact(f"Dora Holder{n}", f"Holder{n}", f"dora-holder-{n}") for n in range(5)]
    titles = [TitleFact(f"Doge of the Republic, style {n}", f"Doge {n}") for n in range(3)]
    spans = [
        (dt.date(1900, 1, 1), dt.date(1905, 12, 20), None),
        # The table says 20 December 1905, another passage 10 January 1906.
        (dt.date(1905, 12, 20), dt.date(1912, 1, 1), dt.date(1906, 1, 10)),
        (dt.date(1912, 1, 1), dt.date(1920, 1, 1), None),
        (dt.date(1920, 1, 1), dt.date(1930, 1, 1), None),
        (dt.date(1930, 1, 1), dt.date(1940, 1, 1), None),
    ]
    terms = tuple(
        TermFact(people[n], titles[n % 3], start, end, False, False, "", disputed)
        for n, (start, end, disputed) in enumerate(spans)
    )
    facts = PositionFacts("Doge of Testland", "Doge", "doge", tuple(titles), terms, ())
    oracle = Oracle(facts)
    start_years = generate_questions(
        facts,
        rng=random.Random(1),
        count=distinct_question_count(facts, ["start_year"], repeat_facts=True),
        kinds=["start_year"],
    )
    assert "Dora Holder1" not in {q.about["person"] for q in start_years}
    assert len(start_years) == 4
    for kind in ("holder_in_year", "title_in_year"):
        count = distinct_question_count(facts, [kind], repeat_facts=True)
        questions = generate_questions(
            facts, rng=random.Random(2), count=count, kinds=[kind], repeat_facts=True
        )
        years = {q.about["year"] for q in questions if "year" in q.about}
        days = {q.about["date"] for q in questions if "date" in q.about}
        assert 1905 not in years and {1904, 1906} <= years
        assert not [d for d in days if "1905-12-20" <= d <= "1906-01-10"]
        assert "1906-01-11" in days
        for question in questions:
            oracle.check(question)
    for question in start_years:
        oracle.check(question)


def test_start_year_takes_wrong_years_only_from_a_short_lived_offices_lifetime():
    people = [PersonFact(f"Tess Holder{n}", f"Holder{n}", f"tess-holder-{n}") for n in range(3)]
    title = TitleFact("Tribune of the Brief Republic", "Tribune")
    spans = [
        (dt.date(1900, 2, 1), dt.date(1901, 5, 1)),
        (dt.date(1901, 5, 1), dt.date(1902, 3, 1)),
        (dt.date(1902, 3, 1), dt.date(1902, 9, 1)),
    ]
    terms = tuple(
        TermFact(people[n], title, start, end, False, False, "")
        for n, (start, end) in enumerate(spans)
    )
    facts = PositionFacts("Tribune of Brevity", "Tribune", "tribune", (title,), terms, ())
    questions = generate_questions(facts, rng=random.Random(4), count=3, kinds=["start_year"])
    for question in questions:
        # 1900-1902 leave two wrong years: three choices, none outside the lifetime.
        assert question.choices == ("1900", "1901", "1902")
        Oracle(facts).check(question)
    one_year = dataclasses.replace(
        facts,
        terms=tuple(dataclasses.replace(t, start=t.start.replace(year=1902)) for t in terms[2:]),
    )
    assert available_kinds(one_year)["start_year"] == (
        "the office's lifetime holds too few other years to offer three choices"
    )


# ----------------------------------------------------------------------------------------------
# Factory-built positions, loaded through Position.objects.facts_for


@pytest.fixture
def one_holder(db) -> PositionFacts:
    position = PositionFactory(slug="solo", name="Warden of the Solo March", short_name="Warden")
    TermFactory(
        title=TitleFactory(position=position, name="Warden of the March", short_name="Warden"),
        person=PersonFactory(full_name="Ada Solo"),
        start_date=dt.date(1950, 1, 1),
        end_date=dt.date(1955, 6, 30),
    )
    return Position.objects.facts_for("solo")


@pytest.fixture
def two_holders(db) -> PositionFacts:
    position = PositionFactory(slug="duo", name="Consul of the Duo", short_name="Consul")
    title = TitleFactory(position=position, name="Consul of the Duo Republic", short_name="Consul")
    TermFactory(
        title=title,
        person=PersonFactory(full_name="Bea First"),
        start_date=dt.date(1950, 1, 1),
        end_date=dt.date(1955, 6, 30),
        died_in_office=True,
    )
    TermFactory(
        title=title,
        person=PersonFactory(full_name="Cy Second"),
        start_date=dt.date(1955, 6, 30),
        end_date=dt.date(1960, 1, 1),
    )
    return Position.objects.facts_for("duo")


@pytest.mark.django_db
def test_one_holder_asks_only_the_start_year_and_the_length(one_holder):
    reasons = available_kinds(one_holder)
    # Years and bands of years make the choices; there is nobody else to choose.
    assert [kind for kind, reason in reasons.items() if reason is None] == [
        "start_year",
        "tenure_band",
    ]
    assert reasons["successor"] == "the office never passed from one holder to a different one"
    assert "fewer than three people" in reasons["holder_in_year"]
    assert "fewer than three titles" in reasons["title_in_year"]
    (question,) = generate_questions(
        one_holder, rng=random.Random(1), count=1, kinds=["start_year"]
    )
    assert question.prompt == "In which year did Ada Solo become Warden?"
    assert question.answer == "1950" and len(question.choices) == 4
    with pytest.raises(EngineError, match="cannot be asked: the office never passed"):
        generate_questions(one_holder, rng=random.Random(1), count=1, kinds=["successor"])
    with pytest.raises(EngineError, match="Only 2 distinct questions"):
        generate_questions(one_holder, rng=random.Random(1), count=3)


@pytest.mark.django_db
def test_two_holders_cannot_offer_three_people(two_holders):
    reasons = available_kinds(two_holders)
    # A typed answer needs no wrong choices, so it can ask about the one succession.
    assert [kind for kind, reason in reasons.items() if reason is None] == [
        "start_year",
        "tenure_band",
        "typed_successor",
    ]
    (typed,) = generate_questions(
        two_holders, rng=random.Random(3), count=1, kinds=["typed_successor"]
    )
    assert typed.choices == () and typed.accepted
    assert reasons["successor"] == "too few other people to offer three choices"
    assert reasons["died_in_office"] == (
        "fewer than two holders left office alive, too few for three choices"
    )
    assert reasons["acting"] == "no holder served only as acting holder"
    questions = generate_questions(two_holders, rng=random.Random(3), count=2, kinds=["start_year"])
    assert sorted(q.answer for q in questions) == ["1950", "1955"]


@pytest.mark.django_db
def test_a_small_factory_position_with_a_de_facto_gap():
    position = PositionFactory(slug="small", name="Speaker of Smallland", short_name="Speaker")
    titles = [
        TitleFactory(
            position=position, name=f"Speaker of the {name} Assembly", short_name="Speaker"
        )
        for name in ("First", "Second", "Third")
    ]
    people = [PersonFactory(full_name=f"{name} Holder") for name in ("Ann", "Ben", "Cat", "Dan")]
    spans = [
        (people[0], titles[0], dt.date(1900, 1, 1), dt.date(1910, 1, 1), False),
        (people[1], titles[1], dt.date(1910, 1, 1), dt.date(1920, 1, 1), True),
        (people[2], titles[2], dt.date(1921, 1, 1), dt.date(1930, 1, 1), False),
        (people[3], titles[2], dt.date(1930, 1, 1), dt.date(1940, 1, 1), False),
    ]
    for person, title, start, end, died in spans:
        TermFactory(person=person, title=title, start_date=start, end_date=end, died_in_office=died)
    interim = PersonFactory(full_name="Eve Interim")
    AssociationFactory(
        position=position,
        person=interim,
        relation=Association.Relation.DE_FACTO_HOLDER,
        start_date=dt.date(1920, 1, 1),
        end_date=dt.date(1921, 1, 1),
    )
    facts = Position.objects.facts_for("small")
    oracle = Oracle(facts)

    successors = generate_questions(facts, rng=random.Random(5), count=3, kinds=["successor"])
    ben = next(q for q in successors if q.about["person"] == "Ben Holder")
    assert ben.answer == "Cat Holder"
    assert "Eve Interim" not in ben.choices
    assert len(ben.choices) == 3  # Ann and Dan only: Eve would be arguably right
    for kind, reason in available_kinds(facts).items():
        if reason is None:
            count = min(distinct_question_count(facts, [kind], repeat_facts=True), 200)
            for question in generate_questions(
                facts, rng=random.Random(9), count=count, kinds=[kind], repeat_facts=True
            ):
                oracle.check(question)
    years = {
        q.about.get("year")
        for q in generate_questions(
            facts, rng=random.Random(2), count=2000, kinds=["holder_in_year"], repeat_facts=True
        )
    }
    assert 1920 not in years and 1921 not in years and 1919 in years


def test_a_large_position_ranks_people_near_in_time_and_stays_unambiguous():
    people = [PersonFact(f"Lars Holder{n}", f"Holder{n}", f"lars-holder-{n}") for n in range(150)]
    titles = [
        TitleFact(f"Chancellor of the Large Council, style {n}", "Chancellor") for n in range(4)
    ]
    day, terms = dt.date(1500, 1, 1), []
    for n in range(400):
        end = day + dt.timedelta(days=200 + (n * 37) % 300)
        terms.append(
            TermFact(
                people[(n * 7) % 150], titles[n // 100], day, end, n % 50 == 0, n % 90 == 0, ""
            )
        )
        day = end + dt.timedelta(days=n % 3)
    facts = PositionFacts("Large Office", "Chancellor", "large", tuple(titles), tuple(terms), ())
    oracle = Oracle(facts)
    askable = [kind for kind, reason in available_kinds(facts).items() if reason is None]
    assert askable == [kind for kind in KINDS if kind != "acting"]  # nobody only acted
    for kind in askable:
        count = min(distinct_question_count(facts, [kind], repeat_facts=True), 150)
        for question in generate_questions(
            facts, rng=random.Random(1), count=count, kinds=[kind], repeat_facts=True
        ):
            oracle.check(question)
    # Hard distractors on a date come from the terms around it, not from centuries away.
    for question in generate_questions(
        facts,
        rng=random.Random(2),
        count=200,
        kinds=["holder_in_year"],
        difficulty="hard",
        repeat_facts=True,
    ):
        if "date" in question.about:
            day = dt.date.fromisoformat(question.about["date"])
            for choice in question.choices:
                nearest = min(
                    abs((t.start - day).days) for t in terms if t.person.full_name == choice
                )
                assert nearest < 20 * 365, (question, choice)
