from django import forms
from django.contrib import admin, messages
from django.db import models as db_models
from django.db.models.deletion import ProtectedError

# history before the admins: it registers the models with django-reversion
# on its own terms (which rows a film's revision holds, what is left out).
from . import history  # noqa: F401
from .admin_display import (
    AdminLayoutMedia,
    CreditInlineForm,
    photo_thumbnail,
    poster_thumbnail,
    still_thumbnail,
)
from .admin_import import CreditSpreadsheetMixin, FilmSpreadsheetMixin, PersonSpreadsheetMixin
from .admin_merge import FilmMergeMixin, PersonMergeMixin
from .history_admin import HistoryAdmin
from .models import (
    IMPORT_SOURCES,
    AlternateTitle,
    BoxOfficeFigure,
    Country,
    Credit,
    Film,
    FilmingLocation,
    Genre,
    ImportBatch,
    Language,
    OutsideId,
    OutsideRating,
    Person,
    ReleaseDate,
    SlugRedirect,
    Source,
    Still,
    Trivia,
)

# The fields of a film or person that imports write (catalog.models.sources):
# a staff edit of one of them makes it staff's, and imports leave it alone.
FILM_IMPORTED_FIELDS = ["title", "original_title", "year", "runtime_minutes", "genres"]
PERSON_IMPORTED_FIELDS = ["name"]


class SourcedFactForm(forms.ModelForm):
    """A fact row an import wrote becomes staff's once staff change it, so
    the next import leaves it as it is and records its own value beside it."""

    BOOKKEEPING = {"source", "shown", "order", "DELETE"}

    def clean(self):
        cleaned = super().clean()
        edited = set(self.changed_data) - self.BOOKKEEPING
        if self.instance.pk and self.instance.source in IMPORT_SOURCES and edited:
            if "source" in self.fields:
                cleaned["source"] = Source.STAFF
            else:
                self.instance.source = Source.STAFF
        return cleaned


class CreditInlineSourcedForm(SourcedFactForm, CreditInlineForm):
    """Roles by name ("Director", not crew with job "Director"), and an
    imported credit becomes staff's once staff edit it."""


class CreditInline(admin.TabularInline):
    model = Credit
    form = CreditInlineSourcedForm
    autocomplete_fields = ["person"]
    fields = [
        "person",
        "part",
        "job",
        "character",
        "credited_as",
        "billing_order",
        "is_star",
        "source",
    ]
    readonly_fields = ["source"]
    extra = 1


class AlternateTitleInline(admin.TabularInline):
    model = AlternateTitle
    form = SourcedFactForm
    fields = ["title", "note", "language", "region", "source"]
    readonly_fields = ["source"]
    extra = 0


class BoxOfficeFigureInline(admin.TabularInline):
    model = BoxOfficeFigure
    form = SourcedFactForm
    fields = ["kind", "amount", "currency", "date", "screens", "region", "country", "source"]
    autocomplete_fields = ["country"]
    readonly_fields = ["source"]
    extra = 0


class OutsideIdInline(admin.TabularInline):
    model = OutsideId
    fields = ["source", "value"]
    extra = 0


class OutsideRatingInline(admin.TabularInline):
    model = OutsideRating
    form = SourcedFactForm
    fields = ["source", "value", "scale", "votes", "as_of", "url", "shown"]
    formfield_overrides = {db_models.URLField: {"assume_scheme": "https"}}
    extra = 0


class ReleaseDateInline(admin.TabularInline):
    model = ReleaseDate
    autocomplete_fields = ["country"]
    extra = 0


class FilmingLocationInline(admin.TabularInline):
    model = FilmingLocation
    extra = 0


class TriviaInline(admin.StackedInline):
    model = Trivia
    extra = 0


class StillInline(admin.StackedInline):
    model = Still
    fields = [still_thumbnail, "image", "caption", "alt_text", "credit_line", "people", "order"]
    readonly_fields = [still_thumbnail]
    autocomplete_fields = ["people"]
    extra = 0


