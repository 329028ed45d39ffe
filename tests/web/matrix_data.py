"""Shared by the route-wide tests: every route the resolver knows, answers, and normalising.

`routes()` walks the URL resolver, the JSON API's patterns included, so a test
built on it notices a new route by itself. `normalise()` removes what differs
between two otherwise identical answers (CSRF tokens, nonces, timestamps).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver

from attunement.web.accounts.models import User
from attunement.web.api import api
from attunement.web.assessments.models import Answer

# Answers to the whole core battery, screens negative (from tests/insight_vignettes.py).
from insight_vignettes import ALEX, SAM

ALEX_ANSWERS: Mapping[str, Mapping[str, int]] = ALEX.answers
SAM_ANSWERS: Mapping[str, Mapping[str, int]] = SAM.answers


def routes() -> list[tuple[str, str]]:
    """Every route as ("namespace:name", full pattern), in resolver order, the API's included.

    An unnamed route is listed as "namespace:<unnamed pattern>", so it needs a row too.
    """
    return list(_walk(get_resolver().url_patterns, "", ""))


def _walk(patterns: list[URLPattern | URLResolver], prefix: str, namespace: str) -> Iterator:
    for entry in patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = ":".join(n for n in (namespace, entry.namespace) if n)
            yield from _walk(entry.url_patterns, pattern, inner)
        else:
            name = entry.name or f"<unnamed {pattern}>"
            yield (f"{namespace}:{name}" if namespace else name), pattern


def schema_path(pattern: str) -> str:
    """A resolver pattern as the OpenAPI schema writes it: "api/a/<int:x>" -> "/api/a/{x}"."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", pattern)


def api_operations() -> dict[str, tuple[str, str]]:
    """API route name -> (method, path) as the published OpenAPI schema has it.

    ninja names an operation's URL after its function and its operationId after
    module and function, so the longest route name ending the id at the same path wins.
    """
    at_path: dict[str, list[str]] = {}
    for name, pattern in routes():
        at_path.setdefault(schema_path(pattern), []).append(name)
    found = {}
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            matches = [
                name
                for name in at_path.get(path, [])
                if operation["operationId"].endswith("_" + name.split(":")[-1])
            ]
            assert matches, f"no route for {method.upper()} {path}"
            found[max(matches, key=len)] = (method.upper(), path)
    return found


NORMALISED = [
    (rb'name="csrfmiddlewaretoken" value="[^"]*"', b'name="csrfmiddlewaretoken" value="CSRF"'),
    (rb'nonce="[^"]*"', b'nonce="NONCE"'),
    (rb"'nonce-[^']*'", b"'nonce-NONCE'"),
    (
        rb"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?",
        b"TIMESTAMP",
    ),
    # A PDF's own dates and file identifier.
    (rb"/(CreationDate|ModDate) \(D:[^)]*\)", rb"/\1 (D:TIMESTAMP)"),
    (rb"/ID \[<[0-9a-fA-F]*> ?<[0-9a-fA-F]*>\]", b"/ID [<ID><ID>]"),
]


def normalise(content: bytes) -> bytes:
    for pattern, replacement in NORMALISED:
        content = re.sub(pattern, replacement, content)
    return content


def comparable(response: HttpResponse) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body, with what legitimately differs between two requests removed."""
    headers = {k: normalise(v.encode()).decode() for k, v in response.headers.items()}
    body = response.getvalue() if response.streaming else response.content  # the export streams
    return response.status_code, headers, normalise(body)


def give_answers(user: User, answers: Mapping[str, Mapping[str, int]]) -> None:
    """Store answers as the pages would have, without going through them."""
    Answer.objects.bulk_create(
        Answer(owner=user, instrument=instrument, item=item, value=value)
        for instrument, items in answers.items()
        for item, value in items.items()
    )
