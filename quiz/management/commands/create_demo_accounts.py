"""python manage.py create_demo_accounts: a student, a teacher and an admin for trying the app."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

DEMO_ACCOUNTS = (
    # username, password, is_staff, is_superuser
    ("student", "student-demo-2026", False, False),
    ("teacher", "teacher-demo-2026", True, False),
    ("admin", "admin-demo-2026", True, True),
)


class Command(BaseCommand):
    help = "Create the demo accounts named in the README (only when DJANGO_DEBUG is on)."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            self.stdout.write("Debug is off: no demo accounts created.")
            return
        User = get_user_model()
        for username, password, is_staff, is_superuser in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"is_staff": is_staff, "is_superuser": is_superuser}
            )
            if created:
                user.set_password(password)
                user.save()
            self.stdout.write(f"{'Created' if created else 'Kept'} demo account '{username}'.")
