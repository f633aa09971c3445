"""Position.objects.facts_for: the seed's facts, loaded in one query whatever the amount of data."""

import datetime as dt

import pytest

from history.facts import PersonFact, PositionFacts, TermFact, TitleFact
from history.models import Association, Position
from tests.factories import (
    AssociationFactory,
    PersonFactory,
    PositionFactory,
    TermFactory,
    TitleFactory,
)

pytestmark = pytest.mark.django_db

SEED = "general-secretary-cpsu"


def test_seed_facts_load_in_one_query(seed_history, django_assert_num_queries):
    with django_assert_num_queries(1):
        facts = Position.objects.facts_for(SEED)

    assert isinstance(facts, PositionFacts)
    assert (facts.name, facts.short_name, facts.slug) == (
        "General Secretary of the Communist Party of the Soviet Union",
        "General Secretary",
        SEED,
    )
    assert len(facts.terms) == 12
    assert [t.start for t in facts.terms] == sorted(t.start for t in facts.terms)
    assert [t.short_name for t in facts.titles] == [
        "Chairman of the Secretariat",
        "Responsible Secretary",
        "General Secretary",
        "First Secretary",
        "General Secretary",
    ]
    brezhnev = [t for t in facts.terms if t.person.short_name == "Brezhnev"]
    assert [(t.start, t.end, t.died_in_office) for t in brezhnev] == [
        (dt.date(1964, 10, 14), dt.date(1966, 4, 8), False),
        (dt.date(1966, 4, 8), dt.date(1982, 11, 10), True),
    ]
    assert brezhnev[0].person == PersonFact("Leonid Brezhnev", "Brezhnev", "leonid-brezhnev")
    ivashko = facts.terms[-1]
    assert (ivashko.person.short_name, ivashko.acting, ivashko.died_in_office) == (
        "Ivashko",
        True,
        False,
    )
    assert ivashko.note.startswith("Ivashko was elected Deputy General Secretary")
    stalin = next(
        a
        for a in facts.associations
        if a.person.short_name == "Stalin" and a.relation == "de_facto_holder"
    )
    assert (stalin.start, stalin.end, stalin.ended_by_death) == (
        dt.date(1952, 10, 16),
        dt.date(1953, 3, 5),
        True,
    )
    assert len(facts.associations) == 16  # 12 named by the article, 4 de facto spans


def test_facts_are_frozen_and_hashable(seed_history):
    facts = Position.objects.facts_for(SEED)
    assert facts == Position.objects.facts_for(SEED)
    assert hash(facts) == hash(Position.objects.facts_for(SEED))
    with pytest.raises(AttributeError):
        facts.name = "Something else"  # type: ignore[misc]


def test_query_count_stays_one_with_more_data(seed_history, django_assert_num_queries):
    position = PositionFactory(slug="big")
    titles = [TitleFactory(position=position) for _ in range(6)]
    start = dt.date(1800, 1, 1)
    for index in range(120):
        TermFactory(
            title=titles[index % 6],
            start_date=start + dt.timedelta(days=100 * index),
            end_date=start + dt.timedelta(days=100 * index + 99),
        )
    for _ in range(40):
        AssociationFactory(position=position)

    with django_assert_num_queries(1):
        facts = Position.objects.facts_for("big")

    assert (len(facts.titles), len(facts.terms), len(facts.associations)) == (6, 120, 40)
    with django_assert_num_queries(1):
        Position.objects.facts_for(SEED)


def test_unknown_slug_raises_does_not_exist(db):
    with pytest.raises(Position.DoesNotExist):
        Position.objects.facts_for("no-such-position")


def test_position_without_terms_still_loads(db):
    position = PositionFactory(slug="empty", name="Empty Office", short_name="Empty")
    TitleFactory(position=position, name="Keeper of Nothing", short_name="Keeper")

    facts = Position.objects.facts_for("empty")

    assert facts == PositionFacts(
        name="Empty Office",
        short_name="Empty",
        slug="empty",
        titles=(TitleFact("Keeper of Nothing", "Keeper"),),
        terms=(),
        associations=(),
    )


def test_facts_hold_only_the_asked_position(seed_history):
    other = PositionFactory(slug="other")
    TermFactory(title=TitleFactory(position=other), person=PersonFactory(full_name="Zed Other"))
    AssociationFactory(position=other, relation=Association.Relation.DE_FACTO_HOLDER)

    facts = Position.objects.facts_for(SEED)

    assert all(t.person.full_name != "Zed Other" for t in facts.terms)
    assert len(facts.terms) == 12 and len(facts.associations) == 16
    other_facts = Position.objects.facts_for("other")
    assert [t.person.full_name for t in other_facts.terms] == ["Zed Other"]
    assert isinstance(other_facts.terms[0], TermFact)
    assert other_facts.terms[0].end == dt.date(1955, 6, 30)


@pytest.mark.django_db
def test_facts_carry_the_disputed_start_date(seed_history):
    facts = Position.objects.facts_for("general-secretary-cpsu")
    disputed = {term.person.short_name: term.disputed_start for term in facts.terms}
    assert disputed["Khrushchev"] == dt.date(1953, 9, 14)
    assert [name for name, day in disputed.items() if day is not None] == ["Khrushchev"]
