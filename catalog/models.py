"""The catalogue: films, the people who make them, and what is known about both.

Every fact a source page gives has a field or a row of its own here, so the
site can show it, search it and let staff correct it. Unknown facts stay empty
(null or blank) rather than being guessed.
"""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import connections, models, router
from django.db.models import Case, F, Q, When
from django.db.models.functions import Cast, Lower
from django.db.models.query import ModelIterable
from django.utils import timezone

from .images import ResponsiveImageField
from .links import slug_url
from .text import index_text

# The first public film screening was in 1888; anything outside this window is
# a typing error, not a film.
FIRST_FILM_YEAR = 1888
LAST_FILM_YEAR = 2200

currency_code_validator = RegexValidator(
    r"^[A-Z]{3}\Z", "Use a three-letter ISO 4217 currency code in capitals, such as USD."
)


class NaturalKeySlugManager(models.Manager):
    """Lets fixtures refer to rows by slug instead of by database id."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Taxonomy(models.Model):
    """Shared shape of genres, countries and languages: a name and a slug."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, allow_unicode=True)

    objects = NaturalKeySlugManager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class Genre(Taxonomy):
    class Meta(Taxonomy.Meta):
        pass

    def get_absolute_url(self):
        return slug_url("catalog:genre-detail", self.slug)


class Country(Taxonomy):
    code = models.CharField(
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2}\Z", "Use an ISO 3166-1 alpha-2 code, such as IR.")],
        help_text="ISO 3166-1 alpha-2 code, such as IR.",
    )

    class Meta(Taxonomy.Meta):
        verbose_name_plural = "countries"
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]{2}$"), name="country_code_is_iso_alpha2"
            ),
        ]

    def get_absolute_url(self):
        return slug_url("catalog:country-detail", self.slug)


class Language(Taxonomy):
    code = models.CharField(
        max_length=12, unique=True, help_text="BCP 47 language tag, such as fa or en."
    )

    class Meta(Taxonomy.Meta):
        pass

    def get_absolute_url(self):
        return slug_url("catalog:language-detail", self.slug)


# The columns Film.taxonomies reads, in the models' field order (Genre has no code).
TAXONOMY_COLUMNS = ("id", "name", "slug", "code")
_taxonomy_sql_by_vendor = {}


def _taxonomy_sql(connection):
    """Film.taxonomies' query: the film's genres, countries and languages
    (numbered 0, 1 and 2), each in name order, as their Meta.ordering has it."""
    sql = _taxonomy_sql_by_vendor.get(connection.vendor)
    if sql is None:
        quote = connection.ops.quote_name
        parts = []
        for kind, relation in enumerate(("genres", "countries", "languages")):
            field = Film._meta.get_field(relation)
            meta = field.related_model._meta
            pk, name, slug = (quote(meta.get_field(f).column) for f in ("id", "name", "slug"))
            code = "t." + quote(meta.get_field("code").column) if kind else "''"
            parts.append(
                f"SELECT {kind}, t.{pk}, t.{name}, t.{slug}, {code} FROM {quote(meta.db_table)} t"
                f" INNER JOIN {quote(field.m2m_db_table())} m"
                f" ON m.{quote(field.m2m_reverse_name())} = t.{pk}"
                f" WHERE m.{quote(field.m2m_column_name())} = %s"
            )
        sql = " UNION ALL ".join(parts) + " ORDER BY 1, 3"
        _taxonomy_sql_by_vendor[connection.vendor] = sql
    return sql


class PersonQuerySet(models.QuerySet):
    def refresh_search_text(self):
        """Recompute the folded search text of these people from their name
        and every name they were credited as. Two queries plus one update a
        person whose text changed."""
        credited = {}
        for person_id, name in (
            Credit.objects.filter(person__in=self.values("pk"))
            .exclude(credited_as="")
            .values_list("person_id", "credited_as")
            .order_by("person_id", "credited_as")
            .distinct()
        ):
            credited.setdefault(person_id, []).append(name)
        changed = []
        for person in self.only("pk", "name", "search_text"):
            text = person.build_search_text(credited.get(person.pk, ()))
            if text != person.search_text:
                person.search_text = text
                changed.append(person)
        Person.objects.bulk_update(changed, ["search_text"], batch_size=500)
        return len(changed)

    def for_links(self):
        """What a link to a person needs: the name and the slug."""
        return self.only("name", "slug")

    def search(self, query, limit=20):
        """Up to `limit` people whose name or credited-as name matches every
        word of the query, best match first, as a list; see catalog.search."""
        from .search import search_queryset

        return search_queryset(self, query, limit)


