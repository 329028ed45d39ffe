"""Workspace template helpers: an entry's sharing with therapists, scope and level labels."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from attunement.consent import Scope
from attunement.web.core import people
from attunement.web.journal.models import JournalEntry
from attunement.web.therapists import shared_entries
from attunement.web.therapists.forms import SCOPE_LABELS, SCOPE_NAMES

register = template.Library()


@register.inclusion_tag("therapists/_entry_sharing.html", takes_context=True)
def therapist_sharing(context: dict[str, Any], entry: JournalEntry) -> dict[str, Any]:
    """On a journal entry's page: share it with the author's therapists, one at a time."""
    user = people.person_or_none(context["request"])
    found = shared_entries.entry_sharing(user, entry) if user is not None else []
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


LEVEL_LABELS = {
    "self_guided": _("Self-guided"),
    "consider_support": _("Consider more support"),
    "recommend_professional": _("Professional support recommended"),
    "urgent_individual": _("Individual support first"),
}


@register.filter
def level_label(level: str) -> str:
    """A support level in the words the therapist's pages use."""
    return str(LEVEL_LABELS.get(str(level), level))
