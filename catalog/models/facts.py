"""Facts about a film kept as rows of their own: alternate titles, box-office
figures, release dates, filming locations, trivia and stills."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

from .. import validation
from ..images import ResponsiveImageField
from .sources import source_field

currency_code_validator = RegexValidator(
    r"^[A-Z]{3}\Z", "Use a three-letter ISO 4217 currency code in capitals, such as USD."
)


class AlternateTitle(models.Model):
    # alternate_title_unique (film, title) serves the film's lookups.
    film = models.ForeignKey(
        "catalog.Film", on_delete=models.CASCADE, related_name="alternate_titles", db_index=False
    )
    title = models.CharField(max_length=300)
    note = models.CharField(
        max_length=200, blank=True, help_text="Such as 'working title' or 'UK release'."
    )
    language = models.CharField(
        max_length=12, blank=True, help_text="BCP 47 language tag of the title, such as fa."
    )
    region = models.CharField(
        max_length=4, blank=True, help_text="ISO 3166-1 code of where it is used, such as IR."
    )
    source = source_field()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["film", "title"], name="alternate_title_unique"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.film.get_absolute_url()


class BoxOfficeFigure(models.Model):
    class Kind(models.TextChoices):
        BUDGET = "budget", "Budget"
        OPENING_WEEKEND = "opening-weekend", "Opening weekend"
        GROSS = "gross", "Gross"

    class Region(models.TextChoices):
        # Empty: the source does not say (the seed page's "Gross").
        WORLDWIDE = "worldwide", "Worldwide"
        US = "us", "US"
        US_CANADA = "us-canada", "US and Canada"
        COUNTRY = "country", "One country (named below)"

    film = models.ForeignKey(
        "catalog.Film", on_delete=models.CASCADE, related_name="box_office_figures"
    )
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
    region = models.CharField(
        max_length=20,
        choices=Region.choices,
        blank=True,
        help_text="Where the figure was counted; empty when the source does not say.",
    )
    country = models.ForeignKey(
        "catalog.Country", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = source_field()

    class Meta:
        ordering = ["film", "kind", "date"]
        verbose_name = "box-office figure"
        constraints = [
            # An amount of 0 stands for "unknown": see catalog.validation.
            models.CheckConstraint(
                condition=Q(amount__gte=1),
                name="box_office_amount_positive",
                violation_error_message="An amount must be more than 0.",
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
            models.CheckConstraint(
                condition=Q(region__in=["", "worldwide", "us", "us-canada", "country"]),
                name="box_office_region_valid",
            ),
        ]

    def __str__(self):
        return f"{self.label} of {self.film}: {self.amount:,} {self.currency}"

    def get_absolute_url(self):
        return self.film.get_absolute_url() + "#box-office"

    @classmethod
    def reading_order(cls):
        """Budget, then opening weekend, then gross: the order a story of a
        film's takings is told in, not the alphabetical order of the kinds."""
        kind_order = models.Case(
            *(models.When(kind=kind, then=place) for place, kind in enumerate(cls.Kind.values)),
            output_field=models.IntegerField(),
        )
        return (kind_order, "date", "id")

    @property
    def label(self):
        """ "Gross (US)", "Gross (Worldwide)": the kind with where it was counted."""
        if self.country_id:
            return f"{self.get_kind_display()} ({self.country.name})"
        if self.region and self.region != self.Region.COUNTRY:
            return f"{self.get_kind_display()} ({self.get_region_display()})"
        return self.get_kind_display()

    def clean(self):
        validation.raise_if_any(validation.box_office_problems(amount=self.amount))
        if self.region == self.Region.COUNTRY and not self.country_id:
            raise ValidationError({"country": "Name the country the figure was counted in."})
        if self.country_id and self.region not in ("", self.Region.COUNTRY):
            raise ValidationError(
                {"region": "A figure counted in one country has no other region."}
            )


class ReleaseDate(models.Model):
    film = models.ForeignKey("catalog.Film", on_delete=models.CASCADE, related_name="release_dates")
    date = models.DateField()
    country = models.ForeignKey(
        "catalog.Country", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
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

    def clean(self):
        # The film as the form or spreadsheet row being saved has it: an
        # admin inline sees the year typed on the same page.
        film = self.film if self.film_id or ReleaseDate.film.is_cached(self) else None
        validation.raise_if_any(
            validation.release_date_problems(
                date=self.date, film_year=film.year if film is not None else None
            )
        )


class OrderedFilmFact(models.Model):
    """A line of text about a film, shown in the order staff set."""

    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["order", "id"]

    def get_absolute_url(self):
        return self.film.get_absolute_url() + "#details"


class FilmingLocation(OrderedFilmFact):
    film = models.ForeignKey(
        "catalog.Film", on_delete=models.CASCADE, related_name="filming_locations"
    )
    place = models.CharField(max_length=300)

    class Meta(OrderedFilmFact.Meta):
        constraints = [
            models.UniqueConstraint(fields=["film", "place"], name="filming_location_unique"),
        ]

    def __str__(self):
        return self.place


class Trivia(OrderedFilmFact):
    """A "Did you know?" item."""

    film = models.ForeignKey("catalog.Film", on_delete=models.CASCADE, related_name="trivia_items")
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

    film = models.ForeignKey("catalog.Film", on_delete=models.CASCADE, related_name="stills")
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
    people = models.ManyToManyField("catalog.Person", blank=True, related_name="stills")

    class Meta(OrderedFilmFact.Meta):
        pass

    def __str__(self):
        return self.caption

    def get_absolute_url(self):
        return self.film.get_absolute_url() + "#stills"

    @property
    def alt(self):
        return self.alt_text or self.caption