class OutsideValuesForm(forms.ModelForm):
    """The film or person form, plus: which outside values (what an import
    said of a field staff or the source page filled) should replace the
    shown ones."""

    imported_fields = ()

    use_outside_values = forms.MultipleChoiceField(
        label="Show these outside values instead",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="What an import says of a field it did not fill. Ticked values replace"
        " the shown ones, and later imports of that source may update them.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["use_outside_values"].choices = self.outside_choices()

    def outside_choices(self):
        choices = []
        instance = self.instance
        for source, values in sorted((instance.outside_values or {}).items()):
            label = Source(source).label if source in Source.values else source
            for field, value in values.items():
                if field not in self.imported_fields or field == "genres":
                    continue
                if str(getattr(instance, field, "") or "") == str(value or ""):
                    continue
                shown = getattr(instance, field, "")
                choices.append(
                    (f"{source}:{field}", f"{field}: {label} says “{value}” (shown: “{shown}”)")
                )
        return choices

    def chosen_outside_values(self):
        """[(source, field, value)] for the ticked boxes."""
        chosen = []
        for choice in self.cleaned_data.get("use_outside_values", ()):
            source, _, field = choice.partition(":")
            chosen.append((source, field, self.instance.outside_values[source][field]))
        return chosen


class FilmAdminForm(OutsideValuesForm):
    # The admin gives it its model and fields (ModelAdmin.get_form).
    imported_fields = FILM_IMPORTED_FIELDS


class PersonAdminForm(OutsideValuesForm):
    imported_fields = PERSON_IMPORTED_FIELDS


class ProvenanceAdminMixin:
    """Saving a film or person in the admin: fields staff changed become
    staff's (imports leave them alone), ticked outside values replace the
    shown ones, and a changed slug keeps its old address (SlugRedirect)."""

    imported_fields = ()

    def save_model(self, request, obj, form, change):
        sources = dict(obj.field_sources or {})
        for field in set(form.changed_data) & set(self.imported_fields):
            sources[field] = Source.STAFF
        for source, field, value in form.chosen_outside_values():
            setattr(obj, field, value)
            sources[field] = source
        obj.field_sources = sources
        old_slug = form.initial.get("slug") if change else None
        super().save_model(request, obj, form, change)
        if old_slug and old_slug != obj.slug:
            SlugRedirect.remember(obj, old_slug)


@admin.register(Film)
class FilmAdmin(FilmMergeMixin, FilmSpreadsheetMixin, ProvenanceAdminMixin, HistoryAdmin):
    form = FilmAdminForm
    imported_fields = FILM_IMPORTED_FIELDS
    Media = AdminLayoutMedia
    list_display_links = ["title"]
    list_display = [
        poster_thumbnail,
        "title",
        "original_title",
        "year",
        "external_rating",
        "rating_count",
        "updated_at",
    ]
    list_filter = ["year", "genres", "countries", "languages"]
    search_fields = [
        "title",
        "original_title",
        "alternate_titles__title",
        "slug",
        "=outside_ids__value",
    ]
    filter_horizontal = ["genres", "countries", "languages"]
    readonly_fields = [
        "external_rating",
        "external_rating_votes",
        poster_thumbnail,
        "rating_count",
        "rating_sum",
        "review_count",
        "created_at",
        "updated_at",
    ]
    date_hierarchy = "created_at"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "original_title",
                    "slug",
                    "year",
                    "tagline",
                    ("poster", poster_thumbnail),
                ]
            },
        ),
        ("Story", {"fields": ["summary", "synopsis"]}),
        ("Classification", {"fields": ["genres", "countries", "languages"]}),
        (
            "Outside rating shown (tick “shown” on one of the outside ratings below)",
            {"fields": ["external_rating", "external_rating_votes"]},
        ),
        ("Outside values", {"fields": ["use_outside_values"]}),
        ("Technical specs", {"fields": ["runtime_minutes", "colour", "aspect_ratio", "sound_mix"]}),
        ("Source", {"fields": ["source_name", "source_author", "source_published_on"]}),
        (
            "Site ratings (kept up to date automatically)",
            {
                "fields": [
                    "rating_count",
                    "rating_sum",
                    "review_count",
                    "created_at",
                    "updated_at",
                ],
                "classes": ["collapse"],
            },
        ),
    ]
    inlines = [
        OutsideIdInline,
        OutsideRatingInline,
        CreditInline,
        AlternateTitleInline,
        BoxOfficeFigureInline,
        ReleaseDateInline,
        FilmingLocationInline,
        TriviaInline,
        StillInline,
    ]

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.distinct(), False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The shown outside rating's copy on the film, for lists (one UPDATE).
        Film.objects.filter(pk=form.instance.pk).sync_external_rating()


