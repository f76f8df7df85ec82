"""What the diary app puts on pages it does not own.

- Holes (core/page_cache/holes.py), filled for each visitor: the watchlist
  button on the film page and on every film card (all the cards of a page
  in one query, through the hole's prefetch), the follow button on a fan's
  pages, the like buttons under reviews and lists.
- A section of the film page: "In N public lists".
- The profile header's counts and tabs (reviews/profile.py).
"""

from datetime import date
from types import SimpleNamespace

from django.db import connection
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from catalog.pages import FILM_PAGE, Section, register_section
from core.db import ShortCount
from core.page_cache import holes
from reviews import profile
from reviews.models import Rating, Review

from .models import DiaryEntry, FilmList, Follow, Like, ListEntry, WatchlistEntry


def _watchlisted_slugs(request, slugs):
    """The films of the page on the fan's watchlist, in one query (none for
    a visitor)."""
    if not request.user.is_authenticated:
        return frozenset()
    return frozenset(
        WatchlistEntry.objects.filter(user=request.user, film__slug__in=set(slugs)).values_list(
            "film__slug", flat=True
        )
    )


def _watchlist_context(request, slug, name):
    on_list = slug in (holes.prefetched(request, name) or ())
    # The script that makes the buttons work in place, once per page.
    first = not getattr(request, "_diary_script_given", False)
    request._diary_script_given = True
    return {"slug": slug, "on_watchlist": on_list, "with_script": first}


@holes.register("watchlist-button", prefetch=_watchlisted_slugs)
def watchlist_button(request, slug):
    """The film page's buttons: watchlist, log a viewing, add to a list."""
    return holes.render_template(
        "diary/includes/film_actions.html",
        request,
        _watchlist_context(request, slug, "watchlist-button"),
    )


@holes.register("watchlist-card", prefetch=_watchlisted_slugs)
def watchlist_card_button(request, slug):
    """A film card's watchlist button; nothing for visitors (a card has no
    room for a log-in prompt on each)."""
    if not request.user.is_authenticated:
        return ""
    return holes.render_template(
        "diary/includes/watchlist_button.html",
        request,
        {**_watchlist_context(request, slug, "watchlist-card"), "compact": True},
    )


@holes.register("follow-button")
def follow_button(request, username):
    """Follow or unfollow, one query for a fan; nobody follows themselves."""
    context = {"username": username, "following": False, "own": False}
    if request.user.is_authenticated:
        if request.user.get_username() == username:
            context["own"] = True
        else:
            context["following"] = Follow.objects.filter(
                follower=request.user, followed__username=username
            ).exists()
    return holes.render_template("diary/includes/follow_button.html", request, context)


@holes.register("review-like")
def review_like(request, pk):
    """A review's likes and the fan's heart: one query for a fan, nothing
    for a visitor (the review page stays a page of one query for them)."""
    if not request.user.is_authenticated:
        return ""
    mine = Like.objects.filter(review=OuterRef("pk"), user_id=request.user.pk)
    found = (
        Review.objects.filter(pk=pk)
        .annotate(likes_n=Count("likes"), mine=Exists(mine))
        .values("author_id", "likes_n", "mine")
        .first()
    )
    if found is None:
        return ""
    return holes.render_template(
        "diary/includes/review_like.html",
        request,
        {
            "review": SimpleNamespace(pk=pk),
            "author_id": found["author_id"],
            "likes": found["likes_n"],
            "liked": found["mine"],
        },
    )


@holes.register("list-actions")
def list_actions(request, token):
    """Under a list: its owner's edit links, or others' heart. One query for a
    fan, none for a visitor (the like count is on the cached page)."""
    context = {"token": token, "own": False, "liked": False}
    if request.user.is_authenticated:
        found = (
            FilmList.objects.filter(token=token)
            .annotate(
                liked=Exists(Like.objects.filter(film_list=OuterRef("pk"), user=request.user))
            )
            .values("owner_id", "liked")
            .first()
        )
        if found is None:
            return ""
        context.update(own=found["owner_id"] == request.user.pk, liked=found["liked"])
    return holes.render_template("diary/includes/list_actions.html", request, context)


@register_section(
    FILM_PAGE,
    lists={
        "public_lists": lambda film: ShortCount(
            ListEntry.objects.filter(film=film, film_list__visibility=FilmList.Visibility.PUBLIC)
        )
    },
)
def public_lists_of_film(film, public_lists):
    """ "In N public lists made by fans", counted in the page's query of lists."""
    return Section(
        "diary/includes/film_page_lists.html", {"film": film, "public_lists": public_lists}
    )


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


@profile.register_counts
def diary_counts(fan):
    """Films watched (logged or rated), this year's, public lists, followers
    and followed: one query of scalar subqueries on indexed columns.

    Written as SQL: the same query built with the ORM (six Subquery
    annotations) cost about 4 ms a profile view to compile, twice what the
    database took to plan and run it (PostgreSQL, 50,000 fans)."""
    year_start = date(timezone.localdate().year, 1, 1)
    entries, ratings = _table(DiaryEntry), _table(Rating)
    lists, follows = _table(FilmList), _table(Follow)
    sql = f"""
        SELECT
          (SELECT COUNT(DISTINCT e.film_id) FROM {entries} e WHERE e.user_id = %(fan)s),
          -- Films rated without ever being logged count as watched too.
          (SELECT COUNT(*) FROM {ratings} r WHERE r.user_id = %(fan)s AND NOT EXISTS (
             SELECT 1 FROM {entries} e WHERE e.user_id = r.user_id AND e.film_id = r.film_id)),
          (SELECT COUNT(DISTINCT e.film_id) FROM {entries} e
            WHERE e.user_id = %(fan)s AND e.watched_on >= %(year_start)s),
          (SELECT COUNT(*) FROM {lists} l WHERE l.owner_id = %(fan)s AND l.visibility = %(public)s),
          (SELECT COUNT(*) FROM {follows} f WHERE f.followed_id = %(fan)s),
          (SELECT COUNT(*) FROM {follows} f WHERE f.follower_id = %(fan)s)
    """  # noqa: S608 (table names from the models; values are parameters)
    params = {"fan": fan.pk, "year_start": year_start, "public": FilmList.Visibility.PUBLIC}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        watched, rated_only, this_year, n_lists, followers, following = cursor.fetchone()
    return [
        ("Films watched", watched + rated_only, "diary:diary"),
        (f"This year ({year_start.year})", this_year, "diary:diary"),
        ("Lists", n_lists, "diary:fan-lists"),
        ("Followers", followers, ""),
        ("Following", following, ""),
    ]


profile.register_tab("Diary", "diary:diary")
profile.register_tab("Watchlist", "diary:watchlist", shown_if="watchlist_is_public")
profile.register_tab("Lists", "diary:fan-lists")
