"""PostgreSQL: an index per exact-title column in search order, so that the
first films titled exactly as a search ("Ночь": 1,610 of 900,000 films)
are read off the index in the order the page shows them, a few entries,
instead of fetching and sorting every film of that title
(catalog/search/engine.py, `_postgres_exact_match_ids`).

The columns are Lower() of each title, then the search order of migration
0009, frozen here as migrations must be; a test plans the look-up and
checks it reads these indexes."""

from django.db import migrations

FILM_POPULARITY = (
    "CAST(floor(1000 * log(1 + coalesce(catalog_film.rating_count, 0)"
    " + coalesce(catalog_film.external_rating_votes, 0))) AS INTEGER)"
)
SEARCH_ORDER = f"({FILM_POPULARITY}) DESC, (length(catalog_film.search_text)), (catalog_film.id)"

INDEXES = {
    "film_title_lower_order_idx": f"(lower(catalog_film.title)), {SEARCH_ORDER}",
    "film_original_title_lower_order_idx": (
        f"(lower(catalog_film.original_title)), {SEARCH_ORDER}"
    ),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, columns in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX {name} ON catalog_film ({columns})")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0009_search_order_indexes")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
