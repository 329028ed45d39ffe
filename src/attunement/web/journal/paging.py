"""Keyset paging over (time, id), newest first: a page costs the same however long the list.

A cursor is the position of the last entry on a page, as opaque text:

    >>> decode(encode(datetime(2026, 9, 30, 12, tzinfo=UTC), 42))
    Cursor(at=datetime.datetime(2026, 9, 30, 12, 0, tzinfo=datetime.timezone.utc), pk=42)
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from django.db import models
from django.db.models import Q, QuerySet

PAGE_SIZE = 50
Row = TypeVar("Row", bound=models.Model)


class BadCursor(ValueError):
    """Text that is not a cursor from one of these lists."""

    def __init__(self) -> None:
        super().__init__("cursor: not a position from this list; start again without it")


@dataclass(frozen=True)
class Cursor:
    at: datetime
    pk: int


def encode(at: datetime, pk: int) -> str:
    text = f"{at.astimezone(UTC).isoformat()}~{pk}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode(text: str) -> Cursor:
    """The position a cursor names; BadCursor for anything else."""
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
        at, pk = raw.split("~")
        found = Cursor(datetime.fromisoformat(at), int(pk))
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise BadCursor from error
    if found.at.tzinfo is None or found.pk < 1:
        raise BadCursor
    return found


def after(rows: QuerySet[Row], field: str, cursor: Cursor | None) -> QuerySet[Row]:
    """The rows after `cursor`, newest first by (`field`, id)."""
    rows = rows.order_by(f"-{field}", "-pk")
    if cursor is None:
        return rows
    older = Q(**{f"{field}__lt": cursor.at}) | Q(**{field: cursor.at, "pk__lt": cursor.pk})
    return rows.filter(older)


def cut(found: list[Row], field: str, size: int) -> tuple[list[Row], str | None]:
    """The first `size` of `found` (fetched as size + 1) and the cursor after them, if any."""
    if len(found) <= size:
        return found, None
    last = found[size - 1]
    return found[:size], encode(getattr(last, field), last.pk)
