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
_MARKER = re.compile(rb"<!--hole:([a-z][a-z0-9-]*):([A-Za-z0-9%._~-]*)-->")
MARKER_START = b"<!--hole:"


def register(name):
    """Decorator: `filler(request, arg) -> str of HTML` fills the hole `name`."""

    def decorator(filler):
        _fillers[name] = filler
        return filler

    return decorator


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

    return _MARKER.sub(filled, content)
