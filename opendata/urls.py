from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("data/", views.download, name="download"),
    path("accounts/open-data/", views.consent, name="consent"),
]
