"""sitemap.xml sections for the catalogue: fixed pages, films and people.

Each section is paged by Django at `limit` URLs per file; `config/urls.py`
serves an index of the sections so the catalogue can grow past one file.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from .models import Film, Person


class LatestLastmodMixin:
    """The section's newest change for the index, in one aggregate query
    (Django's default would call lastmod() on every row)."""

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("updated_at"))["latest"]

    def lastmod(self, obj):
        return obj.updated_at


class FixedPagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["catalog:home", "catalog:film-list", "catalog:person-list"]

    def location(self, name):
        return reverse(name)


class FilmSitemap(LatestLastmodMixin, Sitemap):
    changefreq = "weekly"
    limit = 10_000

    def items(self):
        return Film.objects.only("slug", "updated_at").order_by("id")


class PersonSitemap(LatestLastmodMixin, Sitemap):
    changefreq = "monthly"
    limit = 10_000

    def items(self):
        return Person.objects.only("slug", "updated_at").order_by("id")
