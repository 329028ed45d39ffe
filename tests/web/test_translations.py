"""Translations: every visible string in a template is marked; the catalogue is current, compiles.

The catalogue folder is src/attunement/locale/ (docs/translations.md). The scan reads
each Django template and each Jinja2 report template as text: template tags, variables
and comments become a placeholder, a `blocktranslate` (or Jinja2 `trans`) block is marked
text, and what is left is read as HTML; any letter in text a person sees, or in an
attribute a person hears or reads (alt, title, placeholder, aria-label...), is unmarked.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from jinja2 import nodes

from attunement.insight import Partner, build_report, render

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "attunement"
CATALOGUE = PACKAGE / "locale"
TEMPLATE_DIRS = [PACKAGE / "web" / "templates", PACKAGE / "insight" / "templates"]
HOLE = "\ue000"  # stands for a tag, a variable or marked text: never visible text
TAG = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
BLOCK_NAME = re.compile(r"{%-?\s*(\w+)")
# Blocks whose content is not visible text (comments) or is marked text (translation blocks).
SKIPPED_BLOCKS = {
    "comment": "endcomment",
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
    "trans": "endtrans",  # Jinja2's block form; Django's `{% trans "x" %}` has no end tag
}
SPOKEN_ATTRIBUTES = {
    "alt", "title", "placeholder", "label", "aria-label", "aria-description",
    "aria-roledescription", "aria-valuetext",
}  # fmt: skip
BUTTON_TYPES = {"submit", "button", "reset"}
INVISIBLE_ELEMENTS = {"script", "style"}
LETTER = re.compile(r"[^\W\d_]")


def templates() -> list[Path]:
    return sorted(p for d in TEMPLATE_DIRS for p in d.rglob("*") if p.suffix in (".html", ".txt"))


def without_template_syntax(source: str) -> str:
    """The source with each tag, variable, comment and marked block replaced by HOLE.

    Newlines are kept, so a line in the result is the same line in the source.
    """
    out: list[str] = []
    position = 0
    closing: str | None = None
    for match in TAG.finditer(source):
        name_match = BLOCK_NAME.match(match.group())
        name = name_match.group(1) if name_match else ""
        text = source[position : match.start()]
        out.append(_hole(text) if closing else text)
        out.append(_hole(match.group()))
        position = match.end()
        if closing and name == closing:
            closing = None
        elif not closing and name in SKIPPED_BLOCKS and _has_end(name, source[match.end() :]):
            closing = SKIPPED_BLOCKS[name]
    rest = source[position:]
    out.append(_hole(rest) if closing else rest)
    return "".join(out)


def _has_end(name: str, rest: str) -> bool:
    """Whether the block's end tag follows: `{% trans "x" %}` is a whole tag in Django."""
    return re.search(r"{%-?\s*" + SKIPPED_BLOCKS[name] + r"\b", rest) is not None


def _hole(text: str) -> str:
    return HOLE + "\n" * text.count("\n")


def visible(text: str) -> bool:
    return LETTER.search(text.replace(HOLE, " ")) is not None


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            spoken = name in SPOKEN_ATTRIBUTES or (
                name == "value" and tag == "input" and values.get("type") in BUTTON_TYPES
            )
            if spoken and value and visible(value):
                self.found.append((self.getpos()[0], f'{name}="{value.strip()}"'))
        if tag in INVISIBLE_ELEMENTS:
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in INVISIBLE_ELEMENTS:
            self.hidden = max(0, self.hidden - 1)

    def handle_data(self, data: str) -> None:
        letter = LETTER.search(data.replace(HOLE, " "))
        if self.hidden or letter is None:
            return
        lines = data.split("\n")
        before = data.count("\n", 0, letter.start())
        self.found.append((self.getpos()[0] + before, _shown(lines[before])))


def _shown(line: str) -> str:
    return re.sub(f"{HOLE}+", "{…}", line).strip()


