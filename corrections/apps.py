from django.apps import AppConfig


class CorrectionsConfig(AppConfig):
    """Fans' suggested corrections to the catalogue's facts, and the staff
    queue that accepts (with history) or declines them."""

    name = "corrections"
    verbose_name = "Fans' corrections"

    def ready(self):
        from . import holes  # noqa: F401  (the page holes and the history label)
