from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from .models import Review


class ReviewSitemap(Sitemap):
    """Published reviews only: hidden ones are 404 to visitors and crawlers."""

    changefreq = "monthly"
    limit = 10_000

    def items(self):
        # No stars on a sitemap: select_related(None) drops published()'s join.
        return (
            Review.objects.published().select_related(None).only("id", "updated_at").order_by("id")
        )

    def lastmod(self, review):
        return review.updated_at

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("updated_at"))["latest"]
