"""Whole-page cache for anonymous visitors, with exact invalidation.

Most traffic is anonymous and every anonymous visitor sees the same bytes for
the same address, so the public catalogue pages are stored whole in the cache
(shared by every process with REDIS_URL) and served without a database query.

Each cached page names what it shows through *versions*: a film page depends
on that film's version, a person page on that person's, list pages on the
lists version. A write bumps the versions of what it changes
(`invalidate_film`, `invalidate_person`, `invalidate_lists`; signal receivers
in catalog/cache_signals.py and reviews call them), so the next request
renders afresh. The versions are shared by every process serving the site
(catalog/page_versions.py), even where the pages themselves are kept in each
process's own memory.

What is never stored: responses to logged-in visitors (anything with a session
cookie), pages that rendered a CSRF token or used the CSP nonce, responses
that set a cookie, and anything but a 200 to a GET.

Logged-in fans get the film page's public parts from `{% cache %}` fragments
kept under the same film version (`film_version`), around their own rating
widget: see templates/catalog/film_detail.html.
"""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from config import db_router
from config.db_router import (
    lag_seconds,
    pin_request_to_primary,
    reads_from_primary,
    replica_in_use,
)

from . import page_versions

PAGE_TIMEOUT = 24 * 3600
# Replayed with a cached page (middleware adds the rest on the way out).
KEPT_HEADERS = ["Content-Type", "Content-Language"]
LISTS = "lists"


def film_scope(slug):
    return f"film:{slug}"


def person_scope(slug):
    return f"person:{slug}"


def bump(*names):
    """Give the named scopes new versions now and again after the commit.

    Now, so the request that made the change (and tests, which never commit)
    sees it; after the commit, so a page rendered by another request from the
    data as it was before the commit is not kept under the new version.
    """
    page_versions.write(names)
    transaction.on_commit(lambda: page_versions.write(names))


def invalidate_film(film_id=None, slugs=()):
    """Forget the cached pages of one film (by id or slug), its people and the lists."""
    from .models import Credit, Film

    slugs = set(slugs)
    person_slugs = set()
    if film_id is not None:
        slugs.update(Film.objects.filter(pk=film_id).values_list("slug", flat=True))
        # Person pages list their films' titles and years.
        person_slugs.update(
            Credit.objects.filter(film_id=film_id).values_list("person__slug", flat=True)
        )
    bump(LISTS, *(film_scope(s) for s in slugs), *(person_scope(s) for s in person_slugs))


def invalidate_person(person_id=None, slugs=()):
    """Forget the cached pages of one person, the films they are credited in, and the lists."""
    from .models import Credit, Person

    slugs = set(slugs)
    film_slugs = set()
    if person_id is not None:
        slugs.update(Person.objects.filter(pk=person_id).values_list("slug", flat=True))
        film_slugs.update(
            Credit.objects.filter(person_id=person_id).values_list("film__slug", flat=True)
        )
    bump(LISTS, *(person_scope(s) for s in slugs), *(film_scope(s) for s in film_slugs))


def invalidate_lists():
    bump(LISTS)


def versions(names):
    """The current versions of the named scopes.

    With a read replica, a request that asks for a version bumped within the
    replica's lag reads the primary from then on, so the pages and fragments
    it stores under that version never hold the replica's older rows.
    """
    current = page_versions.read(names)
    if replica_in_use() and lag_seconds():
        now = db_router._clock()
        if any(now - version.written_at < lag_seconds() for version in current.values()):
            pin_request_to_primary()
    return [current[name].token for name in names]


def film_version(slug):
    """The film page's current version: cached fragments of the page are kept
    under it, so whatever invalidates the film's pages retires them too."""
    return versions([film_scope(slug)])[0]


def remember(name, version, compute):
    """compute(), kept in the cache under a page version: the value is
    recomputed once whatever the version stands for changes. An exception
    (Http404) stores nothing. With DJANGO_PAGE_CACHE off, always compute()."""
    if not settings.PAGE_CACHE:
        return compute()
    key = "versioned:" + hashlib.sha256(f"{name}|{version}".encode()).hexdigest()
    stored = cache.get(key)
    if stored is None:
        # In a one-item tuple, so that None (no rating yet) is kept too.
        stored = (compute(),)
        cache.set(key, stored, PAGE_TIMEOUT)
    return stored[0]


def fragment_timeout():
    """How long the `{% cache %}` fragments of a page live: a day, or 0 (not
    stored) with DJANGO_PAGE_CACHE off, so a benchmark can time whole renders."""
    return PAGE_TIMEOUT if settings.PAGE_CACHE else 0


def _is_anonymous(request):
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and "messages" not in request.COOKIES


def _page_key(request, names):
    tokens = versions(names)
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return "page:" + hashlib.sha256("|".join([address, *names, *tokens]).encode()).hexdigest()


def _storable(request, response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and getattr(request, "_csp_nonce", None) is None
        and not getattr(response, "_page_cache_skip", False)
    )


def cached_for_anonymous(scopes):
    """View decorator: serve anonymous GETs from the whole-page cache.

    `scopes(kwargs)` names the versions the page depends on.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if (
                not settings.PAGE_CACHE
                or request.method not in ("GET", "HEAD")
                or not _is_anonymous(request)
            ):
                if replica_in_use():
                    # Before the view loads anything: a fresh render may store
                    # fragments under these versions too (the film page does).
                    versions(scopes(kwargs))
                return view(request, *args, **kwargs)
            key = _page_key(request, scopes(kwargs))
            stored = cache.get(key)
            if stored is not None:
                headers, body = stored
                response = HttpResponse(body, headers=headers)
                # A fresh render reads the session, so the session middleware
                # marks it Vary: Cookie; the cached copy must tell proxies and
                # browsers the same, as a logged-in visitor's page differs.
                patch_vary_headers(response, ["Cookie"])
                return response
            # A page kept for a day must show what the primary has: rendered
            # from a lagging read replica (config/db_router.py), it could keep
            # the rows from before a write under the versions that write made.
            with reads_from_primary():
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and callable(response.render):
                    response = response.render()
            if _storable(request, response):
                headers = {h: response[h] for h in KEPT_HEADERS if h in response}
                cache.set(key, (headers, response.content), PAGE_TIMEOUT)
            return response

        return wrapper

    return decorator


def list_scopes(kwargs):
    """Home, lists, taxonomy and search pages show many films and people."""
    return [LISTS]


def film_scopes(kwargs):
    return [film_scope(kwargs["slug"])]


def person_scopes(kwargs):
    return [person_scope(kwargs["slug"])]
