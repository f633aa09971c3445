"""The Django side of `make bench-web`, run in its own process with the server's settings.

python -m bench.web_prepare PLAYERS      migrate, load the history, collect static files,
                                         write (or reuse) the scale data
python -m bench.web_prepare --plan       fresh quizzes to answer; print the pages as JSON
python -m bench.web_prepare --load-start sessions of the students of the load test (JSON)
python -m bench.web_prepare --load-check JSON   check what the load test stored (JSON)
"""

from __future__ import annotations

import io
import json
import sys

import django

ANSWERER = "bench-answerer"
FLOW_USERS = ("bench-flow-0", "bench-flow-1")
# Prepared quizzes of 10 per answer list (right, wrong): more answers than wrk gives in a run.
ANSWER_ATTEMPTS = 500
STUDENTS = 200


def main(argv: list[str]) -> None:
    django.setup()
    if argv[0] == "--plan":
        print(json.dumps(plan()))
    elif argv[0] == "--load-start":
        print(json.dumps(load_start()))
    elif argv[0] == "--load-check":
        print(json.dumps(load_check(json.loads(argv[1]))))
    else:
        prepare(int(argv[0]))


def prepare(players: int) -> None:
    from django.core.management import call_command

    from bench import web_data

    call_command("migrate", verbosity=0)
    call_command("load_history", verbosity=0, stdout=io.StringIO())
    call_command("collectstatic", verbosity=0, interactive=False)
    web_data.ensure(players=players, log=lambda line: print(line, file=sys.stderr, flush=True))


