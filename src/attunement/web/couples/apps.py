"""The couples app's configuration."""

from django.apps import AppConfig


class CouplesConfig(AppConfig):
    name = "attunement.web.couples"
    label = "couples"

    def ready(self) -> None:
        from attunement.web.couples import signals  # noqa: F401
