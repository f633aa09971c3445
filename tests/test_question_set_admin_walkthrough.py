"""The set admin as a new teacher meets it: a set may start empty (to import its questions into)
but is never published empty, and the scope offers the set's own position's titles."""

import html
import re

import pytest
from django.urls import reverse

from history.models import Position
from quiz import admin_forms
from quiz.models import QuestionSet
from tests.factories import PositionFactory, TermFactory, TitleFactory
from tests.quiz_factories import add_handwritten, make_question_set, make_teacher
from tests.test_teacher_admin import ADD, errors, handwritten, set_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def position(seed_history):
    return Position.objects.get(slug="general-secretary-cpsu")


@pytest.fixture
def teacher(client):
    teacher = make_teacher(username="ms-ada")
    client.force_login(teacher)
    return teacher


@pytest.fixture
def premier():
    """A second position, with two titles in use one after the other."""
    position = PositionFactory(name="Premier of Example Land", short_name="Premier")
    for name, year in (("Chairman of the Council", 1923), ("Prime Minister", 1946)):
        title = TitleFactory(position=position, name=name, short_name=name)
        TermFactory(title=title, start_date=f"{year}-01-01", end_date=f"{year + 5}-01-01")
    return position


def change_url(question_set) -> str:
    return reverse("admin:quiz_questionset_change", args=[question_set.pk])


def change_form(question_set, **fields) -> dict:
    """What the change page posts for a set with its hand-written questions as they are."""
    questions = list(question_set.handwritten_questions.prefetch_related("choices"))
    data = set_form(question_set.position, kinds=[], questions=[], **fields)
    data["handwritten_questions-TOTAL_FORMS"] = str(len(questions))
    data["handwritten_questions-INITIAL_FORMS"] = str(len(questions))
    for number, question in enumerate(questions):
        choices = list(question.choices.all())
        fields = handwritten(
            question.prompt,
            [choice.text for choice in choices],
            correct=[n for n, choice in enumerate(choices, start=1) if choice.is_correct],
            id=str(question.pk),
            question_set=str(question_set.pk),
        )
        for name, value in fields.items():
            data[f"handwritten_questions-{number}-{name}"] = value
    return data


def ticked_boxes(page: str) -> list[str]:
    return re.findall(r'<input type="checkbox" name="scope_titles" value="(\d+)"', page)


# -- a set may start empty ------------------------------------------------------------------------


def test_an_unpublished_set_saves_with_no_questions_and_points_to_the_import(
    client, teacher, position
):
    response = client.post(
        ADD, set_form(position, kinds=[], questions=[], is_published=None), follow=True
    )
    question_set = QuestionSet.objects.get()
    assert not question_set.is_published
    import_url = reverse("question-import", args=[question_set.pk])
    page = html.unescape(response.content.decode())
    assert "has no questions yet" in page and f'href="{import_url}"' in page
    change_page = html.unescape(client.get(change_url(question_set)).content.decode())
    assert change_page.count(f'href="{import_url}"') == 2, "the object tools and the notice"
    assert client.get(import_url).status_code == 200


def test_the_add_page_says_a_set_may_start_empty(client, teacher, position):
    page = html.unescape(client.get(ADD).content.decode())
    assert "may start with no questions while it is not published" in page


def test_a_published_set_needs_a_question(client, teacher, position):
    response = client.post(ADD, set_form(position, kinds=[], questions=[]))
    assert admin_forms.PUBLISHED_WITHOUT_QUESTIONS in errors(response)
    assert not QuestionSet.objects.exists()


def test_an_empty_set_is_published_only_once_it_has_questions(client, teacher, position):
    question_set = make_question_set(owner=teacher, position=position, is_published=False)
    response = client.post(change_url(question_set), change_form(question_set))
    assert admin_forms.PUBLISHED_WITHOUT_QUESTIONS in errors(response)
    # The page tells the set as saved, not as the refused form would have had it.
    assert "Not published yet" in html.unescape(response.content.decode())
    question_set.refresh_from_db()
    assert not question_set.is_published

    add_handwritten(question_set, prompt="Who came first?", choices=["Lenin", "Stalin"])
    response = client.post(change_url(question_set), change_form(question_set))
    assert response.status_code == 302, errors(response)
    question_set.refresh_from_db()
    assert question_set.is_published


# -- the scope's titles ---------------------------------------------------------------------------


def test_an_existing_sets_scope_offers_only_its_positions_titles(
    client, teacher, position, premier
):
    question_set = make_question_set(owner=teacher, position=premier, handwritten=1)
    page = client.get(change_url(question_set)).content.decode()
    assert ticked_boxes(page) == [str(title.pk) for title in premier.titles.order_by("pk")]


def test_a_new_sets_scope_groups_every_title_under_its_position(client, teacher, position, premier):
    page = html.unescape(client.get(ADD).content.decode())
    boxes = ticked_boxes(page)
    assert set(boxes) == {str(pk) for pk in position.titles.values_list("pk", flat=True)} | {
        str(pk) for pk in premier.titles.values_list("pk", flat=True)
    }
    for each in (position, premier):
        group_label = page.index(f"<label>{each.name}</label>")
        for title in each.titles.all():
            assert page.index(f'name="scope_titles" value="{title.pk}"') > group_label


def test_a_title_of_another_position_is_named_and_stays_to_be_unticked(
    client, teacher, position, premier
):
    stray = position.titles.order_by("pk").first()
    response = client.post(
        ADD, set_form(premier, kinds=[], scope_titles=[str(stray.pk)], is_published=None)
    )
    assert f"“{stray.name}” is a title of {position.name}, not of {premier.name}." in errors(
        response
    )
    page = html.unescape(response.content.decode())
    assert set(ticked_boxes(page)) == {
        str(pk) for pk in premier.titles.values_list("pk", flat=True)
    } | {str(stray.pk)}
    assert f"<label>{position.name}</label>" in page, (
        "the stray title is labelled with its position"
    )
