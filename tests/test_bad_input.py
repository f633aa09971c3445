"""Each input that once gave a 500 now gets a 4xx that says what was wrong (issue 10), and the
request limits refuse a body or a form too big for one request, at once."""

import html

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from config import guards
from config.admin_site import SELECTION_UNREADABLE
from history.models import Person, Position, Term, Title
from quiz import views
from quiz.models import MAX_HANDWRITTEN_QUESTIONS, QuestionSet
from tests.quiz_factories import make_attempt, make_question_set, make_teacher

pytestmark = pytest.mark.django_db

HUGE = 2**63  # one above the largest id a 64-bit column holds


def page_text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def teacher_client(client):
    teacher = make_teacher(username="ms-limits")
    client.force_login(teacher)
    client.teacher = teacher
    return client


def test_a_nul_byte_in_a_share_code_url_is_a_400_that_says_so(client):
    response = client.get("/s/AB%00CD/")
    assert response.status_code == 400
    assert guards.NUL_IN_ADDRESS in page_text(response)


def test_a_share_code_that_is_no_code_is_the_sets_own_404(client):
    response = client.get("/s/" + "x" * 300 + "/")
    assert response.status_code == 404
    assert views.SET_NOT_FOUND in page_text(response)
    assert not QuestionSet.objects.with_code("AB\x00CD").exists()


def test_a_nul_byte_in_the_session_cookie_is_a_400_that_clears_it(client, seed_history):
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnopqrstuvwxyz012345"
    response = client.get(reverse("home"))
    assert response.status_code == 400
    assert guards.NUL_IN_COOKIE in page_text(response)
    assert response.cookies["sessionid"]["max-age"] == 0
    # The browser drops the cookie, and the next page works.
    assert client.get(reverse("home")).status_code == 200


def test_an_attempt_id_beyond_any_column_is_a_404_that_says_so(client):
    attempt = make_attempt(guest_token="t")
    for url in (f"/attempts/{HUGE}/", f"/attempts/{attempt.pk}/questions/{HUGE}/"):
        response = client.get(url)
        assert response.status_code == 404
        assert guards.NOT_FOUND in page_text(response)
    # The largest id that fits is looked up, and is simply not this guest's.
    response = client.get(f"/attempts/{HUGE - 1}/")
    assert response.status_code == 404
    assert views.NOT_FOUND in page_text(response)


@pytest.mark.parametrize("selection", [["abc"], [str(HUGE)], ["1\x00"], ["1", "2.5"]])
def test_an_admin_action_on_a_selection_that_is_no_ids_is_a_400_that_says_so(
    teacher_client, selection
):
    question_set = make_question_set(owner=teacher_client.teacher)
    response = teacher_client.post(
        reverse("admin:quiz_questionset_changelist"),
        {
            "action": "duplicate_sets",
            "index": "0",
            "_selected_action": [question_set.pk, *selection],
        },
    )
    assert response.status_code == 400
    shown = selection[-1].replace("\x00", "\N{SYMBOL FOR NULL}")
    assert SELECTION_UNREADABLE.format(value=shown, name="question set") in page_text(response)
    assert QuestionSet.objects.count() == 1  # nothing was duplicated


def test_every_registered_admin_refuses_such_a_selection(admin_client):
    """Django's own admins (users, groups) too: the check is the site's, not each admin's."""
    for model in admin.site._registry:
        opts = model._meta
        response = admin_client.post(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            {"action": "delete_selected", "index": "0", "_selected_action": ["abc"]},
        )
        assert response.status_code == 400, model
        expected = SELECTION_UNREADABLE.format(value="abc", name=opts.verbose_name)
        assert expected in page_text(response)


