from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Ratings and reviews"

    def ready(self):
        from . import cache_signals, signals  # noqa: F401
