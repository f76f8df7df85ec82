from django.urls import path

from core.page_cache.invalidation import fan_family, film_list_family
from core.page_cache.views import cache_page_for_everyone

from . import views
from .forms import WatchlistFilterSet

# Cached whole for everyone (core/page_cache), like the fan's other pages;
# the buttons that differ per visitor are holes (diary/holes.py). A private
# watchlist or list answers its owner only and is never stored (the views
# mark the response), so others get the 404 they should.
for_fan = cache_page_for_everyone(lambda kw: [fan_family(kw["username"])], ["page"])
for_watchlist = cache_page_for_everyone(
    lambda kw: [fan_family(kw["username"])],
    ["page", "sort", *WatchlistFilterSet.SHOWN],
)
for_list = cache_page_for_everyone(lambda kw: [film_list_family(kw["token"])])

app_name = "diary"

urlpatterns = [
    path("feed/", views.feed_view, name="feed"),
    path("films/<str:slug>/watchlist/", views.watchlist_toggle, name="watchlist-toggle"),
    path("films/<str:slug>/log/", views.log_viewing, name="diary-log"),
    path("films/<str:slug>/lists/", views.add_film_to_a_list, name="film-add-to-list"),
    path("watchlist/visibility/", views.watchlist_visibility, name="watchlist-visibility"),
    path("diary/<int:pk>/delete/", views.diary_entry_delete, name="diary-entry-delete"),
    path("lists/", views.my_lists, name="my-lists"),
    path("lists/new/", views.list_create, name="list-create"),
    path("lists/<str:token>/", for_list(views.list_detail), name="list-detail"),
    path("lists/<str:token>/edit/", views.list_edit, name="list-edit"),
    path("lists/<str:token>/delete/", views.list_delete, name="list-delete"),
    path("lists/<str:token>/add/", views.list_entry_add, name="list-entry-add"),
    path("lists/<str:token>/like/", views.list_like, name="list-like"),
    path(
        "lists/<str:token>/entries/<int:pk>/move/",
        views.list_entry_move,
        name="list-entry-move",
    ),
    path(
        "lists/<str:token>/entries/<int:pk>/note/",
        views.list_entry_note,
        name="list-entry-note",
    ),
    path(
        "lists/<str:token>/entries/<int:pk>/remove/",
        views.list_entry_delete,
        name="list-entry-delete",
    ),
    path("reviews/<int:pk>/like/", views.review_like, name="review-like"),
    path("fans/<str:username>/follow/", views.follow, name="follow"),
    path("fans/<str:username>/diary/", for_fan(views.DiaryView.as_view()), name="diary"),
    path(
        "fans/<str:username>/watchlist/",
        for_watchlist(views.WatchlistView.as_view()),
        name="watchlist",
    ),
    path("fans/<str:username>/lists/", for_fan(views.FanListsView.as_view()), name="fan-lists"),
]
