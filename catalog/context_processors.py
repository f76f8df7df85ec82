from django.conf import settings

from . import page_cache


def site(request):
    """Values every page's header and footer need; no database queries."""
    return {
        "site_name": settings.SITE_NAME,
        # How long `{% cache %}` fragments live (0, not kept, with the page
        # cache off): the header and footer on every page, more on some.
        "fragment_timeout": page_cache.fragment_timeout(),
    }
