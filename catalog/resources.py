"""Staff spreadsheets: films, people and credits as django-import-export
resources (the admin glue is catalog/admin_import.py).

A row is matched to what the catalogue has by catalog.matching (slug, then
outside ID, then folded title and year or name), never by guessing: two
candidates make the row an error naming both. Every row passes the models'
full_clean(), so the plausibility checks of catalog.validation and every
field's own limits say no in the same words as the admin's forms.

Cells are read strictly: a number must be a whole number, a genre, country
or language must exist, an unknown column is an error rather than silently
ignored (a misspelt header would otherwise drop a whole column of facts).
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from import_export import fields, resources, widgets
from import_export.results import RowResult

from . import matching
from .models import (
    Country,
    Credit,
    Film,
    Genre,
    ImportBatch,
    Language,
    OutsideId,
    Person,
    Source,
)
from .models.outside import IMDB_PATTERNS

# More rows than this is a job for a command, not a web request.
MAX_ROWS = 10_000

# Spreadsheet programs run a cell starting with one of these as a formula
# (CSV injection): exports put an apostrophe before it, which they show as
# text, and imports take that apostrophe off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unescape_formula(value):
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


class TextWidget(widgets.CharWidget):
    """Text: surrounding spaces trimmed, an escaped formula unescaped."""

    def clean(self, value, row=None, **kwargs):
        if value is not None and not isinstance(value, str):
            # A spreadsheet's number in a text column ("1917" as a title).
            value = (
                format(value, "f").rstrip("0").rstrip(".") if isinstance(value, float) else value
            )
        return unescape_formula(super().clean(value, row, **kwargs).strip())


class WholeNumberWidget(widgets.IntegerWidget):
    """A whole number written as digits (a spreadsheet's 1997.0 too);
    anything else ("1997.5", "1e3", "nineteen") is refused, not rounded."""

    MAX_DIGITS = 12

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value) or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool):
            raise ValueError("Write a whole number, such as 1997.")
        if isinstance(value, int):
            return value
        text = str(value).strip().replace(",", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"“{str(value)[:40]}” is not a whole number.") from None
        if (
            not number.is_finite()
            or number != number.to_integral_value()
            or len(text) > self.MAX_DIGITS
        ):
            raise ValueError(f"“{str(value)[:40]}” is not a whole number.")
        return int(number)


class YesNoWidget(widgets.BooleanWidget):
    """yes/no, true/false, 1/0 or empty (no)."""

    TRUE = {"1", "yes", "y", "true", "x"}
    FALSE = {"", "0", "no", "n", "false"}

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(f"“{str(value)[:40]}” is not yes or no.")

    def render(self, value, obj=None, **kwargs):
        return "yes" if value else "no"


class NamedChoicesWidget(widgets.CharWidget):
    """A choice by its stored value or its label ("colour" or "Colour")."""

    def __init__(self, choices, **kwargs):
        self.by_text = {}
        for value, label in choices:
            self.by_text[str(value).lower()] = value
            self.by_text[str(label).lower()] = value
        self.allowed = ", ".join(str(value) for value, _ in choices)
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            return ""
        try:
            return self.by_text[text.lower()]
        except KeyError:
            raise ValueError(f"“{text[:40]}” is not one of: {self.allowed}.") from None


class StrictManyToManyWidget(widgets.ManyToManyWidget):
    """Names or codes separated by ";"; one the catalogue does not have is
    an error naming it (the library's widget drops unknown names silently)."""

    def __init__(self, model, fields_tried, **kwargs):
        self.fields_tried = fields_tried
        super().__init__(model, separator=";", field=fields_tried[0], **kwargs)

    def clean(self, value, row=None, **kwargs):
        if value is None or not str(value).strip():
            return self.model.objects.none()
        wanted = [part.strip() for part in str(value).split(self.separator) if part.strip()]
        found = {}
        for row_found in self.model.objects.all().only("pk", *self.fields_tried):
            for field in self.fields_tried:
                found.setdefault(str(getattr(row_found, field)).casefold(), row_found.pk)
        unknown = [name for name in wanted if name.casefold() not in found]
        if unknown:
            names = ", ".join(f"“{name[:40]}”" for name in unknown[:5])
            raise ValueError(
                f"Not in the catalogue: {names}. Add it in the admin first, or check the spelling."
            )
        return self.model.objects.filter(pk__in=[found[name.casefold()] for name in wanted])

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return "; ".join(str(getattr(item, self.field)) for item in value.all())


class SheetResource(resources.ModelResource):
    """What every sheet shares: strict columns, full validation, matching,
    escaped exports."""

    # Columns a sheet must have.
    required_columns = ()
    # "film" or "person": the sheet has an imdb_id column.
    outside_kind = None
    # The columns of the file being imported, once read.
    present_columns = None

    def get_import_fields(self):
        """Only the file's columns: the preview shows those, a row is
        unchanged when they are, and columns left out cost nothing."""
        fields = super().get_import_fields()
        if self.present_columns is None:
            return fields
        return [field for field in fields if field.column_name in self.present_columns]

    def before_import(self, dataset, **kwargs):
        headers = [str(header or "").strip() for header in dataset.headers or []]
        dataset.headers = headers
        self.present_columns = set(headers)
        self.batch_started = timezone.now()
        self.batch_created = {}
        self.batch_previous = {}
        known = {field.column_name for field in self.fields.values()}
        unknown = [header for header in headers if header not in known]
        missing = [column for column in self.required_columns if column not in headers]
        problems = []
        if unknown:
            problems.append(
                "Unknown columns: " + ", ".join(f"“{header[:40]}”" for header in unknown[:10]) + "."
            )
        if missing:
            problems.append("Missing columns: " + ", ".join(missing) + ".")
        if len(set(headers)) != len(headers):
            problems.append("A column appears twice.")
        if len(dataset) > MAX_ROWS:
            problems.append(
                f"The file has {len(dataset):,} rows; split it into files of at most {MAX_ROWS:,}."
            )
        if problems:
            # The library goes on to the rows after this error: leave it none.
            del dataset[0 : len(dataset)]
            raise ValueError(
                " ".join(problems)
                + " The first line must name the columns, from: "
                + ", ".join(sorted(known))
                + "."
            )

    def before_save_instance(self, instance, row, **kwargs):
        if hasattr(instance, "field_sources"):
            # Fields a spreadsheet wrote are the spreadsheet's: IMDb imports
            # leave them alone (catalog.models.sources).
            instance.field_sources = {
                **(instance.field_sources or {}),
                **dict.fromkeys(getattr(instance, "_sheet_written", ()), Source.SPREADSHEET),
            }
        elif hasattr(instance, "source"):
            instance.source = Source.SPREADSHEET

    def after_save_instance(self, instance, row, **kwargs):
        if self.outside_kind:
            self.save_imdb_id(instance, row)
        label = instance._meta.label
        previous = getattr(instance, "_sheet_previous", {})
        if not previous:
            self.batch_created.setdefault(label, []).append(instance.pk)
        else:
            if hasattr(instance, "field_sources"):
                previous = {**previous, "field_sources": instance._sheet_old_sources}
            self.batch_previous.setdefault(label, {})[str(instance.pk)] = {
                name: _jsonable(value) for name, value in previous.items()
            }

    def after_import(self, dataset, result, **kwargs):
        # Not ModelResource's: it resets the id sequence to the largest id
        # this transaction sees, which on PostgreSQL could hand a concurrent
        # writer's id out again; sheets never set ids, so there is no need.
        resources.Resource.after_import(self, dataset, result, **kwargs)
        # Read before before_import() knew the file's columns.
        result.diff_headers = self.get_diff_headers()
        if not kwargs.get("dry_run") and not result.has_errors():
            self.write_batch(result, kwargs.get("file_name") or "")

    def write_batch(self, result, file_name):
        """One ImportBatch for the file: what it created and what it changed,
        so the admin's "Undo this batch" can put it back."""
        totals = result.totals
        name = self._meta.model._meta.verbose_name_plural
        counts = {
            f"{name} created": totals[RowResult.IMPORT_TYPE_NEW],
            f"{name} changed": totals[RowResult.IMPORT_TYPE_UPDATE],
            f"{name} unchanged": totals[RowResult.IMPORT_TYPE_SKIP],
        }
        ImportBatch.objects.create(
            source=Source.SPREADSHEET,
            file=file_name[:300],
            started_at=self.batch_started,
            finished_at=timezone.now(),
            counts=counts,
            created=self.batch_created,
            previous=self.batch_previous,
            summary=(
                f"Spreadsheet {file_name[:200]}: "
                + ", ".join(f"{count} {label}" for label, count in counts.items())
            )[:300],
        )

    def import_instance(self, instance, row, **kwargs):
        """Every cell's error at once, many-to-many columns included (the
        library would only find those after saving the row)."""
        errors = {}
        before = self.field_values(instance) if instance.pk else {}
        instance._sheet_old_sources = dict(getattr(instance, "field_sources", None) or {})
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as error:
                    errors[field.attribute] = [str(error)]
        if errors:
            raise ValidationError(errors)
        after = self.field_values(instance)
        # What the row changed, with the values before: the batch keeps them
        # so it can be undone, and they become the spreadsheet's to write.
        instance._sheet_previous = {
            name: value for name, value in before.items() if after.get(name) != value
        }
        instance._sheet_written = (
            set(instance._sheet_previous)
            if instance.pk
            else {name for name, value in after.items() if value not in (None, "")}
        )

    def field_values(self, instance):
        """The row's columns that are the model's own fields, as stored."""
        values = {}
        for field in self.get_import_fields():
            if field.attribute and not isinstance(field.widget, widgets.ManyToManyWidget):
                model_field = instance._meta.get_field(field.attribute)
                values[model_field.attname] = getattr(instance, model_field.attname)
        return values

    # Django checks each CheckConstraint with a query of its own, in a
    # savepoint of its own: fifteen queries a film row. Films' and people's
    # constraints each repeat a field validator or a clean() check (which
    # give the plain messages), and the database still enforces them all;
    # credits keep the check, whose cast-or-crew rule has no other message.
    validate_constraints = True

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(
                exclude=errors.keys(),
                validate_unique=validate_unique,
                validate_constraints=self.validate_constraints,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def export_field(self, field, instance, **kwargs):
        return escape_formula(super().export_field(field, instance, **kwargs))

    def get_or_init_instance(self, instance_loader, row):
        try:
            instance = self.find_existing(row)
        except matching.Ambiguous as ambiguous:
            raise ValidationError(
                {
                    self.match_field: "Several rows already fit this one: "
                    + ", ".join(f"{match} [{match.slug}]" for match in ambiguous.matches[:5])
                    + ". Give the slug of the one you mean."
                }
            ) from None
        if instance is not None:
            return instance, False
        return self.init_instance(row), True

    def find_existing(self, row):
        raise NotImplementedError

    def imdb_id(self, row):
        """The row's IMDb ID (checked), or ""."""
        value = TextWidget().clean(row.get("imdb_id"))
        if value and not re.match(IMDB_PATTERNS[self.outside_kind], value):
            prefix = "tt" if self.outside_kind == "film" else "nm"
            raise ValidationError(
                {
                    "imdb_id": f"An IMDb {self.outside_kind} ID is “{prefix}” and seven or more "
                    f"digits, such as {prefix}0118849."
                }
            )
        return value

    def find_by_identity(self, model, row):
        """The row's slug, then its IMDb ID: the entry they name (both must
        agree), or None when neither is given or the ID is new."""
        by_slug = self.by_slug(model, row)
        value = self.imdb_id(row)
        by_id = None
        if value:
            outside = (
                OutsideId.objects.filter(source=OutsideId.Source.IMDB, value=value)
                .select_related(self.outside_kind)
                .first()
            )
            by_id = getattr(outside, self.outside_kind) if outside else None
        if by_slug and by_id and by_slug.pk != by_id.pk:
            raise ValidationError(
                {"imdb_id": f"{value} is the IMDb ID of {by_id} [{by_id.slug}], not of this one."}
            )
        return by_slug or by_id

    def has_other_imdb_id(self, instance, row):
        """A title or name match that IMDb says is someone else is no match."""
        value = self.imdb_id(row)
        return (
            bool(value)
            and instance.outside_ids.filter(source=OutsideId.Source.IMDB)
            .exclude(value=value)
            .exists()
        )

    def dehydrate_imdb_id(self, instance):
        return next(
            (
                outside.value
                for outside in instance.outside_ids.all()
                if outside.source == OutsideId.Source.IMDB
            ),
            "",
        )

    def save_imdb_id(self, instance, row):
        value = self.imdb_id(row) if "imdb_id" in row else ""
        if (
            value
            and not OutsideId.objects.filter(source=OutsideId.Source.IMDB, value=value).exists()
        ):
            outside = OutsideId.objects.create(
                source=OutsideId.Source.IMDB, value=value, **{self.outside_kind: instance}
            )
            self.batch_created.setdefault(OutsideId._meta.label, []).append(outside.pk)

    def by_slug(self, model, row):
        slug = TextWidget().clean(row.get("slug"))
        if not slug:
            return None
        found = model.objects.filter(slug=slug).first()
        if found is None:
            raise ValidationError(
                {
                    "slug": f"No {model._meta.verbose_name} has the slug “{slug[:80]}”. "
                    "Leave the slug empty to add a new one."
                }
            )
        return found


def _jsonable(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _text(attribute, **kwargs):
    return fields.Field(attribute=attribute, column_name=attribute, widget=TextWidget(), **kwargs)


def _number(attribute):
    return fields.Field(attribute=attribute, column_name=attribute, widget=WholeNumberWidget())


class FilmResource(SheetResource):
    slug = _text("slug")
    imdb_id = fields.Field(column_name="imdb_id", dehydrate_method="dehydrate_imdb_id")
    title = _text("title")
    original_title = _text("original_title")
    year = _number("year")
    runtime_minutes = _number("runtime_minutes")
    tagline = _text("tagline")
    summary = _text("summary")
    colour = fields.Field(
        attribute="colour", column_name="colour", widget=NamedChoicesWidget(Film.Colour.choices)
    )
    aspect_ratio = _text("aspect_ratio")
    sound_mix = _text("sound_mix")
    genres = fields.Field(
        attribute="genres",
        column_name="genres",
        widget=StrictManyToManyWidget(Genre, ["name", "slug"]),
    )
    countries = fields.Field(
        attribute="countries",
        column_name="countries",
        widget=StrictManyToManyWidget(Country, ["code", "name", "slug"]),
    )
    languages = fields.Field(
        attribute="languages",
        column_name="languages",
        widget=StrictManyToManyWidget(Language, ["code", "name", "slug"]),
    )
    source_name = _text("source_name")

    required_columns = ("title",)
    match_field = "title"
    outside_kind = "film"
    validate_constraints = False

    class Meta:
        model = Film
        name = "Films"
        fields = [
            "slug",
            "imdb_id",
            "title",
            "original_title",
            "year",
            "runtime_minutes",
            "tagline",
            "summary",
            "colour",
            "aspect_ratio",
            "sound_mix",
            "genres",
            "countries",
            "languages",
            "source_name",
        ]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def get_queryset(self):
        return Film.objects.prefetch_related(
            "genres", "countries", "languages", "outside_ids"
        ).order_by("pk")

    def find_existing(self, row):
        film = self.find_by_identity(Film, row)
        if film is not None:
            return film
        title = TextWidget().clean(row.get("title"))
        try:
            year = WholeNumberWidget().clean(row.get("year"))
        except ValueError:
            return None  # the year column reports it
        film = matching.film_titled(title, year)
        if film is not None and self.has_other_imdb_id(film, row):
            return None
        return film


class PersonResource(SheetResource):
    slug = _text("slug")
    imdb_id = fields.Field(column_name="imdb_id", dehydrate_method="dehydrate_imdb_id")
    name = _text("name")
    biography = _text("biography")

    required_columns = ("name",)
    match_field = "name"
    outside_kind = "person"
    validate_constraints = False

    class Meta:
        model = Person
        name = "People"
        fields = ["slug", "imdb_id", "name", "biography"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def get_queryset(self):
        return Person.objects.prefetch_related("outside_ids").order_by("pk")

    def find_existing(self, row):
        person = self.find_by_identity(Person, row)
        if person is not None:
            return person
        person = matching.person_named(TextWidget().clean(row.get("name")))
        if person is not None and self.has_other_imdb_id(person, row):
            return None
        return person


class FilmReferenceWidget(widgets.ForeignKeyWidget):
    """A film by its slug, or as "Title (1997)"."""

    TITLE_YEAR = re.compile(r"^(?P<title>.+?)\s*\((?P<year>\d{4})\)$")

    def __init__(self):
        super().__init__(Film, field="slug")

    def clean(self, value, row=None, **kwargs):
        text = TextWidget().clean(value)
        if not text:
            raise ValueError("Name the film: its slug, or its title and year as “Heat (1995)”.")
        film = Film.objects.filter(slug=text).first()
        if film is not None:
            return film
        parsed = self.TITLE_YEAR.match(text)
        if parsed:
            try:
                film = matching.film_titled(parsed["title"], int(parsed["year"]))
            except matching.Ambiguous as ambiguous:
                slugs = ", ".join(match.slug for match in ambiguous.matches[:5])
                raise ValueError(
                    f"Several films fit “{text[:80]}”: use a slug ({slugs})."
                ) from None
            if film is not None:
                return film
        raise ValueError(f"No film “{text[:80]}” in the catalogue.")

    def render(self, value, obj=None, **kwargs):
        return value.slug if value is not None else ""


class PersonReferenceWidget(widgets.ForeignKeyWidget):
    """A person by slug, or by a name only one person has."""

    def __init__(self):
        super().__init__(Person, field="slug")

    def clean(self, value, row=None, **kwargs):
        text = TextWidget().clean(value)
        if not text:
            raise ValueError("Name the person: their slug, or their name.")
        person = Person.objects.filter(slug=text).first()
        if person is not None:
            return person
        try:
            person = matching.person_named(text)
        except matching.Ambiguous as ambiguous:
            slugs = ", ".join(match.slug for match in ambiguous.matches[:5])
            raise ValueError(
                f"Several people are called “{text[:80]}”: use a slug ({slugs})."
            ) from None
        if person is None:
            raise ValueError(f"No person “{text[:80]}” in the catalogue: add them first.")
        return person

    def render(self, value, obj=None, **kwargs):
        return value.slug if value is not None else ""


class CreditResource(SheetResource):
    film = fields.Field(attribute="film", column_name="film", widget=FilmReferenceWidget())
    person = fields.Field(attribute="person", column_name="person", widget=PersonReferenceWidget())
    role = fields.Field(
        attribute="role", column_name="role", widget=NamedChoicesWidget(Credit.Role.choices)
    )
    job = _text("job")
    character = _text("character")
    credited_as = _text("credited_as")
    billing_order = _number("billing_order")
    is_star = fields.Field(attribute="is_star", column_name="is_star", widget=YesNoWidget())

    required_columns = ("film", "person", "role")
    match_field = "person"

    class Meta:
        model = Credit
        name = "Credits"
        fields = [
            "film",
            "person",
            "role",
            "job",
            "character",
            "credited_as",
            "billing_order",
            "is_star",
        ]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def get_queryset(self):
        return Credit.objects.select_related("film", "person").order_by("film_id", "pk")

    def find_existing(self, row):
        """The credit with the same film, person and part, if any; a bad film
        or person is left for their columns to report."""
        try:
            film = self.fields["film"].clean(row)
            person = self.fields["person"].clean(row)
            role = self.fields["role"].clean(row)
        except (ValueError, KeyError):
            return None
        text = TextWidget()
        return Credit.objects.filter(
            film=film,
            person=person,
            role=role,
            job=text.clean(row.get("job")),
            character=text.clean(row.get("character")),
        ).first()
