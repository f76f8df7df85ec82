"""'Fans who liked this also liked': films liked by the same fans.

A fan *likes* a film when they rate it LIKED_POINTS or more (3.5 stars and
up); apps above this one add other kinds of like (a heart on a diary entry)
with `register_like_source`. Two films are similar when the same fans like
both: the cosine of their sets of likers, fans in common / sqrt(likers of one
× likers of the other), which ranks a pair of niche films liked by the same
five fans above two blockbusters everybody likes.

`compute()` (the `compute_also_liked` command, run nightly) does the whole
computation in the database, in five statements over temporary tables, so
the command's memory does not grow with the number of ratings: the database
streams and aggregates the pairs (PostgreSQL's aggregates spill to disk past
work_mem, SQLite's sorter past its cache). It stores at most TOP_N films a
film, and only pairs with at least MIN_FANS_IN_COMMON fans in common: below
that, the film page shows nothing rather than noise.
"""

from django.db import connection, transaction
from django.db.models import F

from catalog.models import Film
from catalog.pages import FILM_PAGE, Section, register_section
from core.db import ShortList
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


# The computation, step by step, through temporary tables of this
# connection: each step is one statement the database streams, and the
# tables are indexed between steps. (As one statement of common table
# expressions, SQLite read the likes again for each reference and took over
# a quarter of an hour at a million ratings; this way, under a minute.)
TEMP_LIKES = "also_liked_tmp_likes"
TEMP_LIKERS = "also_liked_tmp_likers"
TEMP_PAIRS = "also_liked_tmp_pairs"

# Each fan's likes, once per film, their latest MAX_LIKES_PER_FAN only.
LIKES_SQL = f"""CREATE TEMPORARY TABLE {TEMP_LIKES} AS
SELECT user_id, film_id FROM (
    SELECT user_id, film_id,
           ROW_NUMBER() OVER (
               PARTITION BY user_id ORDER BY MAX(liked_at) DESC, film_id DESC
           ) AS n
    FROM ({{likes}}) all_likes
    GROUP BY user_id, film_id
) numbered
WHERE n <= %s"""

# How many fans like each film. A film liked by fewer than the threshold can
# be in no pair that passes it, so its likes leave the self-join.
LIKERS_SQL = [
    f"""CREATE TEMPORARY TABLE {TEMP_LIKERS} AS
    SELECT film_id, COUNT(*) AS n FROM {TEMP_LIKES}
    GROUP BY film_id HAVING COUNT(*) >= %s""",
    f"DELETE FROM {TEMP_LIKES} WHERE film_id NOT IN (SELECT film_id FROM {TEMP_LIKERS})",
    f"CREATE INDEX {TEMP_LIKES}_user ON {TEMP_LIKES} (user_id, film_id)",
    f"CREATE UNIQUE INDEX {TEMP_LIKERS}_film ON {TEMP_LIKERS} (film_id)",
]

# Fans in common, for each pair of films once (film_id < other_id).
PAIRS_SQL = f"""CREATE TEMPORARY TABLE {TEMP_PAIRS} AS
SELECT a.film_id AS film_id, b.film_id AS other_id, COUNT(*) AS fans
FROM {TEMP_LIKES} a
JOIN {TEMP_LIKES} b ON b.user_id = a.user_id AND b.film_id > a.film_id
GROUP BY a.film_id, b.film_id
HAVING COUNT(*) >= %s"""

# Both directions of each pair, ranked by the cosine's square (the same
# order, without a square root per pair); each film keeps its best TOP_N.
RANKED_SQL = f"""INSERT INTO {{table}} (film_id, other_id, rank, fans, similarity)
SELECT film_id, other_id, rank, fans, fans / SQRT(likers * 1.0 * other_likers)
FROM (
    SELECT p.film_id, p.other_id, p.fans, fa.n AS likers, fb.n AS other_likers,
           ROW_NUMBER() OVER (
               PARTITION BY p.film_id
               ORDER BY p.fans * p.fans * 1.0 / (fa.n * fb.n) DESC, p.fans DESC, p.other_id
           ) AS rank
    FROM (
        SELECT film_id, other_id, fans FROM {TEMP_PAIRS}
        UNION ALL
        SELECT other_id, film_id, fans FROM {TEMP_PAIRS}
    ) p
    JOIN {TEMP_LIKERS} fa ON fa.film_id = p.film_id
    JOIN {TEMP_LIKERS} fb ON fb.film_id = p.other_id
) ranked
WHERE rank <= %s"""


def _drop_temporary_tables(cursor):
    for table in (TEMP_PAIRS, TEMP_LIKERS, TEMP_LIKES):
        cursor.execute(f"DROP TABLE IF EXISTS {table}")


@transaction.atomic
def compute():
    """Replace every film's "also liked" list; returns the number of rows.
    Readers see the old lists until the transaction commits."""
    likes, like_params = _likes_sql()
    table = connection.ops.quote_name(AlsoLiked._meta.db_table)
    AlsoLiked.objects.all().delete()
    with connection.cursor() as cursor:
        _drop_temporary_tables(cursor)
        cursor.execute(LIKES_SQL.format(likes=likes), [*like_params, MAX_LIKES_PER_FAN])
        cursor.execute(LIKERS_SQL[0], [MIN_FANS_IN_COMMON])
        for sql in LIKERS_SQL[1:]:
            cursor.execute(sql)
        cursor.execute(PAIRS_SQL, [MIN_FANS_IN_COMMON])
        cursor.execute(RANKED_SQL.format(table=table), [TOP_N])
        _drop_temporary_tables(cursor)
    # Any film page may have changed its list: one bump for the whole page
    # cache, after the commit (a batch job's way, see core/page_cache).
    invalidation.invalidate_everything()
    return AlsoLiked.objects.count()


@invalidation.register_related_films
def films_listing(film_ids):
    """The films whose "also liked" lists show any of these films."""
    return AlsoLiked.objects.filter(other_id__in=film_ids).values_list("film_id", flat=True)


@register_section(
    FILM_PAGE,
    lists={
        "also_liked": lambda film: ShortList(
            AlsoLiked.objects.filter(film=film),
            "rank",
            fields=("fans",),
            related={"other": Film.RELATED_FIELDS},
        )
    },
)
def also_liked_section(film, also_liked):
    """The film page's "Fans who liked this also liked", its rows fetched
    with the page's other lists; nothing when no film passes the threshold."""
    if not also_liked:
        return None
    return Section(
        "reviews/includes/also_liked.html",
        {
            "films": [row.other for row in also_liked],
            "min_fans": MIN_FANS_IN_COMMON,
            "liked_stars": LIKED_POINTS / 2,
        },
    )
