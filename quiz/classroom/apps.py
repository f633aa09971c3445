from django.apps import AppConfig


class ClassroomConfig(AppConfig):
    name = "quiz.classroom"
    label = "classroom"
    verbose_name = "Classes"
