"""Message coach: names protective and connective patterns in a draft, and suggests a reframe.

Pure Python and deterministic; nothing leaves the machine. The rules are data
(`rules.yaml`, format in docs/coach.md).

>>> analysis = analyze("you never help with the dishes")
>>> analysis.labels, analysis.tone
(('criticism',), 'protective')
"""

from attunement.coach.analysis import (
    Analysis,
    Pattern,
    analyze,
    analyze_batch,
    mostly_unfamiliar,
    tone_of,
    unreadable,
)
from attunement.coach.output import CoachInputError, cli_lines, result_of, run_jsonl
from attunement.coach.rules import (
    CONNECTIVE,
    LABELS,
    PROTECTIVE,
    RuleFileError,
    Rules,
    current,
    load,
)

__all__ = [
    "CONNECTIVE",
    "LABELS",
    "PROTECTIVE",
    "Analysis",
    "CoachInputError",
    "Pattern",
    "RuleFileError",
    "Rules",
    "analyze",
    "analyze_batch",
    "cli_lines",
    "current",
    "load",
    "mostly_unfamiliar",
    "result_of",
    "run_jsonl",
    "tone_of",
    "unreadable",
]
