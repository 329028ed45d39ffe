"""The accounts app's configuration; its signal receivers are connected when it is ready."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "attunement.web.accounts"
    label = "accounts"

    def ready(self) -> None:
        from attunement.web.accounts import signals  # noqa: F401
