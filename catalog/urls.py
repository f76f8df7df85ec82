from django.urls import path

from . import views
from .models import Country, Genre, Language

app_name = "catalog"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("films/", views.FilmListView.as_view(), name="film-list"),
    path("films/<str:slug>/", views.FilmDetailView.as_view(), name="film-detail"),
    path("films/<str:slug>/cast/", views.FilmCastView.as_view(), name="film-cast"),
    path(
        "genres/<str:slug>/",
        views.TaxonomyFilmListView.as_view(taxonomy_model=Genre),
        name="genre-detail",
    ),
    path(
        "countries/<str:slug>/",
        views.TaxonomyFilmListView.as_view(taxonomy_model=Country),
        name="country-detail",
    ),
    path(
        "languages/<str:slug>/",
        views.TaxonomyFilmListView.as_view(taxonomy_model=Language),
        name="language-detail",
    ),
    path("people/", views.PersonListView.as_view(), name="person-list"),
    path("people/<str:slug>/", views.PersonDetailView.as_view(), name="person-detail"),
]
