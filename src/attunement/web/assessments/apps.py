"""The assessments app's configuration."""

from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "attunement.web.assessments"
    label = "assessments"
