from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Ratings and reviews"

    def ready(self):
        # Registers page holes and sections (the latest reviews first, then
        # "also liked": the film page shows them in this order), connects receivers.
        from . import holes, signals  # noqa: F401, I001
        from . import also_liked  # noqa: F401, I001
