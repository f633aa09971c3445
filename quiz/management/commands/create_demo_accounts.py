"""python manage.py create_demo_accounts: a student, a teacher and an admin for trying the app.

The teacher is in the Teachers group and owns one published question set, DEMO_SET_CODE, so a
new user finds a set on the home page right away, and a class, DEMO_CLASS_CODE, with the demo
student in it (nothing assigned yet: assigning is the first thing to try).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from quiz.accounts import profile_create, username_key_claim
from quiz.identity import name_key
from quiz.models import (
    HandwrittenChoice,
    HandwrittenQuestion,
    Profile,
    QuestionSet,
    QuestionSetKind,
)
from quiz.services import QUICK_QUIZ_POSITION_SLUG, teachers_group_ensure

DEMO_ACCOUNTS = (
    # username, password, is_staff, is_superuser
    ("student", "student-demo-2026", False, False),
    ("teacher", "teacher-demo-2026", True, False),
    ("admin", "admin-demo-2026", True, True),
)
DEMO_TEACHER = "teacher"
DEMO_STUDENT = "student"
DEMO_CLASS_NAME = "Demo class: 10B History"
DEMO_CLASS_CODE = "TENB26"
DEMO_TEACHER_NAME = "Demo Teacher"
DEMO_SET_CODE = "USSR24"
DEMO_SET_KINDS = {"successor": 3, "start_year": 2, "died_in_office": 1}
# From the source article: Lenin created the office in 1922; the infobox names the residence.
DEMO_HANDWRITTEN = (
    (
        "Who created the Office of General Secretary in 1922?",
        ["Vladimir Lenin", "Joseph Stalin", "Leon Trotsky", "Grigory Zinoviev"],
        "The Office of General Secretary was created by Vladimir Lenin in 1922, meant to serve "
        "a purely administrative and disciplinary purpose; Lenin appointed Stalin to it.",
    ),
    (
        "What does the article give as the General Secretary's residence?",
        ["Kremlin Senate", "Winter Palace", "Smolny Institute", "Lubyanka Building"],
        "The infobox gives the residence as the Kremlin Senate, and the seat as the Kremlin, Moscow.",
    ),
)


class Command(BaseCommand):
    help = (
        "Create the demo accounts named in the README and the demo teacher's published question "
        "set (only when DJANGO_DEBUG is on)."
    )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            self.stdout.write("Debug is off: no demo accounts created.")
            return
        User = get_user_model()
        for username, password, is_staff, is_superuser in DEMO_ACCOUNTS:
            with transaction.atomic():
                user, created = User.objects.get_or_create(
                    username=username,
                    defaults={"is_staff": is_staff, "is_superuser": is_superuser},
                )
                if created:
                    user.set_password(password)
                    user.save()
                    username_key_claim(user=user)
            self.stdout.write(f"{'Created' if created else 'Kept'} demo account '{username}'.")
        teacher = User.objects.get(username=DEMO_TEACHER)
        teacher.groups.add(teachers_group_ensure())
        taken = Profile.objects.filter(display_name_key=name_key(DEMO_TEACHER_NAME)).exists()
        if not taken and not Profile.objects.filter(user=teacher).exists():
            profile_create(user=teacher, display_name=DEMO_TEACHER_NAME)
        self._demo_set(teacher)
        self._demo_class(teacher, User.objects.get(username=DEMO_STUDENT))

    def _demo_class(self, teacher, student) -> None:
        from django.utils import timezone

        from quiz.classroom.models import Classroom, Membership

        classroom, created = Classroom.objects.get_or_create(
            teacher=teacher, name=DEMO_CLASS_NAME, defaults={"join_code": DEMO_CLASS_CODE}
        )
        Membership.objects.get_or_create(
            classroom=classroom, student=student, defaults={"joined_at": timezone.now()}
        )
        self.stdout.write(
            f"{'Created' if created else 'Kept'} the demo class “{DEMO_CLASS_NAME}” "
            f"(code {classroom.join_code}) with '{DEMO_STUDENT}' in it."
        )

    def _demo_set(self, teacher) -> None:
        from history.models import Position

        if QuestionSet.objects.filter(share_code=DEMO_SET_CODE).exists():
            self.stdout.write(f"Kept the demo question set {DEMO_SET_CODE}.")
            return
        position = Position.objects.filter(slug=QUICK_QUIZ_POSITION_SLUG).first()
        if position is None:
            self.stdout.write("No history data loaded: no demo question set created.")
            return
        with transaction.atomic():
            question_set = QuestionSet.objects.create(
                title="The General Secretaries: who came next?",
                description=(
                    "Who succeeded whom, when they took office, and two questions of mine about "
                    "the office itself. Ten minutes, two attempts."
                ),
                owner=teacher,
                position=position,
                difficulty="medium",
                time_limit_minutes=10,
                attempts_allowed=2,
                reveal=QuestionSet.Reveal.default_for(2),
                is_published=True,
                share_code=DEMO_SET_CODE,
            )
            QuestionSetKind.objects.bulk_create(
                QuestionSetKind(question_set=question_set, kind=kind, count=count)
                for kind, count in DEMO_SET_KINDS.items()
            )
            for order, (prompt, choices, explanation) in enumerate(DEMO_HANDWRITTEN):
                question = HandwrittenQuestion.objects.create(
                    question_set=question_set, order=order, prompt=prompt, explanation=explanation
                )
                HandwrittenChoice.objects.bulk_create(
                    HandwrittenChoice(
                        question=question, order=number, text=text, is_correct=number == 0
                    )
                    for number, text in enumerate(choices)
                )
        self.stdout.write(
            f"Created the demo question set {DEMO_SET_CODE}, published, owned by '{DEMO_TEACHER}'."
        )
