"""The catalogue under /archive/: for the test that slug_url follows a
changed URL configuration."""

from django.urls import include, path

urlpatterns = [path("archive/", include("catalog.urls"))]
