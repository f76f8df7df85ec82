"""The page cache: every public GET page cached whole, for everyone, with
holes for what differs between visitors.

- `cache_page_for_everyone` (views.py) marks a view's pages as cacheable and
  names the page families they show (a film, a person, the lists).
- Pages are stored with *holes*: `{% hole "name" arg %}` (templatetags/holes.py)
  leaves a marker where the account menu, the fan's own rating, the messages
  or anything with a CSRF token goes; `holes.fill` replaces each marker on
  every request, cached or not (holes.py). Apps register what fills a hole.
- Each page family has a *version* in the shared cache (versions.py); a
  page's key includes its families' versions, so bumping a version retires
  every page of that family at once, on every worker.
- What a write makes stale is decided in one place, invalidation.py, once
  per transaction, after the commit.
"""
