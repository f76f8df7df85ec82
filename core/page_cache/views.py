"""Whole pages kept in the cache for everyone (see the package's docstring)."""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from . import versions

PAGE_TIMEOUT = 24 * 3600
# Replayed with a cached page (middleware adds the rest on the way out).
KEPT_HEADERS = ("Content-Type", "Content-Language")


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
            stored = cache.get(key)
            if stored is not None:
                headers, body = stored
                response = HttpResponse(body, headers=headers)
            else:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and callable(response.render):
                    response = response.render()
                if _storable(response):
                    headers = {h: response[h] for h in KEPT_HEADERS if h in response}
                    cache.set(key, (headers, response.content), PAGE_TIMEOUT)
            # The holes make each visitor's copy their own.
            patch_vary_headers(response, ["Cookie"])
            return response

        return wrapper

    return decorator