class Person(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True, allow_unicode=True)
    photo = ResponsiveImageField(
        upload_to="people/", blank=True, width_field="photo_width", height_field="photo_height"
    )
    # Kept by the image field so pages can size the photo and its renditions
    # without opening the file.
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    biography = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # The name and every credited-as name, folded for search (catalog.text).
    # Derived data: kept up to date by refresh_search_text(), see signals.py.
    search_text = models.TextField(blank=True, default="", editable=False)

    objects = NaturalKeySlugManager.from_queryset(PersonQuerySet)()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        indexes = [
            # People list ordered by name, and the admin's name search.
            models.Index(fields=["name"], name="person_name_idx"),
            # Search page: an exact name, typed in any case, ranks first.
            models.Index(Lower("name"), name="person_name_lower_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("catalog:person-detail", self.slug)

    def natural_key(self):
        return (self.slug,)

    def build_search_text(self, credited_names=()):
        return index_text(self.name, *credited_names)

    def exact_names(self):
        """Names that, typed in full, should put this person first in search."""
        return [self.name]

    @classmethod
    def exact_match_q(cls, lowered):
        """People named exactly this (lower-cased), through the Lower() index."""
        return Q(name_lower=lowered)

    @classmethod
    def exact_match_annotations(cls):
        return {"name_lower": Lower("name")}


class FilmCardIterable(ModelIterable):
    """Films for cards, each with `director_names`: the names of its
    directors, for all the films in one more query. Names rather than a
    prefetch of credits with their people, which would build two model
    instances a director for a card that shows only a name: 30 µs a card,
    half of loading it."""

    def __iter__(self):
        films = list(super().__iter__())
        names = Credit.objects.director_names([film.pk for film in films]) if films else {}
        for film in films:
            film.director_names = names.get(film.pk, [])
            yield film


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
        for film_id, title in AlternateTitle.objects.filter(film__in=self.values("pk")).values_list(
            "film_id", "title"
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

    def search(self, query, limit=20):
        """Up to `limit` films whose title, original title or an alternate
        title matches every word of the query, best match first, as a list;
        see catalog.search."""
        from .search import search_queryset

        return search_queryset(self, query, limit)

    def for_cards(self):
        """What a film card in a list shows (includes/film_card.html): titles,
        year, poster, site rating and the director(s), and nothing else. Every
        other column costs each card something to load (dates to parse, the
        rating histogram's JSON to decode) and none of them is shown."""
        films = self.only(*self.CARD_FIELDS)
        # Kept by every clone (filter, order_by, slicing, in_bulk), as
        # values() keeps its own; see FilmCardIterable.
        films._iterable_class = FilmCardIterable
        return films


class Film(models.Model):
    class Colour(models.TextChoices):
        COLOUR = "colour", "Colour"
        BLACK_AND_WHITE = "black-and-white", "Black and white"
        MIXED = "mixed", "Colour and black and white"

    TOP_CAST_SIZE = 12

    title = models.CharField("display title", max_length=300)
    original_title = models.CharField(
        max_length=300,
        blank=True,
        help_text="The title in its original language or script, as given by the source.",
    )
    slug = models.SlugField(max_length=320, unique=True, allow_unicode=True)
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

    # A rating published elsewhere, kept with its vote count so visitors can
    # judge its weight. The source page does not always name where it is from.
    external_rating = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        help_text="Out of 10.",
    )
    external_rating_votes = models.PositiveIntegerField(null=True, blank=True)
    external_rating_source = models.CharField(max_length=100, blank=True)

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
    # Titles folded for search (catalog.text). Derived data: kept up to date
    # by refresh_search_text(), see signals.py.
    search_text = models.TextField(blank=True, default="", editable=False)

    # Where the entry came from, so its facts can be traced.
    source_name = models.CharField(max_length=200, blank=True)
    source_author = models.CharField(max_length=200, blank=True)
    source_published_on = models.DateField(null=True, blank=True)

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NaturalKeySlugManager.from_queryset(FilmQuerySet)()

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
            models.CheckConstraint(
                condition=Q(rating_sum__lte=models.F("rating_count") * 10)
                & Q(rating_sum__gte=models.F("rating_count")),
                name="film_rating_sum_matches_count",
            ),
        ]
        indexes = [
            # Film list sorted by title, and "latest films" on the home page.
            models.Index(fields=["title", "year"], name="film_title_year_idx"),
            models.Index(fields=["-created_at"], name="film_created_idx"),
            # Film list filtered or sorted by year.
            models.Index(fields=["year", "title"], name="film_year_title_idx"),
            # Film list sorted by number of ratings.
            models.Index(fields=["-rating_count", "title"], name="film_rating_count_idx"),
            # Film list sorted by, or filtered on a minimum of, site rating.
            models.Index(fields=["-rating_average", "title"], name="film_rating_average_idx"),
            # Film list filtered to films with reviews.
            models.Index(fields=["review_count"], name="film_review_count_idx"),
            # Film list filtered by decade and a minimum rating together ("1990s,
            # rated 4+"): a seek per year, then on the rating (see
            # FilmFilterSet.filter_decade), and the title to sort the matches
            # by, so finding a page's films reads no film rows. (SQLite only
            # reads the rows it must: this index is never "covering" in its
            # plans because rating_average is a generated column.)
            models.Index(
                fields=["year", "rating_average", "title"], name="film_year_rating_title_idx"
            ),
            # Search page: an exact title, typed in any case, ranks first.
            models.Index(Lower("title"), name="film_title_lower_idx"),
            models.Index(Lower("original_title"), name="film_original_title_lower_idx"),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})" if self.year else self.title

    def get_absolute_url(self):
        return slug_url("catalog:film-detail", self.slug)

    def natural_key(self):
        return (self.slug,)

    def get_cast_url(self):
        return slug_url("catalog:film-cast", self.slug)

    @staticmethod
    def rating_counters(histogram):
        """rating_count and rating_sum of a rating_histogram (item 0 is 1 point)."""
        return {
            "rating_count": sum(histogram),
            "rating_sum": sum(points * n for points, n in enumerate(histogram, start=1)),
        }

    def with_page_details(self):
        """This film with everything its page shows loaded into lists on it:
        genre_list, country_list and language_list (one query), the other
        fact lists, director_credits and star_credits (one query) and
        top_cast_credits. The film page calls it only when a cached part of
        the page has to be rendered afresh.

        Plain queries on this one film, not prefetches: what these cost is
        Django building them (SQLite runs all of them in under 2 ms), and a
        plain query through the related manager is built in about half the
        time of the prefetch of the same rows. The related managers keep the
        read on the database this film came from (config/db_router.py)."""
        if not hasattr(self, "top_cast_credits"):
            self.genre_list, self.country_list, self.language_list = self.taxonomies()
            self.alternate_title_list = list(self.alternate_titles.all())
            self.box_office_list = list(
                self.box_office_figures.select_related("country").in_reading_order()
            )
            self.release_date_list = list(self.release_dates.select_related("country"))
            self.filming_location_list = list(self.filming_locations.all())
            self.trivia_list = list(self.trivia_items.all())
            self.still_list = list(self.stills.prefetch_related("people"))
            credits = self.credits.with_person_link()
            headliners = list(credits.headliners())
            self.director_credits = [c for c in headliners if c.role == Credit.Role.CREW]
            self.star_credits = [c for c in headliners if c.role == Credit.Role.CAST]
            self.top_cast_credits = list(credits.cast()[: self.TOP_CAST_SIZE])
        return self

    def taxonomies(self):
        """This film's genres, countries and languages, each in name order,
        as three lists, in one query. The ORM builds a UNION of the three
        slower than three queries, so this is the one hand-written query of
        the film page, its names read from the models."""
        using = router.db_for_read(Genre, instance=self)
        connection = connections[using]
        fields = [Film._meta.get_field(name) for name in ("genres", "countries", "languages")]
        with connection.cursor() as cursor:
            cursor.execute(_taxonomy_sql(connection), [self.pk] * len(fields))
            rows = cursor.fetchall()
        lists = [[] for _ in fields]
        for kind, pk, name, slug, code in rows:
            model = fields[kind].related_model
            values = (pk, name, slug) if model is Genre else (pk, name, slug, code)
            lists[kind].append(model.from_db(using, TAXONOMY_COLUMNS[: len(values)], values))
        return lists

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


