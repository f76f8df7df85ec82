"""Rate limits on posts, counted in Django's cache.

Each limited action ("scope") allows so many posts per window, counted
separately per account (or per username tried, for logging in) and per client
address. Counters live in the default cache: with a shared cache such as Redis
they hold across gunicorn workers and machines; with the local-memory default
each worker counts on its own.

Limits come from settings.RATE_LIMITS ({"scope": (posts, seconds)}) and can be
switched off with RATE_LIMITS_ENABLED = False.
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render


def client_address(request):
    """The visitor's address. Behind N trusted proxies (RATE_LIMIT_PROXY_COUNT)
    it is the Nth address from the right of X-Forwarded-For; the left-most ones
    are whatever the client chose to send."""
    proxies = getattr(settings, "RATE_LIMIT_PROXY_COUNT", 0)
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "unknown")


def _hit(key, limit, window):
    """Count one post against `key`; True while within the limit."""
    bucket = int(time.time() // window)
    full_key = f"ratelimit:{key}:{window}:{bucket}"
    # add() then incr() is atomic on Redis and Memcached, and locked in locmem.
    cache.add(full_key, 0, timeout=window + 1)
    try:
        count = cache.incr(full_key)
    except ValueError:  # Expired between add() and incr(): a new window.
        cache.add(full_key, 1, timeout=window + 1)
        count = 1
    return count <= limit


def _digest(value):
    # Keys stay short and free of characters some caches reject.
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def is_limited(request, scope, account=None):
    """Count this post; True when the account or the address is over its limit.

    `account` defaults to the logged-in user; login passes the username tried.
    """
    if not getattr(settings, "RATE_LIMITS_ENABLED", True):
        return False
    limit, window = settings.RATE_LIMITS[scope]
    if account is None and request.user.is_authenticated:
        account = f"user:{request.user.pk}"
    keys = [f"{scope}:addr:{_digest(client_address(request))}"]
    if account:
        keys.append(f"{scope}:acct:{_digest(account)}")
    # Count against every key (no short-circuit) so a blocked address cannot
    # spend an account's allowance for free, and vice versa.
    results = [_hit(key, limit, window) for key in keys]
    return not all(results)


def too_many_requests(request, scope):
    window = settings.RATE_LIMITS[scope][1]
    if request.headers.get("Accept", "").startswith("application/json"):
        response = JsonResponse(
            {"error": "Too many tries. Please wait a little and try again."}, status=429
        )
    else:
        response = render(request, "429.html", {"retry_after": window}, status=429)
    response["Retry-After"] = str(window)
    return response


def rate_limited(scope, account_field=None):
    """Decorator for views: POSTs beyond the scope's limit get a 429 page.

    `account_field` names a POST field (such as "username") to count against
    instead of the logged-in account.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST":
                account = None
                if account_field:
                    tried = request.POST.get(account_field, "")[:300].strip().lower()
                    account = f"{account_field}:{tried}" if tried else None
                if is_limited(request, scope, account=account):
                    return too_many_requests(request, scope)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
