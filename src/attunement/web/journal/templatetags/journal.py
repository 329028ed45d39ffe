"""The card inviting a person to reflect in their journal, with a prompt."""

from __future__ import annotations

from typing import Any

from django import template

from attunement.practices.prompts import Prompt
from attunement.web.accounts.models import User
from attunement.web.journal import services

register = template.Library()


@register.inclusion_tag("journal/_reflect_card.html", takes_context=True)
def reflect_card(context: template.Context) -> dict[str, Prompt | None]:
    """The home page's "Reflect" card: tonight's prompt for the signed-in person."""
    person: Any = context["request"].user
    return {"prompt": services.suggested_prompt(person) if isinstance(person, User) else None}
