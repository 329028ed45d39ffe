from __future__ import annotations

from typing import Any

from django import template

from attunement.consent import Scope
from attunement.web.accounts.models import User
from attunement.web.journal.models import JournalEntry
from attunement.web.therapists import services
from attunement.web.therapists.forms import SCOPE_LABELS, SCOPE_NAMES

register = template.Library()


@register.inclusion_tag("therapists/_entry_sharing.html", takes_context=True)
def therapist_sharing(context: dict[str, Any], entry: JournalEntry) -> dict[str, Any]:
    """On a journal entry's page: share it with the author's therapists, one at a time."""
    request = context["request"]
    user = request.user
    found = services.entry_sharing(user, entry) if isinstance(user, User) else []
    return {"entry": entry, "therapists": found, "csrf_token": context.get("csrf_token")}


@register.filter
def scope_label(scope: str) -> str:
    """The words a person reads for a scope."""
    return str(SCOPE_LABELS[Scope(scope)])


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key)


@register.filter
def read_names(scopes: list[str]) -> str:
    """What an audited read showed, in words: "check-in trends, practice activity"."""
    return ", ".join(str(SCOPE_NAMES.get(s, s)) for s in scopes)
