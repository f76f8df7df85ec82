"""The 400 page, which must render whatever was wrong with the request."""

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.template import loader
from django.templatetags.static import static


def _stylesheet_url():
    try:
        return static("css/site.css")
    except ValueError:  # No manifest entry: collectstatic has not run.
        return f"{settings.STATIC_URL}css/site.css"


def bad_request_response():
    """templates/400.html, rendered without the request.

    Whatever made the request bad (a Host header not in ALLOWED_HOSTS, a form
    body that cannot be decoded) raises again as soon as anything reads that
    part of it: a canonical link, the CSRF check. So no request, no context
    processors, no CSRF token: the page needs none of them.
    """
    context = {"site_name": settings.SITE_NAME, "stylesheet_url": _stylesheet_url()}
    return HttpResponseBadRequest(loader.render_to_string("400.html", context))


def bad_request(request, exception):
    """handler400. Django's own is wrapped in requires_csrf_token, whose
    check asks for the host (a POST's Origin header) and reads request.POST:
    for a bad Host header or form body that raised a second time, and the
    visitor got a 500 with an empty page."""
    return bad_request_response()
