from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Ratings and reviews"

    def ready(self):
        from . import history, holes, signals  # noqa: F401  (history registration, page holes and sections, receivers)
