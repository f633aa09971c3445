"""The history admin: every page loads, changelists stay at a fixed query count, terms are validated."""

import datetime as dt

import pytest
from django.db import connection
from django.forms import BooleanField
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from history.models import Association, Person, Position, PositionFact, Term, Title
from tests.factories import (
    AssociationFactory,
    PersonFactory,
    PositionFactFactory,
    TermFactory,
    TitleFactory,
)

pytestmark = pytest.mark.django_db

MODELS = [Position, PositionFact, Title, Person, Term, Association]


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:history_{model._meta.model_name}_{view}", args=args)


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def form_data(response) -> dict[str, str]:
    """What the browser would post back for an admin change page, unchanged."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if isinstance(field, BooleanField):
                if value:
                    data[form.add_prefix(name)] = "on"
            else:
                data[form.add_prefix(name)] = "" if value is None else str(value)
    return data


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_changelist_add_and_change_pages_load(admin_client, seed_history, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    assert admin_client.get(admin_url(model, "add")).status_code == 200
    obj = model.objects.first()
    assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200


def test_admin_index_lists_every_history_model(admin_client, db):
    html = admin_client.get(reverse("admin:index")).content.decode()
    for model in MODELS:
        assert admin_url(model, "changelist") in html


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_changelist_query_count_does_not_grow(admin_client, db, model):
    def add_rows(count: int) -> None:
        for _ in range(count):
            title = TitleFactory()
            person = PersonFactory()
            TermFactory(person=person, title=title)
            PositionFactFactory(position=title.position)
            AssociationFactory(person=person, position=title.position)

    add_rows(2)
    few = queries_for(admin_client, admin_url(model, "changelist"))
    add_rows(8)
    assert queries_for(admin_client, admin_url(model, "changelist")) == few


def test_person_changelist_filters_holders_in_the_database(admin_client, seed_history):
    url = admin_url(Person, "changelist")
    holders = admin_client.get(url, {"held_office": "yes"}).context["cl"].result_list
    assert len(holders) == 11
    assert "Joseph Stalin" in {person.full_name for person in holders}
    others = admin_client.get(url, {"held_office": "no"}).context["cl"].result_list
    assert len(others) == Person.objects.count() - 11 == 12
    assert "Georgy Malenkov" in {person.full_name for person in others}
    assert not {person.full_name for person in holders} & {person.full_name for person in others}


def test_term_changelist_search_filters_and_date_hierarchy(admin_client, seed_history):
    url = admin_url(Term, "changelist")
    found = admin_client.get(url, {"q": "Brezhnev"}).context["cl"].result_list
    assert len(found) == 2
    died = admin_client.get(url, {"died_in_office__exact": "1"}).context["cl"].result_list
    assert len(died) == 4
    acting = admin_client.get(url, {"acting__exact": "1"}).context["cl"].result_list
    assert [term.person.full_name for term in acting] == ["Vladimir Ivashko"]
    in_1966 = admin_client.get(url, {"start_date__year": "1966"}).context["cl"].result_list
    assert [term.person.full_name for term in in_1966] == ["Leonid Brezhnev"]


def term_post(title: Title, person: Person, start: str, end: str) -> dict[str, str]:
    return {
        "person": str(person.pk),
        "title": str(title.pk),
        "start_date": start,
        "end_date": end,
        "note": "",
        "source_discrepancy": "",
        "_save": "Save",
    }


def test_overlapping_term_is_refused_with_a_validation_error(admin_client, seed_history):
    first_secretary = Title.objects.get(short_name="First Secretary")
    malenkov = Person.objects.get(full_name="Georgy Malenkov")
    before = Term.objects.count()
    response = admin_client.post(
        admin_url(Term, "add"), term_post(first_secretary, malenkov, "1960-01-01", "1961-01-01")
    )
    assert response.status_code == 400
    errors = response.context["adminform"].form.errors
    assert "overlaps Nikita Khrushchev" in errors["start_date"][0]
    assert "overlaps Nikita Khrushchev" in response.content.decode()
    assert Term.objects.count() == before


def test_term_ending_before_it_starts_is_refused(admin_client, seed_history):
    title = Title.objects.get(short_name="First Secretary")
    malenkov = Person.objects.get(full_name="Georgy Malenkov")
    response = admin_client.post(
        admin_url(Term, "add"), term_post(title, malenkov, "1999-01-01", "1998-01-01")
    )
    assert response.status_code == 400
    assert "A term cannot end before it starts." in response.content.decode()


def test_term_in_a_vacancy_is_saved(admin_client, seed_history):
    title = Title.objects.get(short_name="First Secretary")
    malenkov = Person.objects.get(full_name="Georgy Malenkov")
    response = admin_client.post(
        admin_url(Term, "add"), term_post(title, malenkov, "1953-03-05", "1953-03-14")
    )
    assert response.status_code == 302
    assert Term.objects.filter(person=malenkov, start_date=dt.date(1953, 3, 5)).exists()


def test_overlap_is_caught_in_the_person_pages_term_inline(admin_client, seed_history):
    malenkov = Person.objects.get(full_name="Georgy Malenkov")
    url = admin_url(Person, "change", malenkov.pk)
    data = form_data(admin_client.get(url))
    gensec = Title.objects.get(
        name__contains="Communist Party of the Soviet Union", short_name="General Secretary"
    )
    data.update(
        {
            "terms-TOTAL_FORMS": "1",
            "terms-0-person": str(malenkov.pk),
            "terms-0-title": str(gensec.pk),
            "terms-0-start_date": "1970-01-01",
            "terms-0-end_date": "1971-01-01",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 400
    assert "overlaps Leonid Brezhnev" in response.content.decode()
    assert not malenkov.terms.exists()

    data["terms-0-start_date"], data["terms-0-end_date"] = "1953-03-05", "1953-03-14"
    data["terms-0-title"] = str(Title.objects.get(short_name="First Secretary").pk)
    assert admin_client.post(url, data).status_code == 302
    assert malenkov.terms.count() == 1
    assert malenkov.associations.count() == 1


def test_the_admin_carries_the_app_name(admin_client):
    response = admin_client.get("/admin/")
    assert "History Quiz administration" in response.content.decode()
