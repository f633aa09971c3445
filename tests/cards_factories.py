"""Factories for flashcard tests: facts, students' cards and their settings."""

from __future__ import annotations

import datetime as dt

import factory

from quiz.cards.models import Card, Fact, StudySettings

NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


class FactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fact

    key = factory.Sequence(lambda n: f"term:test-position:person-{n}:title")
    kind = "term"
    front = factory.Sequence(lambda n: f"When did Person {n} hold the office?")
    back = factory.Sequence(lambda n: f"From 1 January {1900 + n} to 1 January {1901 + n}")
    detail = "Person held the office."
    source = "A test source."
    sibling_group = factory.LazyAttribute(lambda fact: fact.key)


class CardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Card

    user = factory.SubFactory("tests.factories.UserFactory")
    fact = factory.SubFactory(FactFactory)
    due = NOW
    added_at = NOW


class StudySettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudySettings

    user = factory.SubFactory("tests.factories.UserFactory")
