"""Films: titles, dates, texts, technical facts and the site's rating counters."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, OuterRef, Prefetch, Q, Subquery, When
from django.db.models.functions import Cast, Lower, Round
from django.utils import timezone

from core.db import OrderedIndex
from core.links import slug_url
from core.text import index_text

from .. import validation
from ..images import ResponsiveImageField
from ..slugs import free_slug, make_slug
from .credit import Credit
from .facts import AlternateTitle
from .outside import OutsideRating
from .taxonomy import Country, Genre, Language, NaturalKeySlugManager

# The first public film screening was in 1888; anything outside this window is
# a typing error, not a film.
FIRST_FILM_YEAR = 1888
LAST_FILM_YEAR = 2200


class FilmQuerySet(models.QuerySet):
    CARD_FIELDS = (
        "title",
        "original_title",
        "slug",
        "year",
        "poster",
        "poster_width",
        "poster_height",
        "rating_count",
        "rating_average",
    )

    def refresh_search_text(self):
        """Recompute the folded search text of these films from their titles
        and alternate titles."""
        alternates = {}
        # In the order they were added, so the same titles always make the same text.
        for film_id, title in (
            AlternateTitle.objects.filter(film__in=self.values("pk"))
            .order_by("pk")
            .values_list("film_id", "title")
        ):
            alternates.setdefault(film_id, []).append(title)
        changed = []
        for film in self.only("pk", "title", "original_title", "search_text"):
            text = film.build_search_text(alternates.get(film.pk, ()))
            if text != film.search_text:
                film.search_text = text
                changed.append(film)
        Film.objects.bulk_update(changed, ["search_text"], batch_size=500)
        return len(changed)

    def sync_external_rating(self):
        """Copy each film's shown outside rating (OutsideRating.shown), on the
        scale of 10, into external_rating and external_rating_votes, which
        lists sort and filter on; empty both when none is shown. One UPDATE."""
        shown = OutsideRating.objects.filter(film=OuterRef("pk"), shown=True)
        return self.update(
            external_rating=Subquery(
                shown.annotate(
                    # As a float: SQLite divides whole numbers as integers.
                    out_of_ten=Round(
                        Cast("value", models.FloatField()) * 10 / F("scale"), precision=1
                    )
                ).values("out_of_ten")[:1]
            ),
            external_rating_votes=Subquery(shown.values("votes")[:1]),
        )

    def search(self, query, limit=20, similar=True):
        """Up to `limit` films whose title, original title or an alternate
        title matches every word of the query, best match first, as a list;
        see catalog.search (`similar=False`: no films for a misspelling)."""
        from ..search import search_queryset

        return search_queryset(self, query, limit, similar)

    # Both below drive from the person's credits (credit_person_role_idx) and
    # look the films up by id: an EXISTS per film would have the database walk
    # the whole film list in year order, probing each film, to find six.
    def directed_by(self, person_id):
        """Films this person directed."""
        credits = Credit.objects.directors().filter(person_id=person_id)
        return self.filter(pk__in=credits.order_by().values("film_id"))

    def acted_in_by(self, person_id):
        """Films this person acted in (once, whatever the number of parts)."""
        credits = Credit.objects.filter(person_id=person_id, role=Credit.Role.CAST)
        return self.filter(pk__in=credits.order_by().values("film_id"))

    def for_related_list(self):
        """What a "More by…" list shows of each film, newest first: titles,
        year and poster. No site rating, on purpose: a film page listing
        another film then goes stale only when that film's own entry changes,
        not at each of its ratings."""
        return self.only(*Film.RELATED_FIELDS).order_by(*Film.RELATED_ORDER)

    def for_cards(self):
        """What a film card in a list shows (includes/film_card.html): titles,
        year, poster, site rating and the director(s), and nothing else. Every
        other column costs each card something to load (dates to parse, the
        rating histogram's JSON to decode) and none of them is shown."""
        directors = (
            Credit.objects.directors()
            .select_related("person")
            .only("film_id", "billing_order", "role", "job", "person__name")
        )
        return self.only(*self.CARD_FIELDS).prefetch_related(
            Prefetch("credits", queryset=directors, to_attr="card_director_credits")
        )


class Film(models.Model):
    class Colour(models.TextChoices):
        COLOUR = "colour", "Colour"
        BLACK_AND_WHITE = "black-and-white", "Black and white"
        MIXED = "mixed", "Colour and black and white"

    title = models.CharField("display title", max_length=300)
    original_title = models.CharField(
        max_length=300,
        blank=True,
        help_text="The title in its original language or script, as given by the source.",
    )
    # Made on the first save from the title and year (catalog.slugs), then
    # never changed by the site; an old slug redirects (SlugRedirect).
    slug = models.SlugField(
        max_length=320,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text="Made from the title and year when left empty. Changing it later keeps"
        " the old address working.",
    )
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(FIRST_FILM_YEAR), MaxValueValidator(LAST_FILM_YEAR)],
        help_text="Year of first release.",
    )
    tagline = models.CharField(max_length=300, blank=True)
    summary = models.TextField("short summary", blank=True)
    synopsis = models.TextField(blank=True)
    poster = ResponsiveImageField(
        upload_to="posters/", blank=True, width_field="poster_width", height_field="poster_height"
    )
    poster_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    poster_height = models.PositiveIntegerField(null=True, blank=True, editable=False)

    # The outside rating staff chose to show (OutsideRating.shown), copied
    # here out of 10 so lists can sort, filter and rank on it through an
    # index (FilmQuerySet.sync_external_rating keeps it in step).
    external_rating = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        editable=False,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        help_text="Out of 10.",
    )
    external_rating_votes = models.PositiveIntegerField(null=True, blank=True, editable=False)

    # Technical specifications: empty until a source gives them.
    runtime_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )
    colour = models.CharField(max_length=20, choices=Colour.choices, blank=True)
    aspect_ratio = models.CharField(max_length=20, blank=True, help_text="Such as 1.85 : 1.")
    sound_mix = models.CharField(max_length=100, blank=True)

    genres = models.ManyToManyField(Genre, blank=True, related_name="films")
    countries = models.ManyToManyField(Country, blank=True, related_name="films")
    languages = models.ManyToManyField(Language, blank=True, related_name="films")

    # The site's own rating summary, kept in step with the ratings by the
    # reviews app so list pages can sort and filter on it without aggregating.
    rating_count = models.PositiveIntegerField(default=0, editable=False)
    rating_sum = models.PositiveIntegerField(default=0, editable=False)
    review_count = models.PositiveIntegerField(default=0, editable=False)
    # How many counted ratings gave 1, 2, … 10 points (item 0 is 1 point), so
    # the film page's rating bars need no query; empty until the first
    # rating. Written with the counters above, from the same rows.
    rating_histogram = models.JSONField(default=list, blank=True, editable=False)
    # Mean site rating in points out of 10, None without ratings. The
    # database computes it from the two columns above on every write, so it
    # can never disagree with them, and the film list can index it.
    rating_average = models.GeneratedField(
        expression=Case(
            When(
                rating_count__gt=0,
                then=Cast("rating_sum", models.FloatField()) / F("rating_count"),
            ),
            default=None,
        ),
        output_field=models.FloatField(null=True),
        db_persist=True,
    )
    # Titles folded for search (core.text). Derived data: kept up to date
    # by refresh_search_text(), see catalog/search/hooks.py.
    search_text = models.TextField(blank=True, default="", editable=False)

    # Where the entry came from, so its facts can be traced.
    source_name = models.CharField(max_length=200, blank=True)
    source_author = models.CharField(max_length=200, blank=True)
    source_published_on = models.DateField(null=True, blank=True)

    # Provenance of the fields imports write (catalog.models.sources):
    # {field: source that last wrote it}; a field not named here was typed by
    # staff or came with the entry's source page, and imports leave it alone.
    field_sources = models.JSONField(default=dict, blank=True, editable=False)
    # What each outside source says of those fields, kept beside the shown
    # value even when it differs: {source: {field: value}}.
    outside_values = models.JSONField(default=dict, blank=True, editable=False)

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NaturalKeySlugManager.from_queryset(FilmQuerySet)()

    # What a list of related films shows of each (FilmQuerySet.for_related_list).
    RELATED_FIELDS = (
        "title",
        "original_title",
        "slug",
        "year",
        "poster",
        "poster_width",
        "poster_height",
    )
    RELATED_ORDER = (F("year").desc(nulls_last=True), "title")

    class Meta:
        ordering = ["title", "year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__isnull=True)
                | Q(year__gte=FIRST_FILM_YEAR, year__lte=LAST_FILM_YEAR),
                name="film_year_in_range",
            ),
            models.CheckConstraint(
                condition=Q(external_rating__isnull=True)
                | Q(external_rating__gte=0, external_rating__lte=10),
                name="film_external_rating_0_to_10",
            ),
            models.CheckConstraint(
                condition=Q(runtime_minutes__isnull=True) | Q(runtime_minutes__gte=1),
                name="film_runtime_positive",
            ),
            # The plausibility limit of catalog.validation, which says why.
            models.CheckConstraint(
                condition=Q(runtime_minutes__lte=validation.MAX_RUNTIME_MINUTES),
                name="film_runtime_at_most_1000",
                violation_error_message="A runtime can be at most 1,000 minutes.",
            ),
            models.CheckConstraint(
                condition=Q(rating_sum__lte=models.F("rating_count") * 10)
                & Q(rating_sum__gte=models.F("rating_count")),
                name="film_rating_sum_matches_count",
            ),
        ]
        # Each list order has an index in exactly its order, nulls included
        # (core.db.OrderedIndex), so PostgreSQL and SQLite both read a page
        # of films off the index and stop, instead of sorting the catalogue
        # (issue 14: 62 ms → 1 ms for "highest rated" at 100,000 films).
        # The orders themselves are catalog.filters.FILM_SORTS.
        indexes = [
            # Film list sorted by title (the default).
            OrderedIndex("title", "year", "id", name="film_title_year_id_idx"),
            # "Latest films" on the home page, and the list's "Recently added".
            OrderedIndex(F("created_at").desc(), F("id").desc(), name="film_created_id_idx"),
            # Film list sorted oldest first, or filtered by a year range.
            OrderedIndex(
                F("year").asc(nulls_last=True), "title", "id", name="film_year_title_id_idx"
            ),
            # Film list sorted newest first.
            OrderedIndex(
                F("year").desc(nulls_last=True), "title", "id", name="film_year_desc_title_idx"
            ),
            # Film list sorted by number of site ratings.
            OrderedIndex(F("rating_count").desc(), "title", "id", name="film_rating_count_idx"),
            # Film list sorted by, or filtered on a minimum of, site rating.
            OrderedIndex(
                F("rating_average").desc(nulls_last=True),
                "title",
                "id",
                name="film_rating_average_idx",
            ),
            # Film list sorted by, or filtered on a minimum of, outside rating.
            OrderedIndex(
                F("external_rating").desc(nulls_last=True),
                "title",
                "id",
                name="film_outside_rating_idx",
            ),
            # Film list sorted by, or filtered on a minimum of, outside votes.
            OrderedIndex(
                F("external_rating_votes").desc(nulls_last=True),
                "title",
                "id",
                name="film_outside_votes_idx",
            ),
            # Film list filtered to films with reviews.
            models.Index(fields=["review_count"], name="film_review_count_idx"),
            # Film list filtered by decade and a minimum rating together ("1990s,
            # rated 4+"): a seek per year, then on the rating (see
            # FilmFilterSet.filter_decade), and the title to sort the matches
            # by, and the id the rest of the query joins on, so counting and
            # finding a page's films reads no film rows (PostgreSQL, 100,000
            # films, "1990s, Iran, 4+": the count 16 → 5 ms, an index-only
            # scan). SQLite only reads the rows it must: this index is never
            # "covering" in its plans because rating_average is a generated
            # column.
            models.Index(
                fields=["year", "rating_average", "title", "id"],
                name="film_year_rating_title_id_idx",
            ),
            # Search page: an exact title, typed in any case, ranks first.
            models.Index(Lower("title"), name="film_title_lower_idx"),
            models.Index(Lower("original_title"), name="film_original_title_lower_idx"),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})" if self.year else self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = free_slug(Film, self.make_slug_base())
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("catalog:film-detail", self.slug)

    def clean(self):
        validation.raise_if_any(
            validation.film_problems(year=self.year, runtime_minutes=self.runtime_minutes)
        )

    def make_slug_base(self):
        return make_slug(self.title, self.year, fallback="film")

    def natural_key(self):
        return (self.slug,)

    @property
    def director_names(self):
        """Its directors' names, on a film loaded with FilmQuerySet.for_cards()."""
        return [credit.person.name for credit in getattr(self, "card_director_credits", ())]

    def get_cast_url(self):
        return slug_url("catalog:film-cast", self.slug)

    @staticmethod
    def rating_counters(histogram):
        """rating_count and rating_sum of a rating_histogram (item 0 is 1 point)."""
        return {
            "rating_count": sum(histogram),
            "rating_sum": sum(points * n for points, n in enumerate(histogram, start=1)),
        }

    def build_search_text(self, alternate_titles=()):
        return index_text(self.title, self.original_title, *alternate_titles)

    def exact_names(self):
        """Names that, typed in full, should put this film first in search."""
        return [self.title, self.original_title]

    @classmethod
    def exact_match_q(cls, lowered):
        """Films titled exactly this (lower-cased), through the Lower() indexes."""
        return Q(title_lower=lowered) | Q(original_title_lower=lowered)

    @classmethod
    def exact_match_annotations(cls):
        return {"title_lower": Lower("title"), "original_title_lower": Lower("original_title")}

    @property
    def shows_original_title(self):
        return bool(self.original_title) and self.original_title != self.title
