from django.apps import AppConfig


class CardsConfig(AppConfig):
    """Flashcards built from the history facts, scheduled for each student with FSRS."""

    name = "quiz.cards"
    label = "cards"
    default_auto_field = "django.db.models.BigAutoField"
