"""Addresses of slug pages without a reverse() per link.

A film page links to some thirty people and a list page to two dozen films,
and reverse() costs tens of microseconds a call (it matches the candidate address
against the URL pattern every time): about a millisecond per page. For a URL
pattern whose one argument is a `str` slug, the address is always the same
text around the slug, so `slug_url` reverses once per URL configuration and
script prefix and then only quotes the slug, as reverse() does.
core/tests/test_links.py checks it gives what reverse() gives.
"""

from functools import lru_cache
from urllib.parse import quote

from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.http import RFC3986_SUBDELIMS

# What reverse() leaves unquoted in a path: RFC 3986's pchar.
SAFE_IN_PATH = RFC3986_SUBDELIMS + "/~:@"
PLACEHOLDER = "slug-placeholder"


@lru_cache(maxsize=64)
def _around_slug(viewname, resolver, script_prefix):
    """The text before and after the slug in viewname's address. The
    resolver and script prefix are part of the key so that a changed URL
    configuration (tests override it) or script prefix is reversed afresh."""
    before, placeholder, after = reverse(viewname, args=[PLACEHOLDER]).partition(PLACEHOLDER)
    if not placeholder or PLACEHOLDER in after:
        raise ValueError(f"{viewname} does not put its one argument in its path once")
    return before, after


def slug_url(viewname, slug):
    """reverse(viewname, args=[slug]) for a URL pattern with one `str` slug."""
    if not slug or "/" in slug:
        # Not an address a `str` converter matches: reverse() says why.
        return reverse(viewname, args=[slug])
    before, after = _around_slug(viewname, get_resolver(get_urlconf()), get_script_prefix())
    return before + quote(slug, safe=SAFE_IN_PATH) + after
