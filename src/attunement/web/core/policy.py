"""Who may use which record: the shape of a rule, and the list of every app's rules.

Each app that keeps records belonging to someone decides who may use them in its own
`policy.py` (journal entries in `journal/policy.py`, a therapist's cases and a client's
consents in `therapists/policy.py`, and so on); views, API handlers and services look a
record up through its rule and nowhere else. A rule says the same thing twice, side by
side: as a query (`visible`, every record the person may use, for lists and lookups by
id) and as a predicate (`allows`, for a record already in hand); a test keeps the two in
agreement, and the authorization matrices check that what is served follows the rules.

A record someone may not use is looked up exactly like a missing one (`find` answers
None for both), so a refusal never tells whether the record exists. The rules live in
each app rather than in one module because an app can be left out of INSTALLED_APPS
(the therapist workspace can), and its rules must go with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec
from typing import Generic, TypeVar

from django.apps import apps
from django.db.models import Model, QuerySet

from attunement.web.accounts.models import User

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Rule(Generic[M]):
    """Who may use one kind of record, for one purpose."""

    name: str  # "app.what", unique
    visible: Callable[[User], QuerySet[M]]  # every record the person may use
    allows: Callable[[User, M], bool]  # whether the person may use this one

    def find(self, person: User, pk: int) -> M | None:
        """The person's usable record with this id; None for someone else's and a missing one."""
        return self.visible(person).filter(pk=pk).first()


def owned_by(name: str, model: type[M], field: str = "owner") -> Rule[M]:
    """The rule for records that are one person's alone: the person `field` names."""

    def visible(person: User) -> QuerySet[M]:
        return model._default_manager.filter(**{field: person})

    def allows(person: User, record: M) -> bool:
        return bool(getattr(record, f"{field}_id") == person.pk)

    return Rule(name, visible, allows)


def rules() -> list[Rule[Model]]:
    """Every rule of every installed app, in app order."""
    found: list[Rule[Model]] = []
    for config in apps.get_app_configs():
        name = f"{config.name}.policy"
        if config.name.startswith("attunement.") and find_spec(name) is not None:
            found.extend(getattr(import_module(name), "RULES", ()))  # this module has none
    return found
