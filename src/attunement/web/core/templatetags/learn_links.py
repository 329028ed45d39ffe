"""`{% learn_links "feedback_wheel" %}`: the Learn pages that explain a practice."""

from __future__ import annotations

from typing import Any

from django import template

from attunement import learn

register = template.Library()


@register.inclusion_tag("core/_learn_links.html")
def learn_links(practice_id: str) -> dict[str, Any]:
    return {"pages": learn.for_practice(practice_id)}
