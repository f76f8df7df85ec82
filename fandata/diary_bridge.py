"""The diary app's side of a fan's import, export and account deletion.

An import only adds: viewings the diary does not hold yet (same film, same
day) and films not yet on the watchlist, each batch in a fixed number of
queries whatever its size. The dates are the fan's (when they watched, when
they logged or added it), so an imported history neither floods their
followers' feed as "just now" nor loses when things happened.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.page_cache import invalidation
from diary.models import FIRST_VIEWING, DiaryEntry, FilmList, Like, WatchlistEntry
from reviews.models import Rating, Review

BATCH_SIZE = 500


@dataclass(frozen=True)
class Viewing:
    film_id: int
    watched_on: date
    rewatch: bool = False
    logged_on: date | None = None
    # The row gave stars: the entry links the fan's rating, as a viewing
    # logged here with stars does (without, the entry shows none).
    rated: bool = False


@dataclass(frozen=True)
class Wanted:
    film_id: int
    added_on: date | None = None


def _plausible(day):
    # The file's reader refuses these already; the database's CHECK would
    # abort the whole import over one row, so a caller's slip is skipped.
    return day is not None and date.fromisoformat(FIRST_VIEWING) <= day <= timezone.localdate()


def _moment(day, fallback):
    """Noon of a plausible day (no time in the files), else `fallback`."""
    if not _plausible(day):
        return fallback
    return timezone.make_aware(datetime.combine(day, time(12)))


@transaction.atomic
def import_viewings(user, viewings):
    """Log the viewings the fan's diary does not hold yet; returns how many.
    Each entry links the fan's review of the film, and their rating when the
    row gave stars, as one logged on the site does. Four queries, and the
    inserts in batches."""
    logged = set(DiaryEntry.objects.of(user).values_list("film_id", "watched_on"))
    new = {}
    for viewing in viewings:
        key = (viewing.film_id, viewing.watched_on)
        if key not in logged and key not in new and _plausible(viewing.watched_on):
            new[key] = viewing
    if not new:
        return 0
    ratings = dict(Rating.objects.filter(user=user).values_list("film_id", "pk"))
    reviews = dict(Review.objects.filter(author=user).values_list("film_id", "pk"))
    now = timezone.now()
    DiaryEntry.objects.bulk_create(
        [
            DiaryEntry(
                user=user,
                film_id=v.film_id,
                watched_on=v.watched_on,
                rewatch=v.rewatch,
                rating_id=ratings.get(v.film_id) if v.rated else None,
                review_id=reviews.get(v.film_id),
                created_at=_moment(v.logged_on or v.watched_on, now),
            )
            for v in sorted(new.values(), key=lambda v: (v.watched_on, v.film_id))
        ],
        batch_size=BATCH_SIZE,
    )
    # bulk_create() sends no signal: the fan's diary page and profile counts.
    invalidation.mark(user_ids=[user.pk])
    return len(new)


@transaction.atomic
def import_watchlist(user, wanted):
    """Put on the fan's watchlist the films not on it yet; returns how many.
    A film the fan has since watched stays off only if it was never on the
    file's list: an import takes nothing away."""
    on_list = set(WatchlistEntry.objects.of(user).values_list("film_id", flat=True))
    new = {}
    for item in wanted:
        if item.film_id not in on_list:
            new.setdefault(item.film_id, item)
    if not new:
        return 0
    now = timezone.now()
    WatchlistEntry.objects.bulk_create(
        [
            WatchlistEntry(user=user, film_id=item.film_id, added_at=_moment(item.added_on, now))
            for item in new.values()
        ],
        batch_size=BATCH_SIZE,
        # Another tab adding the same film meanwhile: its row stands.
        ignore_conflicts=True,
    )
    invalidation.mark(user_ids=[user.pk])
    return len(new)


def diary_records(user):
    """(logged on, film, points, rewatch, watched on) of each diary entry,
    oldest viewing first, in one query."""
    entries = (
        DiaryEntry.objects.of(user)
        .select_related("film", "rating")
        .only(
            "created_at", "watched_on", "rewatch",
            "film__title", "film__year", "film__slug", "rating__points",
        )
        .order_by("watched_on", "pk")
    )  # fmt: skip
    return [
        (
            timezone.localdate(entry.created_at),
            entry.film,
            entry.rating.points if entry.rating else None,
            entry.rewatch,
            entry.watched_on,
        )
        for entry in entries.iterator(chunk_size=2_000)
    ]


def watchlist_records(user):
    """(added on, film) of each watchlist film, first added first, in one query."""
    entries = (
        WatchlistEntry.objects.of(user)
        .select_related("film")
        .only("added_at", "film__title", "film__year", "film__slug")
        .order_by("added_at", "pk")
    )
    return [
        (timezone.localdate(entry.added_at), entry.film)
        for entry in entries.iterator(chunk_size=2_000)
    ]


@transaction.atomic
def forget_fan(user):
    """Before an account goes: its likes leave other fans' lists with their
    counts (the cascade would delete the rows and leave the counts high).
    The rest of the diary (entries, watchlist, own lists, follows) cascades
    from the user row, each delete marking its pages."""
    liked = Like.objects.filter(user=user, film_list__isnull=False).exclude(film_list__owner=user)
    list_ids = sorted(set(liked.values_list("film_list_id", flat=True)))
    if not list_ids:
        return
    # Locked in id order, as like_list() locks one: the counts stay exact.
    lists = FilmList.objects.select_for_update().filter(pk__in=list_ids).order_by("pk")
    tokens = list(lists.values_list("token", flat=True))
    Like.objects.filter(user=user, film_list_id__in=list_ids).delete()
    FilmList.objects.filter(pk__in=list_ids).update(like_count=F("like_count") - 1)
    invalidation.mark(families=[invalidation.film_list_family(token) for token in tokens])
