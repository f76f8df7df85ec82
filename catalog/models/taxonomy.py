"""Genres, countries and languages: the names films are filed under."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from core.links import slug_url

from ..iso import country_name, iso_slug, language_name


class NaturalKeySlugManager(models.Manager):
    """Lets fixtures refer to rows by slug instead of by database id."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class CodedTaxonomyManager(NaturalKeySlugManager):
    """Countries and languages, known by their ISO codes (catalog/iso.py)."""

    def for_codes(self, codes):
        """{code: row} for these codes, creating the missing rows named from
        ISO reference data (two queries). Codes ISO does not know are left
        out: an importer reports them instead of inventing a name."""
        codes = {code for code in codes if code}
        found = {row.code: row for row in self.filter(code__in=codes)}
        missing = []
        for code in sorted(codes - found.keys()):
            name = self.model.iso_name(code)
            if name and not any(row.name == name for row in missing):
                slug = iso_slug(name) or code.lower()
                missing.append(self.model(code=code, name=name, slug=slug))
        # A name or slug already taken by another code (a staff member's own
        # row) keeps that row; the code is left out rather than guessed.
        self.bulk_create(missing, ignore_conflicts=True)
        created = self.filter(code__in=[row.code for row in missing])
        return {**found, **{row.code: row for row in created}}


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

    objects = CodedTaxonomyManager()

    class Meta(Taxonomy.Meta):
        verbose_name_plural = "countries"
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]{2}$"), name="country_code_is_iso_alpha2"
            ),
        ]

    def get_absolute_url(self):
        return slug_url("catalog:country-detail", self.slug)

    @staticmethod
    def iso_name(code):
        return country_name(code)


class Language(Taxonomy):
    code = models.CharField(
        max_length=12, unique=True, help_text="BCP 47 language tag, such as fa or en."
    )

    objects = CodedTaxonomyManager()

    class Meta(Taxonomy.Meta):
        pass

    def get_absolute_url(self):
        return slug_url("catalog:language-detail", self.slug)

    @staticmethod
    def iso_name(code):
        return language_name(code)


# The columns Film.taxonomies reads, in the models' field order (Genre has no code).
