"""The core app's configuration."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "attunement.web.core"
    label = "core"
