"""Classes: making them, joining by code or link, rotating codes, leaving, removing, and who may
see what between two teachers and between a teacher and a student."""

import html

import pytest
from django.urls import reverse

from quiz.classroom import services
from quiz.classroom.models import Classroom, Membership
from quiz.classroom.services import ClassroomError, ErrorCode
from quiz.models import SHARE_CODE_ALPHABET, SHARE_CODE_LENGTH
from tests.classroom_factories import make_classroom, make_student
from tests.quiz_factories import make_teacher, make_user

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def teacher():
    return make_teacher(username="ms-ada")


@pytest.fixture
def classroom(teacher):
    return make_classroom(teacher=teacher, name="10B History")


# -- making classes ------------------------------------------------------------------------------


def test_a_new_class_gets_a_six_character_code_without_look_alike_characters(teacher):
    classroom = services.classroom_create(teacher=teacher, name="  10B   History ")
    assert classroom.name == "10B History"
    assert len(classroom.join_code) == SHARE_CODE_LENGTH
    assert set(classroom.join_code) <= set(SHARE_CODE_ALPHABET)


def test_class_names_are_unique_per_teacher_in_any_case(teacher, classroom):
    with pytest.raises(ClassroomError) as error:
        services.classroom_create(teacher=teacher, name="10b HISTORY")
    assert error.value.code == ErrorCode.NAME_TAKEN
    other = services.classroom_create(teacher=make_teacher(username="mr-bo"), name="10B History")
    assert other.pk != classroom.pk


def test_a_teacher_creates_a_class_from_the_teaching_page(client, teacher):
    client.force_login(teacher)
    response = client.post(reverse("classroom-create"), {"name": "Year 11"})
    classroom = Classroom.objects.get(name="Year 11")
    assert response.status_code == 302 and response.url == classroom.get_absolute_url()
    page = text(client.get(response.url))
    assert classroom.join_code in page and classroom.get_join_url() in page


def test_an_empty_or_taken_class_name_is_refused_with_a_message(client, teacher, classroom):
    client.force_login(teacher)
    response = client.post(reverse("classroom-create"), {"name": "10b history"})
    assert response.status_code == 400
    assert services.MESSAGES[ErrorCode.NAME_TAKEN].format(name="10b history") in text(response)
    assert client.post(reverse("classroom-create"), {"name": "   "}).status_code == 400
    assert Classroom.objects.count() == 1


# -- joining and leaving --------------------------------------------------------------------------


def test_a_student_joins_with_the_code_typed_any_way(classroom):
    student = make_user(username="kim")
    code = classroom.join_code
    membership = services.classroom_join(student=student, code=f" {code[:3].lower()}-{code[3:]} ")
    assert membership.classroom == classroom and membership.student == student


def test_a_wrong_code_joins_nothing(classroom):
    student = make_user(username="kim")
    for code in ("ZZZZZZ", "", "\x00ABC", "A" * 500):
        with pytest.raises(ClassroomError) as error:
            services.classroom_join(student=student, code=code)
        assert error.value.code == ErrorCode.CODE_UNKNOWN
    assert not Membership.objects.exists()


def test_joining_twice_or_ones_own_class_is_refused(classroom, teacher):
    student = make_user(username="kim")
    services.classroom_join(student=student, code=classroom.join_code)
    with pytest.raises(ClassroomError) as twice:
        services.classroom_join(student=student, code=classroom.join_code)
    with pytest.raises(ClassroomError) as own:
        services.classroom_join(student=teacher, code=classroom.join_code)
    assert (twice.value.code, own.value.code) == (ErrorCode.ALREADY_MEMBER, ErrorCode.OWN_CLASS)
    assert Membership.objects.count() == 1


def test_a_rotated_code_stops_the_old_one_and_keeps_the_students(classroom):
    kim = make_student("kim", classroom=classroom)
    old = classroom.join_code
    new = services.classroom_code_rotate(classroom=classroom)
    assert new != old and Classroom.objects.get().join_code == new
    with pytest.raises(ClassroomError) as error:
        services.classroom_join(student=make_user(username="lee"), code=old)
    assert error.value.code == ErrorCode.CODE_UNKNOWN
    services.classroom_join(student=make_user(username="lee"), code=new)
    assert set(Membership.objects.values_list("student__username", flat=True)) == {"kim", "lee"}
    assert Membership.objects.filter(student=kim).exists()


def test_a_student_can_be_in_several_classes_and_leave_one(classroom):
    other = make_classroom(teacher=make_teacher(username="mr-bo"), name="Debate club")
    kim = make_student("kim", classroom=classroom)
    services.classroom_join(student=kim, code=other.join_code)
    services.classroom_leave(student=kim, classroom=classroom)
    assert list(Classroom.objects.joined_by(kim)) == [other]
    with pytest.raises(ClassroomError) as error:
        services.classroom_leave(student=kim, classroom=classroom)
    assert error.value.code == ErrorCode.NOT_MEMBER


def test_joining_through_the_pages(client, classroom):
    kim = make_user(username="kim")
    client.force_login(kim)
    link = client.get(classroom.get_join_url())
    assert "10B History" in text(link) and "ms-ada" in text(link)
    assert not Membership.objects.exists(), "a GET never joins"
    response = client.post(reverse("classroom-join"), {"code": classroom.join_code})
    assert response.status_code == 302 and response.url == reverse("home")
    assert Membership.objects.filter(classroom=classroom, student=kim).exists()
    assert "You are already in this class" in text(client.get(classroom.get_join_url()))


