from __future__ import annotations

import datetime as dt
import secrets

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.db import IntegrityError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from config.guards import local_url
from quiz import accounts, services, throttle
from quiz.attempt_urls import attempt_url
from quiz.charts import percentage_chart
from quiz.forms import QuickQuizForm, SignupForm
from quiz.leaderboard import boards
from quiz.leaderboard.pages import PERIODS
from quiz.leaderboard.pages import leaderboard as build_leaderboard
from quiz.models import (
    KIND_LABELS,
    SHARE_CODE_PATTERN,
    Answer,
    Attempt,
    AttemptQuestion,
    QuestionSet,
    normalize_share_code,
)
from quiz.prepared import PreparedQuery
from quiz.reveal import reveal_decision, reveal_rule
from quiz.services import QuizError
from quiz.viewer import adopt_user, session_user_id

GUEST_TOKEN_KEY = "quiz_guest_token"
NOT_FOUND = (
    "We couldn't find that quiz. The link may be wrong, or the quiz belongs to someone else."
)
CHOICE_MISSING = "Please choose one of the answers."
SIGNUP_TAKEN = "That username or display name was just taken; please pick another."
SIGNUPS_PAUSED = (
    "Too many accounts have been created from your network in the last hour. You can sign up "
    "again at {until:%H:%M} UTC (in {minutes} minutes)."
)


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def guest_token(request: HttpRequest, *, create: bool = False) -> str:
    """This browser session's guest token; guests' attempts are tied to it."""
    token = request.session.get(GUEST_TOKEN_KEY, "")
    if not token and create:
        token = request.session[GUEST_TOKEN_KEY] = secrets.token_urlsafe(24)
    return token


def _owner(request: HttpRequest) -> dict:
    return {"user": request.user, "guest_token": guest_token(request)}


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "quiz/not_found.html", {"message": NOT_FOUND}, status=404)


def _kind_choices(position) -> list[tuple[str, str]]:
    """The question kinds the position's facts can support, labelled for people."""
    from history.models import Position
    from quiz import engine

    facts = Position.objects.facts_for(position.slug)
    return [
        (kind, KIND_LABELS.get(kind, kind.replace("_", " ").capitalize()))
        for kind, unavailable in engine.available_kinds(facts).items()
        if unavailable is None
    ]


@require_http_methods(["GET", "HEAD", "POST"])
def quiz_start(request: HtmxHttpRequest) -> HttpResponse:
    """The quick quiz form; posting it starts an attempt and opens its first question.

    `?position=<slug>` quizzes on another position the viewer may see (their own topics too).
    """
    from history.models import Position

    slug = request.POST.get("position") or request.GET.get("position")
    try:
        position = services.quick_quiz_position()
    except QuizError as error:
        if not slug:
            return render(request, "quiz/start.html", {"unavailable": error.message}, status=503)
        position = None
    visible = Position.objects.visible_to(request.user)
    if slug:
        position = visible.with_slug(slug).first()
        if position is None:
            return _not_found(request)
    kind_choices = _kind_choices(position)
    form = QuickQuizForm(
        request.POST if request.method == "POST" else None, kind_choices=kind_choices
    )
    if request.method == "POST" and form.is_valid():
        try:
            attempt = services.attempt_start(
                user=request.user,
                guest_token=guest_token(request, create=not request.user.is_authenticated),
                position=position,
                difficulty=form.cleaned_data["difficulty"],
                kinds=form.cleaned_data["kinds"],
                count=form.cleaned_data["length"],
                time_limit_seconds=form.cleaned_data["time_limit"],
            )
        except QuizError as error:
            form.add_error(None, error.message)
        else:
            return redirect("attempt-question", pk=attempt.pk, number=1)
    return render(
        request,
        "quiz/start.html",
        {
            "form": form,
            "position": position,
            "other_positions": list(visible.exclude(pk=position.pk).only("slug", "name")[:20]),
        },
        status=400 if form.errors else 200,
    )


@require_safe
def attempt_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Where an attempt continues: its first unanswered question, or its result."""
    attempt = Attempt.objects.owned_by(**_owner(request)).filter(pk=pk).first()
    if attempt is None:
        return _not_found(request)
    if attempt.is_finished:
        return redirect("attempt-result", pk=attempt.pk)
    order = attempt.questions.filter(answers__isnull=True).values_list("order", flat=True).first()
    if order is None:
        return redirect("attempt-result", pk=attempt.pk)
    return redirect("attempt-question", pk=attempt.pk, number=order + 1)


@require_safe
@vary_on_headers("HX-Request")
def attempt_question(request: HtmxHttpRequest, pk: int, number: int) -> HttpResponse:
    """One question; once answered, its feedback. htmx's Next asks for the panel only."""
    question = _viewers_question(request, pk, number, with_answer=True)
    if question is None:
        return _not_found(request)
    answer = question.answer
    if answer is None and question.attempt.is_finished:
        return redirect("attempt-result", pk=pk)
    template_name = "quiz/question.html"
    if request.htmx:
        template_name += "#question-panel"
    return render(request, template_name, _question_context(request, question, answer))


