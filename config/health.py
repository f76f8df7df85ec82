"""`/healthz` for load balancers and process supervisors."""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def _databases_answer():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache_answers():
    # Redis, or the folder the file cache writes to: pages, their versions
    # and rate limits all live there.
    cache.set("healthz", "ok", timeout=10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("the cache did not give back what was just stored")


@never_cache
def healthz(request):
    """200 "ok" when the database and the cache answer, else 503.

    The reason goes to the log, never into the response: a health check is
    public and its caller only needs to know whether to send traffic here.
    """
    try:
        _databases_answer()
        _cache_answers()
    except Exception:
        logger.exception("Health check failed")
        return HttpResponse("unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
