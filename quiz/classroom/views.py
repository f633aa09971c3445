"""Class pages: a teacher's classes, rosters, assignments and results; a student's classes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from history.models import Position
from quiz.classroom import services
from quiz.classroom.access import teacher_required
from quiz.classroom.forms import AssignmentDatesForm, AssignmentForm, ClassroomForm, JoinForm
from quiz.classroom.models import Assignment, Classroom, Membership
from quiz.classroom.progress import class_progress, class_progress_csv, user_name
from quiz.classroom.services import ClassroomError, ErrorCode
from quiz.models import Attempt, QuestionSet
from quiz.reveal import reveal_decision
from quiz.views import format_duration

NOT_YOURS = "There is no such class among yours."


def _own_classroom(request: HttpRequest, pk: int) -> Classroom:
    """The teacher's class (any class for a superuser); other teachers' classes are 404s."""
    classroom = (
        Classroom.objects.taught_by(request.user).select_related("teacher").filter(pk=pk).first()
    )
    if classroom is None:
        raise Http404(NOT_YOURS)
    return classroom


def _own_assignment(request: HttpRequest, pk: int) -> Assignment:
    assignment = (
        Assignment.objects.filter(classroom__in=Classroom.objects.taught_by(request.user))
        .select_related("classroom", "question_set")
        .filter(pk=pk)
        .first()
    )
    if assignment is None:
        raise Http404(NOT_YOURS)
    return assignment


# ----------------------------------------------------------------------------------------------
# Teachers


def _teaching_page(request: HttpRequest, form: ClassroomForm, status: int = 200) -> HttpResponse:
    classrooms = Classroom.objects.taught_by(request.user).with_student_counts()
    question_sets = QuestionSet.objects.editable_by(request.user).with_question_counts()
    return render(
        request,
        "classroom/teaching.html",
        {
            "classrooms": list(classrooms),
            "form": form,
            "question_sets": list(question_sets.select_related("position")[:50]),
            "topics": list(Position.objects.filter(owner=request.user)),
        },
        status=status,
    )


@teacher_required
@require_safe
def teaching_home(request: HttpRequest) -> HttpResponse:
    """A teacher's start page: their classes, a form for a new one, and their question sets."""
    return _teaching_page(request, ClassroomForm())


@teacher_required
@require_POST
def classroom_create(request: HttpRequest) -> HttpResponse:
    """Make a class and open its page, where its join code is."""
    form = ClassroomForm(request.POST)
    if form.is_valid():
        try:
            classroom = services.classroom_create(
                teacher=request.user, name=form.cleaned_data["name"]
            )
        except ClassroomError as error:
            form.add_error("name", error.message)
        else:
            messages.success(
                request,
                f"Class “{classroom.name}” created. Give your students the code "
                f"{classroom.join_code} or the link below.",
            )
            return redirect(classroom)
    return _teaching_page(request, form, status=400)


def _class_page(
    request: HttpRequest, classroom: Classroom, form: AssignmentForm, status: int = 200
) -> HttpResponse:
    now = timezone.now()
    progress = class_progress(classroom, now=now)
    return render(
        request,
        "classroom/classroom_detail.html",
        {
            "classroom": classroom,
            "progress": progress,
            "join_url": request.build_absolute_uri(classroom.get_join_url()),
            "form": form,
            "now": now,
        },
        status=status,
    )


@teacher_required
@require_safe
def classroom_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The class: its code, its students, and each assignment's results."""
    classroom = _own_classroom(request, pk)
    return _class_page(request, classroom, AssignmentForm(teacher=request.user))


@teacher_required
@require_POST
def classroom_code_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    """A new join code; the old one stops working (students already in stay in)."""
    classroom = _own_classroom(request, pk)
    try:
        code = services.classroom_code_rotate(classroom=classroom)
    except ClassroomError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"The new code is {code}. The old code no longer works.")
    return redirect(classroom)


@teacher_required
@require_POST
def classroom_student_remove(request: HttpRequest, pk: int, student_id: int) -> HttpResponse:
    """Take a student out of the class (they can rejoin only with the current code)."""
    classroom = _own_classroom(request, pk)
    member = (
        Membership.objects.filter(classroom=classroom, student_id=student_id)
        .select_related("student__profile")
        .first()
    )
    if member is not None and services.classroom_student_remove(
        classroom=classroom, student_id=student_id
    ):
        messages.success(
            request,
            f"{user_name(member.student)} is no longer in {classroom.name}. To keep them out, "
            "give the class a new code.",
        )
    return redirect(classroom)


@teacher_required
@require_POST
def assignment_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Assign a set to the class with optional dates."""
    classroom = _own_classroom(request, pk)
    form = AssignmentForm(request.POST, teacher=request.user)
    if form.is_valid():
        try:
            assignment = services.assignment_create(
                classroom=classroom,
                question_set=form.cleaned_data["question_set"],
                opens_at=form.cleaned_data["opens_at"],
                due_at=form.cleaned_data["due_at"],
            )
        except ClassroomError as error:
            field = "due_on" if error.code == ErrorCode.DUE_BEFORE_OPEN else "question_set"
            form.add_error(field, error.message)
        else:
            messages.success(request, f"Assigned “{assignment.material}” to {classroom.name}.")
            return redirect(f"{classroom.get_absolute_url()}#assignment-{assignment.pk}")
    return _class_page(request, classroom, form, status=400)


@teacher_required
@require_http_methods(["GET", "HEAD", "POST"])
def assignment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an assignment's dates, or take it back."""
    assignment = _own_assignment(request, pk)
    zone = timezone.get_current_timezone()
    initial = {}
    if assignment.opens_at:
        initial["opens_on"] = assignment.opens_at.astimezone(zone).date()
    if assignment.due_at:
        due = assignment.due_at.astimezone(zone)
        initial["due_on"], initial["due_time"] = due.date(), due.time()
    form = AssignmentDatesForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_dates_change(
                assignment=assignment,
                opens_at=form.cleaned_data["opens_at"],
                due_at=form.cleaned_data["due_at"],
            )
        except ClassroomError as error:
            form.add_error("due_on", error.message)
        else:
            messages.success(request, f"Saved the dates of “{assignment.material}”.")
            return redirect(assignment.classroom)
    return render(
        request,
        "classroom/assignment_edit.html",
        {"assignment": assignment, "classroom": assignment.classroom, "form": form},
        status=400 if form.errors else 200,
    )


