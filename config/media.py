"""Uploaded images served by the app itself, for development and `make run`.

On a single machine this saves setting up a web server; behind nginx or with
an S3-compatible store, leave DJANGO_SERVE_MEDIA off and let those serve it.
Every stored file is an image this site re-encoded (catalog/images.py), and
Django's `serve` refuses paths outside MEDIA_ROOT and lists no folders.
"""

import re

from django.conf import settings
from django.urls import re_path
from django.views.decorators.http import require_safe
from django.views.static import serve

# Rendition and upload names never change their content (a new upload gets a
# new name), so browsers may keep them for a long time.
MEDIA_MAX_AGE = 60 * 60 * 24 * 30


@require_safe
def serve_media(request, path):
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = f"public, max-age={MEDIA_MAX_AGE}"
    # Even if something other than an image got in, it cannot run as a page.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def media_urlpatterns():
    """The media route, when this process should serve MEDIA_URL at all."""
    prefix = settings.MEDIA_URL
    if not settings.SERVE_MEDIA or not prefix.startswith("/") or prefix.startswith("//"):
        return []
    return [re_path(rf"^{re.escape(prefix.lstrip('/'))}(?P<path>.+)$", serve_media, name="media")]
