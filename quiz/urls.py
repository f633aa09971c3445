from django.contrib.auth.views import LogoutView
from django.urls import path

from quiz import views

urlpatterns = [
    path("quiz/", views.quiz_start, name="quiz-start"),
    path("attempts/<id:pk>/", views.attempt_detail, name="attempt-detail"),
    path(
        "attempts/<id:pk>/questions/<id:number>/",
        views.attempt_question,
        name="attempt-question",
    ),
    path(
        "attempts/<id:pk>/questions/<id:number>/answer/",
        views.attempt_answer,
        name="attempt-answer",
    ),
    path("attempts/<id:pk>/finish/", views.attempt_finish, name="attempt-finish"),
    path("attempts/<id:pk>/result/", views.attempt_result, name="attempt-result"),
    path("leaderboard/", views.leaderboard, name="leaderboard"),
    path("s/", views.question_set_find, name="question-set-find"),
    path("s/<str:code>/", views.question_set_detail, name="question-set"),
    path("s/<str:code>/start/", views.question_set_start, name="question-set-start"),
    path(
        "s/<str:code>/leaderboard/",
        views.question_set_leaderboard,
        name="question-set-leaderboard",
    ),
    path("progress/", views.progress, name="progress"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/login/", views.QuizLoginView.as_view(), name="login"),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
]
