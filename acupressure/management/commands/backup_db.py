"""Back up the SQLite database while the site keeps running: `manage.py backup_db [PATH]`.

On PostgreSQL it refuses and prints the pg_dump and pg_restore commands to use instead.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from acupressure.backups import (
    BackupError,
    backup_sqlite,
    default_backup_path,
    human_size,
    refuse_unless_sqlite,
)


class Command(BaseCommand):
    help = (
        "Copy the database to PATH (default backups/db-YYYYmmdd-HHMMSS.sqlite3) with SQLite's "
        "backup API, which is safe while the site runs, and check the copy."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="Where to write the backup.")
        parser.add_argument("--force", action="store_true", help="Replace PATH if it exists.")

    def handle(self, path, force, **options):
        connection = connections[DEFAULT_DB_ALIAS]
        target = Path(path) if path else default_backup_path()
        try:
            refuse_unless_sqlite(connection, path)
            size = backup_sqlite(connection, target, overwrite=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Backed up to {target} ({human_size(size)}); integrity check ok.")
        )
