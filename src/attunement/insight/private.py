"""The screened partner's private section of their own report: each message with its help.

Only a view that holds screens (the screened partner's own) has one; `render` puts it
first on the page. A group of services shown for one message is not repeated for the next.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attunement import safety
from attunement.insight.model import View

PRIVATE = ("safety_concern",)
WAYS = ("phone", "text", "web")


def private_section(view: View) -> dict[str, Any]:
    """The screened partner's own section: the finding, then each message with its help."""
    resources = safety.current()
    finding = next((f for f in view.findings if f.id in PRIVATE), None)
    messages, shown_groups = [], set()
    for outcome in dict.fromkeys(view.screens):
        message = resources.message(outcome)
        blocks: list[dict[str, Any]] = []
        for name in message.show:
            if name in shown_groups:
                continue  # a group shown for an earlier message is not repeated
            shown_groups.add(name)
            if name == "safety_plan":
                plan = resources.safety_plan
                blocks.append({"kind": "plan", "title": plan.title, "intro": plan.intro,
                               "steps": plan.steps})  # fmt: skip
            else:
                group = resources.groups[name]
                entries = [_service(e, resources.labels) for e in group.entries]
                blocks.append({"kind": "group", "title": group.title, "entries": entries})
        messages.append({"message": message, "blocks": blocks})
    return {"finding": finding, "messages": messages}


def _service(entry: safety.Resource, labels: Mapping[str, str]) -> dict[str, Any]:
    ways = []
    for way in WAYS:
        value: str = getattr(entry, way)
        if value:
            digits = "".join(c for c in value if c.isdigit() or c == "+")
            dialable = way == "phone" and set(value) <= set("0123456789+-() ")
            ways.append({"label": labels.get(way, way), "value": value,
                         "tel": digits if dialable else ""})  # fmt: skip
    return {"resource": entry, "ways": ways}
