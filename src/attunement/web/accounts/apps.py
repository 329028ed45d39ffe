from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "attunement.web.accounts"
    label = "accounts"

    def ready(self) -> None:
        from attunement.web.accounts import signals  # noqa: F401
