"""Search over films and people, on whichever database the site runs.

Both backends search the folded `search_text` column (see catalog.text),
match every word of the query as a word prefix, and rank the closest
matches first; the caller puts exact title or name matches on top.

- SQLite: an FTS5 full-text index per table ("external content": it indexes
  the column without a second copy of the text), kept in step by triggers.
  A lookup is an index probe whatever the catalogue's size.
- PostgreSQL: full-text search (`to_tsvector('simple', …)`, prefix queries)
  with a trigram similarity fallback for misspellings, both from
  django.contrib.postgres and both backed by GIN indexes.
"""

from django.db import connections, router
from django.db.models import Q
from django.db.models.expressions import RawSQL

from .text import fold, index_text, query_words

# Tables whose `search_text` column gets a full-text index.
SEARCHED_TABLES = ["catalog_film", "catalog_person"]

# How many ranked candidates a search considers before the page is cut.
MAX_CANDIDATES = 200
# How many matches SQLite ranks at most; past that, a query is too broad for
# ranking to help and the visitor is better served typing another word.
MAX_SCANNED = 1000


def _fts_table(table):
    return f"{table}_fts"


def ensure_sqlite_search_index(connection):
    """Create the FTS5 tables and their triggers where missing (idempotent).

    Rebuilds an index whose triggers were missing, since writes made while
    they were gone are not in it.
    """
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        existing = {
            name
            for (name,) in cursor.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')"
            ).fetchall()
        }
        for table in SEARCHED_TABLES:
            if table not in existing:
                continue
            fts = _fts_table(table)
            triggers = {f"{fts}_insert", f"{fts}_delete", f"{fts}_update"}
            if fts in existing and triggers <= existing:
                continue
            # unicode61 with diacritics removed is a second line of defence:
            # the column is already folded in Python.
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5("
                f"search_text, content='{table}', content_rowid='id', "
                "tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
            )
            cursor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN "
                f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END"
            )
            cursor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN "
                f"INSERT INTO {fts}({fts}, rowid, search_text) "
                "VALUES ('delete', old.id, old.search_text); END"
            )
            cursor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF search_text "
                f"ON {table} BEGIN "
                f"INSERT INTO {fts}({fts}, rowid, search_text) "
                "VALUES ('delete', old.id, old.search_text); "
                f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END"
            )
            cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def ensure_search_index_after_migrate(sender, using="default", **kwargs):
    ensure_sqlite_search_index(connections[using])


