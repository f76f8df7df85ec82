"""Whole pages kept in the cache for everyone (see the package's docstring)."""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from . import holes, versions

PAGE_TIMEOUT = 24 * 3600
# Replayed with a cached page (middleware adds the rest on the way out).
KEPT_HEADERS = ("Content-Type", "Content-Language", "Cache-Control")
# django.contrib.messages' cookie: a visitor with messages waiting is not
# served the anonymous copy, whose messages hole is empty.
MESSAGES_COOKIE = "messages"


def page_key(request, families, params):
    """The cache key of this request's page, or None when it must not be
    stored: a query parameter the view does not read (`?junk=1` would
    otherwise make a new page per value), or one given twice.

    The key holds the scheme and the host with its port: Django checks the
    host against ALLOWED_HOSTS but not the port, and a page rendered for
    "127.0.0.1:6666" carries that address in its canonical link."""
    query = request.GET
    if any(name not in params or len(query.getlist(name)) > 1 for name in query):
        return None
    parts = [
        request.scheme,
        request.get_host(),
        request.path,
        *(f"{name}={query[name]}" for name in sorted(query)),
        *versions.current([versions.EVERYTHING, *families]),
    ]
    return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _is_anonymous(request):
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE not in request.COOKIES
    )


def _kept(response):
    return {h: response[h] for h in KEPT_HEADERS if h in response}, response.content


def _replay(stored):
    headers, body = stored
    response = HttpResponse(body, headers=headers)
    # The holes make each visitor's copy their own.
    patch_vary_headers(response, ["Cookie"])
    return response


def _storable(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not getattr(response, "page_cache_skip", False)
    )


def cache_page_for_everyone(families, params=()):
    """View decorator: GET pages stored whole and served to every visitor.

    `families(kwargs)` names the page families the page shows (the view's URL
    keyword arguments in, a list of names out); `params` names the query
    parameters the view reads. Per-visitor parts are holes (holes.py), filled
    on the way out, so what is stored is the same for everyone.
    """
    params = frozenset(params)

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not settings.PAGE_CACHE or request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            key = page_key(request, families(kwargs), params)
            if key is None:
                return view(request, *args, **kwargs)
            anonymous = _is_anonymous(request)
            if anonymous and (stored := cache.get(key + ":anonymous")) is not None:
                return _replay(stored)
            stored = cache.get(key)
            if stored is not None:
                response = _replay(stored)
            else:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and callable(response.render):
                    response = response.render()
                if not _storable(response):
                    return response
                cache.set(key, _kept(response), PAGE_TIMEOUT)
                patch_vary_headers(response, ["Cookie"])
            if anonymous:
                # Every visitor without a session or messages gets the same
                # holes too (log-in links, no stars of their own): kept
                # filled, so their next request renders nothing at all.
                response.content = holes.fill(request, response.content)
                if _storable(response) and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
                    cache.set(key + ":anonymous", _kept(response), PAGE_TIMEOUT)
            return response

        # What the page reads from the query string, for anyone who asks the
        # URL configuration (tests/hostile sends hostile values to each).
        wrapper.query_params = params
        return wrapper

    return decorator
