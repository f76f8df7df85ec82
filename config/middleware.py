"""Small project-wide request/response guards that no app owns."""

import re
import uuid

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.middleware.gzip import GZipMiddleware

from config.errors import bad_request_response
from config.log import request_id

# An id a proxy in front (nginx's $request_id, a load balancer's trace id) may
# pass on: short, and only characters that are safe in a header and a log.
REQUEST_ID_HEADER = "X-Request-ID"
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}\Z")


class RequestIdMiddleware:
    """Gives each request an id, logged with everything logged while it is
    served (config/log.py) and echoed in the X-Request-ID response header.

    A valid id sent by the client or a proxy is kept, so one id follows a
    request through every layer; anything else (too long, odd characters:
    it would end up in logs) is replaced by a fresh one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sent = request.headers.get(REQUEST_ID_HEADER, "")
        value = sent if VALID_REQUEST_ID.match(sent) else uuid.uuid4().hex
        request.request_id = value
        token = request_id.set(value)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response[REQUEST_ID_HEADER] = value
        return response


# Browser features the site never uses; denying them means an injected script
# or a framed page cannot ask for them either.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    ]
)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class NulByteMiddleware:
    """Turns a NUL byte in the path into a 404.

    No slug can contain one, and PostgreSQL refuses to even compare text with
    it, so without this every view that looks a URL value up would answer 500
    on PostgreSQL. Query-string values go through forms, whose fields refuse
    NUL bytes already.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404("No such page.")
        return self.get_response(request)


class UnreadableFormMiddleware:
    """Answers 400 to a POST whose form data cannot be read.

    A form body in a charset Django refuses (form-urlencoded must be UTF-8),
    a broken multipart body, too many fields or too large a body raise as
    soon as something reads request.POST. CsrfViewMiddleware is the first to;
    then the error page's own CSRF check read it again and raised again, and
    the visitor got a 500 with an empty page. Reading it here first, before
    CsrfViewMiddleware, turns all of these into the plain 400 page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST":
            try:
                request.POST  # noqa: B018 (parsed once here, kept on the request)
            except (
                BadRequest,
                SuspiciousOperation,
                MultiPartParserError,
                UnicodeDecodeError,
                LookupError,
            ):
                return bad_request_response()
        return self.get_response(request)


class CompressTextMiddleware(GZipMiddleware):
    """gzip for pages and other text, never for images or files whitenoise has
    compressed already (they carry Content-Encoding; GZipMiddleware skips them).

    Sits above HoleMiddleware in MIDDLEWARE, so it compresses the page after
    the holes are filled, and below WhiteNoiseMiddleware, which answers static
    files before this runs. The page cache stores pages uncompressed (it works
    inside the view), so one stored page serves every Accept-Encoding.

    BREACH: a compressed page that reflects a visitor's input next to a
    secret leaks the secret through the response length. The one secret in
    our HTML is the CSRF token, which Django masks with a fresh random mask
    in every response, so no two responses share its bytes; Django's gzip
    also pads each response with random bytes ("Heal the BREACH"). Session
    ids travel only in cookies, which HTTP/1.1 does not compress.
    """

    TEXT_TYPES = (
        "text/",
        "application/json",
        "application/xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/ld+json",
        "image/svg+xml",
    )

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(self.TEXT_TYPES):
            return response
        return super().process_response(request, response)
