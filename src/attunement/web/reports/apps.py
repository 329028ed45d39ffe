from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "attunement.web.reports"
    label = "reports"
