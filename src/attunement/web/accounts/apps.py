from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "attunement.web.accounts"
    label = "accounts"
