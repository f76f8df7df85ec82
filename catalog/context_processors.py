from . import page_cache


def fragments(request):
    """How long `{% cache %}` fragments live (0, not kept, with the page cache off)."""
    return {"fragment_timeout": page_cache.fragment_timeout()}
