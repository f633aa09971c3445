"""A set's scope picks which questions to ask; the engine still sees the whole position."""

import dataclasses
import datetime as dt
import random

import pytest

from history.models import Position
from quiz import engine, scope
from quiz.scope import Scope, TooFewQuestions, covers, generated_questions, scoped_questions

pytestmark = pytest.mark.django_db

SLUG = "general-secretary-cpsu"
GS_TITLES = frozenset(
    {
        "General Secretary of the Central Committee of the All-Union Communist Party (Bolsheviks)",
        "General Secretary of the Central Committee of the Communist Party of the Soviet Union",
    }
)
KHRUSHCHEV_YEARS = Scope(start=dt.date(1953, 9, 7), end=dt.date(1964, 10, 14))
SMALL_KINDS = [kind for kind in engine.KINDS if kind not in ("holder_in_year", "title_in_year")]


@pytest.fixture
def facts(seed_history):
    return Position.objects.facts_for(SLUG)


def every_question(facts, kind, seed=0):
    count = engine.distinct_question_count(facts, [kind], repeat_facts=True)
    return engine.generate_questions(
        facts, rng=random.Random(seed), count=count, kinds=[kind], repeat_facts=True
    )


def every_variant(facts, kind, seeds=40):
    """Every question of the kind the engine makes from the whole facts, over many draws."""
    return {
        (q.prompt, q.answer): q for seed in range(seeds) for q in every_question(facts, kind, seed)
    }


def test_facts_cut_down_to_a_scope_would_make_false_questions(facts):
    """Why the scope filters questions rather than facts: the engine trusts the facts it gets."""
    cut = dataclasses.replace(
        facts, terms=tuple(t for t in facts.terms if t.title.name in GS_TITLES)
    )
    answers = {q.prompt: q.answer for q in every_question(cut, "successor")}
    assert answers["Who succeeded Joseph Stalin as General Secretary?"] == "Leonid Brezhnev"


@pytest.mark.parametrize(
    "the_scope",
    [Scope(titles=GS_TITLES), KHRUSHCHEV_YEARS, Scope(titles=GS_TITLES, start=dt.date(1980, 1, 1))],
    ids=["titles", "dates", "both"],
)
def test_scoped_questions_are_the_whole_positions_questions_about_the_scope(facts, the_scope):
    for kind in SMALL_KINDS:
        true_questions = every_variant(facts, kind)
        in_scope = {
            q.about["fact_key"] for q in true_questions.values() if covers(the_scope, q, facts)
        }
        got = scoped_questions(
            facts,
            scope=the_scope,
            kind=kind,
            count=len(in_scope),
            difficulty="medium",
            rng=random.Random(7),
        )
        # Every fact with a question inside the scope turns up, once, and each question is one
        # the engine asks of the whole position, so its answer is right in the whole history.
        assert sorted(q.about["fact_key"] for q in got) == sorted(in_scope), kind
        for question in got:
            assert (question.prompt, question.answer) in true_questions, question.prompt
            assert covers(the_scope, question, facts)


def test_no_successor_question_about_the_general_secretaries_names_brezhnev_after_stalin(facts):
    questions = scoped_questions(
        facts,
        scope=Scope(titles=GS_TITLES),
        kind="successor",
        count=5,
        difficulty="medium",
        rng=random.Random(1),
    )
    answers = {q.about["person"]: q.answer for q in questions}
    assert answers.get("Joseph Stalin", "Nikita Khrushchev") == "Nikita Khrushchev"
    assert all(q.about["office"] in GS_TITLES for q in questions)


def test_date_scope_keeps_the_asked_day_or_year_inside_it(facts):
    questions = scoped_questions(
        facts,
        scope=KHRUSHCHEV_YEARS,
        kind="holder_in_year",
        count=2,
        difficulty="hard",
        rng=random.Random(3),
    )
    # One question per term in the span: Khrushchev's, and Brezhnev's as First Secretary.
    assert len({q.about["fact_key"] for q in questions}) == 2
    for question in questions:
        about = question.about
        if "date" in about:
            assert "1953-09-07" <= about["date"] <= "1964-10-14"
        else:
            assert 1953 <= about["year"] <= 1964
        assert question.answer in {"Nikita Khrushchev", "Leonid Brezhnev"}


def test_a_narrow_scope_of_a_big_kind_is_found_by_generating_the_whole_kind(facts, monkeypatch):
    one_month = Scope(start=dt.date(1970, 3, 1), end=dt.date(1970, 3, 31))
    questions = scoped_questions(
        facts,
        scope=one_month,
        kind="title_in_year",
        count=1,
        difficulty="easy",
        rng=random.Random(2),
    )
    assert len(questions) == 1
    assert all(
        q.about.get("year") == 1970 or q.about["date"].startswith("1970-03") for q in questions
    )
    # The sampling is only a shortcut: with no sample the result is the same.
    monkeypatch.setattr(scope, "WHOLE_KIND_LIMIT", 10**6)
    again = scoped_questions(
        facts,
        scope=one_month,
        kind="title_in_year",
        count=1,
        difficulty="easy",
        rng=random.Random(2),
    )
    assert [q.prompt for q in again] == [q.prompt for q in questions]


@pytest.mark.parametrize("seed", [0, 1, 99])
def test_too_narrow_a_scope_fails_whatever_the_seed_and_says_how_many_there_are(facts, seed):
    with pytest.raises(TooFewQuestions) as caught:
        scoped_questions(
            facts,
            scope=KHRUSHCHEV_YEARS,
            kind="successor",
            count=5,
            difficulty="medium",
            rng=random.Random(seed),
        )
    # Khrushchev in 1953 and Brezhnev in 1964 took office inside the span.
    assert (caught.value.available, caught.value.asked, caught.value.scoped) == (2, 5, True)


def test_an_unscoped_kind_asked_for_too_many_reports_the_positions_total(facts):
    with pytest.raises(TooFewQuestions) as caught:
        scoped_questions(
            facts, scope=Scope(), kind="acting", count=2, difficulty="medium", rng=random.Random(0)
        )
    assert (caught.value.available, caught.value.scoped) == (1, False)


def test_generated_questions_come_kind_by_kind_in_engine_order(facts):
    questions = generated_questions(
        facts,
        scope=Scope(),
        counts={"start_year": 2, "successor": 3},
        difficulty="medium",
        rng=random.Random(5),
    )
    assert [q.kind for q in questions] == ["successor"] * 3 + ["start_year"] * 2


def test_unknown_kinds_are_an_engine_error(facts):
    with pytest.raises(engine.EngineError, match="Unknown question kind 'gossip'"):
        generated_questions(
            facts, scope=Scope(), counts={"gossip": 1}, difficulty="medium", rng=random.Random(0)
        )


def test_a_set_asks_each_fact_once_across_its_kinds_whatever_the_seed(facts):
    # Three kinds that share the terms' facts, asking for nearly all of them between them.
    counts = {"holder_in_year": 6, "title_in_year": 3, "title_of_person": 4}
    for seed in range(60):
        questions = generated_questions(
            facts, scope=Scope(), counts=counts, difficulty="medium", rng=random.Random(seed)
        )
        keys = [q.about["fact_key"] for q in questions]
        assert len(keys) == 13 and len(set(keys)) == 13, seed
