"""Edit history of the catalogue, kept by django-reversion.

Every admin save of a film (with its credits, box office, release dates,
trivia, stills, alternate titles and filming locations), a person, or any of
those rows on its own, stores a *revision*: who, when, the note staff gave,
and a serialized copy (a *version*) of each row. A film is registered with
its rows ("follow"), and each row with its film, so one revision always holds
the whole film as it stood: a diff compares two of them, and reverting one
brings back credits deleted since and removes those added since.

What is not an editorial fact is left out of the copies and never restored:
the counters the reviews app keeps (ratings, reviews), the folded search text
and `updated_at`. A revert keeps their current values (history_serializer.py).

Apps above the catalogue register their own models in their own `history.py`
(reviews: a review's moderation status) and may label revisions on the public
history page (`register_summary`: corrections says "Correction accepted").
Bulk jobs wrap each batch in `batch_revision(comment)`.
"""

import json
from contextlib import contextmanager
from dataclasses import dataclass, field

import reversion
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from reversion.models import Version

from .models import (
    AlternateTitle,
    BoxOfficeFigure,
    Credit,
    Film,
    FilmingLocation,
    Person,
    ReleaseDate,
    Still,
    Trivia,
)

# The rows a film's revision holds besides the film (their related names).
FILM_ROWS = {
    Credit: "credits",
    AlternateTitle: "alternate_titles",
    BoxOfficeFigure: "box_office_figures",
    ReleaseDate: "release_dates",
    FilmingLocation: "filming_locations",
    Trivia: "trivia_items",
    Still: "stills",
}

# Kept up to date by the site itself, not by editors: never part of a version.
DERIVED_COLUMNS = (
    "rating_count",
    "rating_sum",
    "review_count",
    "rating_histogram",
    "rating_average",
    "search_text",
    "updated_at",
)
# Versions are Django's JSON, completed from the current row when read back
# (history_serializer.py): a revert keeps the columns history leaves out.
FORMAT = "history_json"
serializers.register_serializer(FORMAT, "catalog.history_serializer")


def register(model, fields=None, follow=()):
    """Keep a history of `model`: `fields` (default: every column but the
    derived ones) and the related rows named in `follow`."""
    names = [f.name for f in model._meta.local_fields + model._meta.local_many_to_many]
    fields = tuple(fields or (n for n in names if n not in DERIVED_COLUMNS))
    reversion.register(model, fields=fields, follow=follow, format=FORMAT)


def register_film_rows(model, related_name):
    """A further kind of film row (outside ratings, say) joins the film's
    revisions: saved with the film, diffed and reverted with it."""
    FILM_ROWS[model] = related_name
    register(model, follow=("film",))


def _outside_models():
    """The imports' outside IDs and ratings (catalog.OutsideId, OutsideRating),
    film rows like the others once they are in the catalogue; they landed
    separately, so looked up by name."""
    found = {}
    for name, related_name in (("OutsideRating", "outside_ratings"), ("OutsideId", "outside_ids")):
        try:
            found[apps.get_model("catalog", name)] = related_name
        except LookupError:
            pass
    return found


def _register_catalogue():
    FILM_ROWS.update(_outside_models())
    register(Film, follow=tuple(FILM_ROWS.values()))
    for model in FILM_ROWS:
        register(model, follow=("film",))
    register(Person)


# Registered on import: the admin (catalog/admin.py) imports this module
# before its VersionAdmins would register the models on their own terms.
if not reversion.is_registered(Film):
    _register_catalogue()


BASELINE_COMMENT = "As it stood before its first recorded change."


def record_baseline(model, object_ids):
    """Keep how these rows stand now, if history holds nothing of them yet,
    so that their first recorded change can be undone: rows from the seed
    fixture or an import have never been saved in a revision. One query when
    every row already has history; call it outside the revision of the change."""
    object_ids = [str(pk) for pk in object_ids]
    known = set(
        Version.objects.get_for_model(model)
        .filter(object_id__in=object_ids)
        .values_list("object_id", flat=True)
    )
    missing = [pk for pk in object_ids if pk not in known]
    if not missing:
        return
    with reversion.create_revision():
        reversion.set_comment(BASELINE_COMMENT)
        for obj in model._default_manager.filter(pk__in=missing):
            reversion.add_to_revision(obj)


# Bulk work ------------------------------------------------------------------


# Bulk jobs' comments start with this; the public history page shows them.
BATCH_PREFIX = "Batch: "


@contextmanager
def batch_revision(comment, user=None):
    """One history entry for a whole batch (an import, a spreadsheet): every
    registered row saved inside, or added with `reversion.add_to_revision`,
    lands in one revision. `comment` says what the batch was ("Imported from
    IMDb"): the public history page of each film in it shows it, so it must
    name no one. Rows written with bulk_create() or update() send no signal;
    add the films they touched with `reversion.add_to_revision(film)` to put
    the batch in their history."""
    with reversion.create_revision():
        reversion.set_comment(BATCH_PREFIX + comment)
        if user is not None:
            reversion.set_user(user)
        yield


# Reading history -------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One row as a version stored it."""

    model: type
    object_id: str
    label: str
    fields: dict

    @property
    def kind(self):
        return str(self.model._meta.verbose_name)

    @property
    def kinds(self):
        return str(self.model._meta.verbose_name_plural)


@dataclass
class RowChange:
    """What happened to one row between two revisions."""

    kind: str
    label: str
    action: str  # "added", "removed" or "changed"
    kinds: str = ""  # the plural
    fields: list = field(default_factory=list)  # [(verbose name, before, after)]

    @property
    def field_names(self):
        return [name for name, _, _ in self.fields]


