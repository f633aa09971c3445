"""The card builder: every card true by the data and never ambiguous, checked by an oracle that
re-derives each card's answer from the facts alone, on the seed and on Hypothesis positions."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter

from hypothesis import HealthCheck, given, settings

from history.facts import PositionFacts, TermFact
from quiz.cards.builder import CardKind, FactCard, build_cards
from quiz.engine import keys
from tests.test_engine import (
    CHAIRMAN,
    FIRST_CPSU,
    GENSEC_CPSU,
    GENSEC_VKPB,
    format_date,
    seed_facts,
)
from tests.test_engine_synthetic import positions

PRONOUNS = {"he", "she", "his", "her", "him", "hers"}


class CardOracle:
    """Re-derives from the facts what each card must say, without any builder helper."""

    def __init__(self, facts: PositionFacts) -> None:
        self.facts = facts
        self.terms = sorted(facts.terms, key=lambda t: (t.start, t.end or dt.date.max))
        self.de_facto = [a for a in facts.associations if a.relation == "de_facto_holder"]
        self.by_slug = {t.person.slug: t.person for t in self.terms}
        office = f"office of {facts.short_name or facts.name}"
        self.role = facts.role or f"the holder of the {office}"

    def date(self, term: TermFact) -> str:
        text = format_date(term.start)
        if term.disputed_start and term.disputed_start != term.start:
            other = format_date(term.disputed_start)
            if term.disputed_start.year == term.start.year:
                other = other.rsplit(" ", 1)[0]
            text += f" (the article's text says {other})"
        return text

    def terms_of(self, slug: str, title_slug: str | None = None) -> list[TermFact]:
        return [
            t
            for t in self.terms
            if t.person.slug == slug
            and (title_slug is None or keys.slug(t.title.name) == title_slug)
        ]

    def held_between(self, first: dt.date, last: dt.date) -> set[str]:
        """Formal holders with a term touching [first, last]."""
        return {
            t.person.slug for t in self.terms if t.start <= last and (t.end or dt.date.max) >= first
        }

    def de_facto_between(self, first: dt.date, last: dt.date) -> set[str]:
        return {
            a.person.full_name
            for a in self.de_facto
            if (a.start or dt.date.min) <= last and (a.end or dt.date.max) >= first
        }

    def check_all(self, cards: list[FactCard]) -> None:
        assert len({c.fact_key for c in cards}) == len(cards)
        groups = Counter(c.sibling_group for c in cards)
        for card in cards:
            assert card.front.endswith("?") and card.back and card.detail.endswith(".")
            assert card.source.startswith(self.facts.name)
            words = set(re.findall(r"[a-z]+", f"{card.front} {card.back} {card.detail}".lower()))
            assert not words & PRONOUNS, card
            # Wording a history teacher would flag.
            assert not re.search(r"until \w+'s death|Besides|own right", card.detail), card
            for tie in self.de_facto:
                if tie.start_undated and tie.start:
                    # The source gives no day: never dated, nor counted in days.
                    assert f"from {format_date(tie.start)}" not in card.detail, card
            assert keys.kind_of(card.fact_key) == card.kind.value
            parts = card.fact_key.split(":")
            assert parts[1] == self.facts.slug
            getattr(self, card.kind.name.lower())(card, parts[2:])
            if card.kind in (CardKind.SUCCESSION, CardKind.PREDECESSOR):
                assert groups[card.sibling_group] == 2
        # A forward card always comes with its reverse.
        forward = {c.fact_key.split(":", 1)[1] for c in cards if c.kind == CardKind.SUCCESSION}
        reverse = {c.fact_key.split(":", 1)[1] for c in cards if c.kind == CardKind.PREDECESSOR}
        assert forward == reverse

    # -- one method per kind: the card's answer, re-derived --

    def term(self, card: FactCard, parts: list[str]) -> None:
        terms = self.terms_of(parts[0], parts[1])
        assert terms, card
        for term in terms:
            assert self.date(term) in card.back
            if term.end:
                assert format_date(term.end) in card.back
        assert (card.back.endswith("(acting)")) == all(t.acting for t in terms)
        assert terms[0].person.full_name in card.front
        assert ("acting" in card.front) == all(t.acting for t in terms), card

    def start(self, card: FactCard, parts: list[str]) -> None:
        terms = self.terms_of(parts[0], parts[1])
        assert card.back.lower() == self.date(terms[0]).lower()
        # The title is named as it was called then: "When did Elena Stasova become Responsible
        # Secretary?", never "the office of General Secretary" for a title it was not.
        title = terms[0].title
        assert title.short_name in card.front or title.name in card.front
        assert ("acting" in card.front) == terms[0].acting, card

    def succession(self, card: FactCard, parts: list[str]) -> None:
        self._handover(card, parts, forward=True)

    def predecessor(self, card: FactCard, parts: list[str]) -> None:
        self._handover(card, parts, forward=False)

    def _handover(self, card: FactCard, parts: list[str], *, forward: bool) -> None:
        before, after = parts
        assert before != after, card  # a change of title by the same person is no succession
        left = max(
            t.end for t in self.terms_of(before) if t.end and t.end <= self._took(card, after)
        )
        took = self._took(card, after)
        # Nobody else holds the office from the one leaving to the other arriving.
        assert self.held_between(left, took) - {before, after} == set(), card
        assert all(t.end == left for t in self.terms_of(before) if left <= t.start <= took)
        answer = self.by_slug[after if forward else before]
        assert card.back.removesuffix(" (acting)") == answer.full_name
        gap = self.de_facto_between(left, took)
        assert ("formal" in card.front) == bool(gap), card
        for name in gap - {self.by_slug[before].full_name, self.by_slug[after].full_name}:
            assert name in card.detail

    def _took(self, card: FactCard, slug: str) -> dt.date:
        """The start of the arriving person's stint the card is about (dated in its detail)."""
        starts = [t.start for t in self.terms_of(slug) if self.date(t) in card.detail]
        assert starts, card
        return starts[0]

    def died(self, card: FactCard, parts: list[str]) -> None:
        (slug,) = parts
        last = self.terms_of(slug)[-1]
        assert last.died_in_office and card.back == f"Died in office on {format_date(last.end)}"
        assert not any(
            a.person.slug == slug and a.ended_by_death and a.end for a in self.facts.associations
        )

    def first(self, card: FactCard, parts: list[str]) -> None:
        terms = (
            self.terms
            if not parts
            else [t for t in self.terms if keys.slug(t.title.name) == parts[0]]
        )
        openers = {t.person.slug for t in terms if t.start == terms[0].start}
        assert len(openers) == 1, card
        assert card.back.removesuffix(" (acting)") == terms[0].person.full_name
        if not parts:
            assert "under any title" in card.front
            first = terms[0]
            assert not any(
                (a.start or dt.date.min) <= first.start and a.person.slug != first.person.slug
                for a in self.de_facto
            )

    def length(self, card: FactCard, parts: list[str]) -> None:
        terms = self.terms_of(parts[0])
        assert terms and all(t.end is not None for t in terms)
        assert card.front == f"For how long in total was {terms[0].person.full_name} {self.role}?"
        days = sum((t.end - t.start).days for t in terms)
        years = re.match(r"(\d+) years?", card.back)
        if years:  # within a year of the total by the table's dates
            assert abs(int(years.group(1)) * 365.25 - days) < 366, card
        else:
            assert card.back.endswith(" days") or days < 366, card
        ties = [a for a in self.de_facto if a.person.slug == parts[0]]
        dated = [a for a in ties if a.start and a.end and not a.start_undated]
        if dated:  # de facto days told apart, and only those the source dates
            assert f"for {sum((a.end - a.start).days for a in dated):,} day" in card.detail, card
        assert ("does not give" in card.detail) == (len(dated) < len(ties)), card

    def acting(self, card: FactCard, parts: list[str]) -> None:
        terms = self.terms_of(parts[0])
        assert terms and all(t.acting for t in terms)
        assert card.back.startswith("Only as acting")

    def title_span(self, card: FactCard, parts: list[str]) -> None:
        (title_slug,) = parts
        mine = [t for t in self.terms if keys.slug(t.title.name) == title_slug]
        assert card.back == mine[0].title.name
        others = [t for t in self.terms if keys.slug(t.title.name) != title_slug]
        years = [
            tuple(map(int, pair)) for pair in re.findall(r"from (\d{4}) to (\d{4})", card.front)
        ]
        for first, last in years:
            # No one other title was in use both in the first and in the last year.
            for other in {t.title.name for t in others}:
                used = [
                    (t.start.year, (t.end or dt.date.max).year)
                    for t in others
                    if t.title.name == other
                ]
                assert not (
                    any(a <= first <= b for a, b in used) and any(a <= last <= b for a, b in used)
                ), card
        titles = [t.title.name for t in self.terms]
        for index, term in enumerate(self.terms):
            if term.title.name != card.back:
                continue
            if index == 0 or titles[index - 1] != card.back:
                assert self.date(term) in card.detail  # a run of the title starts
            if term.end and (index + 1 == len(titles) or titles[index + 1] != card.back):
                assert format_date(term.end) in card.detail  # and ends


