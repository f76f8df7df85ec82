"""Writes that touch more than one row: ratings, reviews, votes, moderation.

Each keeps the film's denormalised counters (rating_count, rating_sum,
rating_histogram, review_count) exact. They lock the film row first and
recompute its counters from the rows inside the same transaction, so
concurrent writers queue on the lock (SQLite's IMMEDIATE transactions do the
same) and none is lost.

Points live only in Rating rows; a review shows its author's through
Rating.review, so nothing here copies points from one table to another.
"""

from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from catalog.models import Film
from core.page_cache import invalidation

from .models import MAX_POINTS, MIN_POINTS, HelpfulVote, Rating, Review, ReviewReport

# save_review(review) without points leaves the review's stars as they are.
KEEP_STARS = object()


def _lock_film(film, **annotations):
    """Load a film (a Film, its id or its slug) and lock its row until the
    transaction ends, in one query; Film.DoesNotExist if there is none.

    select_for_update() is a no-op on SQLite, where the IMMEDIATE transaction
    already holds the database's write lock.
    """
    if isinstance(film, Film):
        lookup = {"pk": film.pk}
    elif isinstance(film, str):
        lookup = {"slug": film}
    else:
        lookup = {"pk": film}
    return Film.objects.select_for_update().annotate(**annotations).get(**lookup)


def _fans_review_id(user):
    """The id of a fan's review of the film being locked (None without), to
    read in the lock's query."""
    return Subquery(Review.objects.filter(film=OuterRef("pk"), author=user).order_by().values("pk"))


def refresh_film_counters(film, *, reviews=True):
    """Recompute one film's counters (a Film or its id) from the rows and
    write them in one UPDATE; returns the values written.

    Call inside the transaction that changed them, after _lock_film().
    `reviews=False` when only stars changed: the review count stays as it is.
    """
    film_id = film.pk if isinstance(film, Film) else film
    histogram = [0] * (MAX_POINTS - MIN_POINTS + 1)
    for points, n in Rating.objects.distribution_rows(film_id):
        histogram[points - MIN_POINTS] = n
    counters = {**Film.rating_counters(histogram), "rating_histogram": histogram}
    if reviews:
        counters["review_count"] = Review.objects.published().filter(film_id=film_id).count()
    Film.objects.filter(pk=film_id).update(**counters)
    # update() sends no signal: the pages showing the counters are marked
    # here, and go once the transaction commits (by slug when the film is at
    # hand, which spares the commit looking it up).
    if isinstance(film, Film):
        invalidation.mark(families=[invalidation.LISTS], film_slugs={film.pk: film.slug})
    else:
        invalidation.mark(families=[invalidation.LISTS], film_ids=[film_id])
    return counters


def _show_counters(film, counters):
    """Put counters just written on the film instance, so the caller can show
    them without reading the row again; the average as the database computes
    it (Film.rating_average)."""
    for name, value in counters.items():
        setattr(film, name, value)
    film.rating_average = film.rating_sum / film.rating_count if film.rating_count else None


@transaction.atomic
def set_rating(user, film, points):
    """Give or change a fan's rating of a film (a Film or its slug). Returns
    the film, locked, with its new counters. The fan's review, if they wrote
    one, shows the new stars: it reads this same row."""
    if not MIN_POINTS <= points <= MAX_POINTS:
        raise ValueError(f"points must lie between {MIN_POINTS} and {MAX_POINTS}")
    film = _lock_film(film, fans_review_id=_fans_review_id(user))
    # One statement inserts or updates the fan's row. A new row is linked to
    # the fan's review of the film, if any (read in the statement, after the
    # lock); an existing one already is.
    fans_review = Review.objects.filter(film=film, author=user).order_by().values("pk")
    Rating.objects.bulk_create(
        [Rating(film=film, user=user, points=points, review_id=Subquery(fans_review))],
        update_conflicts=True,
        unique_fields=["film", "user"],
        update_fields=["points", "updated_at"],
    )
    # bulk_create() sends no signal: the fan's ratings page and their review's
    # page show these stars (the film's pages are marked with the counters).
    invalidation.mark(usernames={user.pk: user.get_username()}, review_ids=[film.fans_review_id])
    _show_counters(film, refresh_film_counters(film, reviews=False))
    return film


