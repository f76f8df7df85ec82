from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Ratings and reviews"

    def ready(self):
        from . import holes, signals  # noqa: F401  (registers page holes and sections, connects receivers)
