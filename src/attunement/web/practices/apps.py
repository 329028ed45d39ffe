"""The practices app's configuration."""

from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "attunement.web.practices"
    label = "practices"
