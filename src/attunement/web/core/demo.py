"""A demo couple to explore the app with: `attunement serve --demo`."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from attunement.answers import score_answers
from attunement.instruments import library
from attunement.practices import flows
from attunement.web.accounts.models import User
from attunement.web.assessments.models import Answer
from attunement.web.checkins import services as checkins
from attunement.web.couples.models import Couple, Membership, Share
from attunement.web.journal import services as journal
from attunement.web.practices import services as practices

DEMO_FILE = Path(__file__).with_name("demo.yaml")


@transaction.atomic
def create_demo() -> list[str]:
    """Create the demo couple once; say how to sign in as either partner."""
    data = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    people = data["people"]
    lines = ["Demo couple (invented people; sign in as either):"]
    lines += [f"  {p['email']}  password: {data['password']}" for p in people]
    if User.objects.filter(email__in=[p["email"] for p in people]).exists():
        return lines
    couple = Couple.objects.create()
    users = {}
    for person in people:
        score_answers(person["answers"])  # the demo data must itself be valid
        user = User.objects.create_user(
            person["email"], data["password"], display_name=person["name"]
        )
        Membership.objects.create(couple=couple, user=user)
        Answer.objects.bulk_create(
            Answer(owner=user, instrument=instrument, item=str(item), value=value)
            for instrument, items in person["answers"].items()
            for item, value in items.items()
        )
        shared = [i for i in person["answers"] if library.get(i).screen is None]
        Share.objects.bulk_create(
            Share(owner=user, couple=couple, instrument=instrument)
            for instrument in [*shared, checkins.INSTRUMENT]
        )
        users[person["email"]] = user
    for email, user in users.items():
        _weeks(user, data["checkins"][email])
        for spec in data["drafts"][email]:
            _draft(user, spec)
        for entry in data["journal"][email]:
            journal.write(user, prompt=entry["prompt"], title=entry["title"], body=entry["body"])
    return lines


def _weeks(user: User, weeks: list[list[int]]) -> None:
    """One check-in a week, the last one today."""
    items = ["1", "2", "3", "4", "W1", "W2", "W3"]
    now = timezone.now()
    for ago, values in zip(range(len(weeks) - 1, -1, -1), weeks, strict=True):
        checkins.take(user, dict(zip(items, values, strict=True)), now - timedelta(weeks=ago))


def _draft(user: User, spec: dict[str, Any]) -> None:
    flow = flows.get(spec["flow"])
    draft = practices.start(user, flow.id)
    for step in flow.steps:
        if step.id in spec["answers"]:
            draft = practices.answer(draft, step, spec["answers"][step.id])
    if spec.get("kept"):
        draft = practices.keep(draft, flows.compose(flow, draft.answers))
    if spec.get("sent"):
        practices.send(user, draft.pk)
