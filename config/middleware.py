"""Small project-wide request/response guards that no app owns."""

from django.http import Http404

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
