"""URLs that fail on purpose, for the error-page tests; plus the real site."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from config.urls import handler400  # noqa: F401 (Django looks it up here)
from config.urls import urlpatterns as site_urlpatterns

LEAKY_DETAIL = "internal-detail-that-must-not-leak"


def bad_request(request):
    raise SuspiciousOperation(LEAKY_DETAIL)


def forbidden(request):
    raise PermissionDenied(LEAKY_DETAIL)


def server_error(request):
    raise RuntimeError(LEAKY_DETAIL)


INLINE_SCRIPT_PAGE = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}<h1>Inline script</h1>{% endblock %}'
    '{% block scripts %}<script nonce="{{ request.csp_nonce }}">'
    'document.body.dataset.ran = "yes";</script>{% endblock %}'
)


def inline_script(request):
    return HttpResponse(INLINE_SCRIPT_PAGE.render({}, request))


urlpatterns = [
    path("test-errors/400/", bad_request),
    path("test-errors/403/", forbidden),
    path("test-errors/500/", server_error),
    path("test-inline-script/", inline_script),
    *site_urlpatterns,
]