def cookie(user=None) -> str:
    """Cookies that sign the user in (signed-cookie session) and carry the CSRF secret."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.signed_cookies import SessionStore

    from bench.web import CSRF_SECRET

    cookies = f"{settings.CSRF_COOKIE_NAME}={CSRF_SECRET}"
    if user is None:
        return cookies
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {cookies}"


def _fresh_user(username: str):
    from django.contrib.auth import get_user_model

    from quiz.accounts import user_signup

    get_user_model().objects.filter(username=username).delete()
    return user_signup(username=username, password="bench-password", display_name=username)


def _answer_body(question, right: bool) -> str:
    from urllib.parse import urlencode

    if question.is_typed:
        return urlencode({"typed": question.accepted[0] if right else "Nobody"})
    wrong = next(c["id"] for c in question.choices if c["id"] != question.correct_choice)
    return urlencode({"choice": question.correct_choice if right else wrong})


def plan() -> dict:
    from django.contrib.auth import get_user_model

    from bench.web import CSRF_SECRET
    from quiz import services
    from quiz.leaderboard import boards
    from quiz.leaderboard.models import PlayerTotal
    from quiz.models import Attempt

    answerer = _fresh_user(ANSWERER)
    position = services.quick_quiz_position()
    attempts = [
        services.attempt_start(user=answerer, position=position, difficulty="medium")
        for _ in range(2 * ANSWER_ATTEMPTS)
    ]
    questions = {attempt.pk: list(attempt.questions.order_by("order")) for attempt in attempts}

    def answers(chosen, right: bool) -> list[str]:
        # Attempts in pairs, questions alternating: wrk's thread 1 answers one attempt of each
        # pair and thread 2 the other, each in order, as two students would.
        lines = []
        for first, second in zip(chosen[::2], chosen[1::2], strict=True):
            for one, two in zip(questions[first.pk], questions[second.pk], strict=True):
                for question in (one, two):
                    lines.append(
                        f"POST /attempts/{question.attempt_id}/questions/{question.number}/answer/"
                        f" {_answer_body(question, right)}"
                    )
        return lines

    def ranked(board: str, where: str):
        totals = PlayerTotal.objects.on_board(board).in_board_order().select_related("user")
        count = totals.count()
        return totals[0 if where == "top" else count // 2].user

    week = boards.this_week().key
    middle = ranked("all", "middle")
    result = Attempt.objects.filter(user=middle, finished_at__isnull=False).first()
    answering = {"cookie": cookie(answerer), "csrf": CSRF_SECRET}
    pages = [
        {"name": "baseline", "requests": ["GET /bench/baseline/"]},
        {
            "name": "question page",
            "requests": [
                f"GET /attempts/{q.attempt_id}/questions/{q.number}/"
                for attempt in attempts
                for q in questions[attempt.pk]
            ],
            **answering,
        },
        {
            "name": "answer submit, right",
            "requests": answers(attempts[:ANSWER_ATTEMPTS], right=True),
            "htmx": True,
            "warm": False,
            "repeats": False,
            **answering,
        },
        {
            "name": "answer submit, wrong",
            "requests": answers(attempts[ANSWER_ATTEMPTS:], right=False),
            "htmx": True,
            "warm": False,
            "repeats": False,
            **answering,
        },
        {
            "name": "result page",
            "requests": [f"GET /attempts/{result.pk}/result/"],
            "cookie": cookie(middle),
        },
    ]
    for period, board, query in (("all-time", "all", ""), ("this week", week, "?period=week")):
        path = [f"GET /leaderboard/{query}"]
        pages += [
            {"name": f"leaderboard {period}, guest", "requests": path},
            {
                "name": f"leaderboard {period}, top player",
                "requests": path,
                "cookie": cookie(ranked(board, "top")),
            },
            {
                "name": f"leaderboard {period}, middle",
                "requests": path,
                "cookie": cookie(ranked(board, "middle")),
            },
        ]
    users = get_user_model().objects
    flow = [users.filter(username=name).first() or _fresh_user(name) for name in FLOW_USERS]
    return {
        "pages": pages,
        "flow_sessions": [f"{cookie(user)} {CSRF_SECRET}" for user in flow],
    }


def load_start() -> dict:
    from django.contrib.auth import get_user_model

    from bench.web import CSRF_SECRET
    from bench.web_data import _username
    from quiz.models import Answer, Attempt

    students = list(
        get_user_model()
        .objects.filter(username__in=[_username(n) for n in range(STUDENTS)])
        .order_by("username")
    )
    if len(students) < STUDENTS:
        sys.exit(f"The load test needs {STUDENTS} players in the data.")
    last_attempt = Attempt.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    last_answer = Answer.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return {
        "sessions": [f"{cookie(user)} {CSRF_SECRET}" for user in students],
        "students": [user.pk for user in students],
        "last_attempt": last_attempt,
        "last_answer": last_answer,
    }


def load_check(before: dict) -> dict:
    from django.db.models import Count, Sum

    from quiz.leaderboard.rebuild import differences
    from quiz.models import Answer, Attempt

    attempts = Attempt.objects.filter(pk__gt=before["last_attempt"]).annotate(
        stored=Count("questions__answers"), points=Sum("questions__answers__points", default=0)
    )
    problems = []
    for attempt in attempts:
        if attempt.stored != attempt.answered_count:
            problems.append(
                f"attempt {attempt.pk}: {attempt.stored} answers stored, counted "
                f"{attempt.answered_count}"
            )
        if attempt.points != attempt.score:
            problems.append(
                f"attempt {attempt.pk}: score {attempt.score}, its answers {attempt.points}"
            )
    answers = Answer.objects.filter(pk__gt=before["last_answer"])
    repeated = answers.values("question_id").annotate(n=Count("pk")).filter(n__gt=1).count()
    if repeated:
        problems.append(f"{repeated} questions have more than one answer")
    found = differences()
    if found:
        problems.append(f"{len(found)} stored totals differ from a rebuild, e.g. {found[0]}")
    return {
        "attempts": attempts.count(),
        "answers": answers.count(),
        "differences": len(found),
        "problems": problems[:10],
    }


if __name__ == "__main__":
    main(sys.argv[1:])
