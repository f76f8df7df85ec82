"""Search over films and people, on whichever database the site runs.

Both backends search the folded `search_text` column (see core.text),
match every word of the query as a word prefix, and put the matches in one
order, the *search order*:

1. more popular films first: the popularity prior is the film's site
   ratings plus its outside votes (Film.external_rating_votes), on a log
   scale in steps of a thousandth of a decade (1000 × log10(1 + n)): the film
   most people mean comes before namesakes ("Lord of the Rings" puts The
   Fellowship of the Ring, 2.0M votes, before The Two Towers, 1.8M), and
   films within about a quarter of a percent of each other tie;
2. then the shorter matching text: a title made of the query's words and
   little else is closer than a long one that also contains them;
3. then the older entry.

The caller puts exact title or name matches on top (`exact_first`).

- SQLite: an FTS5 full-text index per table, kept in step by triggers. Each
  row's FTS rowid is its place in search order (`_order_key_sql`), so SQLite
  reads matches best-first straight from the index and stops at the page's
  limit: a query matching half the catalogue costs what a narrow one does,
  and every match is ranked, not only the first thousand found.
- PostgreSQL: full-text search (`to_tsvector('simple', …)`, prefix queries)
  and, only when that finds nothing, trigram similarity for misspellings,
  both from django.contrib.postgres and both backed by GIN indexes; the
  same order. Trigram matching rechecks every
  row its index cannot rule out, thousands for a common short word, so it
  runs only when it is the visitor's last chance (issue 14: "Mir Karimi"
  spent 95 ms there at 150,000 people while full-text search had found him).
"""

import json
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connections, router, transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length

from core.text import fold, index_text, last_word_is_complete, query_words


@dataclass(frozen=True)
class SearchedTable:
    """A table whose `search_text` column gets a full-text index."""

    name: str
    # The counters whose sum, on a log scale, puts rows first (see the module).
    popularity: tuple[str, ...] = ()

    @property
    def fts(self):
        return f"{self.name}_fts"


SEARCHED_TABLES = [
    SearchedTable("catalog_film", popularity=("rating_count", "external_rating_votes")),
    SearchedTable("catalog_person"),
]


def _searched_table(model):
    return next(table for table in SEARCHED_TABLES if table.name == model._meta.db_table)


# How many ranked candidates a search considers before the page is cut.
MAX_CANDIDATES = 200

# The SQLite search order key packs three numbers into the FTS rowid:
# highest − popularity (14 bits) | text length (10 bits) | primary key (32 bits).
ID_BITS = 32
ID_MASK = (1 << ID_BITS) - 1
LONGEST_LENGTH = 1023
# 1000 × log10(1 + n) stays under this for any n below 10**16.
HIGHEST_POPULARITY = (1 << 14) - 1
# Steps of the log scale per decade (see the module).
POPULARITY_STEPS = 1000
# Lengths of the word prefixes SQLite indexes (see _search_index_sql).
PREFIX_LENGTHS = "1 2 3 4 5 6 7 8"


def popularity_sql(table, row):
    """SQL for the popularity prior of `row` (a table name, or a trigger's
    `new` or `old`): 1000 × log10(1 + the popularity counters), an integer.
    The same text on both databases (log() is base 10 on each)."""
    if not table.popularity:
        return "0"
    total = " + ".join(f"coalesce({row}.{column}, 0)" for column in table.popularity)
    return f"CAST(floor({POPULARITY_STEPS} * log(1 + {total})) AS INTEGER)"


def _order_key_sql(table, row):
    """SQL for the search order key of `row` (a table name, or a trigger's
    `new` or `old`); ascending keys are search order (see the module)."""
    popularity = f"min({popularity_sql(table, row)}, {HIGHEST_POPULARITY})"
    length = f"min(length({row}.search_text), {LONGEST_LENGTH})"
    return (
        f"((({HIGHEST_POPULARITY} - {popularity}) << {ID_BITS + 10})"
        f" | ({length} << {ID_BITS}) | {row}.id)"
    )


