from django import template

from core.page_cache.holes import marker

register = template.Library()


@register.simple_tag
def hole(name, arg=""):
    """A per-visitor part of the page, filled on every request by the filler
    an app registered for `name` (core/page_cache/holes.py)."""
    return marker(name, arg)
