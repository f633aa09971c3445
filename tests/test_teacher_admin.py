"""Question sets in the admin: a teacher's own sets only, validation, and the set actions."""

import csv
import datetime as dt
import html
import io
import json
import re

import pytest
from django.urls import reverse

from history.models import Position, Title
from quiz import admin_forms, services
from quiz import handwritten as rules
from quiz.models import KIND_LABELS, Attempt, HandwrittenChoice, QuestionSet
from quiz.services import attempt_start_from_set
from tests.factories import PositionFactory, TitleFactory
from tests.quiz_factories import add_handwritten, make_question_set, make_teacher, make_user

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:quiz_questionset_changelist")
ADD = reverse("admin:quiz_questionset_add")
GS_CPSU = "General Secretary of the Central Committee of the Communist Party of the Soviet Union"


@pytest.fixture
def position(seed_history):
    return Position.objects.get(slug="general-secretary-cpsu")


@pytest.fixture
def teacher(client):
    teacher = make_teacher(username="ms-ada")
    client.force_login(teacher)
    return teacher


@pytest.fixture
def own_set(position, teacher):
    question_set = make_question_set(
        owner=teacher, position=position, kinds={"successor": 2}, title="Ada's set"
    )
    add_handwritten(question_set, prompt="Who created the office?", choices=["Lenin", "Trotsky"])
    return question_set


@pytest.fixture
def others_set(position):
    return make_question_set(
        owner=make_teacher(username="mr-bo"),
        position=position,
        kinds={"start_year": 1},
        title="Bo's set",
    )


def text(response) -> str:
    return html.unescape(response.content.decode())


def handwritten(prompt="Who created the office in 1922?", choices=None, correct=(1,), **extra):
    """One hand-written question's fields: choices by number, the numbers ticked correct."""
    choices = choices or ["Vladimir Lenin", "Joseph Stalin", "Leon Trotsky"]
    fields = {"prompt": prompt, "explanation": "Lenin did.", "order": "0", **extra}
    for number, choice in enumerate(choices, start=1):
        fields[f"choice_{number}"] = choice
        if number in correct:
            fields[f"correct_{number}"] = "on"
    return fields


def set_form(position, *, kinds=(("successor", 3), ("start_year", 2)), questions=None, **fields):
    """What the add page posts: the set, its generated kinds and its hand-written questions."""
    questions = (
        [handwritten(), handwritten("Where did he live?", ["Kremlin Senate", "Smolny"])]
        if questions is None
        else questions
    )
    data = {
        "title": "Khrushchev and after",
        "description": "For Thursday.",
        "position": str(position.pk),
        "difficulty": "medium",
        "scope_start": "",
        "scope_end": "",
        "order": "fixed",
        "time_limit_minutes": "10",
        "attempts_allowed": "2",
        "is_published": "on",
        "kinds-TOTAL_FORMS": str(len(kinds)),
        "kinds-INITIAL_FORMS": "0",
        "handwritten_questions-TOTAL_FORMS": str(len(questions)),
        "handwritten_questions-INITIAL_FORMS": "0",
    }
    for number, (kind, count) in enumerate(kinds):
        data[f"kinds-{number}-kind"] = kind
        data[f"kinds-{number}-count"] = str(count)
    for number, question in enumerate(questions):
        for name, value in question.items():
            data[f"handwritten_questions-{number}-{name}"] = value
    data.update(fields)
    return {name: value for name, value in data.items() if value is not None}


def errors(response) -> str:
    """Every error message on an admin change page that did not save."""
    assert response.status_code == 400, response.status_code  # refused, as the site's forms are
    found = [str(error) for error in response.context["errors"]]
    for formset in response.context["inline_admin_formsets"]:
        found += [str(error) for error in formset.formset.non_form_errors()]
        for form in formset.formset.forms:
            found += [str(error) for error in form.non_field_errors()]
            found += [
                f"{name}: {error}" for name, error in form.errors.items() if name != "__all__"
            ]
    return html.unescape(" ".join(found))


