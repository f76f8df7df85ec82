from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Fans' accounts"

    def ready(self):
        from core.page_cache import holes

        @holes.register("account-nav")
        def account_nav(request, arg):
            """The header's account menu: the fan's name and log-out button,
            or log-in and sign-up links that come back to this page."""
            return holes.render_template("includes/account_nav.html", request)