def rebuild_sqlite_search_index(connection):
    """Re-read every row into the FTS5 indexes (after raw bulk loads)."""
    if connection.vendor != "sqlite":
        return
    ensure_sqlite_search_index(connection)
    with connection.cursor() as cursor:
        for table in SEARCHED_TABLES:
            fts = _fts_table(table)
            cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def _fts5_match_expression(words):
    # Each word quoted (so FTS5 syntax in a query is just text); the last one
    # matched as a prefix, so "bacheha ye as" finds "bacheha-ye aseman" while
    # typing. Earlier words match whole: a prefix makes FTS5 merge every
    # word it could start, which costs as much as the catalogue is large.
    quoted = ['"{}"'.format(word.replace('"', "")) for word in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def matching_ids_sql(queryset, words):
    """A subquery of the primary keys whose search text matches all words."""
    table = queryset.model._meta.db_table
    connection = connections[router.db_for_read(queryset.model)]
    if connection.vendor == "sqlite":
        fts = _fts_table(table)
        return RawSQL(
            f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s",
            [_fts5_match_expression(words)],
        )
    raise NotImplementedError  # PostgreSQL filters with expressions instead.


def filter_matching(queryset, query):
    """Narrow a queryset to rows matching the query, without ranking.

    For filters (the film list's text box, the people list's search box).
    A query with no words leaves the queryset alone.
    """
    words = query_words(query)
    if not words:
        return queryset
    connection = connections[router.db_for_read(queryset.model)]
    if connection.vendor == "postgresql":
        return _postgres_search(queryset, words)
    return queryset.filter(pk__in=matching_ids_sql(queryset, words))


def matching_pks(queryset, query, limit=None):
    """The primary keys of rows matching the query, as a subquery (best
    matches first when limited), for filtering another table by them."""
    words = query_words(query)
    if not words:
        return queryset.none().values("pk")
    connection = connections[router.db_for_read(queryset.model)]
    if connection.vendor == "postgresql":
        pks = _postgres_search(queryset, words).order_by("-search_rank").values("pk")
    else:
        pks = queryset.filter(pk__in=matching_ids_sql(queryset, words)).values("pk")
    return pks[:limit] if limit else pks


def search_queryset(queryset, query, limit=MAX_CANDIDATES):
    """Up to `limit` rows matching the query, best first, as a list. Only
    those rows are loaded, however many match.

    The ranking is the database's (BM25 on SQLite, ts_rank and trigram
    similarity on PostgreSQL), with exact matches of a whole name moved to
    the top by `exact_first`.
    """
    # PostgreSQL refuses to compare text with a NUL byte; no name has one.
    query = (query or "").replace("\x00", "")
    words = query_words(query)
    if not words:
        return []
    model = queryset.model
    connection = connections[router.db_for_read(model)]
    limit = max(1, min(limit, MAX_CANDIDATES))
    exact_ids = exact_match_ids(queryset, query, limit)
    if connection.vendor == "postgresql":
        ranked_ids = list(
            _postgres_search(queryset, words)
            .order_by("-search_rank", "-search_similarity", "pk")
            .values_list("pk", flat=True)[:limit]
        )
    else:
        fts = _fts_table(model._meta.db_table)
        with connection.cursor() as cursor:
            # Rank at most MAX_SCANNED matches (taken in index order), so a
            # query matching half the catalogue costs what a narrow one does.
            cursor.execute(
                f"SELECT id FROM (SELECT rowid AS id, rank AS r FROM {fts} "
                f"WHERE {fts} MATCH %s LIMIT %s) ORDER BY r LIMIT %s",
                [_fts5_match_expression(words), MAX_SCANNED, limit],
            )
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
    from .models import Credit

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


def exact_match_ids(queryset, query, limit):
    """Primary keys of rows whose title or name is the query, typed in any
    case (one indexed lookup)."""
    lowered = " ".join(query.split()).lower()
    if not lowered:
        return []
    model = queryset.model
    return list(
        model._default_manager.annotate(**model.exact_match_annotations())
        .filter(model.exact_match_q(lowered))
        .values_list("pk", flat=True)[:limit]
    )


def exact_first(rows, folded_query):
    """Stable re-order: rows one of whose names folds to the query go first."""

    def is_exact(row):
        names = getattr(row, "exact_names", None)
        names = names() if callable(names) else [str(row)]
        return any(fold(name) == folded_query for name in names)

    return sorted(rows, key=lambda row: not is_exact(row))


def _postgres_search(queryset, words):
    """Rows whose search vector matches every word as a prefix, or whose
    text contains a word similar to each word of the query (pg_trgm's `%>`
    operator, so a misspelling still finds the row, but "children heaven"
    does not find "Children of Men"). Both conditions use a GIN index."""
    from django.contrib.postgres.search import (
        SearchQuery,
        SearchRank,
        SearchVector,
        TrigramWordSimilarity,
    )

    # Folded words hold only letters and digits, so they are safe in a raw
    # tsquery; each must match as a word prefix.
    tsquery = " & ".join(f"{word}:*" for word in words)
    vector = SearchVector("search_text", config="simple")
    search_query = SearchQuery(tsquery, search_type="raw", config="simple")
    phrase = " ".join(words)
    return queryset.annotate(
        search_vector=vector,
        search_rank=SearchRank(vector, search_query),
        search_similarity=TrigramWordSimilarity(phrase, "search_text"),
    ).filter(
        Q(search_vector=search_query)
        | Q(*(Q(search_text__trigram_word_similar=word) for word in words))
    )
