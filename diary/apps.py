from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "diary"
    verbose_name = "Fans' film life: watchlists, diaries, lists, follows"

    def ready(self):
        from . import holes  # noqa: F401  (registers page holes, sections and profile parts)
