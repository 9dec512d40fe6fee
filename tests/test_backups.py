"""Database backups (backup_db and restore_db).

The backup tests need what a server has: a database file in WAL mode that other processes
write to. pytest-django's test database is an in-memory SQLite database inside the test's
transaction, where none of that can be seen. So those tests migrate a real database file
once (`manage.py migrate` in a subprocess with DATABASE_URL pointing into tmp_path), give
each test a copy, and run the commands and the site's writes in subprocesses against it,
as cron and gunicorn would. They are skipped when the suite runs on PostgreSQL, where the
commands refuse with the pg_dump advice instead (tested below).
"""

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from contextlib import closing
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from acupressure.backups import postgres_advice
from tools.server import copy_database

BASE_DIR = Path(settings.BASE_DIR)
ON_SQLITE = connection.vendor == "sqlite"
sqlite_only = pytest.mark.skipif(
    not ON_SQLITE, reason="backup_db and restore_db copy SQLite files; PostgreSQL uses pg_dump"
)
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the pg_dump advice is given on PostgreSQL"
)
SUBPROCESS_SECONDS = 120


# --- A site database in a file, driven from subprocesses -----------------------------------


def site_env(database):
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "acupressure.settings",
        "PYTHONPATH": str(BASE_DIR),
    }


def manage(database, *args, check=True):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=site_env(database),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=SUBPROCESS_SECONDS,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


DJANGO_PRELUDE = "import django\ndjango.setup()\n"


def on_site(database, code):
    """Run Python with Django set up on the site database, as the site's own code would."""
    result = subprocess.run(
        [sys.executable, "-c", DJANGO_PRELUDE + textwrap.dedent(code)],
        cwd=BASE_DIR,
        env=site_env(database),
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_SECONDS,
    )
    assert result.returncode == 0, result.stderr


def query(database, sql, *params):
    with closing(sqlite3.connect(database)) as db:
        return db.execute(sql, params).fetchall()


def saved_routines(database):
    """Every routine with its steps, by title: what a restore must bring back exactly."""
    rows = query(
        database,
        """
        SELECT r.token, r.title, r.is_suggestion, s.position, coalesce(p.code, s.text), s.seconds
        FROM routines_routine r
        LEFT JOIN routines_routinestep s ON s.routine_id = r.id
        LEFT JOIN points_point p ON p.id = s.point_id
        ORDER BY r.title, s.position
        """,
    )
    routines = {}
    for token, title, is_suggestion, position, step, seconds in rows:
        routine = routines.setdefault(
            title, {"token": token, "suggestion": is_suggestion, "steps": []}
        )
        if position is not None:
            routine["steps"].append((position, step, seconds))
    return routines


def everything_in(database):
    """The whole database as SQL, for asserting that nothing at all changed."""
    with closing(sqlite3.connect(database)) as db:
        return "\n".join(db.iterdump())


@pytest.fixture
def site_db(database_template, tmp_path):
    """A copy of the migrated site with its content (tests/conftest.py makes it once)."""
    if not ON_SQLITE:
        pytest.skip("SQLite only")
    database = tmp_path / "site.sqlite3"
    copy_database(database_template, database)
    return database


# --- backup_db and restore_db on SQLite ----------------------------------------------------


@sqlite_only
def test_restore_brings_back_everything_the_backup_held_and_nothing_written_later(
    site_db, tmp_path
):
    on_site(
        site_db,
        """
        from points.models import Benefit, Point
        from tests.factories import link_pain_type, make_pain_type, make_red_flag, make_routine
        bl23 = Point.objects.get(code="BL23")
        bl23.name = "Sea of Vitality, edited before the backup"
        bl23.save()
        tailbone = make_pain_type(name="Tailbone pain", slug="tailbone-pain")
        link_pain_type(bl23, tailbone, note="Close to the sacrum.")
        make_red_flag(text="Back pain that wakes you at night")
        Benefit.objects.filter(text="Helps digestion").delete()
        make_routine(title="Saved before the backup", steps=[bl23, "Stretch slowly"])
        make_routine(title="Also saved before", steps=[Point.objects.get(code="GB30")])
        """,
    )
    content_at_backup = manage(site_db, "export_content").stdout
    routines_at_backup = saved_routines(site_db)
    assert "Sea of Vitality, edited before the backup" in content_at_backup
    assert routines_at_backup["Saved before the backup"]["steps"] == [
        (1, "BL23", 30),
        (2, "Stretch slowly", 60),
    ]

    # The folder does not exist yet: backup_db makes it.
    backup = tmp_path / "backups" / "before-lunch.sqlite3"
    result = manage(site_db, "backup_db", str(backup))
    assert f"Backed up to {backup}" in result.stdout
    assert re.search(r"\(\d+(\.\d)? [KM]B\)", result.stdout)
    assert "integrity check ok" in result.stdout
    assert backup.stat().st_mode & 0o777 == 0o600
    # One self-contained file, not a database that still needs its -wal beside it.
    assert query(backup, "PRAGMA journal_mode") == [("delete",)]

    on_site(
        site_db,
        """
        from points.models import Benefit, PainType, Point
        from routines.models import Routine
        from tests.factories import make_routine
        Point.objects.filter(code="BL23").update(name="Renamed after the backup")
        PainType.objects.filter(slug="tailbone-pain").delete()
        Benefit.objects.create(text="Added after the backup")
        Routine.objects.filter(title="Also saved before").delete()
        make_routine(title="Saved after the backup", steps=["Breathe"])
        """,
    )
    assert "Saved after the backup" in saved_routines(site_db)
    assert "Also saved before" not in saved_routines(site_db)

    result = manage(site_db, "restore_db", str(backup), "--yes")

    assert f"Restored {site_db} from {backup}" in result.stdout
    assert saved_routines(site_db) == routines_at_backup
    assert manage(site_db, "export_content").stdout == content_at_backup
    # The restored database is still in WAL mode, so the site runs as before.
    assert query(site_db, "PRAGMA journal_mode") == [("wal",)]


