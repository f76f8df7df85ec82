"""Writes of the diary app that touch more than one row, each in one transaction.

Ratings and reviews given while logging a viewing go through the reviews
app's services, which lock the film and keep its counters exact; the diary
entry then links to the rows they wrote.
"""

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from core.page_cache import invalidation
from reviews import services as review_services
from reviews.models import Rating, Review

from .models import DiaryEntry, FilmList, Follow, Like, ListEntry, WatchlistEntry

# The most films one list holds: a list page shows them all, on one page.
MAX_LIST_ENTRIES = 1_000


class ListFull(Exception):
    pass


# Watchlist


def add_to_watchlist(user, film):
    """Put a film on a fan's watchlist; (entry, created). Two requests at once
    (two tabs, a double click) leave one row: the database's unique
    constraint refuses the second insert, which then reads the first's row."""
    try:
        with transaction.atomic():
            return WatchlistEntry.objects.get_or_create(user=user, film=film)
    except IntegrityError:
        return WatchlistEntry.objects.get(user=user, film=film), False


def remove_from_watchlist(user, film):
    """Take a film off the watchlist; True if it was on it."""
    deleted, _ = WatchlistEntry.objects.filter(user=user, film=film).delete()
    return bool(deleted)


# Diary


@transaction.atomic
def log_viewing(user, film, *, watched_on, rewatch=False, liked=False, points=None, review=None):
    """Record one viewing. `points` (1–10) give or change the fan's one rating
    of the film; `review` (an unsaved Review with title and body, or None)
    becomes the fan's review of it (the form offers one only to a fan who
    has none yet). The entry links to those very rows. The film leaves the
    fan's watchlist."""
    rating = None
    if review is not None:
        review.film = film
        review.author = user
        if points is None:
            # No stars given: the fan's rating, if any, stays and the new
            # review shows it (the reviews app's invariant).
            points = Rating.objects.points_of(user, film)
        review_services.save_review(review, points)
    elif points is not None:
        review_services.set_rating(user, film, points)
    if points is not None or review is not None:
        rating = Rating.objects.filter(film=film, user=user).first()
    if review is None:
        # A viewing logged without a new review still belongs with the one
        # the fan wrote before, if any.
        review = Review.objects.filter(film=film, author=user).first()
    entry = DiaryEntry.objects.create(
        user=user,
        film=film,
        watched_on=watched_on,
        rewatch=rewatch,
        liked=liked,
        rating=rating,
        review=review,
    )
    remove_from_watchlist(user, film)
    return entry


def delete_viewing(entry):
    """Forget a diary entry. The rating and review it linked stay: they are
    the fan's rating and review of the film, not the entry's."""
    entry.delete()


# Lists


def _lock_list(film_list):
    """The list's row, locked until the transaction ends, so that two edits
    of one list (two tabs reordering) queue instead of colliding."""
    return FilmList.objects.select_for_update().get(pk=film_list.pk)


def _touched(film_list, **changes):
    """Update a list's counters and its "updated" time in one statement; the
    list's page, the owner's profile and the feed show them."""
    changes["updated_at"] = timezone.now()
    FilmList.objects.filter(pk=film_list.pk).update(**changes)
    invalidation.mark(
        families=[invalidation.film_list_family(film_list.token)], user_ids=[film_list.owner_id]
    )


@transaction.atomic
def add_to_list(film_list, film, note=""):
    """Add a film at the end of a list; (entry, created). A film is on a list
    once: adding it again returns the entry already there."""
    film_list = _lock_list(film_list)
    existing = ListEntry.objects.filter(film_list=film_list, film=film).first()
    if existing is not None:
        return existing, False
    if film_list.entry_count >= MAX_LIST_ENTRIES:
        raise ListFull(f"A list holds at most {MAX_LIST_ENTRIES:,} films.")
    last = film_list.entries.aggregate(last=Max("position"))["last"] or 0
    entry = ListEntry(film_list=film_list, film=film, position=last + 1, note=note)
    entry.save()
    _touched(film_list, entry_count=F("entry_count") + 1)
    return entry, True


