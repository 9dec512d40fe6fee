"""Database backups (backup_db, restore_db) and content files (export_content, import_content).

The backup tests need what a server has: a database file in WAL mode that other processes
write to. pytest-django's test database is an in-memory SQLite database inside the test's
transaction, where none of that can be seen. So those tests migrate a real database file
once (`manage.py migrate` in a subprocess with DATABASE_URL pointing into tmp_path), give
each test a copy, and run the commands and the site's writes in subprocesses against it,
as cron and gunicorn would. They are skipped when the suite runs on PostgreSQL, where the
commands refuse with the pg_dump advice instead (tested below).

The content-file tests use the ordinary test database through the ORM, on either backend.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from contextlib import closing
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from acupressure.backups import postgres_advice
from acupressure.content_files import CONTENT_MODELS, content_model
from points.models import (
    Benefit,
    Caution,
    Condition,
    Meridian,
    Point,
    PointCondition,
    PointMarker,
    RedFlag,
    Reference,
    Tip,
)
from routines.models import Routine, RoutineStep
from tests.factories import (
    link_condition,
    make_caution,
    make_condition,
    make_point,
    make_red_flag,
    make_routine,
)

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


@pytest.fixture(scope="module")
def migrated_site(tmp_path_factory):
    if not ON_SQLITE:
        pytest.skip("SQLite only")
    database = tmp_path_factory.mktemp("migrated") / "site.sqlite3"
    manage(database, "migrate", "--no-input")
    return database


@pytest.fixture
def site_db(migrated_site, tmp_path):
    database = tmp_path / "site.sqlite3"
    with (
        closing(sqlite3.connect(migrated_site)) as source,
        closing(sqlite3.connect(database)) as copy,
    ):
        source.backup(copy)
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
        from tests.factories import link_condition, make_condition, make_red_flag, make_routine
        bl23 = Point.objects.get(code="BL23")
        bl23.english_name = "Sea of Vitality, edited before the backup"
        bl23.save()
        tailbone = make_condition(name="Tailbone pain", slug="tailbone-pain")
        link_condition(bl23, tailbone, note="Close to the sacrum.")
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
    assert "KB" in result.stdout
    assert "integrity check ok" in result.stdout
    assert backup.stat().st_mode & 0o777 == 0o600
    # One self-contained file, not a database that still needs its -wal beside it.
    assert query(backup, "PRAGMA journal_mode") == [("delete",)]

    on_site(
        site_db,
        """
        from points.models import Benefit, Condition, Point
        from routines.models import Routine
        from tests.factories import make_routine
        Point.objects.filter(code="BL23").update(english_name="Renamed after the backup")
        Condition.objects.filter(slug="tailbone-pain").delete()
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
        writer.execute(
            "UPDATE points_point SET english_name = 'Only in the WAL' WHERE code = 'BL23'"
        )
        writer.commit()
        assert Path(f"{site_db}-wal").stat().st_size > 0
        plain_copy = tmp_path / "cp-copy.sqlite3"
        shutil.copyfile(site_db, plain_copy)

        backup = tmp_path / "backup.sqlite3"
        manage(site_db, "backup_db", str(backup))

    bl23_name = "SELECT english_name FROM points_point WHERE code = 'BL23'"
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
    assert query(existing, "SELECT count(*) FROM points_point") == [(5,)]


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


# --- Content files: export_content and import_content --------------------------------------


def export():
    out = StringIO()
    call_command("export_content", stdout=out)
    return out.getvalue()


def import_file(tmp_path, text, *args):
    path = tmp_path / "content.json"
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("import_content", str(path), *args, stdout=out)
    return out.getvalue()


def suggestion_steps():
    return {
        routine.token: [
            (step.position, step.point.code if step.point else step.text, step.seconds)
            for step in routine.steps.select_related("point")
        ]
        for routine in Routine.objects.suggestions()
    }


@pytest.mark.django_db
def test_export_is_the_same_bytes_every_time_and_holds_only_content(tmp_path):
    visitors = make_routine(title="A visitor's routine", steps=["Stretch"])
    Point.objects.filter(code="BL23").update(
        photo="points/bl23-photo.jpg", photo_credit="Guide staff"
    )

    first, second = export(), export()
    file = tmp_path / "content.json"
    call_command("export_content", str(file), stdout=StringIO())

    assert first == second == file.read_text(encoding="utf-8")
    entries = json.loads(first)
    assert {entry["model"] for entry in entries} == set(CONTENT_MODELS)
    assert all(set(entry) == {"model", "fields"} for entry in entries)  # no database ids
    assert visitors.token not in first
    assert "A visitor's routine" not in first
    suggestions = list(Routine.objects.suggestions())
    assert suggestions
    for suggestion in suggestions:
        assert f'"token": "{suggestion.token}"' in first
    bl23 = next(
        e for e in entries if e["model"] == "points.point" and e["fields"]["code"] == "BL23"
    )
    assert bl23["fields"]["meridian"] == ["BL"]
    assert bl23["fields"]["photo"] == "points/bl23-photo.jpg"
    link = next(e for e in entries if e["model"] == "points.pointcondition")
    assert isinstance(link["fields"]["point"], list)
    assert isinstance(link["fields"]["condition"], list)


