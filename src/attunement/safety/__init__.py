"""Safety: screening outcomes, and the help and resources shown for them (never imports Django).

A positive partner-violence screen shows domestic-abuse help and a safety plan and
pauses joint couple features; a positive suicide-risk screen shows crisis lines at
once; an acute one stops the questionnaire. Crisis words in what a person writes
(`crisis.detect`) point the writer, privately, to the same help. See docs/safety.md.
"""

from attunement.safety import crisis
from attunement.safety.crisis import CrisisFileError, Signal, crisis_help, detect
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
    "CrisisFileError",
    "Resource",
    "ResourceFileError",
    "SafetyResources",
    "ScreenOutcome",
    "Signal",
    "UnknownConcern",
    "crisis",
    "crisis_help",
    "current",
    "detect",
    "evaluate",
    "help_text",
    "load",
    "resources_for",
]
