from django.contrib import admin

from .admin_display import (
    AdminLayoutMedia,
    CreditInlineForm,
    photo_thumbnail,
    poster_thumbnail,
    still_thumbnail,
)
from .models import (
    AlternateTitle,
    BoxOfficeFigure,
    Country,
    Credit,
    Film,
    FilmingLocation,
    Genre,
    Language,
    Person,
    ReleaseDate,
    Still,
    Trivia,
)


class CreditInline(admin.TabularInline):
    model = Credit
    form = CreditInlineForm
    autocomplete_fields = ["person"]
    fields = ["person", "part", "job", "character", "credited_as", "billing_order", "is_star"]
    extra = 1


class AlternateTitleInline(admin.TabularInline):
    model = AlternateTitle
    extra = 0


class BoxOfficeFigureInline(admin.TabularInline):
    model = BoxOfficeFigure
    fields = ["kind", "amount", "currency", "date", "screens", "country"]
    autocomplete_fields = ["country"]
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


@admin.register(Film)
class FilmAdmin(admin.ModelAdmin):
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
    search_fields = ["title", "original_title", "alternate_titles__title", "slug"]
    prepopulated_fields = {"slug": ["title", "year"]}
    filter_horizontal = ["genres", "countries", "languages"]
    readonly_fields = [
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
            "External rating",
            {"fields": ["external_rating", "external_rating_votes", "external_rating_source"]},
        ),
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
        CreditInline,
        AlternateTitleInline,
        BoxOfficeFigureInline,
        ReleaseDateInline,
        FilmingLocationInline,
        TriviaInline,
        StillInline,
    ]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    Media = AdminLayoutMedia
    list_display = [photo_thumbnail, "name", "slug", "updated_at"]
    list_display_links = ["name"]
    search_fields = ["name", "slug", "credits__credited_as"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = [photo_thumbnail, "created_at", "updated_at"]

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # Searching through credits can match one person several times.
        return queryset.distinct(), False


@admin.register(Credit)
class CreditAdmin(admin.ModelAdmin):
    list_display = ["person", "film", "role", "job", "character", "credited_as", "billing_order"]
    list_filter = ["role", "is_star", "job"]
    list_select_related = ["person", "film"]
    search_fields = ["person__name", "film__title", "character", "credited_as"]
    autocomplete_fields = ["person", "film"]


@admin.register(BoxOfficeFigure)
class BoxOfficeFigureAdmin(admin.ModelAdmin):
    list_display = ["film", "kind", "amount", "currency", "date", "screens"]
    list_filter = ["kind", "currency"]
    list_select_related = ["film"]
    search_fields = ["film__title"]
    autocomplete_fields = ["film", "country"]


@admin.register(Still)
class StillAdmin(admin.ModelAdmin):
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
