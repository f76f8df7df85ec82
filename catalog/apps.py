from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "Catalogue"

    def ready(self):
        from core.page_cache import invalidation

        from . import pages, search  # search: connects the search-text hooks

        invalidation.register_related_films(pages.films_listing)

        # SQLite drops a table's triggers whenever a migration rebuilds the
        # table, so the search index checks its triggers after every migrate.
        post_migrate.connect(search.ensure_search_index_after_migrate, sender=self)