def _viewers_question(
    request: HttpRequest, pk: int, number: int, *, with_answer: bool
) -> AttemptQuestion | None:
    """Question `number` of the viewer's attempt `pk` (with its answer joined in for the page);
    a signed-in viewer comes in the same query (quiz/viewer.py), so these pages make no query of
    their own for the user."""
    user_id = session_user_id(request)
    if user_id is not None:
        mine = _SIGNED_IN_QUESTION[with_answer](pk=pk, order=number - 1, user_id=user_id)
        if mine and adopt_user(request, mine[0].attempt.user):
            return mine[0]
        questions = _questions(with_answer=with_answer).filter(attempt_id=pk, order=number - 1)
        return questions.owned_by(**_owner(request)).first()
    token = guest_token(request)
    if not token:
        return None
    found = _GUEST_QUESTION[with_answer](pk=pk, order=number - 1, token=token)
    return found[0] if found else None


def _questions(*, with_answer: bool) -> QuerySet[AttemptQuestion]:
    # (attempt, order) is unique: no ORDER BY to build or run.
    questions = AttemptQuestion.objects.select_related("attempt__question_set").order_by()
    return questions.for_question_page() if with_answer else questions


# The question page and the answer submit, a class's busiest requests: their SQL built once.
_SIGNED_IN_QUESTION = {
    with_answer: PreparedQuery(
        lambda *, pk, order, user_id, with_answer=with_answer: (
            _questions(with_answer=with_answer)
            .filter(attempt_id=pk, order=order, attempt__user_id=user_id)
            .select_related("attempt__user")[:1]
        ),
        pk=int,
        order=int,
        user_id=int,
    )
    for with_answer in (True, False)
}
_GUEST_QUESTION = {
    with_answer: PreparedQuery(
        lambda *, pk, order, token, with_answer=with_answer: _questions(
            with_answer=with_answer
        ).filter(
            attempt_id=pk, order=order, attempt__user__isnull=True, attempt__guest_token=token
        )[:1],
        pk=int,
        order=int,
        token=str,
    )
    for with_answer in (True, False)
}


def _question_context(
    request: HttpRequest, question: AttemptQuestion, answer, notice: str = ""
) -> dict:
    attempt = question.attempt
    is_last = question.number >= attempt.question_count
    result_url = attempt_url("attempt-result", attempt.pk)
    deadline = attempt.deadline
    return {
        "chosen_text": question.answer_text(answer),
        "attempt": attempt,
        "question": question,
        "answer": answer,
        "notice": notice,
        "is_last": is_last,
        "next_url": result_url
        if is_last
        else attempt_url("attempt-question", attempt.pk, question.number + 1),
        "answer_url": attempt_url("attempt-answer", attempt.pk, question.number),
        "finish_url": attempt_url("attempt-finish", attempt.pk),
        "result_url": result_url,
        "deadline": deadline,
        "time_is_up": deadline is not None and timezone.now() > deadline,
        # Only an answered question shows (or keeps) a right answer.
        "reveal": None if answer is None else reveal_decision(viewer=request.user, attempt=attempt),
    }


@require_POST
def attempt_answer(request: HtmxHttpRequest, pk: int, number: int) -> HttpResponse:
    """Answer a question; htmx gets the feedback fragment, a plain form the question page again."""
    question = _viewers_question(request, pk, number, with_answer=False)
    if question is None:
        return _not_found(request)
    choice = request.POST.get("choice", "")
    typed = request.POST.get("typed", "")
    answer, notice = None, ""
    try:
        if not choice and not question.is_typed:
            raise QuizError(CHOICE_MISSING)
        answer = services.attempt_answer(
            attempt=question.attempt, question=question, choice=choice, typed=typed
        )
    except QuizError as error:
        notice = error.message
        if error.message in (services.ALREADY_ANSWERED, services.ATTEMPT_FINISHED):
            answer = question.answers.first()
            if error.message == services.ATTEMPT_FINISHED and answer is None:
                question.attempt.refresh_from_db()
    if not request.htmx:
        if notice:
            messages.info(request, notice)
        return redirect("attempt-question", pk=pk, number=number)
    context = _question_context(request, question, answer, notice)
    return render(request, "quiz/question.html#answer-response", context)