def test_a_scope_title_id_beyond_any_column_is_a_form_error(teacher_client, seed_history):
    position = Position.objects.get(slug="general-secretary-cpsu")
    response = teacher_client.post(
        reverse("admin:quiz_questionset_add"),
        {
            "title": "Huge",
            "position": position.pk,
            "difficulty": "medium",
            "order": "fixed",
            "scope_titles": str(10**30),
            "kinds-TOTAL_FORMS": "0",
            "kinds-INITIAL_FORMS": "0",
            "handwritten_questions-TOTAL_FORMS": "0",
            "handwritten_questions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 400
    assert f"{10**30} is not one of the available choices" in page_text(response)
    assert not QuestionSet.objects.exists()


def test_a_term_form_with_a_person_that_is_no_id_is_a_form_error(admin_client, seed_history):
    title = Title.objects.get(short_name="First Secretary")
    response = admin_client.post(
        reverse("admin:history_term_add"),
        {"person": "abc", "title": str(title.pk), "start_date": "1999-01-01"},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in page_text(response)
    assert not Term.objects.filter(start_date="1999-01-01").exists()


def test_thousands_of_hand_written_forms_are_refused_building_no_more_than_a_set_holds(
    teacher_client, seed_history
):
    """A posted TOTAL_FORMS of 2,000 once rendered 2,000 forms (18 MB); now the formset stops at
    the set's limit and says why."""
    position = Position.objects.get(slug="general-secretary-cpsu")
    question_set = make_question_set(owner=teacher_client.teacher, position=position, handwritten=1)
    url = reverse("admin:quiz_questionset_change", args=[question_set.pk])
    response = teacher_client.post(
        url,
        {
            "title": question_set.title,
            "position": position.pk,
            "difficulty": "medium",
            "order": "fixed",
            "kinds-TOTAL_FORMS": "0",
            "kinds-INITIAL_FORMS": "0",
            "handwritten_questions-TOTAL_FORMS": "2000",
            "handwritten_questions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 400
    (handwritten,) = [
        f.formset
        for f in response.context["inline_admin_formsets"]
        if f.formset.prefix == "handwritten_questions"
    ]
    assert len(handwritten.forms) == MAX_HANDWRITTEN_QUESTIONS
    assert (
        f"A set can have at most {MAX_HANDWRITTEN_QUESTIONS} hand-written questions"
        in page_text(response)
    )
    assert len(response.content) < 2_000_000


def test_every_inline_is_capped():
    """No admin inline builds more forms than it lets a post save."""
    from django.test import RequestFactory

    superuser = get_user_model()(is_superuser=True, is_staff=True, is_active=True)
    request = RequestFactory().get("/")
    request.user = superuser
    for model_admin in admin.site._registry.values():
        for inline in model_admin.get_inline_instances(request):
            formset = inline.get_formset(request)
            assert formset.validate_max, inline
            assert formset.absolute_max == formset.max_num, inline


def test_too_many_fields_are_a_400_that_says_so(client):
    fields = {f"f{n}": "1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post(reverse("signup"), fields)
    assert response.status_code == 400
    assert f"more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,} fields" in page_text(response)


@pytest.mark.parametrize(
    "size", [settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10, settings.REQUEST_MAX_BYTES + 10]
)
def test_a_body_too_big_is_a_413_that_says_so(client, size):
    body = b"a=" + b"x" * size
    response = client.post(
        reverse("signup"), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert "more than any page here takes" in page_text(response)


def test_a_next_that_is_no_path_is_ignored(client):
    response = client.post(
        reverse("signup") + "?next=9223372036854775808",
        {
            "username": "kim",
            "display_name": "Kim",
            "password1": "a-long-test-password-42",
            "password2": "a-long-test-password-42",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_a_question_import_beyond_the_sets_limit_is_refused(teacher_client):
    from quiz.classroom.imports.questions import QuestionFormat, read_question_file

    question_set = make_question_set(owner=teacher_client.teacher)
    rows = "\n".join(f"Question {n}?\tAnswer {n}" for n in range(MAX_HANDWRITTEN_QUESTIONS + 1))
    result = read_question_file(
        data=rows.encode(),
        file_name="quizlet.txt",
        file_format=QuestionFormat.QUIZLET,
        existing_prompts=[],
    )
    assert not result.is_valid
    assert any(
        f"a set holds at most {MAX_HANDWRITTEN_QUESTIONS}" in problem.message
        for problem in result.problems
    )
    assert question_set.handwritten_questions.count() == 0


def test_an_autocomplete_with_a_value_that_is_no_id_renders(admin_client, seed_history):
    person = Person.objects.first()
    response = admin_client.post(
        reverse("admin:history_person_change", args=[person.pk]),
        {
            "full_name": person.full_name,
            "short_name": person.short_name,
            "slug": person.slug,
            "terms-TOTAL_FORMS": "1",
            "terms-INITIAL_FORMS": "0",
            "terms-0-person": "abc",
            "terms-0-title": str(HUGE),
            "terms-0-start_date": "1999-01-01",
            "associations-TOTAL_FORMS": "0",
            "associations-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 400
    assert Client().get("/").status_code == 200
