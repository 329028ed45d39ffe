"""The reports app: the couple report's pages, its PDF and its words in the page's language."""

from django.apps import AppConfig
from django.utils.translation import gettext, ngettext


class ReportsConfig(AppConfig):
    name = "attunement.web.reports"
    label = "reports"

    def ready(self) -> None:
        from attunement.insight import render

        # The report's Jinja2 templates mark their words with _(): Django's gettext
        # translates them into the language of each request, from the pages' catalogue.
        render.use_translations(gettext, ngettext)