@require_POST
def attempt_finish(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """End an attempt before its last question; the rest score nothing."""
    attempt = Attempt.objects.owned_by(**_owner(request)).filter(pk=pk).first()
    if attempt is None:
        return _not_found(request)
    services.attempt_finish(attempt=attempt)
    return redirect("attempt-result", pk=attempt.pk)


@require_safe
def attempt_result(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Score, percentage, time taken, and every question with the student's answer, and the right
    answer where the set shows it (quiz/reveal.py)."""
    attempt = Attempt.objects.owned_by(**_owner(request)).for_result_page().filter(pk=pk).first()
    if attempt is None:
        return _not_found(request)
    if not attempt.is_finished:
        return redirect("attempt-detail", pk=attempt.pk)
    questions = attempt.questions.all()
    answers = [question.answer for question in questions]
    return render(
        request,
        "quiz/result.html",
        {
            "attempt": attempt,
            "questions": questions,
            "correct": sum(1 for answer in answers if answer and answer.is_correct),
            "late_answers": any(answer and not answer.in_time for answer in answers),
            "time_taken": format_duration(attempt.time_taken),
            "reveal": reveal_decision(viewer=request.user, attempt=attempt),
        },
    )


def format_duration(span: dt.timedelta | None) -> str:
    """A span as people say it: "1 h 2 min 5 s", "4 min 12 s", "38 s"."""
    if span is None:
        return ""
    seconds = max(0, round(span.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{hours} h"] if hours else []
    if hours or minutes:
        parts.append(f"{minutes} min")
    parts.append(f"{seconds} s")
    return " ".join(parts)


def _safe_next(request: HttpRequest) -> str:
    return local_url(request, request.POST.get("next") or request.GET.get("next") or "")


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HtmxHttpRequest) -> HttpResponse:
    """Create an account, log in, and keep any quiz taken as a guest in this browser."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST if request.method == "POST" else None)
    paused_until = throttle.signup_paused_until(request) if request.method == "POST" else None
    if paused_until:
        # Refused before the form is validated, so a flood costs no password checks.
        form = SignupForm(initial=request.POST.dict())
        message = SIGNUPS_PAUSED.format(
            until=paused_until, minutes=throttle.minutes_until(paused_until)
        )
        response = render(
            request,
            "registration/signup.html",
            {"form": form, "next": _safe_next(request), "paused": message},
            status=429,
        )
        response["Retry-After"] = str(throttle.minutes_until(paused_until) * 60)
        return response
    if request.method == "POST" and form.is_valid():
        try:
            user = accounts.user_signup(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                display_name=form.cleaned_data["display_name"],
            )
        except IntegrityError:
            # Someone took a name between the form's checks and the insert: checking again
            # names the field that clashes now.
            form = SignupForm(request.POST)
            if form.is_valid():
                form.add_error(None, SIGNUP_TAKEN)
        else:
            throttle.signup_count(request)
            token = guest_token(request)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            claimed = services.attempts_claim(user=user, guest_token=token)
            request.session.pop(GUEST_TOKEN_KEY, None)
            welcome = f"Welcome, {form.cleaned_data['display_name']}!"
            if claimed:
                welcome += " Your quiz is saved to your account and counts on the leaderboard."
            messages.success(request, welcome)
            return redirect(_safe_next(request) or "home")
    return render(
        request,
        "registration/signup.html",
        {"form": form, "next": _safe_next(request)},
        status=400 if form.errors else 200,
    )


class QuizLoginView(LoginView):
    """Django's login, which also keeps any quiz taken as a guest in this browser."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        token = guest_token(self.request)
        response = super().form_valid(form)
        if services.attempts_claim(user=self.request.user, guest_token=token):
            messages.success(self.request, "Your guest quiz is saved to your account.")
        self.request.session.pop(GUEST_TOKEN_KEY, None)
        return response


@require_safe
def leaderboard(request: HtmxHttpRequest) -> HttpResponse:
    """All-time or this week's board; open to everyone, the viewer's own row highlighted."""
    period = request.GET.get("period", "all")
    if period not in PERIODS:
        period = "all"
    board = build_leaderboard(
        board=boards.this_week() if period == "week" else boards.all_time(),
        viewer=request.user,
        page_number=request.GET.get("page"),
    )
    return render(
        request,
        "quiz/leaderboard.html",
        {"board": board, "period": period, "periods": PERIODS},
    )


PROGRESS_ATTEMPTS = 50


@login_required
@require_safe
def progress(request: HtmxHttpRequest) -> HttpResponse:
    """Past attempts, accuracy per kind of question, and a chart of scores over time."""
    attempts = list(request.user.attempts.order_by("-started_at")[:PROGRESS_ATTEMPTS])
    finished = [attempt for attempt in reversed(attempts) if attempt.is_finished]
    kinds = [
        {
            **row,
            "label": KIND_LABELS.get(row["kind"], row["kind"]),
            "percentage": round(100 * row["correct"] / row["answered"]),
        }
        for row in Answer.objects.filter(question__attempt__user=request.user).accuracy_by_kind()
    ]
    return render(
        request,
        "quiz/progress.html",
        {
            "attempts": attempts,
            "kinds": kinds,
            "chart": percentage_chart(
                [(attempt.finished_at, attempt.percentage) for attempt in finished]
            ),
            "limit": PROGRESS_ATTEMPTS,
        },
    )


# ----------------------------------------------------------------------------------------------
# Question sets, as students find and take them

SET_NOT_FOUND = "There is no question set with that code. Check the code with your teacher."


def _question_set(request: HttpRequest, code: str, queryset=None) -> QuestionSet | None:
    """The set with the code, if the viewer may see it: published, or theirs to preview."""
    queryset = QuestionSet.objects.all() if queryset is None else queryset
    question_set = queryset.with_code(code).first()
    if question_set is None:
        return None
    if not question_set.is_published and not question_set.is_previewable_by(request.user):
        return None
    return question_set


def _set_not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "quiz/not_found.html", {"message": SET_NOT_FOUND}, status=404)


@require_safe
def question_set_find(request: HtmxHttpRequest) -> HttpResponse:
    """The home page's "enter a code" form lands here and goes on to the set, or the class."""
    code = normalize_share_code(request.GET.get("code", ""))
    if not code:
        return redirect("home")
    if not SHARE_CODE_PATTERN.fullmatch(code):
        return _set_not_found(request)
    if not QuestionSet.objects.with_code(code).exists():
        from quiz.classroom.models import Classroom

        # The same box takes a class's join code.
        if Classroom.objects.with_code(code).exists():
            return redirect("classroom-join-code", code=code)
    return redirect("question-set", code=code)


@require_safe
def question_set_detail(request: HtmxHttpRequest, code: str) -> HttpResponse:
    """A set's page: what it asks, the rules, the student's attempts so far, and Start."""
    question_set = _question_set(
        request,
        code,
        QuestionSet.objects.with_question_counts().select_related("position", "owner__profile"),
    )
    if question_set is None:
        return _set_not_found(request)
    attempts = []
    if request.user.is_authenticated:
        attempts = list(question_set.attempts.filter(user=request.user).order_by("-started_at"))
    allowed = question_set.attempts_allowed
    return render(
        request,
        "quiz/question_set.html",
        {
            "question_set": question_set,
            "attempts": attempts,
            "attempts_left": None if allowed is None else max(0, allowed - len(attempts)),
            "reveal_rule": reveal_rule(question_set),
        },
    )


@require_POST
def question_set_start(request: HtmxHttpRequest, code: str) -> HttpResponse:
    """Start an attempt at the set (signed-in students only) and open its first question."""
    question_set = _question_set(request, code, QuestionSet.objects.for_taking())
    if question_set is None:
        return _set_not_found(request)
    if not request.user.is_authenticated:
        messages.info(request, services.SET_LOGIN_REQUIRED)
        return redirect(f"{reverse('login')}?next={question_set.get_absolute_url()}")
    try:
        attempt = services.attempt_start_from_set(user=request.user, question_set=question_set)
    except QuizError as error:
        messages.error(request, error.message)
        return redirect(question_set)
    return redirect("attempt-question", pk=attempt.pk, number=1)


@require_safe
def question_set_leaderboard(request: HtmxHttpRequest, code: str) -> HttpResponse:
    """The set's own board: each student's best finished attempt at this set."""
    question_set = _question_set(request, code)
    if question_set is None:
        return _set_not_found(request)
    board = build_leaderboard(
        board=boards.of_set(question_set.pk),
        viewer=request.user,
        page_number=request.GET.get("page"),
    )
    return render(
        request,
        "quiz/question_set_leaderboard.html",
        {"question_set": question_set, "board": board},
    )