@transaction.atomic
def remove_from_list(entry):
    """Remove an entry; the films after it move up one place."""
    film_list = _lock_list(entry.film_list)
    entry.film_list = film_list
    position = entry.position
    entry.delete()
    _shift(film_list, position + 1, None, -1)
    _touched(film_list, entry_count=F("entry_count") - 1)


def _shift(film_list, first, last, delta):
    """Move the entries at positions first..last (last None: to the end) by
    delta. In two statements through negative positions, because the unique
    (list, position) constraint is checked row by row: shifting in place
    would collide with the neighbour not yet moved."""
    entries = ListEntry.objects.filter(film_list=film_list, position__gte=first)
    if last is not None:
        entries = entries.filter(position__lte=last)
    entries.update(position=-F("position"))
    ListEntry.objects.filter(film_list=film_list, position__lt=0).update(
        position=-F("position") + delta
    )


@transaction.atomic
def move_entry(entry, to_position):
    """Move an entry to another place (1 = first); the others close up. A
    place past the end means the end."""
    film_list = _lock_list(entry.film_list)
    entry = ListEntry.objects.get(pk=entry.pk)  # its position after the lock
    entry.film_list = film_list
    to_position = max(1, min(to_position, film_list.entry_count))
    here = entry.position
    if to_position == here:
        return entry
    # Out of the way at 0 (positions start at 1), the others shift, then in.
    ListEntry.objects.filter(pk=entry.pk).update(position=0)
    if to_position < here:
        _shift(film_list, to_position, here - 1, +1)
    else:
        _shift(film_list, here + 1, to_position, -1)
    ListEntry.objects.filter(pk=entry.pk).update(position=to_position)
    entry.position = to_position
    _touched(film_list)
    return entry


def save_list(film_list, *, visibility_before=None):
    """Create or edit a list's title, description, ranking and visibility.
    When the visibility changes, the pages of its films ("In N public lists")
    are stale too."""
    with transaction.atomic():
        film_list.updated_at = timezone.now()
        film_list.save()
        if visibility_before is not None and visibility_before != film_list.visibility:
            invalidation.mark(
                film_ids=film_list.entries.values_list("film_id", flat=True),
                families=[invalidation.LISTS],
            )
    return film_list


def delete_list(film_list):
    film_list.delete()


# Follows and likes


def follow(follower, followed):
    """True if now following (also when already); False for oneself."""
    if follower.pk == followed.pk:
        return False
    try:
        with transaction.atomic():
            Follow.objects.get_or_create(follower=follower, followed=followed)
    except IntegrityError:
        pass  # The same follow from another tab won the race.
    return True


def unfollow(follower, followed):
    Follow.objects.filter(follower=follower, followed=followed).delete()


def like_review(user, review, liked=True):
    """Like or unlike a review; one like per fan (the database says so)."""
    if not liked:
        Like.objects.filter(user=user, review=review).delete()
        return
    try:
        with transaction.atomic():
            Like.objects.get_or_create(user=user, review=review)
    except IntegrityError:
        pass


@transaction.atomic
def like_list(user, film_list, liked=True):
    """Like or unlike a list, keeping its like count exact under the list's lock."""
    film_list = _lock_list(film_list)
    if liked:
        _, created = Like.objects.get_or_create(user=user, film_list=film_list)
        if created:
            _touched_likes(film_list, +1)
    else:
        deleted, _ = Like.objects.filter(user=user, film_list=film_list).delete()
        if deleted:
            _touched_likes(film_list, -1)


def _touched_likes(film_list, delta):
    # A like is not an edit: the list's "updated" time stays.
    FilmList.objects.filter(pk=film_list.pk).update(like_count=F("like_count") + delta)