def _search_index_sql(table):
    """The statements creating a table's FTS5 index and the triggers that keep
    it in step, by the name of what they create. Written as SQLite stores
    them in sqlite_master, so an index built from an older definition shows."""
    fts = table.fts
    old_key, new_key = _order_key_sql(table, "old"), _order_key_sql(table, "new")
    remove_old = (
        f"INSERT INTO {fts}({fts}, rowid, search_text) "
        f"VALUES ('delete', {old_key}, old.search_text);"
    )
    add_new = f"INSERT INTO {fts}(rowid, search_text) VALUES ({new_key}, new.search_text);"
    watched = ", ".join(["id", "search_text", *table.popularity])
    return {
        # Contentless (content=''): the rowid is the order key, not the
        # table's own, so the index keeps no link to the rows; the triggers
        # hand it the old values to remove. unicode61 with diacritics
        # removed is a second line of defence: the column is already folded
        # in Python. Prefix indexes of 1 to 8 characters let the word being
        # typed match as one list instead of a merge of every word it could
        # start ("mirror*" is also "mirrorsky", a run-together pair), for an
        # index twice the size (BENCHMARKS.md, "Search prefixes").
        fts: (
            f"CREATE VIRTUAL TABLE {fts} USING fts5(search_text, content='', "
            f"tokenize='unicode61 remove_diacritics 2', prefix='{PREFIX_LENGTHS}')"
        ),
        f"{fts}_insert": (
            f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table.name} BEGIN {add_new} END"
        ),
        f"{fts}_delete": (
            f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table.name} BEGIN {remove_old} END"
        ),
        # A new rating rewrites the row only when its popularity step changes.
        f"{fts}_update": (
            f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {watched} ON {table.name} "
            f"WHEN old.search_text IS NOT new.search_text OR {old_key} != {new_key} "
            f"BEGIN {remove_old} {add_new} END"
        ),
    }


def ensure_sqlite_search_index(connection):
    """Create the FTS5 tables and their triggers where missing or built from
    an older definition, and fill them (idempotent). Returns the tables it
    filled.

    Also heals an index whose triggers went missing (Django drops them when
    it rebuilds a table to alter it), since writes made meanwhile are not in it.
    """
    filled = []
    if connection.vendor != "sqlite":
        return filled
    with connection.cursor() as cursor:
        existing = dict(
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'trigger')"
            ).fetchall()
        )
        for table in SEARCHED_TABLES:
            if table.name not in existing:
                continue
            wanted = _search_index_sql(table)
            if all(existing.get(name) == sql for name, sql in wanted.items()):
                continue
            for name in wanted:
                if name != table.fts:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {table.fts}")
            for sql in wanted.values():
                cursor.execute(sql)
            _refill(cursor, table)
            filled.append(table)
    return filled


def _refill(cursor, table):
    fts = table.fts
    cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('delete-all')")
    cursor.execute(
        f"INSERT INTO {fts}(rowid, search_text) "
        f"SELECT {_order_key_sql(table, table.name)}, search_text FROM {table.name}"
    )