def test_every_seed_card_is_true_and_unambiguous():
    cards = build_cards(seed_facts())
    CardOracle(seed_facts()).check_all(cards)
    kinds = Counter(card.kind for card in cards)
    assert kinds == {
        CardKind.TERM: 12,
        CardKind.START: 12,
        CardKind.SUCCESSION: 10,
        CardKind.PREDECESSOR: 10,
        CardKind.DIED: 4,
        CardKind.FIRST: 5,
        CardKind.ACTING: 1,
        CardKind.TITLE_SPAN: 5,
        CardKind.LENGTH: 11,  # one per holder: every term has ended
    }


def card(key: str) -> FactCard:
    return next(c for c in build_cards(seed_facts()) if c.fact_key == key)


SLUG = "general-secretary-cpsu"


def test_khrushchevs_disputed_start_is_shown_both_ways():
    start = card(keys.start_key(SLUG, "nikita-khrushchev", FIRST_CPSU))
    assert start.back == "7 September 1953 (the article's text says 14 September)"
    assert "Khrushchev held it de facto from 14 March 1953" in start.detail
    assert start.front == "When did Nikita Khrushchev become First Secretary?"


def test_stalin_to_khrushchev_asks_for_the_next_formal_holder_and_names_the_de_facto_leaders():
    forward = card(keys.succession_key(SLUG, "joseph-stalin", "nikita-khrushchev"))
    assert forward.front == (
        "Who formally succeeded Joseph Stalin as the party's leading secretary?"
    )
    assert forward.back == "Nikita Khrushchev"
    assert (
        "Stalin held it de facto from 16 October 1952 until death on 5 March 1953; "
        "Georgy Malenkov held it de facto from 5 March 1953 to 14 March 1953"
    ) in forward.detail
    reverse = card(keys.predecessor_key(SLUG, "joseph-stalin", "nikita-khrushchev"))
    assert reverse.front == (
        "Whom did Nikita Khrushchev formally succeed as the party's leading secretary?"
    )
    assert reverse.back == "Joseph Stalin" and reverse.sibling_group == forward.sibling_group


