from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Fans' accounts"

    def ready(self):
        from . import backends  # noqa: F401  (connects the account cache's signal receivers)