@contextmanager
def search_index_batch(model, ids, using="default"):
    """Keep `model`'s search index in step with a batch of raw writes to the
    rows `ids` (inserts, or updates of their search text or popularity) in
    two statements, instead of one trigger call per row.

    SQLite: the table's insert and update triggers are dropped for the
    block, the rows' old index entries removed before it and their new ones
    added after it, one `INSERT … SELECT` each; then the triggers are made
    again from the same SQL. All of it in one transaction (or savepoint), so
    a failure or an interrupt rolls the triggers back with the rows (SQLite's
    schema changes are transactional). Only the rows in `ids` may be written
    in the block. Measured at twice the insert rate of the triggers for people
    (BENCHMARKS.md, "Issue 14: import"). PostgreSQL keeps its GIN indexes
    itself: nothing to do.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        yield
        return
    table = _searched_table(model)
    fts, key = table.fts, _order_key_sql(table, table.name)
    statements = _search_index_sql(table)
    paused = [f"{fts}_insert", f"{fts}_update"]
    id_list = json.dumps(sorted(ids))
    chosen = f"FROM {table.name} WHERE id IN (SELECT value FROM json_each(%s))"
    # A savepoint of its own: an exception inside rolls back the block's
    # writes and the dropped triggers together, even if the caller goes on.
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for name in paused:
            cursor.execute(f"DROP TRIGGER {name}")
        cursor.execute(
            f"INSERT INTO {fts}({fts}, rowid, search_text) "
            f"SELECT 'delete', {key}, search_text {chosen}",
            [id_list],
        )
        yield
        cursor.execute(
            f"INSERT INTO {fts}(rowid, search_text) SELECT {key}, search_text {chosen}",
            [id_list],
        )
        for name in paused:
            cursor.execute(statements[name])


def ensure_search_index_after_migrate(sender, using="default", **kwargs):
    ensure_sqlite_search_index(connections[using])


def rebuild_sqlite_search_index(connection):
    """Re-read every row into the FTS5 indexes (after raw bulk loads)."""
    if connection.vendor != "sqlite":
        return
    filled = ensure_sqlite_search_index(connection)
    with connection.cursor() as cursor:
        for table in SEARCHED_TABLES:
            if table not in filled:
                _refill(cursor, table)


def _fts5_match_expression(words, prefix=True):
    # Each word quoted (so FTS5 syntax in a query is just text); the last one
    # matched as a prefix, so "bacheha ye as" finds "bacheha-ye aseman" while
    # typing. Earlier words match whole: they were typed in full, and a
    # prefix longer than the prefix indexes makes FTS5 merge every word it
    # could start.
    quoted = ['"{}"'.format(word.replace('"', "")) for word in words]
    if prefix:
        quoted[-1] += "*"
    return " ".join(quoted)


def _terms(query):
    """The query's folded words, and whether the last one is matched as a
    prefix: not when the query ends in punctuation ("E.T." is the word
    "et", not also "eternal")."""
    return query_words(query), not last_word_is_complete(query)


def matching_ids_sql(queryset, words, limit=None, prefix=True):
    """A subquery of the primary keys whose search text matches all words
    (only the first `limit` in search order, if given)."""
    connection = connections[router.db_for_read(queryset.model)]
    if connection.vendor == "sqlite":
        fts = _searched_table(queryset.model).fts
        sql = f"SELECT rowid & {ID_MASK} FROM {fts} WHERE {fts} MATCH %s"
        params = [_fts5_match_expression(words, prefix)]
        if limit:
            sql += " ORDER BY rowid LIMIT %s"
            params.append(limit)
        return RawSQL(sql, params)
    raise NotImplementedError  # PostgreSQL filters with expressions instead.


def filter_matching(queryset, query):
    """Narrow a queryset to rows matching the query, without ranking.

    For filters (the film list's text box, the people list's search box).
    A query with no words leaves the queryset alone.
    """
    words, prefix = _terms(query)
    if not words:
        return queryset
    connection = connections[router.db_for_read(queryset.model)]
    if connection.vendor == "postgresql":
        return _postgres_search(queryset, words, prefix)
    return queryset.filter(pk__in=matching_ids_sql(queryset, words, prefix=prefix))


def matching_pks(queryset, query, limit=None):
    """The primary keys of rows matching the query, as a subquery (the first
    `limit` in search order, if given), for filtering another table by them."""
    words, prefix = _terms(query)
    if not words:
        return queryset.none().values("pk")
    connection = connections[router.db_for_read(queryset.model)]
    if connection.vendor == "postgresql":
        pks = (
            _postgres_search(queryset, words, prefix)
            .order_by(*_search_order(queryset))
            .values("pk")
        )
        return pks[:limit] if limit else pks
    return queryset.filter(pk__in=matching_ids_sql(queryset, words, limit, prefix)).values("pk")


def search_queryset(queryset, query, limit=MAX_CANDIDATES, similar=True):
    """Up to `limit` rows matching the query, best first, as a list. Only
    those rows are loaded, however many match.

    Rows come in search order (see the module), with exact matches of a
    whole name moved to the top by `exact_first`. `similar=False` leaves out
    the misspelling fallback (PostgreSQL; see _postgres_search), for a query
    known not to be misspelt.
    """
    # PostgreSQL refuses to compare text with a NUL byte; no name has one.
    query = (query or "").replace("\x00", "")
    words, prefix = _terms(query)
    if not words:
        return []
    model = queryset.model
    connection = connections[router.db_for_read(model)]
    limit = max(1, min(limit, MAX_CANDIDATES))
    exact_ids = exact_match_ids(queryset, query, limit)
    if connection.vendor == "postgresql":
        ranked_ids = _postgres_best_first(queryset, words, prefix, limit, similar)
    else:
        # Rowids are search order keys: the first `limit` matches in rowid
        # order are the best, and FTS5 stops reading there.
        first_matches = matching_ids_sql(queryset, words, limit, prefix)
        with connection.cursor() as cursor:
            cursor.execute(first_matches.sql, first_matches.params)
            ranked_ids = [row[0] for row in cursor.fetchall()]
    ids = list(dict.fromkeys(exact_ids + ranked_ids))[:limit]
    by_id = queryset.in_bulk(ids)
    rows = [by_id[pk] for pk in ids if pk in by_id]
    return exact_first(rows, " ".join(words))


def mark_credited_as_matches(people, query):
    """Set `credited_as_match` on each person the query found by a name they
    were credited as rather than by their own name ("Mir Karimi" finds Kamal
    Mirkarimi), so the results can say why they are there; "" for the others.
    One query, however many people.

    A name "matches" as the SQLite index reads it: every query word starts a
    word of the name. A person PostgreSQL found by a misspelling matches
    neither way and gets no label.
    """
    from ..models import Credit

    words = query_words(query)
    for person in people:
        person.credited_as_match = ""
    unexplained = {person.pk: person for person in people if not _matches(person.name, words)}
    if not unexplained:
        return people
    credited = (
        Credit.objects.filter(person__in=list(unexplained))
        .exclude(credited_as="")
        .values_list("person_id", "credited_as")
        .order_by("person_id", "credited_as")
        .distinct()
    )
    for person_id, name in credited:
        person = unexplained[person_id]
        if not person.credited_as_match and _matches(name, words):
            person.credited_as_match = name
    return people


def _matches(name, words):
    name_words = index_text(name).split()
    return all(any(word.startswith(q) for word in name_words) for q in words)


def has_the_words(name, query):
    """Whether every word of the query starts a word of the name, as the
    full-text search reads them ("Bahare Seddiqi" has "seddiqi", "baha";
    not "sedigi")."""
    words = query_words(query)
    return bool(words) and _matches(name, words)


def exact_match_ids(queryset, query, limit):
    """Primary keys of the first `limit` rows in search order whose title or
    name is the query, typed in any case.

    In search order, not by title: 1,610 of 900,000 films share the title
    "Ночь", and the most popular of them is the one meant, not the oldest.
    PostgreSQL reads them off an index per title column in that order
    (migration 0010); SQLite looks them up and sorts them."""
    lowered = " ".join(query.split()).lower()
    if not lowered:
        return []
    model = queryset.model
    connection = connections[router.db_for_read(model)]
    if connection.vendor == "postgresql":
        return _postgres_exact_match_ids(queryset, lowered, limit, connection)
    return list(
        model._default_manager.annotate(**model.exact_match_annotations())
        .filter(model.exact_match_q(lowered))
        .order_by(*_search_order(queryset))
        .values_list("pk", flat=True)[:limit]
    )


def _postgres_exact_match_ids(queryset, lowered, limit, connection):
    """exact_match_ids on PostgreSQL: the first `limit` of each title column
    in search order, each read off its own index (an OR of the columns
    would fetch and sort every film of that title: 12–26 ms warm, 77 ms
    cold for "Ночь"), then the first `limit` of those."""
    model = queryset.model
    order_keys = _order_keys(queryset)
    parts, params = [], []
    for column, lower in model.exact_match_annotations().items():
        part = (
            model._default_manager.annotate(**{column: lower})
            .filter(**{column: lowered})
            .order_by(*_search_order(queryset))
            .annotate(**order_keys)
            .values_list("pk", *order_keys)[:limit]
        )
        sql, part_params = part.query.sql_with_params()
        parts.append(f"({sql})")
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ".join(parts), params)
        rows = cursor.fetchall()
    return _in_search_order(rows)[:limit]


def _in_search_order(rows):
    """The pks of (pk, order_popularity, order_length) rows, in search order:
    a UNION keeps no order, so the rows its parts found are sorted again."""
    return [pk for pk, _, _ in sorted(rows, key=lambda row: (-row[1], row[2], row[0]))]


def exact_first(rows, folded_query):
    """Stable re-order: rows one of whose names folds to the query go first."""

    def is_exact(row):
        names = getattr(row, "exact_names", None)
        names = names() if callable(names) else [str(row)]
        return any(fold(name) == folded_query for name in names)

    return sorted(rows, key=lambda row: not is_exact(row))


# Words shorter than this take no part in the misspelling fallback: one or
# two letters have one or two trigrams, which half the names share.
TRIGRAM_MIN_LENGTH = 3


def _tsquery(words, prefix):
    """The raw tsquery of folded words: each must match as a word prefix
    (the last one whole when the query ended in punctuation). Folded words
    hold only letters and digits, so they are safe in a raw tsquery."""
    tsquery = " & ".join(f"{word}:*" for word in words)
    return tsquery if prefix else tsquery.removesuffix(":*")


def _postgres_search(queryset, words, prefix=True, similar=True):
    """Rows whose search vector matches every word as a prefix; only when
    none does, at most MAX_CANDIDATES rows whose text contains a word
    similar to each word of three letters or more (pg_trgm's `%>` operator,
    so a misspelling still finds the row, but "children heaven" does not
    find "Children of Men").

    Both read a GIN index, each from a MATERIALIZED CTE on purpose. A CTE
    is planned on its own, without the LIMIT or EXISTS around it, and run
    only as far as they ask: with the condition right under a LIMIT or in
    an EXISTS, PostgreSQL trusts its estimate of many matches and reads the
    table in order, computing the similarity (or the text vector) of every
    row until it finds enough, all 150,000 people when there are few or
    none. So the full-text matches are found once through their index, the
    trigram branch runs only when there are none (its NOT EXISTS reads the
    first CTE), and reads the trigram index's candidates only until it has
    MAX_CANDIDATES (200 rechecks instead of 4,432 for "sedigi" at 150,000
    people). With `similar=False` there is no trigram branch at all, which
    for a word no row has rechecks every candidate (3,021 films' text for
    "seddiqi" at 900,000 films, 58 ms)."""
    from django.contrib.postgres.search import SearchQuery, SearchVector

    search_query = SearchQuery(_tsquery(words, prefix), search_type="raw", config="simple")
    model = queryset.model
    by_words = (
        model._default_manager.annotate(search_vector=SearchVector("search_text", config="simple"))
        .filter(search_vector=search_query)
        .order_by()
        .values("pk")
    )
    long_words = [word for word in words if len(word) >= TRIGRAM_MIN_LENGTH]
    if not (similar and long_words):
        return queryset.filter(pk__in=by_words)
    by_similarity = (
        model._default_manager.filter(
            *(Q(search_text__trigram_word_similar=word) for word in long_words)
        )
        .order_by()
        .values("pk")
    )
    words_sql, words_params = by_words.query.sql_with_params()
    similar_sql, similar_params = by_similarity.query.sql_with_params()
    matches = RawSQL(
        f"WITH word_rows AS MATERIALIZED ({words_sql}) "
        f"(SELECT * FROM word_rows) UNION ALL "
        f"(WITH similar_rows AS MATERIALIZED ({similar_sql}) SELECT * FROM similar_rows "
        f"WHERE NOT EXISTS (SELECT 1 FROM word_rows) LIMIT {MAX_CANDIDATES})",
        (*words_params, *similar_params),
    )
    return queryset.filter(pk__in=matches)


# Rows a search reads first in search order before it finds all matches
# and sorts them (see _postgres_best_first).
BEST_FIRST_WINDOW = 5_000
# How far it reads on when the first window holds some matches, not enough.
WIDER_WINDOW = 20_000


def _postgres_best_first(queryset, words, prefix, limit, similar=True):
    """The primary keys of the first `limit` matches in search order, in
    one query.

    A word most titles share ("ночь" is in 73,000 of 900,000 films) made
    PostgreSQL fetch every match to sort them: 0.9 s warm, 13 s cold. So
    the first BEST_FIRST_WINDOW rows in search order (its own index,
    migration 0009) are searched first: if `limit` of them match, they are
    the best `limit` matches of all, since every row after the window comes
    after them in that order.

    When fewer match, but enough that `limit` are expected among the first
    WIDER_WINDOW rows at the same rate, those are read on until `limit`
    match, and no further: two common words whose pairing is rarer
    ("silent river": 15 in the first 5,000 films, 3,072 of 900,000 in all)
    cost a few thousand rows more instead of the text index's whole lists
    for both words (54 ms).

    Otherwise the words are rare enough that all their matches are few, and
    they are fetched and sorted as before, by the last part of the query,
    which PostgreSQL runs only then (one-time filters)."""
    order = _search_order(queryset)
    order_keys = _order_keys(queryset)
    in_order = queryset.order_by(*order).annotate(**order_keys)
    columns = ("pk", "search_text", *order_keys)
    window_sql, window_params = in_order.values(*columns)[
        :BEST_FIRST_WINDOW
    ].query.sql_with_params()
    wider_sql, wider_params = in_order.values(*columns)[:WIDER_WINDOW].query.sql_with_params()
    every_match = (
        _postgres_search(queryset, words, prefix, similar)
        .order_by(*order)
        .annotate(**order_keys)
        .values_list("pk", *order_keys)[:limit]
    )
    every_sql, every_params = every_match.query.sql_with_params()
    # Each window is a CTE of its own (MATERIALIZED), matched as it is
    # read: left to itself, PostgreSQL would find every match through the
    # text index and only then keep those in the window. Each word must be
    # in the folded text (strpos, a fraction of a microsecond a row) before
    # the text vector is made (9 µs a row: 46 of the 57 ms 5,000 rows took).
    matching = (
        "".join(" AND strpos(search_text, %s) > 0" for _ in words)
        + " AND to_tsvector('simple', COALESCE(search_text, '')) @@ to_tsquery('simple', %s)"
    )
    matching_params = (*words, _tsquery(words, prefix))
    # The wider window is read only as far as its matches are wanted: no
    # ORDER BY between it and the LIMIT, whose rows come in the order the
    # window was read in, search order (a test checks the rows it gives).
    fewest_for_wider = -(-limit * BEST_FIRST_WINDOW // WIDER_WINDOW)
    sql = (
        f"WITH window_rows AS MATERIALIZED ({window_sql}), "
        "in_window AS MATERIALIZED ("
        f" SELECT pk, order_popularity, order_length FROM window_rows WHERE TRUE{matching}"
        " ORDER BY order_popularity DESC, order_length, pk LIMIT %s), "
        f"wider_rows AS MATERIALIZED ({wider_sql}), "
        "in_wider AS MATERIALIZED ("
        " SELECT pk, order_popularity, order_length FROM wider_rows"
        f" WHERE (SELECT count(*) FROM in_window) BETWEEN %s AND %s{matching} LIMIT %s) "
        "SELECT * FROM in_window WHERE (SELECT count(*) FROM in_window) = %s "
        "UNION ALL SELECT * FROM in_wider WHERE (SELECT count(*) FROM in_wider) = %s "
        f"UNION ALL SELECT * FROM ({every_sql}) AS every_match"
        " WHERE (SELECT count(*) FROM in_window) < %s AND (SELECT count(*) FROM in_wider) < %s"
    )
    params = (
        *window_params,
        *matching_params,
        limit,
        *wider_params,
        fewest_for_wider,
        limit - 1,
        *matching_params,
        limit,
        limit,
        limit,
        *every_params,
        limit,
        limit,
    )
    connection = connections[router.db_for_read(queryset.model)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return _in_search_order(rows)  # only one part of the UNION returns rows


def _order_keys(queryset):
    """The search order's keys (see the module) as annotations, in SQL both
    databases read; popularity is 0 in a table without it."""
    table = _searched_table(queryset.model)
    return {
        "order_popularity": RawSQL(popularity_sql(table, queryset.model._meta.db_table), []),
        "order_length": Length("search_text"),
    }


def _search_order(queryset):
    """The search order (see the module) as order_by() terms."""
    keys = _order_keys(queryset)
    order = [keys["order_length"].asc(), "pk"]
    if _searched_table(queryset.model).popularity:
        order.insert(0, keys["order_popularity"].desc())
    return order
