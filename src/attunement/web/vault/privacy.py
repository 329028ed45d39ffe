"""Deleting an account forgets the person's encryption key before anything else."""

from __future__ import annotations

from attunement.web.accounts.models import User
from attunement.web.privacy.registry import Step, erases
from attunement.web.vault import services


@erases(Step.KEY)
def forget_key(person: User) -> None:
    services.forget_key(person)
