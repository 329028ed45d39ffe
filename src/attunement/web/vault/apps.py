"""The vault app's configuration."""

from django.apps import AppConfig


class VaultConfig(AppConfig):
    name = "attunement.web.vault"
    label = "vault"
