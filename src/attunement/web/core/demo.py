"""A demo couple to explore the app with: `attunement serve --demo`."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import transaction

from attunement.answers import score_answers
from attunement.instruments import library
from attunement.web.accounts.models import User
from attunement.web.assessments.models import Answer
from attunement.web.couples.models import Couple, Membership, Share

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
        Share.objects.bulk_create(
            Share(owner=user, couple=couple, instrument=instrument)
            for instrument in person["answers"]
            if library.get(instrument).screen is None
        )
    return lines
