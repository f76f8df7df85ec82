"""Load a dump back into an empty site (`manage.py import_catalogue_dump`):
the round trip that proves the dump holds the public catalogue whole."""

import json
from itertools import islice
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, models, transaction

from catalog.models import Film, Person
from core.page_cache import invalidation
from reviews.models import Rating, Review

from . import dump

BATCH = 2000


class DumpError(Exception):
    pass


def _batches(rows, size=BATCH):
    rows = iter(rows)
    while batch := list(islice(rows, size)):
        yield batch


def _loadable_columns(model):
    """attname → field for the columns a row may set (not generated ones)."""
    return {
        field.attname: field
        for field in model._meta.concrete_fields
        if not isinstance(field, models.GeneratedField)
    }


def _load_table(folder, table):
    model = table.get_model()
    columns = _loadable_columns(model)
    # Computed by the database from the other columns (Film.rating_average).
    generated = {
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, models.GeneratedField)
    }
    count = 0
    for batch in _batches(dump.read_rows(folder, table.name)):
        objects = []
        for row in batch:
            for column in generated:
                row.pop(column, None)
            unknown = set(row) - set(columns)
            if unknown:
                raise DumpError(f"{table.name}: columns this site does not have: {sorted(unknown)}")
            objects.append(model(**row))
        model._default_manager.bulk_create(objects)
        count += len(objects)
    return model, count


def _load_reviews(folder):
    """Reviews with their authors' user names (accounts without a password
    or email: nobody can log in to them) and the stars they show."""
    users = {}
    User = get_user_model()
    count = 0
    for batch in _batches(dump.read_rows(folder, dump.REVIEWS.name)):
        for name in {row["author"] for row in batch} - set(users):
            user = User(username=name, reviews_in_open_data=True)
            user.set_unusable_password()
            user.save()
            users[name] = user
        reviews = [
            Review(
                pk=row["id"],
                film_id=row["film_id"],
                author=users[row["author"]],
                title=row["title"],
                body=row["body"],
                is_spoiler=row["is_spoiler"],
                helpful_count=row["helpful_count"],
                published_at=row["published_at"],
                status=Review.Status.PUBLISHED,
            )
            for row in batch
        ]
        Review.objects.bulk_create(reviews)
        Rating.objects.bulk_create(
            Rating(
                film_id=row["film_id"],
                user=users[row["author"]],
                review_id=row["id"],
                points=row["stars_points"],
            )
            for row in batch
            if row["stars_points"] is not None
        )
        count += len(reviews)
    return count


@transaction.atomic
def load(folder):
    """Load every table of a dump folder; {table: rows}. The film counters come
    from the dump as they were (they count ratings the dump leaves out), and
    search text is rebuilt."""
    folder = Path(folder)
    package = json.loads((folder / "datapackage.json").read_text())
    in_dump = {resource["title"] for resource in package["resources"]}
    if Film.objects.exists() or Person.objects.exists():
        raise DumpError("This site already has films or people: load a dump into an empty site.")
    counts, loaded = {}, []
    for table in dump.tables():
        if table.name not in in_dump:
            continue
        if table is dump.REVIEWS:
            counts[table.name] = _load_reviews(folder)
            loaded += [Review, Rating, get_user_model()]
        else:
            model, counts[table.name] = _load_table(folder, table)
            loaded.append(model)
    # Rows came with their ids: PostgreSQL's sequences must move past them.
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), loaded):
            cursor.execute(statement)
    Film.objects.all().refresh_search_text()
    Person.objects.all().refresh_search_text()
    transaction.on_commit(invalidation.invalidate_everything)
    return counts
