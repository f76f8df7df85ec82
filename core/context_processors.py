from django.conf import settings


def site(request):
    """Values every page's header and footer need; no database queries."""
    return {"site_name": settings.SITE_NAME}
