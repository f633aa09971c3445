"""Quizzes ask each fact once, spread over the terms, and prefer facts not asked recently."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from quiz.engine import KINDS, EngineError, distinct_question_count, generate_questions
from tests.test_engine import Oracle, seed_facts


def quick(seed: int, count: int = 10, **options):
    return generate_questions(seed_facts(), rng=random.Random(seed), count=count, **options)


def test_a_thousand_quick_quizzes_never_ask_a_fact_twice():
    oracle = Oracle(seed_facts())
    for seed in range(1000):
        questions = quick(seed)
        facts = [q.about["fact_key"] for q in questions]
        assert len(set(facts)) == len(facts) == 10, [q.prompt for q in questions]
        if seed % 50 == 0:
            for question in questions:
                oracle.check(question)


def test_the_year_and_its_title_are_one_fact():
    listing = generate_questions(
        seed_facts(),
        rng=random.Random(0),
        count=4000,
        kinds=["holder_in_year", "title_in_year"],
        repeat_facts=True,
    )
    by_year: dict[tuple, set[str]] = {}
    kinds: dict[tuple, set[str]] = {}
    for q in listing:
        when = q.about.get("year") or q.about.get("date")
        if q.about["variant"] in ("year", "date") and "person" in q.about:
            by_year.setdefault((when, q.about["person"]), set()).add(q.about["fact_key"])
            kinds.setdefault((when, q.about["person"]), set()).add(q.kind)
    both = [facts for when, facts in by_year.items() if len(kinds[when]) == 2]
    assert len(both) > 50
    assert all(len(facts) == 1 for facts in both)  # "who" and "which title" share the key
    capacity = distinct_question_count(seed_facts(), ["holder_in_year", "title_in_year"])
    assert capacity < 20  # the terms (and title spans), not the thousands of days
    for seed in range(200):
        facts = [
            q.about["fact_key"]
            for q in quick(seed, capacity, kinds=["holder_in_year", "title_in_year"])
        ]
        assert len(set(facts)) == capacity


def test_time_questions_are_spread_over_the_terms_not_the_days():
    answers = Counter(
        q.answer
        for seed in range(400)
        for q in quick(seed, 5, kinds=["holder_in_year"])
        if "date" in q.about or "year" in q.about
    )
    total = sum(answers.values())
    # Stalin held the office for 30 of its 73 years; asked by day he answered 42% of them.
    assert answers["Joseph Stalin"] / total < 0.15, answers
    assert len(answers) == 11  # every formal holder comes up


def test_the_next_quiz_prefers_facts_not_asked_recently():
    first = quick(1)
    recent = {q.about["fact_key"] for q in first}
    for seed in range(2, 40):
        again = quick(seed, recent_facts=recent)
        assert not recent & {q.about["fact_key"] for q in again}
    # With fewer fresh facts than questions, recent ones fill the rest rather than refuse.
    capacity = distinct_question_count(seed_facts())
    everything = {q.about["fact_key"] for q in quick(3, capacity)}
    assert len(everything) == capacity
    assert len(quick(4, 10, recent_facts=everything)) == 10


def test_avoided_facts_are_never_asked_and_lower_the_capacity():
    avoid = {q.about["fact_key"] for q in quick(5, 20)}
    capacity = distinct_question_count(seed_facts(), avoid_facts=avoid)
    assert capacity == distinct_question_count(seed_facts()) - 20
    questions = quick(6, capacity, avoid_facts=avoid)
    assert not avoid & {q.about["fact_key"] for q in questions}
    with pytest.raises(EngineError):
        quick(6, capacity + 1, avoid_facts=avoid)


def test_every_kind_turns_up_in_quick_quizzes_and_small_kinds_not_always():
    appearances = Counter(kind for seed in range(300) for kind in {q.kind for q in quick(seed)})
    assert set(appearances) == set(KINDS)
    assert appearances["acting"] < 150
