"""`/healthz` for load balancers and process supervisors."""

import functools
import hmac
import logging

from django.conf import settings
from django.core.cache import cache
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import HttpResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


@functools.cache
def _migrations_in_code():
    """Every migration this release ships, read from disk once per process:
    the code does not change under a running process, the database may."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return frozenset(loader.graph.nodes)


def _unapplied_migrations():
    """Migrations of this release the database has not run, in one query
    (which also proves the database answers). A deploy that forgot
    `migrate` serves pages that fail on missing columns: not healthy."""
    applied = set(MigrationRecorder.Migration.objects.values_list("app", "name"))
    return sorted(f"{app}.{name}" for app, name in _migrations_in_code() - applied)


def _cache_answers():
    # Redis, or the folder the file cache writes to: pages, their versions
    # and rate limits all live there.
    cache.set("healthz", "ok", timeout=10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("the cache did not give back what was just stored")


def _may_see_details(request):
    """Staff, or a monitor sending `Authorization: Bearer <HEALTHZ_TOKEN>`.
    The token is checked first: it needs no database, which may be down."""
    token = settings.HEALTHZ_TOKEN
    sent = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return True
    try:
        return request.user.is_staff
    except Exception:  # The session or the user could not be read: no details.
        return False


@never_cache
def healthz(request):
    """200 "ok" when the database and the cache answer and every migration
    has run, else 503 "unavailable".

    The reason goes to the log, and to staff or a monitor holding
    HEALTHZ_TOKEN; never to the public: a health check is public and its
    caller only needs to know whether to send traffic here.
    """
    problems = []
    try:
        unapplied = _unapplied_migrations()
        if unapplied:
            problems.append("unapplied migrations: " + ", ".join(unapplied))
    except Exception as error:
        logger.exception("Health check failed: the database did not answer")
        problems.append(f"database: {type(error).__name__}")
    try:
        _cache_answers()
    except Exception as error:
        logger.exception("Health check failed: the cache did not answer")
        problems.append(f"cache: {type(error).__name__}")
    if not problems:
        return HttpResponse("ok\n", content_type="text/plain")
    logger.error("Health check failed: %s", "; ".join(problems))
    body = "unavailable\n"
    if _may_see_details(request):
        body += "".join(f"{problem}\n" for problem in problems)
    return HttpResponse(body, status=503, content_type="text/plain")