class AlternateTitle(models.Model):
    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="alternate_titles")
    title = models.CharField(max_length=300)
    note = models.CharField(
        max_length=200, blank=True, help_text="Such as 'working title' or 'UK release'."
    )

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["film", "title"], name="alternate_title_unique"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.film.get_absolute_url()


class CreditQuerySet(models.QuerySet):
    def cast(self):
        """Acting credits in billing order; unbilled ones last."""
        return self.filter(role=Credit.Role.CAST).order_by(
            models.F("billing_order").asc(nulls_last=True), "person__name"
        )

    def crew(self):
        return self.filter(role=Credit.Role.CREW).order_by(
            "job", models.F("billing_order").asc(nulls_last=True), "person__name"
        )

    def directors(self):
        return self.crew().filter(job=Credit.DIRECTOR)

    def stars(self):
        """The few names a source headlines ("Stars: …"), in billing order."""
        return self.cast().filter(is_star=True)

    def directing_or_acting(self):
        """The credits that put a film in the film list's "with person" filter
        (Credit.is_directing_or_acting says the same of one credit)."""
        return self.filter(Q(role=Credit.Role.CAST) | Q(role=Credit.Role.CREW, job=Credit.DIRECTOR))

    def director_names(self, film_ids):
        """{film id: [director's name, …]} for these films, in credit order."""
        names = {}
        for film_id, name in (
            self.directors().filter(film_id__in=film_ids).values_list("film_id", "person__name")
        ):
            names.setdefault(film_id, []).append(name)
        return names

    def with_person_link(self):
        """Each credit with just what a link to its person needs (name and
        slug): the person's other columns, dates and texts among them, cost
        more to load than the query takes to run."""
        return self.select_related("person").only(
            *(field.name for field in Credit._meta.concrete_fields), "person__name", "person__slug"
        )

    def headliners(self):
        """Directors and stars together, in billing order: the names a film
        page puts first, in one query."""
        return self.filter(
            Q(role=Credit.Role.CREW, job=Credit.DIRECTOR) | Q(role=Credit.Role.CAST, is_star=True)
        ).order_by(models.F("billing_order").asc(nulls_last=True), "person__name")