def unmarked(path: Path, root: Path = PACKAGE) -> list[str]:
    """`file:line: text` for each visible string in a template that is not marked."""
    text = without_template_syntax(path.read_text(encoding="utf-8"))
    name = path.relative_to(root).as_posix()
    if path.suffix == ".txt":  # a plain-text email: every line is read
        return [
            f"{name}:{number}: {_shown(line)}"
            for number, line in enumerate(text.split("\n"), start=1)
            if visible(line)
        ]
    reader = _Reader()
    reader.feed(text)
    reader.close()
    return [f"{name}:{line}: {found}" for line, found in reader.found]


def unmarked_jinja_literals(path: Path, root: Path = PACKAGE) -> list[str]:
    """Strings in a Jinja2 expression that read as words (a space between letters), unmarked.

    Keys, names and template paths have no spaces; words for people go through `_()`.
    """
    environment = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    tree = environment.parse(path.read_text(encoding="utf-8"))
    marked = {
        id(argument)
        for call in tree.find_all(nodes.Call)
        if isinstance(call.node, nodes.Name) and call.node.name in ("_", "gettext", "ngettext")
        for argument in call.args
    }
    name = path.relative_to(root).as_posix()
    return [
        f"{name}:{constant.lineno}: {constant.value!r}"
        for constant in tree.find_all(nodes.Const)
        if isinstance(constant.value, str)
        and id(constant) not in marked
        and re.search(r"[^\W\d_]\s+[^\W\d_]", constant.value)
    ]


def test_every_visible_string_in_a_template_is_marked_for_translation() -> None:
    found = [problem for path in templates() for problem in unmarked(path)]
    found += [
        p for path in (PACKAGE / "insight").rglob("*.html") for p in unmarked_jinja_literals(path)
    ]
    assert len(templates()) > 100
    assert found == [], "Mark these with {% translate %} (Jinja2: {{ _() }}):\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<p>Hello</p>", ["t.html:1: Hello"]),
        ('<p>{% translate "Hello" %}</p>', []),
        ("<p>\n  {{ name }},\n  welcome</p>", ["t.html:3: welcome"]),
        (
            "<p>{% blocktranslate %}Hi {{ n }}{% endblocktranslate %} there</p>",
            ["t.html:1: {…} there"],
        ),
        ("{% comment %}\nNot shown\n{% endcomment %}\n<b>Shown</b>", ["t.html:4: Shown"]),
        ("{# a note #}<script>let a = 'x';</script><style>p {}</style> &middot; 42", []),
        ('<img alt="A chart" src="a.svg">', ['t.html:1: alt="A chart"']),
        ('<img alt="{% translate \'A chart\' %}" class="wide">', []),
        (
            '<input type="submit" value="Save"><input type="hidden" value="x">',
            ['t.html:1: value="Save"'],
        ),
        (
            '<p>{{ _("Marked") }} and {{ _("too") if x else _("also") }}</p>',
            ["t.html:1: {…} and {…}"],
        ),
        (
            "{% trans %}Jinja block{% endtrans %}{% trans 'Django tag' %} left",
            ["t.html:1: {…} left"],
        ),
        ("{% trans greeting %} and unclosed", ["t.html:1: {…} and unclosed"]),
    ],
)
def test_the_scan_finds_unmarked_text_and_only_that(
    tmp_path: Path, source: str, expected: list[str]
) -> None:
    path = tmp_path / "t.html"
    path.write_text(source, encoding="utf-8")
    assert unmarked(path, tmp_path) == expected


def test_the_scan_finds_words_in_jinja2_expressions_outside_gettext(tmp_path: Path) -> None:
    path = tmp_path / "t.html"
    path.write_text(
        '{% set h = {"a": _("Marked words"), "b": "Unmarked words"} %}'
        '{% include "x/_y.html" %}{{ h[key] if key == "plain_key" else "Also unmarked" }}',
        encoding="utf-8",
    )
    assert unmarked_jinja_literals(path, tmp_path) == [
        "t.html:1: 'Unmarked words'",
        "t.html:1: 'Also unmarked'",
    ]


