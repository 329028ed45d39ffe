from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "attunement.web.privacy"
    label = "privacy"

    def ready(self) -> None:
        from attunement.web.privacy import signals  # noqa: F401
