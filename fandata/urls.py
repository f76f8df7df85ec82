from django.urls import path

from . import views

app_name = "fandata"

urlpatterns = [
    path("account/data/", views.index, name="index"),
    path("account/delete/", views.account_delete, name="account-delete"),
]
