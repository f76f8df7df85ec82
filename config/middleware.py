"""Small project-wide request/response guards that no app owns."""

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import Http404
from django.http.multipartparser import MultiPartParserError

from config.errors import bad_request_response

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
