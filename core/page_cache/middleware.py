from .holes import MARKER_START, fill


class HoleMiddleware:
    """Fills the holes of every HTML response, cached or freshly rendered
    (see holes.py). It sits inside the CSRF, session, auth and messages
    middleware, so a filler may use the CSRF token, the user and the
    messages, and they see it as they would in a view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and MARKER_START in response.content
        ):
            response.content = fill(request, response.content)
        return response
