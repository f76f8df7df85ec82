from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Ratings and reviews"

    def ready(self):
        from catalog import merge

        # history: registration; holes: page holes and sections; signals: receivers.
        from . import history, holes, merging, signals  # noqa: F401

        # Merging duplicate films moves fans' ratings and reviews too.
        merge.register_film_step(merging.move_ratings_and_reviews)
