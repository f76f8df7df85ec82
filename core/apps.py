from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every feature shares and none owns: the page cache, text folding,
    pagination, rate limits, links and SEO helpers. It imports no feature app."""

    name = "core"
    verbose_name = "Core"