# -- permissions -----------------------------------------------------------------------------


def test_a_teacher_sees_only_their_own_sets(client, teacher, own_set, others_set):
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert [s.pk for s in response.context["cl"].result_list] == [own_set.pk]
    assert "Bo's set" not in text(response)
    response = client.get(CHANGELIST, {"q": "set"})
    assert [s.pk for s in response.context["cl"].result_list] == [own_set.pk]


def test_another_teachers_set_and_results_are_out_of_reach(client, teacher, others_set):
    pk = others_set.pk
    for name in ("change", "delete", "history"):
        response = client.get(reverse(f"admin:quiz_questionset_{name}", args=[pk]))
        assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    for name in ("preview", "results"):
        assert client.get(reverse(f"admin:quiz_questionset_{name}", args=[pk])).status_code == 404
    for table in ("students", "questions"):
        url = reverse("admin:quiz_questionset_results_csv", args=[pk, table])
        assert client.get(url).status_code == 404
    # Posting to it changes nothing, and actions never reach it.
    client.post(reverse("admin:quiz_questionset_change", args=[pk]), {"title": "Mine now"})
    for action in ("duplicate_sets", "export_json", "delete_selected"):
        response = client.post(CHANGELIST, {"action": action, "_selected_action": [pk]})
        assert response.status_code in (200, 302) and "Bo's set" not in text(response)
    others_set.refresh_from_db()
    assert others_set.title == "Bo's set"
    assert QuestionSet.objects.count() == 1


def test_teachers_have_no_other_admin(client, teacher):
    for url in (
        reverse("admin:quiz_attempt_changelist"),
        reverse("admin:quiz_profile_changelist"),
        reverse("admin:history_position_changelist"),
        reverse("admin:auth_user_changelist"),
    ):
        assert client.get(url).status_code == 403, url
    index = text(client.get(reverse("admin:index")))
    assert "Question sets" in index and "Attempts" not in index


def test_students_and_staff_outside_teachers_cannot_use_it(client, own_set):
    client.force_login(make_user())
    assert client.get(CHANGELIST).status_code == 302  # to the admin login
    client.force_login(make_user(is_staff=True))
    assert client.get(CHANGELIST).status_code == 403
    assert (
        client.get(reverse("admin:quiz_questionset_results", args=[own_set.pk])).status_code == 403
    )


def test_superusers_see_and_assign_every_set(client, admin_user, own_set, others_set, position):
    client.force_login(admin_user)
    response = client.get(CHANGELIST)
    assert {s.pk for s in response.context["cl"].result_list} == {own_set.pk, others_set.pk}
    assert "mr-bo" in text(response)  # the owner column
    assert (
        client.get(reverse("admin:quiz_questionset_results", args=[others_set.pk])).status_code
        == 200
    )
    response = client.post(ADD, set_form(position, owner=str(own_set.owner_id)))
    assert response.status_code == 302, errors(response)
    assert QuestionSet.objects.get(title="Khrushchev and after").owner == own_set.owner


# -- creating and editing --------------------------------------------------------------------


def test_a_teacher_creates_a_set_with_generated_and_handwritten_questions(
    client, teacher, position
):
    response = client.post(ADD, set_form(position, owner=str(make_user().pk)))
    assert response.status_code == 302, errors(response)
    question_set = QuestionSet.objects.for_taking().get()
    assert question_set.owner == teacher  # set on save, whatever was posted
    assert question_set.kind_counts() == {"successor": 3, "start_year": 2}
    assert question_set.question_count == 7
    assert (question_set.time_limit_minutes, question_set.attempts_allowed) == (10, 2)
    first = question_set.handwritten_questions.all()[0]
    assert [(c.text, c.is_correct) for c in first.choices.all()] == [
        ("Vladimir Lenin", True),
        ("Joseph Stalin", False),
        ("Leon Trotsky", False),
    ]
    page = client.get(reverse("admin:quiz_questionset_change", args=[question_set.pk]))
    assert 'value="Vladimir Lenin"' in page.content.decode()
    assert question_set.share_code in text(page)
    assert f"http://testserver/s/{question_set.share_code}/" in text(page)


