from django.urls import path

from quiz.cards import export_views, stats_views, views

urlpatterns = [
    path("study/", views.study, name="study"),
    path("study/rate/", views.study_rate, name="study-rate"),
    path("study/mistakes/<id:pk>/", views.study_mistakes, name="study-mistakes"),
    path("study/decks/", views.decks, name="study-decks"),
    path("study/decks/add/", views.deck_add, name="study-deck-add"),
    path("study/decks/remove/", views.deck_remove, name="study-deck-remove"),
    path(
        "study/decks/<slug:slug>.apkg", export_views.position_deck_export, name="study-deck-export"
    ),
    path("study/sets/<str:code>.apkg", export_views.set_deck_export, name="study-set-export"),
    path("study/settings/", views.study_settings, name="study-settings"),
    path("study/stats/", stats_views.study_stats, name="study-stats"),
    path("study/cards/", stats_views.card_browser, name="study-cards"),
    path("study/cards/<id:pk>/", stats_views.card_action, name="study-card-action"),
]
