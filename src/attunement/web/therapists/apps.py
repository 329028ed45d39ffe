"""The therapist workspace's configuration; its signal receivers are connected when it is ready."""

from django.apps import AppConfig


class TherapistsConfig(AppConfig):
    name = "attunement.web.therapists"
    label = "therapists"

    def ready(self) -> None:
        from attunement.web.therapists import signals  # noqa: F401
