from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Ratings and reviews"

    def ready(self):
        from catalog import merge  # noqa: I001

        # history: registration; holes: page holes and sections (the latest
        # reviews first, then "also liked": the film page shows them in this
        # order); signals: receivers.
        from . import history, holes, merging, signals  # noqa: F401, I001
        from . import also_liked  # noqa: F401, I001

        # Merging duplicate films moves fans' ratings and reviews too.
        merge.register_film_step(merging.move_ratings_and_reviews)
