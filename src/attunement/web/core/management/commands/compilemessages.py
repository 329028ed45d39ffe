"""`compilemessages` for the catalogue folder alone.

Django's command compiles every `locale` folder under the working directory; run from a
clone that would include the virtualenv's. This one works from the folder that holds
`settings.LOCALE_PATHS[0]`, so it compiles Attunement's catalogue wherever it is run from.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.commands import compilemessages

from attunement.web.core.management.commands.makemessages import inside


class Command(compilemessages.Command):
    help = "Compile the catalogue folder's .po files into the .mo files Django reads."

    def handle(self, **options: Any) -> None:
        with inside(Path(settings.LOCALE_PATHS[0]).parent):
            super().handle(**options)
