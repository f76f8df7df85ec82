"""Where a fact came from, and who may change it.

Every fact from outside carries its source. The rule that keeps staff's work
safe from imports is the same for rows and for a film's own fields:

- a fact *row* (alternate title, credit, box-office figure, outside rating)
  belongs to its `source`; an import writes only rows of its own source, and
  a staff edit of an imported row makes it staff's (`SourcedFactForm`), so
  the next import leaves it alone and adds its own value beside it;
- a film's or person's *field* (title, year, runtime…) may be written by an
  import only while it is empty or was last written by that import
  (`field_sources`); otherwise the import keeps its value beside it in
  `outside_values`, and staff choose in the admin whether the page shows it.
"""

from django.db import models


class Source(models.TextChoices):
    STAFF = "staff", "Staff"
    FAN_PAGE = "fan-page", "Fan page"
    IMDB = "imdb", "IMDb"
    SPREADSHEET = "spreadsheet", "Spreadsheet"


# Sources whose rows a bulk job writes and may write again.
IMPORT_SOURCES = frozenset({Source.IMDB, Source.SPREADSHEET})


def source_field(default=Source.STAFF):
    return models.CharField(max_length=20, choices=Source.choices, default=default)


def may_write(field_sources, field, current, source):
    """May `source` (an import) write `field`, which holds `current` and was
    last written by field_sources.get(field)? Only an empty field or its own."""
    return current in (None, "") or field_sources.get(field) == source