def test_editing_a_handwritten_questions_choices_replaces_them(client, teacher, own_set):
    url = reverse("admin:quiz_questionset_change", args=[own_set.pk])
    page = client.get(url)
    data = {}
    form = page.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if name == "scope_titles":
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else str(value)
    question = own_set.handwritten_questions.get()
    kind = own_set.kinds.get()
    data.update(
        {
            "kinds-TOTAL_FORMS": "1",
            "kinds-INITIAL_FORMS": "1",
            "kinds-0-id": str(kind.pk),
            "kinds-0-question_set": str(own_set.pk),
            "kinds-0-kind": "successor",
            "kinds-0-count": "2",
            "handwritten_questions-TOTAL_FORMS": "1",
            "handwritten_questions-INITIAL_FORMS": "1",
            "handwritten_questions-0-id": str(question.pk),
            "handwritten_questions-0-question_set": str(own_set.pk),
            **{
                f"handwritten_questions-0-{name}": value
                for name, value in handwritten(
                    "Who created the office?", ["Trotsky", "Lenin", "Zinoviev"], correct=(2,)
                ).items()
            },
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, errors(response)
    assert [(c.text, c.is_correct) for c in question.choices.all()] == [
        ("Trotsky", False),
        ("Lenin", True),
        ("Zinoviev", False),
    ]


# -- validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (handwritten(correct=()), rules.NO_CORRECT_CHOICE),
        (
            handwritten(choices=["Lenin", "Stalin", "Trotsky"], correct=(1, 3)),
            rules.TWO_CORRECT_CHOICES.format(numbers="1 and 3"),
        ),
        (handwritten(choices=["Lenin"]), rules.TOO_FEW_CHOICES),
        (
            handwritten(choices=["Lenin", "lenin "], correct=(1,)),
            rules.SAME_CHOICES.format(numbers="1 and 2"),
        ),
        (
            handwritten(choices=["Lenin", "Stalin"], correct=(1,), correct_4="on"),
            rules.CORRECT_BUT_EMPTY.format(number=4),
        ),
    ],
    ids=["no correct choice", "two correct choices", "one choice", "same choices", "empty correct"],
)
def test_handwritten_questions_need_exactly_one_correct_choice(
    client, teacher, position, question, message
):
    response = client.post(ADD, set_form(position, questions=[question]))
    assert message in errors(response)
    assert not QuestionSet.objects.exists()


def test_a_scope_too_narrow_for_the_kinds_asked_is_refused_with_the_numbers(
    client, teacher, position
):
    response = client.post(
        ADD,
        set_form(
            position,
            kinds=[("successor", 5), ("start_year", 1)],
            scope_start="1953-09-07",
            scope_end="1964-10-14",
        ),
    )
    message = services.SCOPE_TOO_NARROW.format(
        available=2, label=KIND_LABELS["successor"], plural="s", asked=5, position=position.name
    )
    assert message in errors(response)
    assert "When a term began" not in errors(response)  # two took office in the span
    assert not QuestionSet.objects.exists()
    # Asking for what the scope holds is fine.
    response = client.post(
        ADD,
        set_form(
            position,
            kinds=[("successor", 2), ("start_year", 1)],
            scope_start="1953-09-07",
            scope_end="1964-10-14",
        ),
    )
    assert response.status_code == 302, errors(response)


