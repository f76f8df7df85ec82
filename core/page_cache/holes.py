"""Holes: the per-visitor parts of a page that is otherwise the same for all.

A template writes `{% hole "account-nav" %}` (or with an argument, such as
`{% hole "film-rating" film.pk %}`); the page, cached or not, carries a marker
there, and `HoleMiddleware` replaces every marker on every response with
what the hole's filler renders for this request: the account menu, the fan's
own rating, the messages, anything with a CSRF token. This is the idea of
Varnish's Edge Side Includes, done in one middleware.

Apps register the fillers they own at start-up (`register`), so a lower app's
template can leave a hole that a higher app fills without importing it. A
hole nobody fills renders as nothing.

A hole that appears many times on a page (a button on every film card) can
register a `prefetch(request, args)` too: it is called once per response
with every argument of that hole on the page, before any is filled, so that
two dozen cards cost one query rather than two dozen. Its result reaches the
filler through `prefetched(request, name)`.

A marker cannot be forged by visitors: their text is always escaped, and an
escaped "<" never starts a marker.
"""

import logging
import re
from urllib.parse import quote, unquote

from django.template.context_processors import csrf
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

logger = logging.getLogger(__name__)

_fillers = {}
_prefetchers = {}
_MARKER = re.compile(rb"<!--hole:([a-z][a-z0-9-]*):([A-Za-z0-9%._~-]*)-->")
MARKER_START = b"<!--hole:"


def register(name, prefetch=None):
    """Decorator: `filler(request, arg) -> str of HTML` fills the hole `name`.
    `prefetch(request, args)`, if given, loads what all of the page's holes
    of that name need at once (see the module's docstring)."""

    def decorator(filler):
        _fillers[name] = filler
        if prefetch is not None:
            _prefetchers[name] = prefetch
        return filler

    return decorator


def prefetched(request, name):
    """What the prefetch of hole `name` loaded for this response (None if none ran)."""
    return getattr(request, "_hole_prefetched", {}).get(name)


def _prefetch(request, content):
    args_by_name = {}
    for name, arg in _MARKER.findall(content):
        name = name.decode()
        if name in _prefetchers:
            args_by_name.setdefault(name, []).append(unquote(arg.decode()))
    loaded = {}
    for name, args in args_by_name.items():
        try:
            loaded[name] = _prefetchers[name](request, args)
        except Exception:
            logger.exception("The page holes %r could not be prefetched", name)
    request._hole_prefetched = loaded


def marker(name, arg=""):
    # Quoted, so any slug (unicode, reserved characters) fits the pattern.
    return mark_safe(f"<!--hole:{name}:{quote(str(arg), safe='')}-->")


def render_template(template_name, request, context=None):
    """What most fillers do: a small template rendered with the request, the
    user and a CSRF token made only if the template uses it. No context
    processors: a hole is rendered on every request, and they would build
    what no hole shows (permissions, the CSP nonce, the site's settings)."""
    return render_to_string(
        template_name,
        {"request": request, "user": request.user, **csrf(request), **(context or {})},
    )


def fill(request, content):
    """`content` (bytes) with every hole filled for this request."""

    def filled(match):
        name = match.group(1).decode()
        filler = _fillers.get(name)
        if filler is None:
            return b""
        try:
            html = filler(request, unquote(match.group(2).decode()))
        except Exception:
            # A hole is a small part of a page: the rest still serves.
            logger.exception("The page hole %r could not be filled", name)
            return b""
        return str(html).encode()

    if _prefetchers:
        _prefetch(request, content)
    return _MARKER.sub(filled, content)
