from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from catalog.sitemaps import FilmSitemap, FixedPagesSitemap, PersonSitemap
from catalog.views import robots_txt
from config.favicon import favicon
from config.health import healthz
from diary.sitemaps import FilmListSitemap
from reviews.sitemaps import ReviewSitemap

from .media import media_urlpatterns

# Django's own 400 view asks for the host and reads the form again (config/errors.py).
handler400 = "config.errors.bad_request"

admin.site.site_header = f"{settings.SITE_NAME} administration"
admin.site.site_title = settings.SITE_NAME

sitemaps = {
    "pages": FixedPagesSitemap,
    "films": FilmSitemap,
    "people": PersonSitemap,
    "reviews": ReviewSitemap,
    "lists": FilmListSitemap,
}

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("favicon.ico", favicon, name="favicon"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": sitemaps, "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps},
        name="sitemap-section",
    ),
    *media_urlpatterns(),
    path("", include("fandata.urls")),
    path("", include("accounts.urls")),
    path("", include("opendata.urls")),
    path("", include("diary.urls")),
    path("", include("reviews.urls")),
    path("", include("corrections.urls")),
    path("", include("catalog.urls")),
]
