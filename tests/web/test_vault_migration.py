"""The encryption keys moved from the journal app to the vault app without moving a row."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from attunement.web.vault.models import KeyCheck, UserKey
from web.conftest import make_user

BEFORE = [("journal", "0002_key_check"), ("vault", None)]


def migrate(targets: list[tuple[str, str | None]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)  # a fresh graph that knows what is applied now


def latest() -> list[tuple[str, str | None]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def before_the_move(transactional_db):
    """The database as the journal app left it; migrated to the latest again afterwards."""
    executor = migrate(BEFORE)
    try:
        yield executor.loader.project_state(BEFORE[:1]).apps
    finally:
        migrate(latest())


def test_keys_written_before_the_move_are_the_vaults_after_it(before_the_move):
    alex = make_user("alex@example.org", "Alex")
    before_the_move.get_model("journal", "UserKey").objects.create(user_id=alex.pk, wrapped="v1.k")
    before_the_move.get_model("journal", "KeyCheck").objects.create(pk=1, sealed="v1.c")

    migrate(latest())

    assert UserKey.objects.get(user=alex).wrapped == "v1.k"
    assert KeyCheck.objects.get(pk=1).sealed == "v1.c"
    assert alex.encryption_key.wrapped == "v1.k"


def test_the_moved_models_keep_their_content_types(before_the_move):
    journals = {
        ContentType.objects.get(app_label="journal", model=model).pk
        for model in ("userkey", "keycheck")
    }
    assert not ContentType.objects.filter(app_label="vault").exists()

    migrate(latest())

    assert {ContentType.objects.get_for_model(m).pk for m in (UserKey, KeyCheck)} == journals


def test_the_keys_tables_keep_their_names():
    # Renaming them would move every key of an existing installation for nothing.
    assert (UserKey._meta.db_table, KeyCheck._meta.db_table) == (
        "journal_userkey",
        "journal_keycheck",
    )
