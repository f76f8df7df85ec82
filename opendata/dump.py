"""The open data dump: the public catalogue as gzipped JSON Lines and CSV, a
table a file, with a Frictionless Data Package descriptor
(`datapackage.json`: every column's type and meaning, keys, the licence).

What goes in is listed here, table by table, and nothing else: a table of
the catalogue is written whole except for derived columns (search text); a
review only when it is published and its author ticked "include my reviews in
the open data" (accounts.User.reviews_in_open_data), with the author's user
name and nothing else about them. Emails, passwords, sessions, addresses,
private lists and hidden reviews have no table here, so they cannot leak.

Rows are read with `iterator(chunk_size=…)` (a server-side cursor on
PostgreSQL) and written as they come, so memory stays flat however big the
catalogue is (BENCHMARKS.md, "Issue 17: dump").
"""

import csv
import gzip
import hashlib
import io
import json
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

CHUNK_SIZE = 2000
FOLDER = "opendata"


@dataclass
class Table:
    """One file pair of the dump: `name`.jsonl.gz and `name`.csv.gz."""

    name: str
    model: str  # app_label.ModelName
    description: str
    exclude: tuple = ()
    # (column, ORM path, Frictionless type, description) when the columns
    # are not the model's own (reviews: a joined user name, stars).
    columns: tuple = ()
    filter: dict | None = None
    optional: bool = False  # a model another part of the site may not have yet

    def get_model(self):
        try:
            return apps.get_model(self.model)
        except LookupError:
            if self.optional:
                return None
            raise

    def fields(self):
        """[(column, ORM path, type, description)] in file order."""
        if self.columns:
            return list(self.columns)
        model = self.get_model()
        result = []
        for field in model._meta.concrete_fields:
            if field.name in self.exclude or _is_private(field):
                continue
            column = field.attname  # film_id for a foreign key
            result.append((column, column, _frictionless_type(field), _describe(field)))
        return result

    def queryset(self):
        model = self.get_model()
        queryset = model._default_manager.order_by("pk")
        if self.filter:
            queryset = queryset.filter(**self.filter)
        return queryset

    def rows(self):
        paths = [path for _, path, _, _ in self.fields()]
        return self.queryset().values_list(*paths).iterator(chunk_size=CHUNK_SIZE)


# Field names that never leave the site, whatever model they turn up on.
PRIVATE_NAMES = {"email", "password", "ip_address", "user_agent", "session_key", "session_data"}


def _is_private(field):
    if field.name in PRIVATE_NAMES:
        return True
    # A link to an account says who did something; only reviews, whose
    # authors agreed, name anyone (by user name, see REVIEWS).
    remote = getattr(field, "related_model", None)
    return remote is not None and remote._meta.label == settings.AUTH_USER_MODEL


def _frictionless_type(field):
    if isinstance(field, models.BooleanField):
        return "boolean"
    if isinstance(field, models.IntegerField | models.AutoField) or field.many_to_one:
        return "integer"
    if isinstance(field, models.DecimalField | models.FloatField):
        return "number"
    if isinstance(field, models.GeneratedField):
        return _frictionless_type(field.output_field)
    if isinstance(field, models.DateTimeField):
        return "datetime"
    if isinstance(field, models.DateField):
        return "date"
    if isinstance(field, models.JSONField):
        return "any"
    return "string"


def _describe(field):
    text = str(field.help_text or field.verbose_name)
    if field.many_to_one:
        text += f" (id in {field.related_model._meta.db_table.split('_', 1)[-1]})"
    if isinstance(field, models.FileField):
        text += f" (a path under the site's media URL, {settings.MEDIA_URL})"
    return text


DERIVED = ("search_text",)

REVIEWS = Table(
    "reviews",
    "reviews.Review",
    "Published reviews whose authors agreed to their publication in the open data.",
    columns=(
        ("id", "pk", "integer", "Review id (its page is /reviews/<id>/)"),
        ("film_id", "film_id", "integer", "Film reviewed (id in films)"),
        ("author", "author__username", "string", "The author's user name on the site"),
        ("title", "title", "string", "Title"),
        ("body", "body", "string", "Plain text; blank lines separate paragraphs"),
        ("is_spoiler", "is_spoiler", "boolean", "Contains spoilers"),
        ("stars_points", "rating_row__points", "integer", "The author's rating, 1–10 points"),
        ("helpful_count", "helpful_count", "integer", "Fans who found it helpful"),
        ("published_at", "published_at", "datetime", "When it was published"),
    ),
    filter={"status": "published", "author__reviews_in_open_data": True},
)