@admin.register(Person)
class PersonAdmin(PersonMergeMixin, PersonSpreadsheetMixin, ProvenanceAdminMixin, HistoryAdmin):
    form = PersonAdminForm
    imported_fields = PERSON_IMPORTED_FIELDS
    Media = AdminLayoutMedia
    list_display = [photo_thumbnail, "name", "slug", "updated_at"]
    list_display_links = ["name"]
    search_fields = ["name", "slug", "credits__credited_as", "=outside_ids__value"]
    readonly_fields = [photo_thumbnail, "created_at", "updated_at"]
    fields = [
        "name",
        "slug",
        "photo",
        photo_thumbnail,
        "biography",
        "use_outside_values",
        "created_at",
        "updated_at",
    ]
    inlines = [OutsideIdInline]

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # Searching through credits can match one person several times.
        return queryset.distinct(), False


@admin.register(Credit)
class CreditAdmin(CreditSpreadsheetMixin, HistoryAdmin):
    form = SourcedFactForm
    readonly_fields = ["source"]
    list_display = ["person", "film", "role", "job", "character", "credited_as", "billing_order"]
    list_filter = ["role", "is_star", "job"]
    list_select_related = ["person", "film"]
    search_fields = ["person__name", "film__title", "character", "credited_as"]
    autocomplete_fields = ["person", "film"]


@admin.register(BoxOfficeFigure)
class BoxOfficeFigureAdmin(HistoryAdmin):
    form = SourcedFactForm
    readonly_fields = ["source"]
    list_display = ["film", "kind", "amount", "currency", "date", "screens"]
    list_filter = ["kind", "currency"]
    list_select_related = ["film"]
    search_fields = ["film__title"]
    autocomplete_fields = ["film", "country"]


@admin.register(Still)
class StillAdmin(HistoryAdmin):
    Media = AdminLayoutMedia
    list_display = [still_thumbnail, "caption", "film", "order"]
    list_display_links = ["caption"]
    list_select_related = ["film"]
    search_fields = ["caption", "film__title", "people__name"]
    autocomplete_fields = ["film", "people"]


@admin.register(Genre)
class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Country, Language)
class CodedTaxonomyAdmin(TaxonomyAdmin):
    list_display = ["name", "code", "slug"]
    search_fields = ["name", "code", "slug"]


@admin.register(OutsideId)
class OutsideIdAdmin(admin.ModelAdmin):
    list_display = ["value", "source", "film", "person"]
    list_filter = ["source"]
    list_select_related = ["film", "person"]
    search_fields = ["=value", "film__title", "person__name"]
    autocomplete_fields = ["film", "person"]


@admin.register(SlugRedirect)
class SlugRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_slug", "film", "person", "created_at"]
    list_select_related = ["film", "person"]
    search_fields = ["old_slug", "film__title", "person__name"]
    autocomplete_fields = ["film", "person"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Bulk imports, one row per batch, newest first; a batch can be undone."""

    list_display = ["__str__", "file", "summary", "finished_at", "undone_at"]
    list_filter = ["source", "undone_at"]
    readonly_fields = [
        "source",
        "file",
        "started_at",
        "finished_at",
        "summary",
        "counts",
        "undone_at",
    ]
    exclude = ["created", "previous", "deleted"]
    actions = ["undo_batches"]
    formfield_overrides = {db_models.JSONField: {"widget": forms.Textarea}}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Undo the selected batches (newest first)", permissions=["delete"])
    def undo_batches(self, request, queryset):
        undone = 0
        for batch in queryset.order_by("-started_at", "-id"):
            try:
                undone += batch.undo()
            except ProtectedError:
                self.message_user(
                    request,
                    f"{batch} cannot be undone: a later batch or staff credited people it"
                    " created. Undo the later batches first.",
                    messages.ERROR,
                )
        if undone:
            self.message_user(request, f"{undone} batch(es) undone.", messages.SUCCESS)