@teacher_required
@require_POST
def assignment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Take an assignment back; students' attempts at the set are kept."""
    assignment = _own_assignment(request, pk)
    services.assignment_delete(assignment=assignment)
    messages.success(
        request, f"“{assignment.material}” is no longer assigned to {assignment.classroom.name}."
    )
    return redirect(assignment.classroom)


@teacher_required
@require_safe
def classroom_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """Every student's progress with every assignment, as CSV."""
    classroom = _own_classroom(request, pk)
    body = class_progress_csv(class_progress(classroom, now=timezone.now()))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="class-{classroom.join_code}.csv"'
    return response


@teacher_required
@require_safe
def assignment_attempt(request: HttpRequest, pk: int, attempt_pk: int) -> HttpResponse:
    """One student's attempt at an assigned set: every question, their answer, the right one."""
    assignment = _own_assignment(request, pk)
    attempt = (
        Attempt.objects.for_result_page()
        .select_related("user__profile")
        .filter(
            pk=attempt_pk,
            question_set=assignment.question_set,
            user__class_memberships__classroom=assignment.classroom,
        )
        .first()
    )
    if attempt is None:
        raise Http404("No such attempt in this class.")
    questions = attempt.questions.all()
    answers = [question.answer for question in questions]
    return render(
        request,
        "classroom/attempt.html",
        {
            "assignment": assignment,
            "classroom": assignment.classroom,
            "attempt": attempt,
            "student_name": user_name(attempt.user),
            "questions": questions,
            "correct": sum(1 for answer in answers if answer and answer.is_correct),
            "time_taken": format_duration(attempt.time_taken),
            "late": attempt.finished_at is not None
            and assignment.due_at is not None
            and attempt.finished_at > assignment.due_at,
            "reveal": reveal_decision(viewer=request.user, attempt=attempt),
        },
    )


# ----------------------------------------------------------------------------------------------
# Students


def _classes_page(request: HttpRequest, form: JoinForm, status: int = 200) -> HttpResponse:
    memberships = (
        Membership.objects.filter(student=request.user)
        .select_related("classroom__teacher__profile")
        .order_by("classroom__name")
    )
    return render(
        request,
        "classroom/my_classes.html",
        {"memberships": list(memberships), "form": form},
        status=status,
    )


@login_required
@require_safe
def my_classes(request: HttpRequest) -> HttpResponse:
    """The classes a student is in, a box for a code, and a way to leave."""
    return _classes_page(request, JoinForm(initial={"code": request.GET.get("code", "")}))


@login_required
@require_POST
def classroom_join(request: HttpRequest) -> HttpResponse:
    """Join the class with the code typed or carried by a join link."""
    form = JoinForm(request.POST)
    if form.is_valid():
        try:
            membership = services.classroom_join(
                student=request.user, code=form.cleaned_data["code"]
            )
        except ClassroomError as error:
            if error.code == ErrorCode.ALREADY_MEMBER:
                messages.info(request, error.message)
                return redirect("my-classes")
            form.add_error("code", error.message)
        else:
            classroom = membership.classroom
            messages.success(
                request,
                f"You joined {classroom.name} ({user_name(classroom.teacher)}). Its assignments "
                "are on your home page.",
            )
            return redirect("home")
    return _classes_page(request, form, status=400)


@require_safe
def classroom_join_code(request: HttpRequest, code: str) -> HttpResponse:
    """A join link: which class it is, and a button to join (joining never happens on a GET)."""
    classroom = Classroom.objects.with_code(code).select_related("teacher__profile").first()
    if classroom is None:
        return render(
            request,
            "classroom/join.html",
            {"error": services.ClassroomError(ErrorCode.CODE_UNKNOWN, code=code[:20]).message},
            status=404,
        )
    already = (
        request.user.is_authenticated
        and Membership.objects.filter(classroom=classroom, student=request.user).exists()
    )
    return render(
        request,
        "classroom/join.html",
        {
            "classroom": classroom,
            "teacher_name": user_name(classroom.teacher),
            "already": already,
            "join_login_url": f"{reverse('login')}?next={request.path}",
            "join_signup_url": f"{reverse('signup')}?next={request.path}",
        },
    )


@login_required
@require_POST
def classroom_leave(request: HttpRequest, pk: int) -> HttpResponse:
    """Leave a class; the student's attempts stay on their own pages."""
    classroom = Classroom.objects.filter(pk=pk).first()
    try:
        if classroom is None:
            raise ClassroomError(ErrorCode.NOT_MEMBER)
        services.classroom_leave(student=request.user, classroom=classroom)
    except ClassroomError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"You left {classroom.name}.")
    return redirect("my-classes")
