"""Personas: Alex and Sam (a couple), Casey and Jordan (another couple), Olive (an operator)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from attunement.web.accounts.models import User
from attunement.web.couples.models import Couple, Membership

PASSWORD = "correct horse battery staple"


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Tests marked `postgres` run only on PostgreSQL."""
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://...")


def make_user(email: str, name: str, **extra: object) -> User:
    return User.objects.create_user(email, PASSWORD, display_name=name, **extra)


def pair(first: User, second: User) -> Couple:
    couple = Couple.objects.create()
    Membership.objects.create(couple=couple, user=first)
    Membership.objects.create(couple=couple, user=second)
    return couple


@pytest.fixture
def alex(db) -> User:
    return make_user("alex@example.org", "Alex")


@pytest.fixture
def sam(db) -> User:
    return make_user("sam@example.org", "Sam")


@pytest.fixture
def couple(alex, sam) -> Couple:
    return pair(alex, sam)


@pytest.fixture
def casey(db) -> User:
    return make_user("casey@example.org", "Casey")


@pytest.fixture
def jordan(db) -> User:
    return make_user("jordan@example.org", "Jordan")


@pytest.fixture
def other_couple(casey, jordan) -> Couple:
    return pair(casey, jordan)


@pytest.fixture
def olive(db) -> User:
    return make_user("olive@example.org", "Olive", is_staff=True)


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _fresh_rate_limit_counts():
    """Rate limits count in the cache: each test starts with none used."""
    cache.clear()
    yield
    cache.clear()