@transaction.atomic
def clear_rating(user, film):
    """Remove a fan's rating of a film (a Film or its slug); their review, if
    any, is left without stars. Returns the film, locked, with its counters."""
    fans_rating = Rating.objects.filter(film=OuterRef("pk"), user=user).order_by().values("pk")
    film = _lock_film(
        film, fans_rating_id=Subquery(fans_rating), fans_review_id=_fans_review_id(user)
    )
    if film.fans_rating_id is not None:
        # Deleted by the id read with the lock: one statement, no lookup first.
        # (On PostgreSQL a request of the same fan that held the lock first
        # may have changed the row since; either way the result is one of the
        # two orders the requests could have run in, and the counters below
        # are read afresh.)
        Rating(pk=film.fans_rating_id, film_id=film.pk, user_id=user.pk).delete()
        # The delete's signal marks the film and the fan (by the slug and
        # name at hand here); their review's page showed the stars too.
        invalidation.mark(
            usernames={user.pk: user.get_username()}, review_ids=[film.fans_review_id]
        )
        _show_counters(film, refresh_film_counters(film, reviews=False))
    return film


@transaction.atomic
def delete_rating(rating):
    """Delete one rating (staff, in the admin). A review that showed it is
    left without stars."""
    _lock_film(rating.film_id)
    invalidation.mark(review_ids=[rating.review_id])
    rating.delete()
    refresh_film_counters(rating.film_id, reviews=False)


@transaction.atomic
def save_review(review, points=KEEP_STARS):
    """Create or update a review. `points` (None: no stars) become the stars
    it shows, kept in its author's Rating row; left out, the stars stay as
    they are (staff editing a fan's review)."""
    _lock_film(review.film_id)
    review.save()
    if points is not KEEP_STARS:
        _save_stars(review, points)
    refresh_film_counters(review.film_id)
    return review


def _save_stars(review, points):
    """Write a review's stars to the one row they live in: its author's
    rating of the film (one per fan and film, then linked to this review),
    or for an imported review by someone without an account, its own."""
    by_fan = review.author_id is not None
    if points is None:
        if by_fan:
            Rating.objects.filter(film_id=review.film_id, user_id=review.author_id).delete()
        else:
            Rating.objects.filter(review=review).delete()
        review.rating_row = None
        return
    rating = Rating(film_id=review.film_id, user_id=review.author_id, review=review, points=points)
    Rating.objects.bulk_create(
        [rating],
        update_conflicts=True,
        unique_fields=["film", "user"] if by_fan else ["review"],
        update_fields=["points", "review", "updated_at"],
    )
    # bulk_create() sends no signal; the review's save has marked the rest.
    invalidation.mark(user_ids=[review.author_id])
    review.rating_row = rating


@transaction.atomic
def delete_review(review):
    """Delete a review. A fan's rating stays: it is theirs, not the review's.
    An imported review's rating goes with it (see models.keep_fans_rating)."""
    _lock_film(review.film_id)
    review.delete()
    refresh_film_counters(review.film_id)


@transaction.atomic
def set_review_status(reviews, status):
    """Hide or restore reviews (staff); they leave or rejoin every page and
    count, and so do the ratings they show."""
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


# Who a kept review is by once its author's account is gone.
DELETED_FAN_NAME = "deleted fan"


def refresh_counters_of_films(film_ids):
    """refresh_film_counters() for many films in a few queries (the rows
    grouped once, the films written in batches), for writes that touch a
    fan's whole history. Call inside the transaction, with the films locked."""
    film_ids = sorted(set(film_ids))
    histograms = {pk: [0] * (MAX_POINTS - MIN_POINTS + 1) for pk in film_ids}
    rows = (
        Rating.objects.counted()
        .filter(film_id__in=film_ids)
        .order_by()
        .values_list("film_id", "points")
        .annotate(n=Count("id"))
    )
    for film_id, points, n in rows:
        histograms[film_id][points - MIN_POINTS] = n
    review_counts = dict(
        Review.objects.published()
        .filter(film_id__in=film_ids)
        .order_by()
        .values_list("film_id")
        .annotate(n=Count("id"))
    )
    films = []
    for film_id, histogram in histograms.items():
        film = Film(
            pk=film_id, rating_histogram=histogram, review_count=review_counts.get(film_id, 0)
        )
        for name, value in Film.rating_counters(histogram).items():
            setattr(film, name, value)
        films.append(film)
    fields = ["rating_count", "rating_sum", "rating_histogram", "review_count"]
    Film.objects.bulk_update(films, fields, batch_size=500)
    invalidation.mark(families=[invalidation.LISTS], film_ids=film_ids)


