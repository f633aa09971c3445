"""The set admin as a teacher finds it: every error of a question at once, scope days from 1900 to
today without a "Today" shortcut, and no other teacher's private topic in the filters."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from history.models import Position
from quiz import admin_forms
from quiz import handwritten as rules
from quiz.models import QuestionSet
from tests.factories import PositionFactory
from tests.quiz_factories import make_question_set, make_teacher
from tests.test_teacher_admin import ADD, errors, handwritten, set_form, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def position(seed_history):
    return Position.objects.get(slug="general-secretary-cpsu")


@pytest.fixture
def teacher(client):
    teacher = make_teacher(username="ms-ada")
    client.force_login(teacher)
    return teacher


def test_every_error_of_a_handwritten_question_shows_at_once(client, teacher, position):
    question = handwritten(choices=["Lenin", "lenin", "Trotsky"], correct=(1, 3), correct_4="on")
    shown = errors(client.post(ADD, set_form(position, questions=[question])))
    for message in (
        rules.SAME_CHOICES.format(numbers="1 and 2"),
        rules.TWO_CORRECT_CHOICES.format(numbers="1 and 3"),
        rules.CORRECT_BUT_EMPTY.format(number=4),
    ):
        assert message in shown
    assert not QuestionSet.objects.exists()


def test_choice_rules_report_each_problem_with_a_code():
    problems = rules.choice_problems([("A", True), ("a", False), ("", True), ("B" * 201, False)])
    assert [problem.code for problem in problems] == [
        rules.ProblemCode.CORRECT_BUT_EMPTY,
        rules.ProblemCode.TOO_LONG,
        rules.ProblemCode.SAME,
    ]
    assert rules.choice_problems([("Lenin", True), ("Stalin", False)]) == []


def test_scope_days_are_three_selects_from_1900_to_this_year_without_today(
    client, teacher, position
):
    page = text(client.get(ADD))
    year_select = re.search(r'<select name="scope_start_year".*?</select>', page, re.S).group(0)
    years = [int(year) for year in re.findall(r'<option value="(\d{4})"', year_select)]
    assert years == list(range(1900, timezone.localdate().year + 1))
    assert 'name="scope_end_day"' in page
    assert "vDateField" not in page, "the admin's calendar and Today shortcut hook onto this class"


def test_scope_days_from_the_selects_are_saved_and_out_of_range_days_refused(
    client, teacher, position
):
    fields = {
        "scope_start": None,
        "scope_start_year": "1953",
        "scope_start_month": "9",
        "scope_start_day": "7",
        "scope_end": None,
        "scope_end_year": "1964",
        "scope_end_month": "10",
        "scope_end_day": "14",
    }
    response = client.post(ADD, set_form(position, kinds=[("successor", 1)], **fields))
    assert response.status_code == 302, errors(response)
    saved = QuestionSet.objects.get()
    assert (saved.scope_start, saved.scope_end) == (dt.date(1953, 9, 7), dt.date(1964, 10, 14))
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    shown = errors(client.post(ADD, set_form(position, scope_end=tomorrow.isoformat())))
    assert admin_forms.SCOPE_DAY_OUT_OF_RANGE in shown
    assert admin_forms.SCOPE_DAY_OUT_OF_RANGE in errors(
        client.post(ADD, set_form(position, scope_start="1899-12-31"))
    )


def test_the_list_names_positions_short_and_filters_only_the_teachers_own(client, teacher):
    mine = make_question_set(owner=teacher, title="Mine")
    PositionFactory(name="Someone else's private topic", short_name="Private")
    page = text(client.get(reverse("admin:quiz_questionset_changelist")))
    assert f'<td class="field-position_short">{mine.position.short_name}</td>' in page
    assert "Someone else's private topic" not in page
    assert "is_nav_sidebar_enabled" not in page and 'id="nav-sidebar"' not in page
