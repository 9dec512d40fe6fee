"""Migrations hold the schema only; the content comes from content/guide.json."""

import sqlite3
from contextlib import closing
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from tools.server import manage, site_env


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    out = StringIO()
    # --check exits with status 1 when a migration is missing, failing the test.
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    assert "No changes detected" in out.getvalue()


def test_migrate_on_an_empty_database_creates_no_content(tmp_path):
    env = site_env(tmp_path)
    manage("migrate", "--no-input", "--verbosity", "0", env=env)

    tables = [
        model._meta.db_table
        for label in ("points", "routines")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    with closing(sqlite3.connect(tmp_path / "db.sqlite3")) as db:
        rows = {
            table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables
        }
        editors = db.execute(
            "SELECT count(*) FROM auth_group_permissions JOIN auth_group g ON g.id = group_id "
            "WHERE g.name = 'Editors'"
        ).fetchone()[0]

    assert len(tables) > 10
    assert rows == dict.fromkeys(tables, 0)
    # Not content: the Editors group and its permissions are made after every migrate.
    assert editors > 0
