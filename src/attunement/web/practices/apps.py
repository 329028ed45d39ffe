"""The practices app's configuration."""

from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "attunement.web.practices"
    label = "practices"

    def ready(self) -> None:
        from attunement.web.practices import signals  # noqa: F401
