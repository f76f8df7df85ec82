"""Merging duplicate films, and duplicate people, into the one kept.

Everything that points at a duplicate moves to the one kept, in one
transaction: credits, facts, stills, genres, outside IDs, and (through steps
the apps above the catalogue register, see `register_film_step`) fans'
ratings and reviews. Where the kept row already has the same thing (the same
credit, the same genre, the same outside rating source), the duplicate's
copy is dropped rather than breaking a unique constraint; apps whose rows
need a choice (a fan who rated both films keeps one rating) decide in their
own step. The duplicate's slug then redirects to the one kept, its titles
become alternate titles (a person's other name stays on the moved credits
as the credited-as name), blank facts of the kept row are filled from the
duplicate, and the duplicate is deleted.

`merge_films(keep, others, dry_run=True)` does all of it and rolls back,
returning the same report: the admin's confirmation page shows it.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import models, transaction
from django.db.models import Exists, OuterRef

from core.page_cache import invalidation
from core.text import fold

from .models import AlternateTitle, Credit, Film, OutsideRating, Person, SlugRedirect

# Films and people merged at once; more is a sign of a selection mistake.
MAX_MERGED = 10

# Facts copied from a duplicate when the kept row has none.
FILM_FILLED_FIELDS = [
    "original_title",
    "year",
    "tagline",
    "summary",
    "synopsis",
    "runtime_minutes",
    "colour",
    "aspect_ratio",
    "sound_mix",
    "source_name",
    "source_author",
    "source_published_on",
]
FILM_FILLED_GROUPS = [("poster", "poster_width", "poster_height")]
PERSON_FILLED_FIELDS = ["biography"]
PERSON_FILLED_GROUPS = [("photo", "photo_width", "photo_height")]

_film_steps = []
_person_steps = []


def register_film_step(step):
    """Run `step(keep, duplicate, report)` inside every film merge, before
    the generic move: for an app's rows that need more than re-pointing
    (choosing between two ratings, recounting). Rows it leaves on the
    duplicate are moved by the generic rules afterwards."""
    if step not in _film_steps:
        _film_steps.append(step)
    return step


def register_person_step(step):
    """As register_film_step, for people."""
    if step not in _person_steps:
        _person_steps.append(step)
    return step


@dataclass
class MergeReport:
    """What a merge did (or would do), in words for the confirmation page."""

    moved: Counter = field(default_factory=Counter)
    dropped: Counter = field(default_factory=Counter)
    notes: list = field(default_factory=list)

    def lines(self):
        lines = [f"{count} {label} move to the one kept." for label, count in self.moved.items()]
        lines += [
            f"{count} {label} the one kept already has are dropped."
            for label, count in self.dropped.items()
        ]
        return lines + self.notes


class _Rollback(Exception):
    pass


def merge_films(keep, others, *, dry_run=False):
    """Merge the films `others` into `keep`; returns a MergeReport."""
    return _merge(keep, others, dry_run, _merge_film)


def merge_people(keep, others, *, dry_run=False):
    """Merge the people `others` into `keep`; returns a MergeReport."""
    return _merge(keep, others, dry_run, _merge_person)


def _merge(keep, others, dry_run, merge_one):
    others = [other for other in others if other.pk != keep.pk]
    if not others:
        raise ValueError("Choose at least one other row to merge into the one kept.")
    if len(others) >= MAX_MERGED:
        raise ValueError(f"Merge at most {MAX_MERGED} at once.")
    report = MergeReport()
    try:
        with transaction.atomic():
            model = type(keep)
            # Locked in id order, so two merges of the same rows queue.
            locked = {
                row.pk: row
                for row in model.objects.select_for_update()
                .filter(pk__in=[keep.pk, *(other.pk for other in others)])
                .order_by("pk")
            }
            keep = locked[keep.pk]
            for other in others:
                merge_one(keep, locked[other.pk], report)
            if dry_run:
                raise _Rollback
            invalidation.invalidate_everything()
    except _Rollback:
        # What the rolled-back writes marked stale would otherwise be
        # retired at this thread's next commit.
        invalidation.discard()
    return report


def _merge_film(keep, other, report):
    for step in _film_steps:
        step(keep, other, report)
    keep_titles = {fold(title) for title in [keep.title, keep.original_title] if title}
    keep_titles |= {fold(title) for title in keep.alternate_titles.values_list("title", flat=True)}
    for title in [other.title, other.original_title]:
        if title and fold(title) not in keep_titles:
            keep_titles.add(fold(title))
            # Created on the duplicate: the generic move carries it over,
            # dropping it if the kept film already has it.
            AlternateTitle.objects.get_or_create(
                film=other, title=title, defaults={"note": "merged duplicate"}
            )
    _fill_blanks(keep, other, FILM_FILLED_FIELDS, FILM_FILLED_GROUPS, report)
    if keep.outside_ratings.filter(shown=True).exists():
        # The kept film's page goes on showing the outside rating it showed.
        OutsideRating.objects.filter(film=other, shown=True).update(shown=False)
    _move_everything(keep, other, report)
    SlugRedirect.remember(keep, other.slug)
    other.delete()
    Film.objects.filter(pk=keep.pk).refresh_search_text()
    Film.objects.filter(pk=keep.pk).sync_external_rating()
    report.notes.append(f"“{other}” ({other.slug}) is deleted; its address redirects.")


def _merge_person(keep, other, report):
    for step in _person_steps:
        step(keep, other, report)
    if fold(other.name) != fold(keep.name):
        # The name on screen stays what it was: the duplicate's name.
        renamed = Credit.objects.filter(person=other, credited_as="").update(credited_as=other.name)
        if renamed:
            report.notes.append(f"{renamed} credits keep “{other.name}” as the name credited.")
    _fill_blanks(keep, other, PERSON_FILLED_FIELDS, PERSON_FILLED_GROUPS, report)
    _move_everything(keep, other, report)
    SlugRedirect.remember(keep, other.slug)
    other.delete()
    Person.objects.filter(pk=keep.pk).refresh_search_text()
    report.notes.append(f"“{other}” ({other.slug}) is deleted; their address redirects.")


def _fill_blanks(keep, other, names, groups, report):
    filled = []
    for name in names:
        if getattr(keep, name) in (None, "") and getattr(other, name) not in (None, ""):
            setattr(keep, name, getattr(other, name))
            filled.append(name)
    for group in groups:
        if getattr(keep, group[0]) in (None, "") and getattr(other, group[0]) not in (None, ""):
            for name in group:
                setattr(keep, name, getattr(other, name))
            filled.extend(group)
    if filled:
        type(keep).objects.filter(pk=keep.pk).update(
            **{name: getattr(keep, name) for name in filled}
        )
        shown = [
            name for name in filled if not name.endswith(("_width", "_height", "_votes", "_source"))
        ]
        report.notes.append(
            "Filled from the duplicate: "
            + ", ".join(str(type(keep)._meta.get_field(name).verbose_name) for name in shown)
            + "."
        )


def _relations(model):
    """Every foreign key pointing at `model` (through tables of many-to-many
    fields included): (related model, field name)."""
    for relation in model._meta.get_fields(include_hidden=True):
        if (relation.one_to_many or relation.one_to_one) and relation.auto_created:
            if not relation.concrete:
                yield relation.related_model, relation.field.name


def _unique_sets(related, field_name):
    """The unique rules of `related` that include `field_name`: (other
    fields, condition)."""
    opts = related._meta
    found = []
    if opts.get_field(field_name).unique:
        found.append(((), None))
    for fields in opts.unique_together:
        if field_name in fields:
            found.append((tuple(f for f in fields if f != field_name), None))
    for constraint in opts.constraints:
        if isinstance(constraint, models.UniqueConstraint) and field_name in constraint.fields:
            others = tuple(f for f in constraint.fields if f != field_name)
            found.append((others, constraint.condition))
    return found


def _label(related, field_name):
    """What the rows are, in words: a many-to-many link is named by what it
    links to (a film's "genres", a person's "stills")."""
    if related._meta.auto_created:
        target = next(
            f.related_model for f in related._meta.fields if f.is_relation and f.name != field_name
        )
        return str(target._meta.verbose_name_plural)
    return str(related._meta.verbose_name_plural)


def _move_everything(keep, other, report):
    """Re-point every row that points at `other` to `keep`, first dropping
    those the kept row already has an equal of (by each unique rule)."""
    for related, field_name in _relations(type(other)):
        rows = related._base_manager.filter(**{field_name: other})
        for others, condition in _unique_sets(related, field_name):
            kept = related._base_manager.filter(
                **{field_name: keep}, **{name: OuterRef(name) for name in others}
            )
            clashing = rows
            if condition is not None:
                kept, clashing = kept.filter(condition), clashing.filter(condition)
            for name in others:
                # NULLs never clash in a unique rule.
                clashing = clashing.exclude(**{f"{name}__isnull": True})
            clashing = clashing.filter(Exists(kept))
            dropped = list(clashing.values_list("pk", flat=True))
            if dropped:
                related._base_manager.filter(pk__in=dropped).delete()
                report.dropped[_label(related, field_name)] += len(dropped)
        moved = rows.update(**{field_name: keep})
        if moved:
            report.moved[_label(related, field_name)] += moved
