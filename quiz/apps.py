from django.apps import AppConfig


class QuizConfig(AppConfig):
    """Questions built from the history data, quizzes, scores and leaderboards."""

    name = "quiz"
    default_auto_field = "django.db.models.BigAutoField"
