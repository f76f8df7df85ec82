"""Rate limits on posts: a thin layer over django-ratelimit.

Each limited action ("scope") allows so many posts per window, counted
separately per account (or per username tried, for logging in) and per client
address. django-ratelimit keeps the counters in the default cache
(RATELIMIT_USE_CACHE), which every gunicorn worker shares: files on one
machine, Redis across machines.

Limits come from settings.RATE_LIMITS ({"scope": (posts, seconds)}) and can be
switched off with RATE_LIMITS_ENABLED = False.
"""

import ipaddress
from functools import wraps

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

# Every address in an IPv6 /64 belongs to one subscriber, who can pick a new
# one for each post: count the network, as django-ratelimit's "ip" key does.
IPV6_PREFIX = 64


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


def _address_key(group, request):
    address = client_address(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        # Not an address (no REMOTE_ADDR, say): still one bucket per value.
        return f"addr:{address[:100]}"
    if ip.version == 6:
        return f"addr:{ipaddress.ip_network(f'{ip}/{IPV6_PREFIX}', strict=False)}"
    return f"addr:{ip}"


def _account_key(account_field):
    def key(group, request):
        if account_field:
            tried = request.POST.get(account_field, "")[:300].strip().lower()
            return f"{account_field}:{tried}" if tried else ""
        if request.user.is_authenticated:
            return f"user:{request.user.pk}"
        return ""

    return key


def _rate(group, request):
    # Read on every post, so settings overridden in tests take effect.
    return settings.RATE_LIMITS[group]


def is_limited(request, scope, account_field=None):
    """Count this post; True when the account or the address is over its limit.

    The account is the logged-in user, or with `account_field` the value
    posted in that field (the username tried, for logging in).
    """
    if not settings.RATE_LIMITS_ENABLED:
        return False
    account_key = _account_key(account_field)
    keys = [_address_key, account_key] if account_key(scope, request) else [_address_key]
    # Count against every key (no short-circuit) so a blocked address cannot
    # spend an account's allowance for free, and vice versa.
    results = [
        is_ratelimited(request, group=scope, key=key, rate=_rate, method="POST", increment=True)
        for key in keys
    ]
    return any(results)


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
            if request.method == "POST" and is_limited(request, scope, account_field):
                return too_many_requests(request, scope)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
