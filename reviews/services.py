"""Writes that touch more than one row: ratings, reviews, votes, moderation.

Each keeps the film's denormalised counters (rating_count, rating_sum,
review_count) exact. They lock the film row first and recompute its counters
from the rows inside the same transaction, so concurrent writers queue on the
lock (SQLite's IMMEDIATE transactions do the same) and none is lost.
"""

from django.db import IntegrityError, transaction
from django.db.models import F

from catalog.models import Film
from core.page_cache import invalidation

from .models import MAX_POINTS, MIN_POINTS, HelpfulVote, Rating, Review, ReviewReport


def _lock_film(film_id):
    # select_for_update() is a no-op on SQLite, where the IMMEDIATE
    # transaction already holds the database's write lock.
    return Film.objects.select_for_update().only("id").get(pk=film_id)


def refresh_film_counters(film_id):
    """Recompute one film's rating and review counters from the rows.

    Call inside the transaction that changed them, after _lock_film().
    """
    histogram = [0] * (MAX_POINTS - MIN_POINTS + 1)
    for points, n in Rating.objects.distribution_rows(film_id):
        histogram[points - MIN_POINTS] += n
    Film.objects.filter(pk=film_id).update(
        **Film.rating_counters(histogram),
        rating_histogram=histogram,
        review_count=Review.objects.published().filter(film_id=film_id).count(),
    )
    # update() sends no signal: the pages showing the counters are marked
    # here, and go once the transaction commits.
    invalidation.mark(families=[invalidation.LISTS], film_ids=[film_id])


@transaction.atomic
def set_rating(user, film, points):
    """Give or change a fan's rating of a film; their review shows the same."""
    if not MIN_POINTS <= points <= MAX_POINTS:
        raise ValueError(f"points must lie between {MIN_POINTS} and {MAX_POINTS}")
    _lock_film(film.pk)
    Rating.objects.update_or_create(film=film, user=user, defaults={"points": points})
    Review.objects.filter(film=film, author=user).update(rating=points)
    refresh_film_counters(film.pk)


@transaction.atomic
def clear_rating(user, film):
    """Remove a fan's rating of a film (and so their review's stars)."""
    _lock_film(film.pk)
    Rating.objects.filter(film=film, user=user).delete()
    Review.objects.filter(film=film, author=user).update(rating=None)
    refresh_film_counters(film.pk)


@transaction.atomic
def save_review(review, points):
    """Create or update a fan's review; `points` (or None) becomes their rating."""
    _lock_film(review.film_id)
    review.rating = points
    review.save()
    if points is None:
        Rating.objects.filter(film_id=review.film_id, user_id=review.author_id).delete()
    else:
        Rating.objects.update_or_create(
            film_id=review.film_id, user_id=review.author_id, defaults={"points": points}
        )
    refresh_film_counters(review.film_id)
    return review


@transaction.atomic
def delete_review(review):
    """Delete a review. A fan's rating stays: it is theirs, not the review's."""
    _lock_film(review.film_id)
    review.delete()
    refresh_film_counters(review.film_id)


@transaction.atomic
def set_review_status(reviews, status):
    """Hide or restore reviews (staff); they leave or rejoin every page and count."""
    film_ids = set(reviews.values_list("film_id", flat=True))
    for film_id in sorted(film_ids):
        _lock_film(film_id)
    changing = list(reviews.exclude(status=status).values_list("pk", flat=True))
    changed = reviews.filter(pk__in=changing).update(status=status)
    # update() sends no signal: mark the reviews' pages (and their authors')
    # as a save would.
    invalidation.touch("reviews.Review", changing)
    for film_id in sorted(film_ids):
        refresh_film_counters(film_id)
    return changed


@transaction.atomic
def sync_after_admin_edit(review):
    """After staff save a review in the admin: a fan's review rating is their
    Rating row, and the counters follow whatever changed."""
    _lock_film(review.film_id)
    if review.author_id and review.rating is not None:
        Rating.objects.update_or_create(
            film_id=review.film_id, user_id=review.author_id, defaults={"points": review.rating}
        )
    refresh_film_counters(review.film_id)


def vote_helpful(user, review, helpful=True):
    """Mark (or unmark) a review helpful. Returns False for one's own review."""
    if review.author_id == user.pk:
        return False
    with transaction.atomic():
        if helpful:
            try:
                with transaction.atomic():
                    HelpfulVote.objects.create(review=review, user=user)
            except IntegrityError:
                return True  # Already voted: a double click changes nothing.
            Review.objects.filter(pk=review.pk).update(helpful_count=F("helpful_count") + 1)
        else:
            deleted, _ = HelpfulVote.objects.filter(review=review, user=user).delete()
            if deleted:
                Review.objects.filter(pk=review.pk).update(helpful_count=F("helpful_count") - 1)
    return True


def report_review(user, review, reason, note=""):
    """File a fan's report; a second report of the same review updates the first."""
    report, _ = ReviewReport.objects.update_or_create(
        review=review,
        reporter=user,
        defaults={"reason": reason, "note": note, "resolved": False},
    )
    return report
