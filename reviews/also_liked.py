"""'Fans who liked this also liked': films liked by the same fans.

A fan *likes* a film when they rate it LIKED_POINTS or more (3.5 stars and
up); apps above this one add other kinds of like (a heart on a diary entry)
with `register_like_source`. Two films are similar when the same fans like
both: the cosine of their sets of likers, fans in common / sqrt(likers of one
× likers of the other), which ranks a pair of niche films liked by the same
five fans above two blockbusters everybody likes.

`compute()` (the `compute_also_liked` command, run nightly) does the whole
computation in one SQL statement, so the command's memory does not grow with
the number of ratings: the database streams and aggregates the pairs (with
PostgreSQL's hash aggregates spilling to disk past work_mem, SQLite's sorter
past its cache). It stores at most TOP_N films a film, and only pairs with at
least MIN_FANS_IN_COMMON fans in common: below that, the film page shows
nothing rather than noise.
"""

from django.db import connection, transaction
from django.db.models import F

from catalog.models import Film
from catalog.pages import FILM_PAGE, Section, register_section
from core.page_cache import invalidation

from .models import AlsoLiked, Rating

# Ratings from 7 points (3.5 stars) count as liking the film.
LIKED_POINTS = 7
# A pair of films must share this many fans who liked both to be shown.
MIN_FANS_IN_COMMON = 5
TOP_N = 10
# Only each fan's latest likes count: a fan with 20,000 likes would otherwise
# add 400 million pairs on their own, and tells little about each film.
MAX_LIKES_PER_FAN = 1_000

_like_sources = []


def register_like_source(source):
    """Register `source()`: a queryset of `values("user_id", "film_id",
    liked_at=…)` rows, one per fan and film they liked (diary hearts, say).
    A fan who both rated and hearted a film counts once."""
    if source not in _like_sources:
        _like_sources.append(source)
    return source


def rating_likes():
    """Fans' ratings of LIKED_POINTS or more (those shown on a review staff
    have hidden count no more here than anywhere else)."""
    return (
        Rating.objects.counted()
        .filter(user__isnull=False, points__gte=LIKED_POINTS)
        .order_by()
        .values("user_id", "film_id", liked_at=F("updated_at"))
    )


def _likes_sql():
    parts, params = [], []
    for queryset in [rating_likes(), *(source() for source in _like_sources)]:
        sql, source_params = queryset.query.sql_with_params()
        # Wrapped so that every member of the UNION has the same columns in
        # the same order, whatever order values() put them in.
        parts.append(f"SELECT s.user_id, s.film_id, s.liked_at FROM ({sql}) s")
        params.extend(source_params)
    return " UNION ALL ".join(parts), params


COMPUTE_SQL = """
WITH all_likes AS ({likes}),
likes AS (
    SELECT user_id, film_id, MAX(liked_at) AS liked_at
    FROM all_likes GROUP BY user_id, film_id
),
latest_likes AS (
    SELECT user_id, film_id FROM (
        SELECT user_id, film_id,
               ROW_NUMBER() OVER (
                   PARTITION BY user_id ORDER BY liked_at DESC, film_id DESC
               ) AS n
        FROM likes
    ) numbered
    WHERE n <= %s
),
likers AS (
    SELECT film_id, COUNT(*) AS n FROM latest_likes
    GROUP BY film_id HAVING COUNT(*) >= %s
),
-- A film with fewer likers than the threshold can be in no pair that
-- passes it: leaving those films out first keeps the self-join small.
counted_likes AS (
    SELECT l.user_id, l.film_id FROM latest_likes l JOIN likers f ON f.film_id = l.film_id
),
pairs AS (
    SELECT a.film_id, b.film_id AS other_id, COUNT(*) AS fans
    FROM counted_likes a
    JOIN counted_likes b ON b.user_id = a.user_id AND b.film_id <> a.film_id
    GROUP BY a.film_id, b.film_id
    HAVING COUNT(*) >= %s
),
ranked AS (
    SELECT p.film_id, p.other_id, p.fans, fa.n AS likers, fb.n AS other_likers,
           ROW_NUMBER() OVER (
               PARTITION BY p.film_id
               -- The cosine's square: the same order, no square root per pair.
               ORDER BY (p.fans * 1.0 * p.fans) / (fa.n * fb.n) DESC, p.fans DESC, p.other_id
           ) AS rank
    FROM pairs p
    JOIN likers fa ON fa.film_id = p.film_id
    JOIN likers fb ON fb.film_id = p.other_id
)
INSERT INTO {table} (film_id, other_id, rank, fans, similarity)
SELECT film_id, other_id, rank, fans, fans / SQRT(likers * 1.0 * other_likers)
FROM ranked WHERE rank <= %s
"""


@transaction.atomic
def compute():
    """Replace every film's "also liked" list; returns the number of rows.
    Readers see the old lists until the transaction commits."""
    likes, params = _likes_sql()
    sql = COMPUTE_SQL.format(likes=likes, table=connection.ops.quote_name(AlsoLiked._meta.db_table))
    AlsoLiked.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [*params, MAX_LIKES_PER_FAN, MIN_FANS_IN_COMMON, MIN_FANS_IN_COMMON, TOP_N]
        )
    # Any film page may have changed its list: one bump for the whole page
    # cache, after the commit (a batch job's way, see core/page_cache).
    invalidation.invalidate_everything()
    return AlsoLiked.objects.count()


@invalidation.register_related_films
def films_listing(film_ids):
    """The films whose "also liked" lists show any of these films."""
    return AlsoLiked.objects.filter(other_id__in=film_ids).values_list("film_id", flat=True)


@register_section(FILM_PAGE)
def also_liked_section(film):
    """The film page's "Fans who liked this also liked": one query, nothing
    when no film passes the threshold."""
    rows = list(
        AlsoLiked.objects.filter(film=film)
        .select_related("other")
        .only("fans", *(f"other__{name}" for name in Film.RELATED_FIELDS))
        .order_by("rank")
    )
    if not rows:
        return None
    return Section(
        "reviews/includes/also_liked.html",
        {
            "films": [row.other for row in rows],
            "min_fans": MIN_FANS_IN_COMMON,
            "liked_stars": LIKED_POINTS / 2,
        },
    )
