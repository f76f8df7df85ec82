"""PostgreSQL: an index in search order for films and for people, so that a
word most of the catalogue matches finds its best rows by reading the
first few thousand in that order (catalog/search/engine.py,
`_postgres_best_first`). SQLite's FTS rowids are already in search order.

The columns are engine.search_order_sql() as it was when this migration was
written, frozen here as migrations must be; a test plans the search and
checks it still reads these indexes."""

from django.db import migrations

FILM_POPULARITY = (
    "CAST(floor(1000 * log(1 + coalesce(catalog_film.rating_count, 0)"
    " + coalesce(catalog_film.external_rating_votes, 0))) AS INTEGER)"
)

INDEXES = {
    "film_search_order_idx": (
        "catalog_film",
        f"({FILM_POPULARITY}) DESC, (length(catalog_film.search_text)), (catalog_film.id)",
    ),
    "person_search_order_idx": (
        "catalog_person",
        "(length(catalog_person.search_text)), (catalog_person.id)",
    ),
}


def create_search_order_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, columns) in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX {name} ON {table} ({columns})")


def drop_search_order_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0008_film_year_rating_index_covers_id")]

    operations = [migrations.RunPython(create_search_order_indexes, drop_search_order_indexes)]
