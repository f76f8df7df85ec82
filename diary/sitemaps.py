from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from .models import FilmList


class FilmListSitemap(Sitemap):
    """Public lists only: unlisted and private ones are never named anywhere."""

    changefreq = "weekly"
    priority = 0.4
    limit = 10_000

    def items(self):
        return FilmList.objects.public().order_by("id").only("token", "updated_at")

    def lastmod(self, film_list):
        return film_list.updated_at

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("updated_at"))["latest"]
