from django.apps import AppConfig


class QuizConfig(AppConfig):
    """Questions built from the history data, quizzes, scores and leaderboards."""

    name = "quiz"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connects the receiver that keeps counts in step when totals are deleted by a cascade.
        from quiz.leaderboard import totals  # noqa: F401
