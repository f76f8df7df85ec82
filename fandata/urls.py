from django.urls import path

from . import views

app_name = "fandata"

urlpatterns = [
    path("account/data/", views.index, name="index"),
    path("account/delete/", views.account_delete, name="account-delete"),
    path("account/import/", views.import_upload, name="import"),
    path("account/import/preview/", views.import_preview, name="import-preview"),
    path("account/export/", views.export, name="export"),
]
