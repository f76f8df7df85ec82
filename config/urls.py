from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = f"{settings.SITE_NAME} administration"
admin.site.site_title = settings.SITE_NAME

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
    path("", include("reviews.urls")),
    path("", include("catalog.urls")),
]
