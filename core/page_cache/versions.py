"""Page-family versions, kept in the default cache.

The cache is shared by every gunicorn worker (files on one machine, Redis on
several), so a version bumped by one worker retires the pages every worker
would serve. A version is a random token, never a counter: a version lost
from the cache comes back as a new token, never as an old one whose pages
may still be stored.

`EVERYTHING` is part of every page's key: bumping it retires the whole page
cache in one write (a bulk import, a deploy that changes data).
"""

import hashlib
import uuid

from django.core.cache import cache

EVERYTHING = "everything"


def _key(family):
    # Hashed: a family names a slug of up to 320 characters, and memcached
    # refuses keys over 250.
    return "page-version:" + hashlib.sha256(family.encode()).hexdigest()


def current(families):
    """The current version of each family, in order; one cache round trip."""
    keys = [_key(family) for family in families]
    found = cache.get_many(keys)
    tokens = []
    for key in keys:
        token = found.get(key)
        if token is None:
            # add(), not set(): two workers making the same version agree.
            token = uuid.uuid4().hex
            if not cache.add(key, token, None):
                token = cache.get(key) or token
        tokens.append(token)
    return tokens


def bump(families):
    """New versions for these families, in one cache write."""
    if families:
        cache.set_many({_key(family): uuid.uuid4().hex for family in families}, None)


def forget_all_pages():
    """Retire every cached page now (tests that need a cold page; a bulk
    job uses invalidation.invalidate_everything(), which waits for its commit)."""
    bump([EVERYTHING])