def test_the_scan_reads_plain_text_emails_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text('{% load i18n %}{% translate "Hi" %}\n\n{{ link }}\nThanks\n', "utf-8")
    assert unmarked(path, tmp_path) == ["t.txt:4: Thanks"]


def messages(po: Path) -> set[tuple[str, ...]]:
    """The (context, message, plural) of every live entry in a .po file; the header left out."""
    found: set[tuple[str, ...]] = set()
    entry: dict[str, str] = {}
    field = ""
    for raw in [*po.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        keyword = re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (\".*\")$", line)
        if keyword:
            if keyword.group(1) in ("msgctxt", "msgid") and "msgstr" in entry:
                found.add(_key(entry))
                entry = {}
            field = keyword.group(1)
            entry[field.split("[")[0]] = _unquoted(keyword.group(2))
        elif line.startswith('"'):
            entry[field.split("[")[0]] += _unquoted(line)
    if "msgstr" in entry:
        found.add(_key(entry))
    found.discard(("", "", ""))
    return found


def _key(entry: dict[str, str]) -> tuple[str, ...]:
    return (entry.get("msgctxt", ""), entry.get("msgid", ""), entry.get("msgid_plural", ""))


def _unquoted(text: str) -> str:
    return text[1:-1].replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


@pytest.mark.slow
def test_the_catalogue_in_the_repository_is_current(tmp_path: Path) -> None:
    """Re-extract into a fresh folder: the same messages as the committed catalogue."""
    call_command("makemessages", locale=["en"], catalogue=str(tmp_path), verbosity=0)
    fresh = messages(tmp_path / "en" / "LC_MESSAGES" / "django.po")
    committed = messages(CATALOGUE / "en" / "LC_MESSAGES" / "django.po")
    assert len(fresh) > 900
    assert ("", "Attunement report", "") in fresh  # the Jinja2 report templates are read
    assert ("", "Quick exit", "") in fresh  # and the Django templates
    missing, extra = sorted(fresh - committed), sorted(committed - fresh)
    assert (missing, extra) == ([], []), (
        "The catalogue is out of date: run `attunement manage makemessages -l en` "
        "(missing first, no longer used second)"
    )


def test_the_catalogue_compiles(tmp_path: Path) -> None:
    shutil.copytree(CATALOGUE, tmp_path / "locale")
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command("compilemessages", verbosity=0)
    compiled = tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.mo"
    assert compiled.stat().st_size > 0


GERMAN = {"Quick exit": "Schnell weg", "Attunement report": "Bericht"}


def _catalogue(folder: Path, language: str, translations: dict[str, str]) -> None:
    po = folder / language / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    entries = [f'msgid "{source}"\nmsgstr "{target}"\n' for source, target in translations.items()]
    po.write_text("\n".join([header, *entries]), encoding="utf-8")


@pytest.mark.django_db
def test_a_new_language_translates_the_pages_and_the_couple_report(
    tmp_path: Path, client: Client
) -> None:
    """A language is a catalogue folder away: pages and the Jinja2 report both read it."""
    _catalogue(tmp_path / "locale", "de", GERMAN)
    report = build_report([Partner("a", "Alex", {"csi4": {"total": 11}})]).view("a")
    languages = [("en", "English"), ("de", "Deutsch")]
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"], LANGUAGES=languages):
        call_command("compilemessages", verbosity=0)
        german = client.get(reverse("accounts:login"), headers={"accept-language": "de"})
        english = client.get(reverse("accounts:login"), headers={"accept-language": "en"})
        with translation.override("de"):
            german_report = render.to_html(report)
        english_report = render.to_html(report)
    assert '<html lang="de">' in german.content.decode()
    assert "Schnell weg" in german.content.decode()
    assert ">Quick exit<" not in german.content.decode()
    assert ">Quick exit<" in english.content.decode()
    assert "<title>Bericht</title>" in german_report
    assert "<title>Attunement report</title>" in english_report
