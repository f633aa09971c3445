"""Difficulty means something: wrong choices nearer in time, exact days, near-miss years, full
titles as it rises; and no year question gives its answer away by being earliest or latest."""

from __future__ import annotations

import datetime as dt
import random
import statistics
from collections import Counter

import pytest

from quiz.engine import KINDS, REGISTRY, Difficulty, generate_questions
from tests.test_engine import ALL_TITLES, Oracle, seed_facts

BAND_TEXT = Oracle.BAND_TEXT

LEVELS = (Difficulty.EASY, Difficulty.MEDIUM, Difficulty.HARD)
PEOPLE_KINDS = [
    "successor",
    "predecessor",
    "holder_in_year",
    "died_in_office",
    "first_holder",
    "acting",
    "which_first",
]
TITLE_KINDS = ["title_in_year", "title_of_person"]
# Typed answers offer no choices, so there is nothing for difficulty to bring nearer.
SAME_AT_EVERY_LEVEL = ["typed_successor"]


def questions_at(level: Difficulty, kind: str, seeds: int = 150):
    facts = seed_facts()
    return [
        q
        for seed in range(seeds)
        for q in generate_questions(
            facts, rng=random.Random(seed), count=1, kinds=[kind], difficulty=level
        )
    ]


def first_start() -> dict[str, dt.date]:
    """When each person's tie to the office began (de facto ties included)."""
    starts: dict[str, dt.date] = {}
    for term in seed_facts().terms:
        starts.setdefault(term.person.full_name, term.start)
    for association in seed_facts().associations:
        if association.start and association.relation == "de_facto_holder":
            name = association.person.full_name
            starts[name] = min(starts.get(name, association.start), association.start)
    return starts


def days_held() -> Counter:
    days = Counter()
    for term in seed_facts().terms:
        days[term.person.full_name] += ((term.end or term.start) - term.start).days
    return days


def mean_distance(kind: str, level: Difficulty) -> float:
    """How far the wrong choices lie from the answer: in years of the year, in days of time
    in office (longest tenure), or in days between first starts (people)."""
    starts, held = first_start(), days_held()
    gaps = []
    for q in questions_at(level, kind):
        for choice in q.choices:
            if choice == q.answer:
                continue
            if kind == "start_year":
                gaps.append(abs(int(choice) - int(q.answer)))
            elif kind == "tenure_band":
                gaps.append(abs(BAND_TEXT.index(choice) - BAND_TEXT.index(q.answer)))
            elif kind == "longest_tenure":
                gaps.append(held[q.answer] - held[choice])
            else:
                gaps.append(abs((starts[choice] - starts[q.answer]).days))
    return statistics.mean(gaps)


@pytest.mark.parametrize("kind", [*PEOPLE_KINDS, "start_year", "longest_tenure", "tenure_band"])
def test_wrong_choices_come_nearer_as_difficulty_rises(kind):
    easy, medium, hard = (mean_distance(kind, level) for level in LEVELS)
    assert easy > medium > hard, (kind, easy, medium, hard)


def test_every_kind_is_covered_by_a_difficulty_test():
    assert set(KINDS) == {
        *PEOPLE_KINDS,
        "start_year",
        "longest_tenure",
        "tenure_band",
        *TITLE_KINDS,
        *SAME_AT_EVERY_LEVEL,
    }


@pytest.mark.parametrize("kind", SAME_AT_EVERY_LEVEL)
def test_a_kind_that_cannot_vary_says_so_and_asks_the_same_at_every_level(kind):
    assert not REGISTRY[kind].varies_with_difficulty
    easy, medium, hard = (questions_at(level, kind) for level in LEVELS)
    assert easy == medium == hard


@pytest.mark.parametrize("kind", TITLE_KINDS)
def test_title_questions_offer_fewer_choices_when_easy_and_full_titles_when_hard(kind):
    oracle = Oracle(seed_facts())
    easy, medium, hard = (questions_at(level, kind, seeds=80) for level in LEVELS)
    assert {len(q.choices) for q in easy} == {3}
    assert {len(q.choices) for q in medium} == {4}
    assert all(set(q.choices) <= set(ALL_TITLES) for q in hard)
    assert any(choice not in ALL_TITLES for q in medium for choice in q.choices)  # short names
    for question in easy + medium + hard:
        oracle.check(question)


def test_easy_asks_by_the_year_and_hard_by_the_day():
    for kind in ("holder_in_year", "title_in_year"):
        easy, hard = questions_at(Difficulty.EASY, kind), questions_at(Difficulty.HARD, kind)
        medium = questions_at(Difficulty.MEDIUM, kind)
        by_day = {q.about["fact_key"] for q in easy + medium + hard if "date" in q.about}
        by_year = {q.about["fact_key"] for q in easy + medium + hard if "year" in q.about}
        # A fact that can be asked both ways: by its year when easy, by a day when hard.
        assert all("year" in q.about for q in easy if q.about["fact_key"] in by_year), kind
        assert all("date" in q.about for q in hard if q.about["fact_key"] in by_day), kind
        assert 0.2 < sum("date" in q.about for q in medium) / len(medium) < 0.8, kind


@pytest.mark.parametrize("level", LEVELS)
def test_the_year_asked_is_the_earliest_or_latest_choice_no_more_often_than_chance(level):
    places = Counter()
    for seed in range(150):
        for q in generate_questions(
            seed_facts(), rng=random.Random(seed), count=12, kinds=["start_year"], difficulty=level
        ):
            years = sorted(q.choices, key=int)
            places[years.index(q.answer)] += 1
    total = sum(places.values())
    extremes = (places[0] + places[len(years) - 1]) / total
    # By chance two places of four: 50%. The lifetime's first year (Sverdlov's 1918) is always
    # the earliest and the last (Ivashko's 1991) always the latest, so allow for those two.
    assert extremes < 0.5 + 2 / 12 + 0.03, places
    assert min(places.values()) > 0.12 * total, places
