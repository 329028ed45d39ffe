"""`attunement serve`: migrate, then serve the web app with waitress."""

from __future__ import annotations

import os


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attunement.web.settings")
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def serve(host: str, port: int, threads: int = 8) -> None:
    import waitress

    from attunement.web.wsgi import application

    waitress.serve(application, host=host, port=port, threads=threads, ident="attunement")