def test_brezhnevs_change_of_title_is_no_succession_but_a_rename_on_the_title_card():
    keys_built = {c.fact_key for c in build_cards(seed_facts())}
    assert not any(k.endswith(":leonid-brezhnev:leonid-brezhnev") for k in keys_built)
    assert keys.succession_key(SLUG, "leonid-brezhnev", "yuri-andropov") in keys_built
    renamed = card(keys.title_span_key(SLUG, GENSEC_CPSU))
    assert renamed.front == "Which title did the party's leading secretary bear from 1966 to 1991?"
    assert "with Leonid Brezhnev staying in office" in renamed.detail


def test_the_1952_53_vacancy_is_told_plainly():
    first_secretary = card(keys.title_span_key(SLUG, FIRST_CPSU))
    assert first_secretary.front.endswith("from 1953 to 1966?")
    assert "the office had no formal holder from 16 October 1952" in first_secretary.detail
    assert "Nikita Khrushchev held it de facto from 14 March 1953" in first_secretary.detail
    stalin = card(keys.term_key(SLUG, "joseph-stalin", GENSEC_VKPB))
    assert stalin.back == "From 3 April 1922 to 16 October 1952"
    assert stalin.detail.endswith(
        "to 16 October 1952. After that, Stalin held it de facto from 16 October 1952 until "
        "death on 5 March 1953."
    )


def test_ivashko_was_acting_and_stalin_never_died_in_office():
    acting = card(keys.acting_key(SLUG, "vladimir-ivashko"))
    assert acting.back == f"Only as acting {GENSEC_CPSU}"
    assert acting.detail == (
        f"Vladimir Ivashko served only as acting {GENSEC_CPSU}, from 24 August 1991 to "
        "29 August 1991, and never held the post in full."
    )
    start = card(keys.start_key(SLUG, "vladimir-ivashko", GENSEC_CPSU))
    assert start.front == "When did Vladimir Ivashko become acting General Secretary?"
    assert start.back == "24 August 1991"
    term = card(keys.term_key(SLUG, "vladimir-ivashko", GENSEC_CPSU))
    assert term.front == "When was Vladimir Ivashko acting General Secretary?"
    assert card(keys.succession_key(SLUG, "mikhail-gorbachev", "vladimir-ivashko")).back == (
        "Vladimir Ivashko (acting)"
    )
    died = {c.fact_key for c in build_cards(seed_facts()) if c.kind == CardKind.DIED}
    assert keys.died_key(SLUG, "joseph-stalin") not in died
    assert keys.died_key(SLUG, "leonid-brezhnev") in died


