"""The Learn section: short pages on the ideas behind Attunement, read from `pages.yaml`.

Pages are plain text (paragraphs and lists), never HTML or Markdown, so rendering
them can only ever show words. Each page names the practices and report findings
it explains, and those places link to it. The format is in docs/learn.md.

>>> get("rhythm").title
'Harmony, disharmony, repair'
>>> [page.id for page in for_practice("feedback_wheel")]
['strategies', 'feedback-wheel']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from attunement.datafiles import ProblemCollector, read_yaml
from attunement.errors import AttunementError, DataFileError
from attunement.practices import catalogue

PAGES_FILE = Path(__file__).with_name("pages.yaml")
ID_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
PAGE_FIELDS = {"id", "title", "summary", "sections", "practices", "findings"}
SECTION_FIELDS = {"heading", "paragraphs", "points"}


class LearnFileError(DataFileError):
    kind = "learn file"


class UnknownPage(AttunementError, LookupError):
    def __init__(self, page_id: str) -> None:
        self.page_id = page_id
        super().__init__(f"unknown learn page {page_id!r}")


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...]
    points: tuple[str, ...]


@dataclass(frozen=True)
class Page:
    id: str
    title: str
    summary: str
    sections: tuple[Section, ...]
    practices: tuple[str, ...]
    findings: tuple[str, ...]


@dataclass(frozen=True)
class Library:
    intro: str
    pages: tuple[Page, ...]


def library() -> Library:
    """The shipped pages, loaded and checked once."""
    return _load_once(PAGES_FILE)


def pages() -> tuple[Page, ...]:
    return library().pages


def get(page_id: str) -> Page:
    for page in pages():
        if page.id == page_id:
            return page
    raise UnknownPage(page_id)


def for_practice(practice_id: str) -> list[Page]:
    """The pages that explain a practice, in file order."""
    return [page for page in pages() if practice_id in page.practices]


def for_finding(finding_id: str) -> list[Page]:
    """The pages that explain a report finding, in file order."""
    return [page for page in pages() if finding_id in page.findings]


@cache
def _load_once(path: Path) -> Library:
    return load(path)


def load(path: str | Path) -> Library:
    """Load and check a pages file; raise LearnFileError listing every problem."""
    data, file = read_yaml(Path(path), LearnFileError), str(path)
    reader = _Reader(file)
    found = reader.read(data)
    if reader.problems:
        raise LearnFileError(file, reader.problems)
    return found


class _Reader(ProblemCollector):
    def read(self, data: Any) -> Library:
        if not isinstance(data, dict):
            self.problem("", "pages", "is required: a list of pages")
            return Library("", ())
        self.unknown_fields(data, {"intro", "pages"}, "")
        specs = data.get("pages")
        if not isinstance(specs, list) or not specs:
            self.problem("", "pages", "is required: a non-empty list of pages")
            specs = []
        found: list[Page] = []
        for number, spec in enumerate(specs, start=1):
            page = self.page(spec, f"page #{number}")
            if page is not None:
                if page.id in {p.id for p in found}:
                    self.problem(f"page {page.id!r}", "id", "duplicate page id")
                found.append(page)
        return Library(self.text(data.get("intro"), "", "intro"), tuple(found))

    def page(self, data: Any, where: str) -> Page | None:
        if not isinstance(data, dict):
            self.problem(where, "page", "must be a mapping with id, title, summary, sections")
            return None
        page_id = data.get("id")
        if not isinstance(page_id, str) or not ID_PATTERN.match(page_id):
            rule = "use a-z, 0-9 and -, starting with a letter, at most 40"
            self.problem(where, "id", f"{rule} (got {page_id!r})")
            page_id = ""
        else:
            where = f"page {page_id!r}"
        self.unknown_fields(data, PAGE_FIELDS, where)
        sections = data.get("sections")
        if not isinstance(sections, list) or not sections:
            self.problem(where, "sections", "must be a non-empty list of sections")
            sections = []
        known = set(catalogue())
        practices = self.names(data.get("practices"), where, "practices")
        for practice in practices:
            if practice not in known:
                self.problem(where, "practices", f"unknown practice {practice!r}")
        return Page(
            id=page_id,
            title=self.text(data.get("title"), where, "title"),
            summary=self.text(data.get("summary"), where, "summary"),
            sections=tuple(
                self.section(s, f"{where}, section #{n}") for n, s in enumerate(sections, 1)
            ),
            practices=practices,
            findings=self.names(data.get("findings"), where, "findings"),
        )

    def section(self, data: Any, where: str) -> Section:
        if not isinstance(data, dict):
            self.problem(where, "section", "must be a mapping with paragraphs or points")
            return Section("", (), ())
        self.unknown_fields(data, SECTION_FIELDS, where)
        heading = data.get("heading")
        section = Section(
            self.text(heading, where, "heading") if heading is not None else "",
            self.texts(data.get("paragraphs"), where, "paragraphs"),
            self.texts(data.get("points"), where, "points"),
        )
        if not section.paragraphs and not section.points:
            self.problem(where, "paragraphs", "a section needs paragraphs or points")
        return section

    def texts(self, value: Any, where: str, field: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(where, field, "must be a list of texts")
            return ()
        return tuple(self.text(v, where, f"{field}[{n}]") for n, v in enumerate(value))

    def names(self, value: Any, where: str, field: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(where, field, "must be a list of ids")
            return ()
        return tuple(value)

    def text(self, value: Any, where: str, field: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.problem(where, field, "must be non-empty text")
            return ""
        return " ".join(value.split())
