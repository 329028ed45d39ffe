"""Text fields of the JSON API: the length limit holds for what was sent, then the text
is trimmed of surrounding whitespace.

Trimming first (pydantic's `strip_whitespace`) would accept a request the published
schema refuses: 60 characters of name after a line break are 61 as sent, over
`maxLength`. Use them as `Annotated[str, StringConstraints(max_length=N), AfterValidator(
trimmed)]`, or `not_blank` (with `min_length=1`) where the text is required.
"""

from __future__ import annotations


def trimmed(value: str) -> str:
    """The text without surrounding whitespace."""
    return value.strip()


def not_blank(value: str) -> str:
    """The text without surrounding whitespace; an error when nothing else is left."""
    value = value.strip()
    if not value:
        raise ValueError("must not be blank")
    return value
