from django.urls import path

from . import views
from .models import Country, Genre, Language
from .page_cache import cached_for_anonymous, film_scopes, list_scopes, person_scopes

# Public pages are served whole from the cache to anonymous visitors; the
# scopes say which writes make them stale (see catalog/page_cache.py).
for_lists = cached_for_anonymous(list_scopes)
for_film = cached_for_anonymous(film_scopes)
for_person = cached_for_anonymous(person_scopes)

app_name = "catalog"

urlpatterns = [
    path("", for_lists(views.HomeView.as_view()), name="home"),
    path("search/", for_lists(views.SearchView.as_view()), name="search"),
    path("films/", for_lists(views.FilmListView.as_view()), name="film-list"),
    path("films/<str:slug>/", for_film(views.FilmDetailView.as_view()), name="film-detail"),
    path("films/<str:slug>/cast/", for_film(views.FilmCastView.as_view()), name="film-cast"),
    path(
        "genres/<str:slug>/",
        for_lists(views.TaxonomyFilmListView.as_view(taxonomy_model=Genre)),
        name="genre-detail",
    ),
    path(
        "countries/<str:slug>/",
        for_lists(views.TaxonomyFilmListView.as_view(taxonomy_model=Country)),
        name="country-detail",
    ),
    path(
        "languages/<str:slug>/",
        for_lists(views.TaxonomyFilmListView.as_view(taxonomy_model=Language)),
        name="language-detail",
    ),
    path("people/", for_lists(views.PersonListView.as_view()), name="person-list"),
    path("people/<str:slug>/", for_person(views.PersonDetailView.as_view()), name="person-detail"),
]
