from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every feature shares and none owns: the page cache, text folding,
    pagination, rate limits, links and SEO helpers. It imports no feature app."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from django.contrib.messages import get_messages

        from .page_cache import holes, invalidation

        invalidation.connect()

        @holes.register("messages")
        def messages(request, arg):
            return holes.render_template(
                "includes/messages.html", request, {"messages": get_messages(request)}
            )
