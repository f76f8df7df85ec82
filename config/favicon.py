"""/favicon.ico: browsers and crawlers ask for it at the root whatever the
page links, so it is answered here rather than left a 404. The bytes are
static/img/favicon.ico (made by docs/render_icons.py), read once."""

from functools import lru_cache

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.http import require_safe


@lru_cache(maxsize=1)
def _favicon_bytes():
    return (settings.BASE_DIR / "static" / "img" / "favicon.ico").read_bytes()


@require_safe
def favicon(request):
    response = HttpResponse(_favicon_bytes(), content_type="image/vnd.microsoft.icon")
    # A day: the name has no hash, so a new icon must reach browsers eventually.
    response["Cache-Control"] = "public, max-age=86400"
    return response