TABLES = [
    Table("genres", "catalog.Genre", "Genres films are filed under."),
    Table("countries", "catalog.Country", "Countries (ISO 3166-1 alpha-2 codes)."),
    Table("languages", "catalog.Language", "Languages (BCP 47 tags)."),
    Table(
        "films",
        "catalog.Film",
        "Films, with the site's aggregate rating (rating_count ratings summing to "
        "rating_sum points out of 10 each; rating_histogram counts 1, 2, … 10 points).",
        exclude=DERIVED,
    ),
    Table("film_genres", "catalog.Film_genres", "Which genres each film has."),
    Table("film_countries", "catalog.Film_countries", "Countries of production."),
    Table("film_languages", "catalog.Film_languages", "Spoken languages."),
    Table("people", "catalog.Person", "Anyone credited in a film.", exclude=DERIVED),
    Table("credits", "catalog.Credit", "One person's part in one film, in the cast or the crew."),
    Table("alternate_titles", "catalog.AlternateTitle", "Other titles of a film."),
    Table("release_dates", "catalog.ReleaseDate", "Release dates by country."),
    Table(
        "box_office",
        "catalog.BoxOfficeFigure",
        "Budgets, opening weekends and grosses in whole currency units, with where "
        "each figure comes from.",
    ),
    Table("filming_locations", "catalog.FilmingLocation", "Where films were shot."),
    Table("trivia", "catalog.Trivia", '"Did you know?" items.'),
    Table("stills", "catalog.Still", "Pictures from or around a film."),
    Table("still_people", "catalog.Still_people", "People shown in a still."),
    Table(
        "outside_ids",
        "catalog.OutsideId",
        "The film's or person's identifiers on other sites (IMDb tt…/nm…).",
        optional=True,
    ),
    Table(
        "outside_ratings",
        "catalog.OutsideRating",
        "Ratings published elsewhere, with their source, scale, votes and date.",
        optional=True,
    ),
    REVIEWS,
]


def tables():
    """The tables this site has (optional ones only once their model exists)."""
    return [table for table in TABLES if table.get_model() is not None]


