"""Search: films and people found by any of their names, in any script.

- engine.py: the queries and the indexes (FTS5 on SQLite, full-text and
  trigram indexes on PostgreSQL), and the order results come in;
- hooks.py: the signal receivers that keep the folded `search_text` of films
  and people in step with their titles and names.

Importing the package connects the hooks (CatalogConfig.ready does).
"""

from . import hooks  # noqa: F401  (connects the receivers)
from .engine import (
    SEARCHED_TABLES,
    ensure_search_index_after_migrate,
    ensure_sqlite_search_index,
    filter_matching,
    has_the_words,
    mark_credited_as_matches,
    matching_pks,
    rebuild_sqlite_search_index,
    search_index_batch,
    search_queryset,
)

__all__ = [
    "SEARCHED_TABLES",
    "ensure_search_index_after_migrate",
    "ensure_sqlite_search_index",
    "filter_matching",
    "has_the_words",
    "mark_credited_as_matches",
    "matching_pks",
    "rebuild_sqlite_search_index",
    "search_index_batch",
    "search_queryset",
]