def snapshot(versions):
    """{(content type id, object id): Row} of these versions."""
    rows = {}
    for version in versions:
        model = ContentType.objects.get_for_id(version.content_type_id).model_class()
        if model is None:  # a model since removed from the code
            continue
        try:
            data = json.loads(version.serialized_data)[0]["fields"]
        except (ValueError, LookupError, TypeError):
            data = {}
        rows[(version.content_type_id, version.object_id)] = Row(
            model, version.object_id, version.object_repr, data
        )
    return rows


def _shown(model, name, value):
    """A stored value as staff read it: choices by label, lists joined."""
    try:
        model_field = model._meta.get_field(name)
    except LookupError:
        return value
    if model_field.choices and value is not None:
        return dict(model_field.flatchoices).get(value, value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if value is None or value == "":
        return "—"
    return value


def _verbose_name(model, name):
    try:
        return str(model._meta.get_field(name).verbose_name)
    except LookupError:
        return name


def compare(before, after):
    """The changes from one snapshot to the next, films first, then rows by
    kind. `before` is None for the first revision: everything was added."""
    changes = []
    before = before or {}
    for key in sorted(before.keys() | after.keys(), key=_reading_order(before, after)):
        old, new = before.get(key), after.get(key)
        if old is None:
            changes.append(RowChange(new.kind, new.label, "added", kinds=new.kinds))
        elif new is None:
            changes.append(RowChange(old.kind, old.label, "removed", kinds=old.kinds))
        else:
            fields = [
                (
                    _verbose_name(new.model, name),
                    _shown(new.model, name, old.fields.get(name)),
                    _shown(new.model, name, new.fields.get(name)),
                )
                for name in new.fields.keys() | old.fields.keys()
                if old.fields.get(name) != new.fields.get(name)
            ]
            if fields:
                fields.sort()
                changes.append(RowChange(new.kind, new.label, "changed", fields=fields))
    return changes


def _reading_order(before, after):
    def key(row_key):
        row = after.get(row_key) or before.get(row_key)
        return (row.model is not Film and row.model is not Person, str(row.kind), row.label)

    return key


def summarise(changes):
    """A line for the public history page: which facts changed, never who
    changed them or the old and new values of free text."""
    parts = []
    for change in changes:
        if change.action == "changed" and change.kind in ("film", "person"):
            parts.append("changed " + ", ".join(change.field_names))
    counted = {}
    for change in changes:
        if change.action == "changed" and change.kind in ("film", "person"):
            continue
        key = (change.action, change.kind, change.kinds or change.kind)
        counted[key] = counted.get(key, 0) + 1
    for (action, kind, kinds), n in sorted(counted.items()):
        parts.append(f"{action} {n} {kind if n == 1 else kinds}")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] if text else "Saved without changes"


# Labels apps give revisions on the public page ({revision id: text}).
_summary_providers = []


def register_summary(provider):
    """Decorator: `provider(revision_ids) -> {revision id: label}`, one query
    at most, for the public history page (corrections: "Correction
    accepted"). A label is shown before the summary of the changes."""
    _summary_providers.append(provider)
    return provider


@dataclass
class HistoryEntry:
    date: object
    summary: str
    labels: list


def film_history(page_versions, previous_version=None):
    """Public entries for `page_versions` (the film's versions shown, newest
    first, with their revisions) and `previous_version` (the one just older
    than the last shown, or None). Two queries whatever the number: every
    row of those revisions, and each registered labeller's one."""
    versions = [*page_versions, *([previous_version] if previous_version else [])]
    revision_ids = [v.revision_id for v in versions]
    by_revision = {}
    for version in Version.objects.filter(revision_id__in=revision_ids).only(
        "revision_id", "content_type_id", "object_id", "serialized_data", "object_repr"
    ):
        by_revision.setdefault(version.revision_id, []).append(version)
    labels = {
        v.revision_id: [v.revision.comment.removeprefix(BATCH_PREFIX)]
        for v in versions
        if v.revision.comment.startswith(BATCH_PREFIX)
    }
    for provider in _summary_providers:
        for revision_id, label in provider(revision_ids).items():
            labels.setdefault(revision_id, []).append(label)
    snapshots = [snapshot(by_revision.get(rid, ())) for rid in revision_ids]
    entries = []
    for index, version in enumerate(page_versions):
        older = snapshots[index + 1] if index + 1 < len(snapshots) else None
        changes = compare(older, snapshots[index])
        summary = "First version recorded" if older is None else summarise(changes)
        label = labels.get(version.revision_id, [])
        entries.append(HistoryEntry(version.revision.date_created, summary, label))
    return entries


def import_batches_of(obj, limit=50):
    """Import batches (catalog.ImportBatch, the imports' record of bulk work)
    that changed fields of this film or person, newest first: their changes
    send no signal, so they are not revisions; a batch keeps the previous
    values it overwrote, by model and id. Empty before that model exists."""
    try:
        ImportBatch = apps.get_model("catalog", "ImportBatch")
    except LookupError:
        return []
    changed = {f"previous__{obj._meta.label}__has_key": str(obj.pk)}
    return list(ImportBatch.objects.filter(**changed).order_by("-started_at", "-id")[:limit])


BATCH_SOURCES = {"imdb": "IMDb", "spreadsheet": "a staff spreadsheet"}


def public_batch_label(batch):
    """What the public history page says of an import batch: its source, not
    its file or counts."""
    return "Imported from " + BATCH_SOURCES.get(batch.source, batch.source)


def versions_of(obj):
    """The versions of one row, newest first, with their revisions."""
    return (
        Version.objects.get_for_object(obj)
        .select_related("revision")
        .order_by("-revision__date_created", "-pk")
    )


__all__ = [
    "batch_revision",
    "compare",
    "film_history",
    "register",
    "register_film_rows",
    "register_summary",
    "snapshot",
    "summarise",
    "versions_of",
]