class Credit(models.Model):
    """One person's part in one film: a role in the cast or a job in the crew."""

    class Role(models.TextChoices):
        CAST = "cast", "Cast"
        CREW = "crew", "Crew"

    DIRECTOR = "Director"

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="credits")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="credits")
    role = models.CharField(max_length=4, choices=Role.choices, default=Role.CAST)
    job = models.CharField(
        max_length=100, blank=True, help_text="Crew only: Director, Writer, Cinematographer…"
    )
    character = models.CharField(max_length=300, blank=True, help_text="Cast only.")
    credited_as = models.CharField(
        max_length=200,
        blank=True,
        help_text="The name on screen when it differs from the person's name.",
    )
    billing_order = models.PositiveSmallIntegerField(null=True, blank=True)
    is_star = models.BooleanField(
        "star", default=False, help_text="Among the few names headlined for the film."
    )

    objects = CreditQuerySet.as_manager()

    class Meta:
        ordering = ["film", "role", "billing_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["film", "person", "role", "job", "character"], name="credit_unique"
            ),
            models.CheckConstraint(
                condition=Q(role="cast", job="")
                | (Q(role="crew", character="", is_star=False) & ~Q(job="")),
                name="credit_cast_has_character_crew_has_job",
            ),
            models.CheckConstraint(
                condition=Q(role__in=["cast", "crew"]), name="credit_role_valid"
            ),
        ]
        indexes = [
            # Film page and cast page: a film's credits by role in billing order.
            models.Index(fields=["film", "role", "billing_order"], name="credit_film_billing_idx"),
            # Person page: a person's filmography.
            models.Index(fields=["person", "role"], name="credit_person_role_idx"),
        ]

    def __str__(self):
        return f"{self.person} in {self.film}" + (f" ({self.part})" if self.part else "")

    def get_absolute_url(self):
        return self.film.get_cast_url()

    @property
    def part(self):
        """What the person did: the character played, or the crew job."""
        return self.character if self.role == self.Role.CAST else self.job

    def billing_sort_key(self):
        """Billing order first, unbilled credits after, then by name."""
        return (self.billing_order is None, self.billing_order or 0, self.person.name)

    def filmography_heading(self):
        """The heading a person's page lists this credit under."""
        return "Acting" if self.role == self.Role.CAST else self.job

    def is_directing_or_acting(self):
        """See CreditQuerySet.directing_or_acting."""
        return self.role == self.Role.CAST or (
            self.role == self.Role.CREW and self.job == self.DIRECTOR
        )


