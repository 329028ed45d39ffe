"""The journal app's configuration."""

from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "attunement.web.journal"
    label = "journal"

    def ready(self) -> None:
        from attunement.web.journal import signals  # noqa: F401
