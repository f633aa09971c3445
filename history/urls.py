from django.urls import path

from history import views

urlpatterns = [
    path("", views.home, name="home"),
    path("positions/<slug:slug>/", views.position_detail, name="position-detail"),
    path("people/<slug:slug>/", views.person_detail, name="person-detail"),
]
