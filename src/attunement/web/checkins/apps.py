from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    name = "attunement.web.checkins"
    label = "checkins"
