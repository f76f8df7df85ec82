"""What other catalogues say: a film's or person's identity elsewhere
(IMDb's tt…/nm… IDs) and the ratings other sites publish, each with its source."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from . import sources

# IMDb's identifiers: "tt" for titles, "nm" for names, then at least seven digits.
IMDB_PATTERNS = {"film": r"^tt[0-9]{7,10}$", "person": r"^nm[0-9]{7,10}$"}
IMDB_URLS = {"film": "https://www.imdb.com/title/{}/", "person": "https://www.imdb.com/name/{}/"}


class OutsideId(models.Model):
    """Who a film or a person is in another catalogue: the key imports match on."""

    class Source(models.TextChoices):
        IMDB = "imdb", "IMDb"

    source = models.CharField(max_length=20, choices=Source.choices, default=Source.IMDB)
    value = models.CharField("ID", max_length=20, help_text="Such as tt0118849 or nm0004303.")
    # Indexed once each, by outside_id_film_idx and outside_id_person_idx.
    film = models.ForeignKey(
        "catalog.Film",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outside_ids",
        db_index=False,
    )
    person = models.ForeignKey(
        "catalog.Person",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outside_ids",
        db_index=False,
    )

    class Meta:
        ordering = ["source", "value"]
        verbose_name = "outside ID"
        constraints = [
            # Imports look films and people up by it (one index serves both).
            models.UniqueConstraint(fields=["source", "value"], name="outside_id_unique"),
            models.CheckConstraint(
                condition=Q(film__isnull=False, person__isnull=True)
                | Q(film__isnull=True, person__isnull=False),
                name="outside_id_film_or_person",
            ),
            models.CheckConstraint(
                condition=~Q(source="imdb")
                | Q(film__isnull=False, value__regex=IMDB_PATTERNS["film"])
                | Q(person__isnull=False, value__regex=IMDB_PATTERNS["person"]),
                name="outside_id_imdb_format",
            ),
        ]
        indexes = [
            # Film and person pages: their outside IDs.
            models.Index(fields=["film"], name="outside_id_film_idx"),
            models.Index(fields=["person"], name="outside_id_person_idx"),
        ]

    def __str__(self):
        return f"{self.get_source_display()} {self.value}"

    @property
    def kind(self):
        return "film" if self.film_id else "person"

    @property
    def url(self):
        if self.source == self.Source.IMDB:
            return IMDB_URLS[self.kind].format(self.value)
        return ""

    def clean(self):
        self.value = (self.value or "").strip()
        if self.source == self.Source.IMDB and (self.film_id or self.person_id):
            if not re.match(IMDB_PATTERNS[self.kind], self.value):
                prefix = "tt" if self.kind == "film" else "nm"
                raise ValidationError(
                    {
                        "value": f"An IMDb {self.kind} ID is “{prefix}” and seven or more"
                        f" digits, such as {prefix}0118849."
                    }
                )


class OutsideRatingQuerySet(models.QuerySet):
    def shown(self):
        return self.filter(shown=True)


class OutsideRating(models.Model):
    """A rating another site publishes for a film, one row per source. The
    row staff mark `shown` is copied to Film.external_rating(_votes), which
    lists sort and filter on (Film.sync_external_rating)."""

    film = models.ForeignKey(
        "catalog.Film", on_delete=models.CASCADE, related_name="outside_ratings"
    )
    source = sources.source_field(default=sources.Source.IMDB)
    value = models.DecimalField(max_digits=4, decimal_places=1, validators=[MinValueValidator(0)])
    scale = models.PositiveSmallIntegerField(
        default=10, validators=[MinValueValidator(1), MaxValueValidator(100)], help_text="Out of."
    )
    votes = models.PositiveIntegerField(null=True, blank=True)
    as_of = models.DateField("as of", null=True, blank=True)
    url = models.URLField(max_length=300, blank=True)
    shown = models.BooleanField(
        default=False, help_text="The rating the film's page and lists show (one per film)."
    )

    objects = OutsideRatingQuerySet.as_manager()

    class Meta:
        ordering = ["-shown", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["film", "source"], name="outside_rating_one_per_source"
            ),
            models.UniqueConstraint(
                fields=["film"], condition=Q(shown=True), name="outside_rating_one_shown"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0, value__lte=models.F("scale")),
                name="outside_rating_within_scale",
            ),
            models.CheckConstraint(
                condition=Q(scale__gte=1, scale__lte=100), name="outside_rating_scale_sane"
            ),
        ]

    def __str__(self):
        return f"{self.value}/{self.scale} ({self.get_source_display()})"

    def get_absolute_url(self):
        return self.film.get_absolute_url()

    def clean(self):
        if self.value is not None and self.scale and self.value > self.scale:
            raise ValidationError({"value": f"A rating out of {self.scale} cannot be more."})

    @property
    def out_of_ten(self):
        """The value on the site's scale for outside ratings (Film.external_rating)."""
        return round(self.value * 10 / self.scale, 1)