@sqlite_only
def test_backup_holds_commits_that_are_still_only_in_the_write_ahead_log(site_db, tmp_path):
    with closing(sqlite3.connect(site_db)) as writer:
        # Keep the commit in db.sqlite3-wal: no automatic checkpoint, connection kept open.
        writer.execute("PRAGMA journal_mode=WAL")
        writer.execute("PRAGMA wal_autocheckpoint=0")
        writer.execute("UPDATE points_point SET name = 'Only in the WAL' WHERE code = 'BL23'")
        writer.commit()
        assert Path(f"{site_db}-wal").stat().st_size > 0
        plain_copy = tmp_path / "cp-copy.sqlite3"
        shutil.copyfile(site_db, plain_copy)

        backup = tmp_path / "backup.sqlite3"
        manage(site_db, "backup_db", str(backup))

    bl23_name = "SELECT name FROM points_point WHERE code = 'BL23'"
    # What cp would have kept, and what the backup kept.
    assert query(plain_copy, bl23_name) == [("Sea of Vitality",)]
    assert query(backup, bl23_name) == [("Only in the WAL",)]


WRITER = """
import os
from django.db import transaction
from points.models import Point
from tests.factories import make_routine

points = list(Point.objects.filter(code__in=["BL23", "GB30", "BL40", "LI4", "BL62"]))
number = 0
while not os.path.exists({stop!r}) and number < 20000:
    # As the site saves a routine: all its steps or none.
    with transaction.atomic():
        make_routine(title=f"Written during the backup {{number}}", steps=points)
    number += 1
"""


def count_written(database):
    (count,) = query(
        database, "SELECT count(*) FROM routines_routine WHERE title LIKE 'Written during%'"
    )[0]
    return count


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@sqlite_only
def test_backup_taken_while_routines_are_being_saved_is_consistent(site_db, tmp_path):
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", DJANGO_PRELUDE + WRITER.format(stop=str(stop))],
        cwd=BASE_DIR,
        env=site_env(site_db),
        stderr=subprocess.PIPE,
        text=True,
    )
    backups = [tmp_path / "first.sqlite3", tmp_path / "second.sqlite3"]
    try:
        wait_for(lambda: count_written(site_db) >= 20)
        for backup in backups:
            manage(site_db, "backup_db", str(backup))
            assert writer.poll() is None, "the writer must still be writing during the backup"
        in_second_backup = count_written(backups[1])
        # The writer carried on after the backup: it was never blocked by it.
        wait_for(lambda: count_written(site_db) > in_second_backup)
    finally:
        stop.touch()
        _, errors = writer.communicate(timeout=SUBPROCESS_SECONDS)
    assert writer.returncode == 0, errors

    for backup in backups:
        assert query(backup, "PRAGMA integrity_check") == [("ok",)]
        step_counts = query(
            backup,
            """
            SELECT r.title, count(s.id) FROM routines_routine r
            LEFT JOIN routines_routinestep s ON s.routine_id = r.id
            WHERE r.title LIKE 'Written during%' GROUP BY r.id
            """,
        )
        assert len(step_counts) >= 20
        assert {steps for _, steps in step_counts} == {5}
    assert count_written(backups[0]) <= count_written(backups[1]) < count_written(site_db)


@sqlite_only
def test_backup_never_replaces_a_file_unless_forced(site_db, tmp_path):
    existing = tmp_path / "keep.sqlite3"
    existing.write_text("an older backup")

    refused = manage(site_db, "backup_db", str(existing), check=False)

    assert refused.returncode == 1
    assert "already exists" in refused.stderr
    assert existing.read_text() == "an older backup"

    manage(site_db, "backup_db", str(existing), "--force")
    assert query(existing, "SELECT count(*) FROM points_point") == [(16,)]