def test_a_wrong_code_in_the_form_or_the_link_says_so(client, classroom):
    client.force_login(make_user(username="kim"))
    response = client.post(reverse("classroom-join"), {"code": "NOPE99"})
    assert response.status_code == 400
    assert "No class has the code “NOPE99”" in text(response)
    assert client.get(reverse("classroom-join-code", args=["NOPE99"])).status_code == 404


def test_the_home_page_code_box_takes_a_class_code_too(client, classroom):
    response = client.get(reverse("question-set-find"), {"code": classroom.join_code.lower()})
    assert response.status_code == 302
    assert response.url == reverse("classroom-join-code", args=[classroom.join_code])


def test_a_guest_following_a_join_link_is_asked_to_log_in(client, classroom):
    page = text(client.get(classroom.get_join_url()))
    assert f"{reverse('login')}?next={classroom.get_join_url()}" in page
    response = client.post(reverse("classroom-join"), {"code": classroom.join_code})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not Membership.objects.exists()


def test_a_student_leaves_from_their_classes_page(client, classroom):
    kim = make_student("kim", classroom=classroom)
    client.force_login(kim)
    assert "10B History" in text(client.get(reverse("my-classes")))
    response = client.post(reverse("classroom-leave", args=[classroom.pk]))
    assert response.status_code == 302
    assert not Membership.objects.exists()


# -- the roster -----------------------------------------------------------------------------------


def test_the_roster_shows_display_names_and_the_teacher_removes_a_student(
    client, teacher, classroom
):
    make_student("kim", "Kim the Historian", classroom=classroom)
    lee = make_student("lee", classroom=classroom)
    client.force_login(teacher)
    page = text(client.get(classroom.get_absolute_url()))
    assert "Kim the Historian" in page and "Students (2)" in page
    client.post(reverse("classroom-student-remove", args=[classroom.pk, lee.pk]))
    assert list(Membership.objects.values_list("student__username", flat=True)) == ["kim"]


def test_the_teacher_rotates_the_code_from_the_class_page(client, teacher, classroom):
    client.force_login(teacher)
    old = classroom.join_code
    response = client.post(reverse("classroom-rotate", args=[classroom.pk]), follow=True)
    classroom.refresh_from_db()
    assert classroom.join_code != old
    assert f"The new code is {classroom.join_code}" in text(response)


# -- who sees what --------------------------------------------------------------------------------


def test_teachers_see_only_their_own_classes(client, teacher, classroom):
    kim = make_student("kim", classroom=classroom)
    bo = make_teacher(username="mr-bo")
    make_classroom(teacher=bo, name="Bo's class")
    client.force_login(bo)
    page = text(client.get(reverse("teaching")))
    assert "Bo's class" in page and "10B History" not in page
    pk = classroom.pk
    for response in (
        client.get(reverse("classroom-detail", args=[pk])),
        client.get(reverse("classroom-csv", args=[pk])),
        client.post(reverse("classroom-rotate", args=[pk])),
        client.post(reverse("classroom-student-remove", args=[pk, kim.pk])),
        client.post(reverse("assignment-create", args=[pk]), {}),
    ):
        assert response.status_code == 404
    classroom.refresh_from_db()
    assert Membership.objects.filter(student=kim).exists()


def test_students_and_guests_do_not_get_the_teacher_pages(client, classroom):
    assert client.get(reverse("teaching")).url.startswith(reverse("login"))
    kim = make_student("kim", classroom=classroom)
    client.force_login(kim)
    for url in (reverse("teaching"), classroom.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 403
        assert "for teachers" in text(response).lower()


def test_staff_outside_the_teachers_group_are_not_teachers(client, classroom):
    client.force_login(make_user(username="clerk", is_staff=True))
    assert client.get(reverse("teaching")).status_code == 403


def test_students_see_only_their_own_classes(client, classroom):
    make_student("kim", classroom=classroom)
    lee = make_student("lee")
    make_classroom(teacher=make_teacher(username="mr-bo"), name="Debate club")
    client.force_login(lee)
    page = text(client.get(reverse("my-classes")))
    assert "10B History" not in page and "Debate club" not in page
    client.post(reverse("classroom-leave", args=[classroom.pk]))
    assert Membership.objects.count() == 1


def test_the_menu_has_teaching_for_teachers_and_classes_for_everyone_signed_in(
    client, teacher, classroom
):
    teaching = f'<a href="{reverse("teaching")}">Teaching</a>'
    classes = f'<a href="{reverse("my-classes")}">Classes</a>'
    assert classes not in text(client.get(reverse("home")))
    client.force_login(make_user(username="kim"))
    page = text(client.get(reverse("home")))
    assert classes in page and teaching not in page
    client.force_login(teacher)
    page = text(client.get(reverse("home")))
    assert classes in page and teaching in page


def test_the_demo_accounts_come_with_a_demo_class_holding_the_demo_student(
    seed_history, settings, client
):
    import io

    from django.core.management import call_command

    from quiz.management.commands.create_demo_accounts import DEMO_CLASS_CODE, DEMO_CLASS_NAME

    settings.DEBUG = True
    call_command("create_demo_accounts", stdout=io.StringIO())
    call_command("create_demo_accounts", stdout=io.StringIO())
    classroom = Classroom.objects.get()
    assert (classroom.name, classroom.join_code) == (DEMO_CLASS_NAME, DEMO_CLASS_CODE)
    assert classroom.teacher.username == "teacher"
    assert list(classroom.memberships.values_list("student__username", flat=True)) == ["student"]
    client.force_login(classroom.teacher)
    assert DEMO_CLASS_NAME in text(client.get(reverse("teaching")))
