from django.urls import path

from core.db import with_prepared_statements
from core.page_cache.invalidation import LISTS, film_family, person_family
from core.page_cache.views import cache_page_for_everyone
from core.seo import SHARE_CARD_NAME

from . import views
from .filters import FilmFilterSet, PersonFilterSet
from .models import Country, Genre, Language

# Every page here is cached whole for everyone (core/page_cache). The first
# argument names the page families whose changes make a page stale; the
# second the query parameters it reads (any other parameter: not cached).
for_lists = cache_page_for_everyone(lambda kwargs: [LISTS], ["page"])
for_search = cache_page_for_everyone(lambda kwargs: [LISTS], ["q"])
for_film_list = cache_page_for_everyone(
    lambda kwargs: [LISTS], ["page", *FilmFilterSet.base_filters]
)
for_person_list = cache_page_for_everyone(
    lambda kwargs: [LISTS], ["page", *PersonFilterSet.base_filters]
)
for_film = cache_page_for_everyone(lambda kwargs: [film_family(kwargs["slug"])])
for_film_pages = cache_page_for_everyone(lambda kwargs: [film_family(kwargs["slug"])], ["page"])
for_person = cache_page_for_everyone(lambda kwargs: [person_family(kwargs["slug"])])
for_person_pages = cache_page_for_everyone(
    lambda kwargs: [person_family(kwargs["slug"])], ["heading", "page"]
)

# Pages whose queries differ only by a key (a film, a person; the home page
# by nothing) run them as prepared statements on PostgreSQL; filtered lists
# and search do not (core.db.prepared_statements says why).
prepared = with_prepared_statements

app_name = "catalog"

urlpatterns = [
    path("", for_lists(prepared(views.HomeView.as_view())), name="home"),
    path("search/", for_search(views.SearchView.as_view()), name="search"),
    path("films/", for_film_list(views.FilmListView.as_view()), name="film-list"),
    path(
        "films/<str:slug>/", for_film(prepared(views.FilmDetailView.as_view())), name="film-detail"
    ),
    path(
        "films/<str:slug>/cast/", for_film(prepared(views.FilmCastView.as_view())), name="film-cast"
    ),
    path(
        f"films/<str:slug>/{SHARE_CARD_NAME}",
        for_film(views.FilmShareCardView.as_view()),
        name="film-share-card",
    ),
    path(
        "films/<str:slug>/history/",
        for_film_pages(views.FilmHistoryView.as_view()),
        name="film-history",
    ),
    path(
        "genres/",
        for_lists(views.TaxonomyListView.as_view(taxonomy_model=Genre)),
        name="genre-list",
    ),
    path(
        "genres/<str:slug>/",
        for_lists(views.TaxonomyFilmListView.as_view(taxonomy_model=Genre)),
        name="genre-detail",
    ),
    path(
        "countries/",
        for_lists(views.TaxonomyListView.as_view(taxonomy_model=Country)),
        name="country-list",
    ),
    path(
        "countries/<str:slug>/",
        for_lists(views.TaxonomyFilmListView.as_view(taxonomy_model=Country)),
        name="country-detail",
    ),
    path(
        "languages/",
        for_lists(views.TaxonomyListView.as_view(taxonomy_model=Language)),
        name="language-list",
    ),
    path(
        "languages/<str:slug>/",
        for_lists(views.TaxonomyFilmListView.as_view(taxonomy_model=Language)),
        name="language-detail",
    ),
    path("people/", for_person_list(views.PersonListView.as_view()), name="person-list"),
    path(
        "people/<str:slug>/",
        for_person(prepared(views.PersonDetailView.as_view())),
        name="person-detail",
    ),
    path(
        "people/<str:slug>/filmography/",
        for_person_pages(views.PersonFilmographyView.as_view()),
        name="person-filmography",
    ),
]
