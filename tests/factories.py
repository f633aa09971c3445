"""factory-boy factories for every model."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from history.models import Association, Person, Position, PositionFact, Term, Title


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    name = factory.Sequence(lambda n: f"Chancellor of Example Republic {n}")
    short_name = "Chancellor"
    slug = factory.Sequence(lambda n: f"chancellor-{n}")
    country = "Example Republic"
    source_title = "A test source"


class PositionFactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PositionFact

    position = factory.SubFactory(PositionFactory)
    label = factory.Sequence(lambda n: f"Fact {n}")
    value = "A value"
    order = factory.Sequence(int)


class TitleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Title

    position = factory.SubFactory(PositionFactory)
    name = factory.Sequence(lambda n: f"Chancellor of the Example Council {n}")
    short_name = "Chancellor"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Ada Example{n}")
    short_name = factory.LazyAttribute(lambda person: person.full_name.split()[-1])
    slug = factory.Sequence(lambda n: f"ada-example-{n}")


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    person = factory.SubFactory(PersonFactory)
    title = factory.SubFactory(TitleFactory)
    start_date = dt.date(1950, 1, 1)
    end_date = dt.date(1955, 6, 30)


class AssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Association

    position = factory.SubFactory(PositionFactory)
    person = factory.SubFactory(PersonFactory)
    relation = Association.Relation.CONTEMPORARY
    description = "Worked alongside the holder."


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("a-long-test-password")