def _cell(value):
    """A value for JSON (and, through it, CSV)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


class _HashingWriter(io.RawIOBase):
    """Counts and hashes what goes through to a file."""

    def __init__(self, stream):
        self.stream = stream
        self.sha256 = hashlib.sha256()
        self.bytes = 0

    def writable(self):
        return True

    def write(self, data):
        self.sha256.update(data)
        self.bytes += len(data)
        return self.stream.write(data)


def _write_table(table, folder):
    """Both files of one table, row by row; returns their entries for the manifest."""
    fields = table.fields()
    names = [column for column, _, _, _ in fields]
    jsonl_name, csv_name = f"{table.name}.jsonl.gz", f"{table.name}.csv.gz"
    rows = 0
    with (
        open(folder / jsonl_name, "wb") as jsonl_raw,
        open(folder / csv_name, "wb") as csv_raw,
    ):
        jsonl_hash, csv_hash = _HashingWriter(jsonl_raw), _HashingWriter(csv_raw)
        # mtime=0: the same data gives the same bytes, so checksums compare.
        with (
            gzip.GzipFile(fileobj=jsonl_hash, mode="wb", mtime=0, compresslevel=6) as jsonl_gz,
            gzip.GzipFile(fileobj=csv_hash, mode="wb", mtime=0, compresslevel=6) as csv_gz,
        ):
            jsonl = io.TextIOWrapper(jsonl_gz, encoding="utf-8", newline="\n")
            text = io.TextIOWrapper(csv_gz, encoding="utf-8", newline="")
            writer = csv.writer(text)
            writer.writerow(names)
            for row in table.rows():
                cells = [_cell(value) for value in row]
                jsonl.write(json.dumps(dict(zip(names, cells, strict=True)), ensure_ascii=False))
                jsonl.write("\n")
                writer.writerow([_csv_cell(value) for value in cells])
                rows += 1
            jsonl.flush()
            text.flush()
            jsonl.detach()
            text.detach()
    return {
        jsonl_name: {"bytes": jsonl_hash.bytes, "sha256": jsonl_hash.sha256.hexdigest()},
        csv_name: {"bytes": csv_hash.bytes, "sha256": csv_hash.sha256.hexdigest()},
    }, rows


def _primary_and_foreign_keys(table):
    if table.columns:
        return {"primaryKey": ["id"], "foreignKeys": [_foreign("film_id", "films")]}
    model = table.get_model()
    keys = {"primaryKey": [model._meta.pk.attname]}
    by_model = {t.model.lower(): t.name for t in TABLES}
    foreign = []
    for field in model._meta.concrete_fields:
        if field.many_to_one and not _is_private(field):
            target = by_model.get(field.related_model._meta.label_lower)
            if target:
                foreign.append(_foreign(field.attname, target))
    if foreign:
        keys["foreignKeys"] = foreign
    return keys


def _foreign(column, table):
    return {"fields": [column], "reference": {"resource": table, "fields": ["id"]}}


def descriptor(written, counts, created_at):
    """datapackage.json: https://specs.frictionlessdata.io/data-package/"""
    resources = []
    for table in tables():
        schema = {
            "fields": [
                {"name": column, "type": kind, "description": text}
                for column, _, kind, text in table.fields()
            ],
            **_primary_and_foreign_keys(table),
        }
        for suffix, media_type in [(".jsonl.gz", "application/jsonl"), (".csv.gz", "text/csv")]:
            path = table.name + suffix
            resources.append(
                {
                    "name": f"{table.name}-{suffix.split('.')[1]}",
                    "path": path,
                    "title": table.name,
                    "description": table.description,
                    "mediatype": media_type,
                    "compression": "gz",
                    "encoding": "utf-8",
                    "bytes": written[path]["bytes"],
                    "hash": f"sha256:{written[path]['sha256']}",
                    "rows": counts[table.name],
                    "schema": schema,
                }
            )
    return {
        "profile": "data-package",
        "name": "film-catalogue",
        "title": f"{settings.SITE_NAME}: the public catalogue",
        "created": created_at.isoformat(),
        "licenses": [{"title": settings.OPEN_DATA_LICENCE}],
        "resources": resources,
    }


def export(keep=None, now=None):
    """Write a dump into the media storage's opendata/ folder and record it;
    keep only the newest `keep` dumps. Returns the Dump row."""
    from .models import Dump

    now = now or timezone.now()
    name = f"catalogue-{now:%Y%m%dT%H%M%S}{now.microsecond // 1000:03d}Z"
    with tempfile.TemporaryDirectory(prefix="opendata-") as staging:
        folder = Path(staging)
        written, counts = {}, {}
        for table in tables():
            files, rows = _write_table(table, folder)
            written.update(files)
            counts[table.name] = rows
        (folder / "LICENCE.txt").write_text(settings.OPEN_DATA_LICENCE + "\n")
        package = json.dumps(descriptor(written, counts, now), indent=1, ensure_ascii=False)
        (folder / "datapackage.json").write_text(package)
        for extra in ("LICENCE.txt", "datapackage.json"):
            data = (folder / extra).read_bytes()
            written[extra] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        for file_name in written:
            with open(folder / file_name, "rb") as stream:
                path = f"{FOLDER}/{name}/{file_name}"
                saved = default_storage.save(path, File(stream, name=file_name))
                if saved != path:  # The storage renamed it: the page would link nothing.
                    raise RuntimeError(f"The media storage saved {path} as {saved}.")
    dump = Dump.objects.create(
        name=name,
        created_at=now,
        files=written,
        row_counts=counts,
        licence=settings.OPEN_DATA_LICENCE,
    )
    if keep:
        for old in Dump.objects.order_by("-created_at")[keep:]:
            old.delete_files()
            old.delete()
    return dump


def read_rows(folder, table_name):
    """The rows of one table of a dump folder, as dicts, one at a time."""
    with gzip.open(Path(folder) / f"{table_name}.jsonl.gz", "rt", encoding="utf-8") as stream:
        for line in stream:
            yield json.loads(line)


def copy_dump_locally(dump, target):
    """Copy a recorded dump's files from storage to a local folder."""
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    for file_name in dump.files:
        with default_storage.open(dump.path(file_name), "rb") as source:
            with open(target / file_name, "wb") as copy:
                shutil.copyfileobj(source, copy)
    return target
