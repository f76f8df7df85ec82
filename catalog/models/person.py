"""People: anyone credited in a film, in front of the camera or behind it."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from core.links import slug_url
from core.text import index_text

from ..images import ResponsiveImageField
from ..slugs import free_slug, make_slug
from .credit import Credit
from .taxonomy import NaturalKeySlugManager


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

    def search(self, query, limit=20, similar=True):
        """Up to `limit` people whose name or credited-as name matches every
        word of the query, best match first, as a list; see catalog.search
        (`similar=False`: no people for a misspelling)."""
        from ..search import search_queryset

        return search_queryset(self, query, limit, similar)


class Person(models.Model):
    name = models.CharField(max_length=200)
    # Made on the first save from the name (catalog.slugs), then never
    # changed by the site; an old slug redirects (SlugRedirect).
    slug = models.SlugField(
        max_length=220,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text="Made from the name when left empty. Changing it later keeps the old"
        " address working.",
    )
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
    # The name and every credited-as name, folded for search (core.text).
    # Derived data: kept up to date by refresh_search_text(), see catalog/search/hooks.py.
    search_text = models.TextField(blank=True, default="", editable=False)
    # Provenance of the fields imports write, as on Film (catalog.models.sources).
    field_sources = models.JSONField(default=dict, blank=True, editable=False)
    outside_values = models.JSONField(default=dict, blank=True, editable=False)

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

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = free_slug(Person, make_slug(self.name, fallback="person"))
        super().save(*args, **kwargs)

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
