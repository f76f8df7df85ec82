"""Ratings and reviews when staff merge two films (catalog/merge.py).

A fan may have rated, or reviewed, both duplicates. The constraints allow one
rating and one review per fan and film, so the fan keeps the one they
touched last: their latest opinion. The other goes (a dropped review takes
its helpful votes and reports with it, as a deletion would). The kept
rating is then linked to the fan's kept review, as reviews.services keeps
them, and the kept film's counters are recounted from the rows.
"""

from django.db.models import OuterRef, Subquery

from .models import Rating, Review
from .services import _lock_film, refresh_film_counters


def _older_of_pairs(model, owner, keep, other):
    """Ids of the rows of `model` that lose to a row of the same owner on
    the other film: in each pair, the one updated earlier (ties: lower id)."""
    pairs = {}
    rows = model.objects.filter(film__in=[keep, other], **{f"{owner}__isnull": False}).values_list(
        "pk", owner, "updated_at"
    )
    for pk, owner_id, updated_at in rows:
        pairs.setdefault(owner_id, []).append((updated_at, pk))
    return [min(pair)[1] for pair in pairs.values() if len(pair) == 2]


def move_ratings_and_reviews(keep, other, report):
    _lock_film(keep.pk)
    _lock_film(other.pk)
    older_reviews = _older_of_pairs(Review, "author", keep, other)
    if older_reviews:
        # A fan's rating outlives their review (see models.keep_fans_rating).
        Review.objects.filter(pk__in=older_reviews).delete()
        report.dropped["reviews by fans who reviewed both (the later one is kept)"] += len(
            older_reviews
        )
    older_ratings = _older_of_pairs(Rating, "user", keep, other)
    if older_ratings:
        Rating.objects.filter(pk__in=older_ratings).delete()
        report.dropped["ratings by fans who rated both (the later one is kept)"] += len(
            older_ratings
        )
    moved_reviews = Review.objects.filter(film=other).update(film=keep)
    moved_ratings = Rating.objects.filter(film=other).update(film=keep)
    if moved_reviews:
        report.moved["reviews"] += moved_reviews
    if moved_ratings:
        report.moved["ratings"] += moved_ratings
    # Each fan's rating shows on their review of the film, if they wrote one.
    Rating.objects.filter(film=keep, user__isnull=False).update(
        review=Subquery(
            Review.objects.filter(film=keep, author=OuterRef("user")).order_by().values("pk")[:1]
        )
    )
    refresh_film_counters(keep.pk)
