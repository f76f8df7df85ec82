"""`/healthz` for load balancers and process supervisors."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponse
from django.views.decorators.cache import never_cache

from config.db_router import replica_in_use

logger = logging.getLogger(__name__)


def _databases_answer():
    # The primary, and the read replica when requests read from one.
    for alias in filter(None, [DEFAULT_DB_ALIAS, replica_in_use()]):
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()


def _cache_answers():
    # The local-memory cache lives inside this process and cannot be down.
    if settings.REDIS_URL:
        cache.set("healthz", "ok", timeout=10)
        if cache.get("healthz") != "ok":
            raise RuntimeError("the cache did not give back what was just stored")


@never_cache
def healthz(request):
    """200 "ok" when every database (and a shared cache) answers, else 503.

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
