from django.urls import path

from quiz.classroom import import_views, views

urlpatterns = [
    path("teaching/", views.teaching_home, name="teaching"),
    path("teaching/classes/new/", views.classroom_create, name="classroom-create"),
    path("teaching/classes/<id:pk>/", views.classroom_detail, name="classroom-detail"),
    path("teaching/classes/<id:pk>/code/", views.classroom_code_rotate, name="classroom-rotate"),
    path(
        "teaching/classes/<id:pk>/students/<id:student_id>/remove/",
        views.classroom_student_remove,
        name="classroom-student-remove",
    ),
    path(
        "teaching/classes/<id:pk>/assignments/new/",
        views.assignment_create,
        name="assignment-create",
    ),
    path("teaching/classes/<id:pk>/results.csv", views.classroom_csv, name="classroom-csv"),
    path("teaching/assignments/<id:pk>/", views.assignment_edit, name="assignment-edit"),
    path("teaching/assignments/<id:pk>/delete/", views.assignment_delete, name="assignment-delete"),
    path(
        "teaching/assignments/<id:pk>/attempts/<id:attempt_pk>/",
        views.assignment_attempt,
        name="assignment-attempt",
    ),
    path("teaching/sets/<id:pk>/import/", import_views.question_import, name="question-import"),
    path(
        "teaching/sets/<id:pk>/import/confirm/",
        import_views.question_import_confirm,
        name="question-import-confirm",
    ),
    path("teaching/topics/import/", import_views.topic_import, name="topic-import"),
    path(
        "teaching/topics/import/confirm/",
        import_views.topic_import_confirm,
        name="topic-import-confirm",
    ),
    path(
        "teaching/topics/<slug:slug>/terms.csv",
        import_views.topic_csv_export,
        name="topic-csv",
    ),
    path("classes/", views.my_classes, name="my-classes"),
    path("classes/join/", views.classroom_join, name="classroom-join"),
    path("classes/join/<str:code>/", views.classroom_join_code, name="classroom-join-code"),
    path("classes/<id:pk>/leave/", views.classroom_leave, name="classroom-leave"),
]
