"""Online backups of the SQLite database, and what to run instead on PostgreSQL.

Copying db.sqlite3 with cp while the site runs is not a backup: the file can be caught
half-written, and in WAL mode the latest commits are still in db.sqlite3-wal. SQLite's
backup API reads the database as one connection sees it, committed WAL frames included,
inside one read transaction, so the copy is a consistent snapshot; in WAL mode the site's
writers carry on meanwhile.
"""

import os
import shlex
import sqlite3
from pathlib import Path

from django.conf import settings
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

SQLITE_HEADER = b"SQLite format 3\x00"


class BackupError(Exception):
    pass


def default_backup_path(extension="sqlite3"):
    return Path(settings.BASE_DIR) / "backups" / f"db-{timezone.now():%Y%m%d-%H%M%S}.{extension}"


def human_size(size):
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} bytes" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024


def postgres_advice(settings_dict, path=None):
    """The pg_dump and pg_restore commands for this database; the password stays out."""
    target = []
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            target.append(f"{option}={settings_dict[key]}")
    target.append(f"--dbname={settings_dict['NAME']}")
    dump_file = str(path or default_backup_path("dump"))
    dump = shlex.join(["pg_dump", "--format=custom", *target, f"--file={dump_file}"])
    if not path:
        dump = f"{shlex.join(['mkdir', '-p', str(Path(dump_file).parent)])} && {dump}"
    restore = shlex.join(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
        + target
        + [dump_file]
    )
    return (
        "The database is PostgreSQL: back it up with pg_dump, which takes a consistent "
        "snapshot while the site keeps running.\n"
        f"  Back up:  {dump}\n"
        f"  Restore (with the app servers stopped):  {restore}\n"
        "Both ask for the password, or read it from PGPASSWORD or ~/.pgpass."
    )


def refuse_unless_sqlite(connection, path=None):
    if connection.vendor == "postgresql":
        raise BackupError(postgres_advice(connection.settings_dict, path))
    if connection.vendor != "sqlite":
        raise BackupError(f"Backups are made here for SQLite only, not {connection.display_name}.")


def integrity_problems(database):
    rows = [row[0] for row in database.execute("PRAGMA integrity_check").fetchall()]
    return [] if rows == ["ok"] else "\n".join(rows).splitlines()


def first_problems(problems, shown=3):
    more = f" (and {len(problems) - shown} more)" if len(problems) > shown else ""
    return "; ".join(problems[:shown]) + more


def backup_sqlite(connection, target, *, overwrite=False):
    """Copy the live database to `target` and check the copy; return the target's size."""
    target = Path(target)
    live = connection.settings_dict["NAME"]
    if not connection.is_in_memory_db() and not Path(live).exists():
        raise BackupError(f"There is no database at {live} to back up.")
    if target.exists() and not overwrite:
        raise BackupError(f"{target} already exists; give another path, or --force to replace it.")
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed at the end, so an interrupted backup never
    # leaves a half-written file under a backup's name.
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        connection.ensure_connection()
        copy = sqlite3.connect(partial)
        try:
            # pages=-1: everything in one step, i.e. one read transaction, one snapshot.
            connection.connection.backup(copy, pages=-1)
            # The copy inherits WAL mode; a backup should be one self-contained file.
            copy.execute("PRAGMA journal_mode=DELETE")
            problems = integrity_problems(copy)
        finally:
            copy.close()
        if problems:
            raise BackupError(f"The copy failed its integrity check: {first_problems(problems)}")
        # The database holds password hashes, sessions and sign-in secrets.
        partial.chmod(0o600)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target.stat().st_size


def open_read_only(path):
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)


def check_backup(path):
    """Raise BackupError unless `path` is a sound SQLite database made by a Django site."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no file at {path}.")
    with path.open("rb") as file:
        if file.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupError(f"{path} is not an SQLite database.")
    try:
        backup = open_read_only(path)
        try:
            problems = integrity_problems(backup)
            has_migrations = backup.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
            ).fetchone()
        finally:
            backup.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is damaged: SQLite says {error}.") from error
    if problems:
        raise BackupError(
            f"{path} is damaged; its integrity check says: {first_problems(problems)}."
        )
    if not has_migrations:
        raise BackupError(f"{path} has no django_migrations table, so it is not this site's.")


def check_restore(connection, path):
    """Raise BackupError unless the backup at `path` may replace the live database."""
    check_backup(path)
    live = Path(connection.settings_dict["NAME"])
    if live.exists() and live.resolve() == Path(path).resolve():
        raise BackupError(f"{path} is the live database itself.")


def restore_sqlite(connection, path):
    """Replace the live database's whole content with the backup at `path`, which
    check_restore has accepted."""
    backup = open_read_only(path)
    try:
        connection.ensure_connection()
        # One step again: the live database changes in a single write transaction, so
        # other connections see either the old content or the restored one.
        backup.backup(connection.connection, pages=-1)
    except sqlite3.DatabaseError as error:
        raise BackupError(
            f"The restore failed and the database was left as it was: {error}."
        ) from error
    finally:
        backup.close()
        connection.close()


def unapplied_migrations(connection):
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]