def test_titles_narrow_the_scope_too(client, teacher, position):
    title = Title.objects.get(name=GS_CPSU)
    response = client.post(
        ADD, set_form(position, kinds=[("first_holder", 2)], scope_titles=[str(title.pk)])
    )
    message = services.SCOPE_TOO_NARROW.format(
        available=1, label=KIND_LABELS["first_holder"], plural="", asked=2, position=position.name
    )
    assert message in errors(response)


def test_the_position_must_hold_enough_questions_of_a_kind(client, teacher, position):
    response = client.post(ADD, set_form(position, kinds=[("acting", 2)]))
    message = services.POSITION_TOO_SMALL.format(
        available=1, label=KIND_LABELS["acting"], plural="", asked=2, position=position.name
    )
    assert message in errors(response)


def test_scope_titles_belong_to_the_sets_position(client, teacher, position):
    elsewhere = TitleFactory(position=PositionFactory(name="Chancellor of Elsewhere"))
    response = client.post(ADD, set_form(position, scope_titles=[str(elsewhere.pk)]))
    assert f"“{elsewhere.name}” is a title of Chancellor of Elsewhere" in errors(response)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"scope_start": "1970-01-01", "scope_end": "1960-01-01"},
            "The scope cannot end before it starts.",
        ),
        ({"kinds": [("successor", 1), ("successor", 2)]}, "Please correct the duplicate data"),
        ({"kinds": [("successor", 0)]}, "greater than or equal to 1"),
        ({"kinds": [("gossip", 1)]}, "Select a valid choice"),
        ({"kinds": [], "questions": []}, admin_forms.PUBLISHED_WITHOUT_QUESTIONS),
        ({"time_limit_minutes": "0"}, "greater than or equal to 1"),
        ({"attempts_allowed": "-1"}, "greater than or equal to"),
        ({"scope_start": "yesterday"}, "Enter a valid date"),
        ({"position": "999999"}, "Select a valid choice"),
        ({"title": ""}, "This field is required"),
    ],
    ids=[
        "dates reversed",
        "kind twice",
        "zero questions",
        "unknown kind",
        "no questions",
        "zero minutes",
        "negative attempts",
        "bad date",
        "unknown position",
        "no title",
    ],
)
def test_bad_input_is_a_message_never_an_error(client, teacher, position, fields, message):
    inlines = {name: fields.pop(name) for name in ("kinds", "questions") if name in fields}
    response = client.post(ADD, {**set_form(position, **inlines), **fields})
    assert message in errors(response)
    assert not QuestionSet.objects.exists()


def test_a_set_of_handwritten_questions_only_needs_no_kinds(client, teacher, position):
    response = client.post(ADD, set_form(position, kinds=[]))
    assert response.status_code == 302, errors(response)


# -- actions ---------------------------------------------------------------------------------


def run_action(client, action, *question_sets):
    return client.post(
        CHANGELIST, {"action": action, "_selected_action": [s.pk for s in question_sets]}
    )


def test_preview_shows_a_sample_with_the_answers(client, teacher, own_set):
    for response in (
        run_action(client, "preview_sets", own_set),
        client.get(reverse("admin:quiz_questionset_preview", args=[own_set.pk])),
    ):
        page = text(response)
        assert response.status_code == 200
        assert "Who created the office?" in page
        assert page.count("✓ right answer") == 3
        assert page.count("Who succeeded") == 2
    other = client.get(
        reverse("admin:quiz_questionset_preview", args=[own_set.pk]), {"sample": "5"}
    )
    assert other.status_code == 200
    assert (
        client.get(
            reverse("admin:quiz_questionset_preview", args=[own_set.pk]), {"sample": "lots"}
        ).status_code
        == 200
    )


def test_preview_of_a_set_whose_scope_no_longer_fits_says_so(client, teacher, own_set):
    own_set.scope_start = own_set.scope_end = dt.date(1930, 1, 1)
    own_set.save()
    page = text(client.get(reverse("admin:quiz_questionset_preview", args=[own_set.pk])))
    assert "lie within the scope" in page