def text_file(path, site_db):
    path.write_text("name,code\nSea of Vitality,BL23\n")


def other_sqlite_database(path, site_db):
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE notes (text TEXT)")
        db.execute("INSERT INTO notes VALUES ('not a Django site')")
        db.commit()


def damaged_backup(path, site_db):
    manage(site_db, "backup_db", str(path))
    data = bytearray(path.read_bytes())
    # Keep the header and the schema page so SQLite still opens it; wreck the rest.
    data[8192:-4096] = b"\x5a" * (len(data) - 8192 - 4096)
    path.write_bytes(bytes(data))


def backup_with_a_wrong_index(path, site_db):
    manage(site_db, "backup_db", str(path))
    with closing(sqlite3.connect(path)) as db:
        # Claim the index covers another column: the pages stay well-formed, so only
        # integrity_check notices that the index no longer matches its table.
        name = "points_point_meridian_id_%"
        (index,) = db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE ?", (name,)
        ).fetchone()
        db.execute("PRAGMA writable_schema=ON")
        db.execute(
            "UPDATE sqlite_master SET sql = ? WHERE name = ?",
            (f'CREATE INDEX "{index}" ON "points_point" ("number")', index),
        )
        db.commit()


def truncated_backup(path, site_db):
    manage(site_db, "backup_db", str(path))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


@sqlite_only
@pytest.mark.parametrize(
    ("make_file", "reason"),
    [
        (text_file, "is not an SQLite database"),
        (other_sqlite_database, "has no django_migrations table"),
        (damaged_backup, "is damaged: SQLite says database disk image is malformed"),
        (backup_with_a_wrong_index, "is damaged; its integrity check says: row 1 missing"),
        (truncated_backup, "is damaged"),
    ],
)
def test_restore_refuses_a_file_that_is_not_a_sound_backup(site_db, tmp_path, make_file, reason):
    bad = tmp_path / "bad.sqlite3"
    make_file(bad, site_db)
    before = everything_in(site_db)

    refused = manage(site_db, "restore_db", str(bad), "--yes", check=False)

    assert refused.returncode == 1
    assert reason in refused.stderr
    assert "The database was not changed." in refused.stderr
    assert everything_in(site_db) == before


@sqlite_only
def test_restore_refuses_a_missing_file_and_asks_before_replacing(site_db, tmp_path):
    backup = tmp_path / "good.sqlite3"
    manage(site_db, "backup_db", str(backup))
    on_site(site_db, "from tests.factories import make_routine; make_routine(title='Newer')")
    before = everything_in(site_db)

    missing = manage(site_db, "restore_db", str(tmp_path / "nowhere.sqlite3"), "--yes", check=False)
    # No terminal to ask on (stdin is /dev/null) and no --yes: no restore.
    unconfirmed = manage(site_db, "restore_db", str(backup), check=False)

    assert "There is no file at" in missing.stderr
    assert "Add --yes" in unconfirmed.stderr
    assert missing.returncode == unconfirmed.returncode == 1
    assert everything_in(site_db) == before


# --- PostgreSQL: refuse, with the commands to use ------------------------------------------


def test_postgres_advice_names_the_database_but_never_the_password():
    advice = postgres_advice(
        {
            "NAME": "guide",
            "USER": "editor",
            "PASSWORD": "s3cret-pw",
            "HOST": "db.internal",
            "PORT": 5433,
        },
        "/srv/backups/guide.dump",
    )

    assert (
        "pg_dump --format=custom --host=db.internal --port=5433 --username=editor "
        "--dbname=guide --file=/srv/backups/guide.dump"
    ) in advice
    assert (
        "pg_restore --clean --if-exists --no-owner --single-transaction --host=db.internal "
        "--port=5433 --username=editor --dbname=guide /srv/backups/guide.dump"
    ) in advice
    assert "s3cret" not in advice


def test_postgres_advice_quotes_what_the_shell_would_split():
    advice = postgres_advice({"NAME": "guide", "USER": "", "HOST": "", "PORT": ""}, "my dump")
    assert "pg_dump --format=custom --dbname=guide '--file=my dump'" in advice


@postgresql_only
@pytest.mark.parametrize(
    ("command", "args"), [("backup_db", []), ("restore_db", ["guide.dump", "--yes"])]
)
def test_on_postgresql_the_commands_refuse_with_the_pg_commands(command, args):
    database = connection.settings_dict

    with pytest.raises(CommandError) as refusal:
        call_command(command, *args)

    message = str(refusal.value)
    assert "pg_dump --format=custom" in message
    assert "pg_restore --clean" in message
    assert f"--dbname={database['NAME']}" in message
    assert f"--username={database['USER']}" in message
    if database["PASSWORD"]:
        assert database["PASSWORD"] not in message
