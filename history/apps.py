from django.apps import AppConfig


class HistoryConfig(AppConfig):
    """Political offices, their titles over time, and the people who held them."""

    name = "history"
    default_auto_field = "django.db.models.BigAutoField"