def test_duplicate_copies_everything_unpublished_under_a_new_code(client, teacher, own_set):
    own_set.scope_titles.set(Title.objects.filter(name=GS_CPSU))
    response = run_action(client, "duplicate_sets", own_set)
    assert response.status_code == 302
    copy = QuestionSet.objects.for_taking().exclude(pk=own_set.pk).get()
    assert copy.title == "Copy of Ada's set" and not copy.is_published
    assert copy.share_code != own_set.share_code and copy.owner == teacher
    assert copy.kind_counts() == own_set.kind_counts()
    assert copy.scope() == own_set.scope()
    question = copy.handwritten_questions.get()
    assert [(c.text, c.is_correct) for c in question.choices.all()] == [
        ("Lenin", True),
        ("Trotsky", False),
    ]
    assert HandwrittenChoice.objects.count() == 4


def test_exports_reuse_the_engines_formats(client, teacher, own_set):
    response = run_action(client, "export_json", own_set)
    assert response["Content-Disposition"] == f'attachment; filename="{own_set.share_code}.json"'
    records = json.loads(response.content)
    assert len(records) == 3
    written = next(r for r in records if r["kind"] == "handwritten")
    assert (written["prompt"], written["answer"]) == ("Who created the office?", "Lenin")

    gift = run_action(client, "export_gift", own_set).content.decode()
    assert re.search(r"::handwritten \d::Who created the office\? \{\n\t=Lenin\n\t~Trotsky", gift)

    rows = list(csv.reader(io.StringIO(run_action(client, "export_csv", own_set).content.decode())))
    assert rows[0][:2] == ["kind", "prompt"] and len(rows) == 4


def test_export_of_several_sets_skips_one_that_cannot_be_drawn(client, teacher, own_set, position):
    broken = make_question_set(owner=teacher, position=position, kinds={"acting": 3})
    response = run_action(client, "export_json", own_set, broken)
    assert response["Content-Disposition"] == 'attachment; filename="question-sets.json"'
    assert len(json.loads(response.content)) == 3
    response = run_action(client, "export_csv", broken)
    assert response.status_code == 302  # back to the list, with the reason as a message


def test_the_list_and_change_pages_cost_the_same_queries_however_many_sets(
    client, teacher, own_set, position, django_assert_num_queries
):
    change = reverse("admin:quiz_questionset_change", args=[own_set.pk])
    client.get(change)  # fills the process-wide content-type cache, as any earlier request would
    with django_assert_num_queries(LIST_QUERIES):
        client.get(CHANGELIST)
    with django_assert_num_queries(CHANGE_QUERIES):
        client.get(change)
    for number in range(6):
        extra = make_question_set(owner=teacher, position=position, kinds={"successor": 1})
        add_handwritten(extra, prompt=f"Extra {number}?", choices=["Yes", "No"])
        add_handwritten(own_set, prompt=f"More {number}?", choices=["Yes", "No", "Maybe"])
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == 7
    with django_assert_num_queries(CHANGE_QUERIES):
        response = client.get(change)
    assert "More 5?" in text(response)


# user (the session is a cookie), group and user permissions, the count, the page of sets with
# their counts, and the position filter's choices
LIST_QUERIES = 7
# user, the set, permissions (2), its scope titles, kinds, hand-written questions and
# their choices, and the positions and titles the widgets offer
CHANGE_QUERIES = 10


def test_a_teacher_deletes_their_set_and_students_keep_their_attempts(client, teacher, own_set):
    student = make_user()
    attempt = attempt_start_from_set(
        user=student, question_set=QuestionSet.objects.for_taking().get(pk=own_set.pk)
    )
    url = reverse("admin:quiz_questionset_delete", args=[own_set.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not QuestionSet.objects.exists() and not HandwrittenChoice.objects.exists()
    attempt = Attempt.objects.get(pk=attempt.pk)
    assert attempt.question_set is None and attempt.questions.count() == 3
