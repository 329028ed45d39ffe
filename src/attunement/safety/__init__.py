"""Safety: screening outcomes, and the help and resources shown for them (never imports Django).

A positive partner-violence screen shows domestic-abuse help and a safety plan and
pauses joint couple features; a positive suicide-risk screen shows crisis lines at
once; an acute one stops the questionnaire. See docs/safety.md.
"""

from attunement.safety.resources import (
    Resource,
    ResourceFileError,
    SafetyResources,
    ScreenOutcome,
    UnknownConcern,
    current,
    evaluate,
    help_text,
    load,
    resources_for,
)

__all__ = [
    "Resource",
    "ResourceFileError",
    "SafetyResources",
    "ScreenOutcome",
    "UnknownConcern",
    "current",
    "evaluate",
    "help_text",
    "load",
    "resources_for",
]
