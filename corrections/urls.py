from django.urls import path

from . import views

app_name = "corrections"

# Private pages (a fan's own): never cached for everyone.
urlpatterns = [
    path("corrections/", views.MyCorrectionsView.as_view(), name="mine"),
    path("corrections/dismiss/", views.dismiss, name="dismiss"),
    path("films/<str:slug>/correction/", views.suggest_film, name="suggest-film"),
    path("people/<str:slug>/correction/", views.suggest_person, name="suggest-person"),
]
