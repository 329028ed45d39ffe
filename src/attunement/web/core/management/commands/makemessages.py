"""`makemessages` for the whole package, Jinja2 report templates included.

Django's own command, with three things settled so that one command,
`attunement manage makemessages -l LANG`, rebuilds a catalogue wherever it is run from:

- it reads `src/attunement/` (every app, the pure packages and their templates) and writes
  one catalogue folder, `settings.LOCALE_PATHS[0]` (`--catalogue` elsewhere, as the test that
  the committed catalogue is current does);
- the couple report's Jinja2 templates (`attunement.insight`) are read by Jinja2's own
  extractor, which sees every `_()` call in an expression; Django's reader of templates
  would take them for Django templates and miss some;
- locations name the file without a line number and messages no longer in the sources are
  dropped, so the catalogue changes only when its messages do.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2
from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.core.management.commands import makemessages

from attunement.insight import render

PACKAGE = Path(__file__).resolve().parents[4]  # src/attunement
IGNORED = ["insight/templates/*", "web/static/*"]  # Jinja2 (read below) and vendored files
SINGULAR, PLURAL = ("_", "gettext"), ("ngettext",)


class Command(makemessages.Command):
    catalogue: str
    help = (
        "Extract the messages of every template and module in the package, the couple "
        "report's Jinja2 templates included, into the catalogue folder "
        "(e.g. `makemessages -l en`)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--catalogue",
            default=None,
            help="The catalogue folder to write (default: the first of LOCALE_PATHS).",
        )
        parser.set_defaults(no_obsolete=True, add_location="file")

    def handle(self, *args: Any, **options: Any) -> None:
        self.catalogue = os.path.abspath(options["catalogue"] or settings.LOCALE_PATHS[0])
        os.makedirs(self.catalogue, exist_ok=True)
        options["ignore_patterns"] = [*options["ignore_patterns"], *IGNORED]
        with inside(PACKAGE):
            super().handle(*args, **options)

    def find_files(self, root: str) -> list[makemessages.TranslatableFile]:
        """Every file Django reads, all bound to the one catalogue folder."""
        found = super().find_files(root)
        self.locale_paths = [self.catalogue]
        for translatable in found:
            translatable.locale_dir = self.catalogue
        return found

    def process_files(self, file_list: list[makemessages.TranslatableFile]) -> None:
        super().process_files(file_list)
        if self.domain == "django":
            potfile = os.path.join(self.catalogue, "django.pot")
            makemessages.write_pot_file(potfile, jinja_pot(render.TEMPLATES, PACKAGE))


def jinja_pot(templates: Path, relative_to: Path) -> str:
    """A .pot text of every message marked with `_()` or `ngettext()` in the Jinja2 templates."""
    environment = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    entries = ['msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n']
    for path in sorted(templates.rglob("*.html")):
        where = path.relative_to(relative_to).as_posix()
        source = path.read_text(encoding="utf-8")
        for line, function, message in environment.extract_translations(source):  # type: ignore[attr-defined]
            strings = message if isinstance(message, tuple) else (message,)
            if function in SINGULAR and isinstance(strings[0], str):
                entries.append(_entry(f"{where}:{line}", strings[0]))
            elif function in PLURAL and all(isinstance(s, str) for s in strings[:2]):
                entries.append(_entry(f"{where}:{line}", strings[0], strings[1]))
            elif function not in SINGULAR + PLURAL:
                raise CommandError(f"{where}:{line}: {function}() is not extracted; use _()")
    return "\n".join(entries)


def _entry(where: str, singular: str, plural: str | None = None) -> str:
    flags = "#, python-format\n" if "%(" in singular + (plural or "") else ""
    if plural is None:
        return f'#: {where}\n{flags}msgid {_quoted(singular)}\nmsgstr ""\n'
    return (
        f"#: {where}\n{flags}msgid {_quoted(singular)}\nmsgid_plural {_quoted(plural)}\n"
        'msgstr[0] ""\nmsgstr[1] ""\n'
    )


def _quoted(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + escaped.replace("\t", "\\t") + '"'


@contextmanager
def inside(folder: Path) -> Iterator[None]:
    """Run with `folder` as the working directory: Django's command reads from there."""
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)
