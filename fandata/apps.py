from django.apps import AppConfig


class FandataConfig(AppConfig):
    name = "fandata"
    verbose_name = "Fans' data in and out"
