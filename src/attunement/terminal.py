"""Plain text for a terminal: wrapped to a readable width."""

from __future__ import annotations

import textwrap

WIDTH = 76


def wrap(text: str, indent: str = "", first: str | None = None) -> str:
    return textwrap.fill(
        text,
        WIDTH,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_on_hyphens=False,
    )