@pytest.mark.django_db
def test_every_content_row_is_found_again_by_its_natural_key():
    make_point(conditions=[make_condition()], cautions=[make_caution()])
    for label in CONTENT_MODELS:
        model = content_model(label)
        rows = list(model._default_manager.all())
        assert rows, label
        for row in rows:
            assert model._default_manager.get_by_natural_key(*row.natural_key()) == row


@pytest.mark.django_db
def test_text_keys_are_unique_readable_and_stay_when_the_text_changes():
    first = make_red_flag(text="Pain that spreads down both legs")
    second = make_red_flag(text="Pain that spreads down both legs")
    first.text = "Pain that spreads down both legs and gets worse"
    first.save()
    first.refresh_from_db()

    assert first.key == "pain-that-spreads-down-both-legs"
    assert second.key == "pain-that-spreads-down-both-legs-2"
    # The migration gave the seeded content keys made the same way.
    assert RedFlag.objects.filter(key="loss-of-bladder-or-bowel-control").exists()
    assert Reference.objects.get(is_source_article=True).key.startswith("spring-cleaning")


@pytest.mark.django_db
def test_export_gives_a_key_to_rows_saved_without_one():
    Benefit.objects.bulk_create([Benefit(text="Warms the hands"), Benefit(text="Warms the feet")])

    text = export()

    assert set(Benefit.objects.filter(text__startswith="Warms").values_list("key", flat=True)) == {
        "warms-the-hands",
        "warms-the-feet",
    }
    assert '"key": "warms-the-hands"' in text


@pytest.mark.django_db
def test_import_puts_back_the_exported_state(tmp_path):
    exported = export()
    steps_at_export = suggestion_steps()

    bl23 = Point.objects.get(code="BL23")
    bl23.english_name = "Renamed by mistake"
    bl23.save()
    PointCondition.objects.filter(point__code="GB30").first().delete()
    link_condition(bl23, Condition.objects.get(slug="headache"), note="Added by mistake")
    red_flag = RedFlag.objects.get(key="loss-of-bladder-or-bowel-control")
    red_flag.text = "Reworded by mistake"
    red_flag.save()
    Condition.objects.get(slug="sciatica").red_flags.clear()
    Benefit.objects.filter(key="helps-you-sleep").delete()
    Caution.objects.filter(key="pregnancy").update(text="Shortened.")
    Tip.objects.filter(key="press-and-release").update(title="Press, then release")
    PointMarker.objects.filter(point__code="LI4").update(x=1)
    suggestion = Routine.objects.suggestions().order_by("sort_order").first()
    suggestion.steps.filter(position=1).update(seconds=90)
    RoutineStep.objects.create(routine=suggestion, position=99, text="Added by mistake", seconds=30)
    Routine.objects.suggestions().exclude(pk=suggestion.pk).update(title="Retitled")
    assert export() != exported

    report = import_file(tmp_path, exported)

    assert export() == exported
    assert suggestion_steps() == steps_at_export
    assert not PointCondition.objects.filter(note="Added by mistake").exists()
    assert "created 1 points.benefit" in report
    assert "created 1 points.pointcondition" in report
    assert "removed 1 points.pointcondition" in report
    assert "removed 1 routines.routinestep" in report
    assert "updated 1 points.point" in report


@pytest.mark.django_db
def test_importing_the_same_file_again_changes_nothing(tmp_path):
    exported = export()
    stamp = Point.objects.get(code="BL23").updated_at

    reports = [import_file(tmp_path, exported), import_file(tmp_path, exported)]

    for report in reports:
        assert "Imported: 0 created, 0 updated" in report
        assert "0 removed" in report
    assert Point.objects.get(code="BL23").updated_at == stamp
    assert export() == exported


@pytest.mark.django_db
def test_import_into_a_site_whose_ids_differ_gives_the_same_content(tmp_path):
    exported = export()
    old_ids = {
        "point": Point.objects.get(code="BL23").pk,
        "condition": Condition.objects.get(slug="sciatica").pk,
        "red flag": RedFlag.objects.get(key="loss-of-bladder-or-bowel-control").pk,
    }
    tokens = set(Routine.objects.suggestions().values_list("token", flat=True))
    # Another site: the same content made in another order, so every id is different.
    Routine.objects.all().delete()
    PointMarker.objects.all().delete()
    for model in [Tip, Point, Meridian, Condition, RedFlag, Caution, Reference, Benefit]:
        model.objects.all().delete()
    make_condition(name="Something else first")

    import_file(tmp_path, exported)

    assert Point.objects.get(code="BL23").pk != old_ids["point"]
    assert Condition.objects.get(slug="sciatica").pk != old_ids["condition"]
    assert RedFlag.objects.get(key="loss-of-bladder-or-bowel-control").pk != old_ids["red flag"]
    assert set(Routine.objects.suggestions().values_list("token", flat=True)) == tokens
    # Everything the file holds is back, linked up by natural key; the extra pain type stays.
    entries = json.loads(export())
    assert [e for e in entries if e["fields"].get("name") != "Something else first"] == json.loads(
        exported
    )