class BoxOfficeFigureQuerySet(models.QuerySet):
    def in_reading_order(self):
        """Budget, then opening weekend, then gross: the order a story of a
        film's takings is told in, not the alphabetical order of the kinds."""
        order = models.Case(
            *(
                models.When(kind=kind, then=position)
                for position, kind in enumerate(BoxOfficeFigure.Kind.values)
            ),
            output_field=models.IntegerField(),
        )
        return self.order_by(order, "date", "id")


class BoxOfficeFigure(models.Model):
    class Kind(models.TextChoices):
        BUDGET = "budget", "Budget"
        OPENING_WEEKEND = "opening-weekend", "Opening weekend"
        GROSS = "gross", "Gross"

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="box_office_figures")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Whole currency units: box-office figures are never reported in cents,
    # and integers cannot pick up float rounding.
    amount = models.PositiveBigIntegerField(help_text="In whole units of the currency.")
    currency = models.CharField(
        max_length=3,
        default="USD",
        validators=[currency_code_validator],
        help_text="ISO 4217 code, such as USD.",
    )
    date = models.DateField(
        null=True,
        blank=True,
        help_text="Opening weekend: the weekend's date. Gross: the date the total stood at.",
    )
    screens = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)], help_text="Opening weekend only."
    )
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = BoxOfficeFigureQuerySet.as_manager()

    class Meta:
        ordering = ["film", "kind", "date"]
        verbose_name = "box-office figure"
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="box_office_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(screens__isnull=True) | Q(screens__gte=1),
                name="box_office_screens_at_least_one",
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="box_office_currency_iso4217"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["budget", "opening-weekend", "gross"]),
                name="box_office_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.film}: {self.amount:,} {self.currency}"

    def get_absolute_url(self):
        return self.film.get_absolute_url() + "#box-office"


class ReleaseDate(models.Model):
    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="release_dates")
    date = models.DateField()
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True, help_text="Such as 'festival premiere'.")

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["film", "date", "country", "note"], name="release_date_unique"
            ),
        ]

    def __str__(self):
        return f"{self.film}: {self.date:%d %B %Y}"

    def get_absolute_url(self):
        return self.film.get_absolute_url() + "#details"


class OrderedFilmFact(models.Model):
    """A line of text about a film, shown in the order staff set."""

    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["order", "id"]

    def get_absolute_url(self):
        return self.film.get_absolute_url() + "#details"


class FilmingLocation(OrderedFilmFact):
    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="filming_locations")
    place = models.CharField(max_length=300)

    class Meta(OrderedFilmFact.Meta):
        constraints = [
            models.UniqueConstraint(fields=["film", "place"], name="filming_location_unique"),
        ]

    def __str__(self):
        return self.place


class Trivia(OrderedFilmFact):
    """A "Did you know?" item."""

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="trivia_items")
    text = models.TextField()

    class Meta(OrderedFilmFact.Meta):
        verbose_name_plural = "trivia"

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        return self.film.get_absolute_url() + "#trivia"


class Still(OrderedFilmFact):
    """A picture from or around a film. The image may be missing: a caption
    and the people shown are facts worth keeping on their own."""

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="stills")
    image = ResponsiveImageField(
        upload_to="stills/", blank=True, width_field="image_width", height_field="image_height"
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    caption = models.CharField(max_length=300)
    alt_text = models.CharField(
        max_length=300, blank=True, help_text="Describes the image; the caption is used if empty."
    )
    credit_line = models.CharField(max_length=200, blank=True, help_text="Photographer or source.")
    people = models.ManyToManyField(Person, blank=True, related_name="stills")

    class Meta(OrderedFilmFact.Meta):
        pass

    def __str__(self):
        return self.caption

    def get_absolute_url(self):
        return self.film.get_absolute_url() + "#stills"

    @property
    def alt(self):
        return self.alt_text or self.caption