def test_sverdlovs_undated_lead_is_told_in_the_sources_words_and_never_counted():
    """The article says only that Sverdlov was one of five secretaries elected on 19 August 1917
    and "rose to first among them", on a day it does not give."""
    words = (
        "in the source's words, Sverdlov was one of five secretaries elected to the first "
        "Secretariat at the 6th Party Congress on 19 August 1917, and rose to first among them "
        "before being elected chairman at the 7th Congress. It gives no day on which Sverdlov "
        "came to lead the office."
    )
    term = card(keys.term_key(SLUG, "yakov-sverdlov", CHAIRMAN))
    assert term.detail.endswith(f"Sverdlov died in office. Before that, {words}")
    start = card(keys.start_key(SLUG, "yakov-sverdlov", CHAIRMAN))
    assert start.detail.endswith(f"on 8 March 1918. Before that, {words}")
    length = card(keys.length_key(SLUG, "yakov-sverdlov"))
    assert "201" not in length.detail and length.detail.endswith(
        "Sverdlov also held it de facto from a day the source does not give, so that time is "
        "not counted."
    )
    # Where the source dates a lead (Khrushchev from 14 March 1953), its days are counted.
    khrushchev = card(keys.length_key(SLUG, "nikita-khrushchev"))
    assert khrushchev.detail.endswith("also held it de facto for 177 days, not counted here.")


def test_an_undated_lead_without_the_sources_words_still_gives_no_day():
    facts = seed_facts()
    associations = tuple(
        dataclasses.replace(a, description="") if a.person.slug == "yakov-sverdlov" else a
        for a in facts.associations
    )
    odd = dataclasses.replace(facts, associations=associations)
    cards = build_cards(odd)
    CardOracle(odd).check_all(cards)
    term = next(c for c in cards if c.fact_key == keys.term_key(SLUG, "yakov-sverdlov", CHAIRMAN))
    assert term.detail.endswith(
        "Before that, Sverdlov held it de facto from a day the source does not give, until "
        "8 March 1918."
    )


def test_the_first_holder_card_names_stalin_as_the_first_general_secretary():
    first = card(keys.first_key(SLUG))
    assert first.back == "Yakov Sverdlov"
    assert f"The first to hold it as {GENSEC_VKPB} was Joseph Stalin" in first.detail


def test_a_title_used_in_two_runs_lists_both_and_a_pair_that_changes_hands_twice_is_left_out():
    facts = seed_facts()
    a, b = facts.terms[0], facts.terms[1]  # Sverdlov, then Stasova
    again = dataclasses.replace(
        a, start=dt.date(1919, 12, 1), end=dt.date(1919, 12, 5), died_in_office=False
    )
    back = dataclasses.replace(b, start=dt.date(1919, 12, 5), end=dt.date(1919, 12, 10))
    odd = dataclasses.replace(facts, terms=(a, b, again, back), associations=())
    cards = build_cards(odd)
    CardOracle(odd).check_all(cards)
    assert not any(
        c.kind == CardKind.SUCCESSION and "yakov-sverdlov:elena-stasova" in c.fact_key
        for c in cards
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts=positions())
def test_every_card_of_any_position_is_true_and_unambiguous(facts):
    CardOracle(facts).check_all(build_cards(facts))


def test_every_question_the_engine_asks_about_the_seed_has_its_card():
    import random

    from quiz.cards.services import card_key_for_question
    from quiz.engine import distinct_question_count, generate_questions

    facts = seed_facts()
    built = {c.fact_key for c in build_cards(facts)}
    count = min(3000, distinct_question_count(facts))
    keyed = [
        q
        for q in generate_questions(facts, rng=random.Random(3), count=count)
        if q.about.get("fact_key")
    ]
    assert len(keyed) == count
    missing = {
        (q.kind, q.about["fact_key"])
        for q in keyed
        if q.kind != "longest_tenure"
        and card_key_for_question(q.kind, q.about["fact_key"]) not in built
    }
    assert missing == set()