@pytest.mark.django_db
def test_import_keeps_what_the_file_does_not_name_and_says_so(tmp_path):
    exported = export()
    added = make_point()

    report = import_file(tmp_path, exported)

    assert Point.objects.filter(pk=added.pk).exists()
    assert (
        "Kept what this site has and the file does not name: 1 points.meridian, 1 points.point"
        in report
    )


@pytest.mark.django_db
def test_prune_makes_the_site_hold_exactly_the_file(tmp_path):
    exported = export()
    make_point(conditions=[Condition.objects.get(slug="sciatica")])
    make_red_flag(text="Only on this site")
    seeded_elsewhere = make_routine(title="Suggestion made on this site", is_suggestion=True)
    visitors = make_routine(title="A visitor's routine", steps=["Stretch"])

    report = import_file(tmp_path, exported, "--prune")

    assert export() == exported
    assert "removed 1 points.point" in report
    assert "removed 1 points.redflag" in report
    assert "removed 1 routines.routine" in report
    assert not Routine.objects.filter(pk=seeded_elsewhere.pk).exists()
    # Visitors' routines are not content: pruning never touches them.
    assert Routine.objects.filter(pk=visitors.pk).exists()


@pytest.mark.django_db
def test_prune_refuses_to_delete_a_point_that_saved_routines_use(tmp_path):
    exported = export()
    used = make_point()
    make_routine(steps=[used])

    with pytest.raises(CommandError) as refusal:
        import_file(tmp_path, exported, "--prune")

    assert "1 routines.routinestep still use them" in str(refusal.value)
    assert "Unpublish them instead" in str(refusal.value)
    assert Point.objects.filter(pk=used.pk).exists()


@pytest.mark.django_db
def test_dry_run_reports_and_changes_nothing(tmp_path):
    exported = export()
    Point.objects.filter(code="BL23").update(english_name="Edited since")

    report = import_file(tmp_path, exported, "--dry-run")

    assert "would have 0 created, 1 updated" in report
    assert Point.objects.get(code="BL23").english_name == "Edited since"


def first(entries, label, **fields):
    return next(
        entry
        for entry in entries
        if entry["model"] == label and all(entry["fields"].get(k) == v for k, v in fields.items())
    )


def unknown_point_in_a_link(entries):
    first(entries, "points.pointcondition")["fields"]["point"] = ["XX999"]


def point_by_database_id(entries):
    first(entries, "points.pointcondition")["fields"]["point"] = 1


def database_id(entries):
    first(entries, "points.point", code="GB30")["pk"] = 7


def account(entries):
    entries.append({"model": "auth.user", "fields": {"username": "mallory", "is_superuser": True}})


def visitor_routine(entries):
    first(entries, "routines.routine")["fields"]["is_suggestion"] = False


def suggestion_without_its_link(entries):
    del first(entries, "routines.routine")["fields"]["token"]


def press_time_backwards(entries):
    first(entries, "points.point", code="GB30")["fields"]["press_seconds_min"] = 500


def script_in_a_drawing(entries):
    view = first(entries, "points.bodyview")
    view["fields"]["drawing"] += "<script>alert(1)</script>"


def step_without_its_routine(entries):
    entries.append(
        {
            "model": "routines.routinestep",
            "fields": {"routine": ["not-in-the-file"], "position": 1, "text": "x", "seconds": 9},
        }
    )


def unknown_field(entries):
    first(entries, "points.tip")["fields"]["colour"] = "red"


def overlong_title(entries):
    first(entries, "points.caution")["fields"]["title_en"] = "x" * 81


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("spoil", "reason"),
    [
        (unknown_point_in_a_link, "points.pointcondition"),
        (point_by_database_id, "named by their natural keys"),
        (database_id, "has a database id"),
        (account, "'auth.user'"),
        (visitor_routine, "not a suggestion"),
        (suggestion_without_its_link, "has no 'token'"),
        (press_time_backwards, "GB30"),
        (script_in_a_drawing, "not allowed in a drawing"),
        (step_without_its_routine, "routine the file does not hold"),
        (unknown_field, "no field 'colour'"),
        (overlong_title, "at most 80 characters"),
    ],
)
def test_a_spoilt_file_changes_nothing(tmp_path, spoil, reason):
    entries = json.loads(export())
    # A good change that is loaded before the spoilt object, and must be rolled back.
    first(entries, "points.point", code="BL23")["fields"]["english_name"] = "Imported"
    spoil(entries)
    before = export()

    with pytest.raises(CommandError) as refusal:
        import_file(tmp_path, json.dumps(entries))

    assert "Nothing was imported" in str(refusal.value)
    assert reason in str(refusal.value)
    assert Point.objects.get(code="BL23").english_name == "Sea of Vitality"
    assert export() == before
    assert not Routine.objects.shared().exists()


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["", "not json", '{"model": "points.point"}', "[1, 2]"])
def test_a_file_that_is_not_a_content_file_changes_nothing(tmp_path, text):
    before = export()

    with pytest.raises(CommandError, match="Nothing was imported"):
        import_file(tmp_path, text)

    assert export() == before
