"""The couples app's configuration."""

from django.apps import AppConfig


class CouplesConfig(AppConfig):
    name = "attunement.web.couples"
    label = "couples"
