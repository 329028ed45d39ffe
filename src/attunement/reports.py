"""Couple reports from answer files: what the `report` command and the API share."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from attunement.answers import score_answer_file
from attunement.errors import AttunementError
from attunement.insight import CoupleReport, build_report
from attunement.insight.report import partner_from_scores


def report_from_files(a: Path, b: Path | None, names: Sequence[str]) -> CoupleReport:
    """Score both files (each fails whole on bad input), then build the report.

    The command line assumes each person shares every scale score with the other;
    item answers and safety screens are never shared.
    """
    paths = [a] if b is None else [a, b]
    clean = [n.strip() for n in names]
    if len(clean) < len(paths) or not all(clean[: len(paths)]):
        raise AttunementError(f"give {len(paths)} non-empty names, e.g. --names 'Alex,Sam'")
    partners, screens = [], {}
    for key, path, name in zip("ab", paths, clean, strict=False):
        partner, own_screens = partner_from_scores(key, name, score_answer_file(path))
        partners.append(partner)
        screens[key] = own_screens
    return build_report(partners, screens)
