"""Authentication backend that throttles password guessing."""

import ipaddress

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.shortcuts import render

from core.ratelimit import client_address


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for logins that come with a request.

    Axes refuses `authenticate()` calls without a request; those come from
    code we trust (the test client's `login()`, the shell), never from a
    visitor, so there is nobody to throttle and the check is skipped.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """The site's 429 page for a locked-out login, saying how long to wait."""
    retry_after = int(settings.AXES_COOLOFF_TIME.total_seconds())
    response = render(request, "429.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def client_ip(request):
    """The address the rate limits count, if it is an IP address at all.

    Axes stores it in an IP address column, which PostgreSQL checks: a
    request without REMOTE_ADDR (the test client's login) or a forged
    X-Forwarded-For entry behind a proxy must not become a 500.
    """
    address = client_address(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
