"""The privacy app's configuration; when ready it collects each app's privacy registrations."""

from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "attunement.web.privacy"
    label = "privacy"

    def ready(self) -> None:
        from attunement.web.privacy import registry, signals  # noqa: F401

        registry.collect()  # each app's privacy.py registers what it exports and erases