@transaction.atomic
def forget_fan(user, *, keep_reviews):
    """Remove a fan's ratings, reviews and helpful votes before their account
    is deleted, keeping every counter exact.

    With `keep_reviews`, their published and hidden reviews stay, by
    DELETED_FAN_NAME, each with its stars: the rating a review shows passes
    to the review as an imported review's does (no fan, counted as before).
    Their other ratings go. Without, reviews and ratings all go.
    Returns (reviews kept, reviews deleted, ratings deleted)."""
    film_ids = set(Rating.objects.filter(user=user).values_list("film_id", flat=True))
    film_ids |= set(Review.objects.filter(author=user).values_list("film_id", flat=True))
    # Locked in id order, as set_review_status() does: no deadlock between them.
    list(Film.objects.select_for_update().filter(pk__in=film_ids).order_by("pk").values("pk"))
    review_ids = list(Review.objects.filter(author=user).values_list("pk", flat=True))
    invalidation.mark(
        families=[invalidation.LISTS],
        usernames={user.pk: user.get_username()},
        review_ids=review_ids,
        film_ids=film_ids,
    )
    kept = deleted_reviews = 0
    if keep_reviews:
        Rating.objects.filter(user=user, review__isnull=False).update(user=None)
        kept = Review.objects.filter(author=user).update(author=None, author_name=DELETED_FAN_NAME)
    else:
        # A fan's rating outlives the review (keep_fans_rating): deleted below.
        deleted_reviews = Review.objects.filter(author=user).delete()[1].get("reviews.Review", 0)
    deleted_ratings = Rating.objects.filter(user=user).delete()[1].get("reviews.Rating", 0)
    voted = list(HelpfulVote.objects.filter(user=user).values_list("review_id", flat=True))
    if voted:
        HelpfulVote.objects.filter(user=user).delete()
        votes = HelpfulVote.objects.filter(review=OuterRef("pk")).order_by().values("review")
        Review.objects.filter(pk__in=voted).update(
            helpful_count=Coalesce(Subquery(votes.annotate(n=Count("pk")).values("n")), 0)
        )
        invalidation.mark(review_ids=voted)
    refresh_counters_of_films(film_ids)
    return kept, deleted_reviews, deleted_ratings


def _lock_films(film_ids):
    """Lock these films' rows, in id order (as set_review_status() does: no
    deadlock between writers of several films)."""
    list(Film.objects.select_for_update().filter(pk__in=film_ids).order_by("pk").values("pk"))


def _link_fans_ratings_to_reviews(user, film_ids):
    """Keep the invariant: a fan's rating of a film shows on their review of it."""
    fans_review = Review.objects.filter(author=user, film=OuterRef("film")).order_by().values("pk")
    Rating.objects.filter(user=user, film_id__in=film_ids, review__isnull=True).update(
        review_id=Subquery(fans_review[:1])
    )


@transaction.atomic
def import_fans_ratings(user, points_by_film):
    """Give a fan many ratings at once ({film id: points}, an import): the
    films locked, the rows written in one upsert per batch, the counters
    recomputed in grouped queries. Ratings equal to the fan's are left alone,
    dates and all, so importing the same file twice changes nothing. Returns
    the number of ratings given or changed."""
    for points in points_by_film.values():
        if not MIN_POINTS <= points <= MAX_POINTS:
            raise ValueError(f"points must lie between {MIN_POINTS} and {MAX_POINTS}")
    _lock_films(points_by_film)
    current = dict(
        Rating.objects.filter(user=user, film_id__in=list(points_by_film)).values_list(
            "film_id", "points"
        )
    )
    changed = {f: p for f, p in points_by_film.items() if current.get(f) != p}
    if not changed:
        return 0
    Rating.objects.bulk_create(
        [Rating(film_id=film_id, user=user, points=p) for film_id, p in sorted(changed.items())],
        update_conflicts=True,
        unique_fields=["film", "user"],
        update_fields=["points", "updated_at"],
        batch_size=500,
    )
    _link_fans_ratings_to_reviews(user, list(changed))
    # bulk_create() sends no signal: the fan's pages and their reviews' show these stars.
    invalidation.mark(usernames={user.pk: user.get_username()}, reviews_of_user_ids=[user.pk])
    refresh_counters_of_films(changed)
    return len(changed)


@transaction.atomic
def import_fans_reviews(user, reviews):
    """Publish a fan's reviews from elsewhere (dicts of film_id, title, body,
    published_at, source), one per film: a film the fan has already reviewed
    keeps its review, so importing twice changes nothing. Their stars are
    the fan's ratings (import_fans_ratings). Returns the number published."""
    by_film = {}
    for fields in reviews:
        by_film.setdefault(fields["film_id"], fields)
    _lock_films(by_film)
    reviewed = set(
        Review.objects.filter(author=user, film_id__in=list(by_film)).values_list(
            "film_id", flat=True
        )
    )
    new = [
        Review(author=user, **fields)
        for film_id, fields in by_film.items()
        if film_id not in reviewed
    ]
    Review.objects.bulk_create(new, batch_size=500)
    if not new:
        return 0
    film_ids = [review.film_id for review in new]
    _link_fans_ratings_to_reviews(user, film_ids)
    invalidation.mark(
        families=[invalidation.LISTS],
        usernames={user.pk: user.get_username()},
        review_ids=[review.pk for review in new],
    )
    refresh_counters_of_films(film_ids)
    return len(new)
