from django.apps import AppConfig


class TherapistsConfig(AppConfig):
    name = "attunement.web.therapists"
    label = "therapists"

    def ready(self) -> None:
        from attunement.web.therapists import signals  # noqa: F401
