"""`attunement serve`: migrate, check the encryption key, then serve the web app with waitress."""

from __future__ import annotations

import os
from pathlib import Path


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attunement.web.settings")
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def check_keys() -> Path | None:
    """Check the encryption key file against the database; the path if it was just created.

    Raises EncryptionKeyError (one clear line) when encrypted data exists and the key
    file is missing or holds another key: serving would lock every entry away.
    """
    from django.conf import settings

    from attunement.web.vault.models import load_installation_key

    _kek, created = load_installation_key()
    return Path(settings.ATTUNEMENT_KEY_FILE) if created else None


def serve(host: str, port: int, threads: int = 8) -> None:
    import waitress

    from attunement.web.wsgi import application

    waitress.serve(application, host=host, port=port, threads=threads, ident="attunement")
