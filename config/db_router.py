"""Optional read replica (`DATABASE_REPLICA_URL`): reads from the replica,
writes and the reads that must see them from the primary.

Only installed when settings.py finds a replica URL; without one there is no
router and no middleware, and every query goes to "default" as before.

Where reads go:
- Outside a request (management commands, the shell, migrations, cron
  jobs) everything uses the primary. Commands such as seed_catalogue read
  back what they just wrote, and a replica lags behind by design.
- Inside a request, reads go to the replica unless the request is pinned to
  the primary: an unsafe method (POST, PUT, …), a request carrying a recent
  `primary_until` cookie (set on the response to every unsafe request, so
  the redirect after a POST and the pages right after it see the write:
  read-your-writes), or a read inside `transaction.atomic()` on the primary
  (a read that decides a write must see the rows as the primary has them).
- Writes always go to the primary; migrations run on the primary only (the
  replica gets its schema through replication).
"""

import contextlib
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, router

REPLICA = "replica"
PIN_COOKIE = "primary_until"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

# A context variable, not a thread-local: each gunicorn thread (and each
# asyncio task, should a view ever be async) sees only its own request's pin.
# Its default, True, is what code outside any request gets: the primary.
_pinned_to_primary = ContextVar("pinned_to_primary", default=True)
# The pin cookie's clock (tests move it forward past the lag window).
_clock = time.time


def lag_seconds():
    return max(0, int(getattr(settings, "DATABASE_REPLICA_LAG_SECONDS", 10)))


@contextlib.contextmanager
def reads_from_primary():
    """Within this block, this request's reads go to the primary."""
    token = _pinned_to_primary.set(True)
    try:
        yield
    finally:
        _pinned_to_primary.reset(token)


def pin_request_to_primary():
    """The rest of this request reads from the primary (the middleware lifts
    the pin when the request ends; outside a request reads use it anyway)."""
    _pinned_to_primary.set(True)


def replica_in_use():
    """The replica's alias when this router is installed, else None."""
    if any(isinstance(r, PrimaryReplicaRouter) for r in router.routers):
        return REPLICA
    return None


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if _pinned_to_primary.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        # Related rows of an object loaded from the primary come from there too,
        # so one object graph never mixes the primary's and the replica's state.
        instance = hints.get("instance")
        if instance is not None and instance._state.db == DEFAULT_DB_ALIAS:
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The same rows live in both; an object read from the replica may be
        # linked to one from the primary.
        aliases = {DEFAULT_DB_ALIAS, REPLICA}
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def _pin_cookie_is_fresh(value, now, lag):
    # The cookie is a plain timestamp: a visitor can only choose to read their
    # own pages from the primary, as posting anything would. Values outside
    # (now, now + lag] are ignored, so a forged far-future or huge value pins
    # nothing, and garbage is no error.
    if not value or len(value) > 20:
        return False
    try:
        until = int(value)
    except ValueError:
        return False
    return now < until <= now + lag + 1


class PrimaryReplicaMiddleware:
    """Decides, per request, whether its reads may go to the replica.

    First in the middleware list, so sessions, authentication and the login
    throttle read from the same database as the view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        lag = lag_seconds()
        now = int(_clock())
        unsafe = request.method not in SAFE_METHODS
        pinned = unsafe or _pin_cookie_is_fresh(request.COOKIES.get(PIN_COOKIE), now, lag)
        token = _pinned_to_primary.set(pinned)
        try:
            response = self.get_response(request)
        finally:
            _pinned_to_primary.reset(token)
        if unsafe and lag:
            # Whole seconds, rounded up, so the window lasts at least `lag`.
            response.set_cookie(
                PIN_COOKIE,
                str(int(_clock()) + lag + 1),
                max_age=lag + 1,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
