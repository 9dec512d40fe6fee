"""Replace the SQLite database with a backup made by backup_db: `manage.py restore_db PATH`.

Stop the app servers first: everything in the database (content, saved routines, accounts,
sessions) is replaced. The backup is checked before anything changes. On PostgreSQL it
refuses and prints the pg_restore command to use instead.
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from acupressure.backups import (
    BackupError,
    check_restore,
    refuse_unless_sqlite,
    restore_sqlite,
    unapplied_migrations,
)
from acupressure.caching import content_changed


class Command(BaseCommand):
    help = (
        "Replace everything in the SQLite database with the backup at PATH (made by "
        "backup_db). Stop the app servers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A backup made by backup_db.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, path, yes, **options):
        connection = connections[DEFAULT_DB_ALIAS]
        try:
            refuse_unless_sqlite(connection, path)
            if connection.is_in_memory_db():
                raise BackupError("The database is in memory; there is nothing to restore into.")
            check_restore(connection, path)
            if not yes:
                self.confirm(connection.settings_dict["NAME"], path)
        except BackupError as error:
            raise CommandError(f"{error} The database was not changed.") from error
        try:
            restore_sqlite(connection, path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        # The restore sends no model signals; pages cached from the old content must go.
        content_changed()
        self.stdout.write(
            self.style.SUCCESS(f"Restored {connection.settings_dict['NAME']} from {path}.")
        )
        pending = unapplied_migrations(connection)
        if pending:
            self.stdout.write(
                f"The backup predates {len(pending)} migration(s) of this code "
                f"({', '.join(pending)}); run `manage.py migrate` before starting the site."
            )

    def confirm(self, database, path):
        if not sys.stdin.isatty():
            raise BackupError("Add --yes to restore without being asked.")
        answer = input(
            f"This replaces everything in {database} (content, saved routines, accounts, "
            f"sessions) with {path}.\nType 'yes' to go on: "
        )
        if answer.strip().lower() != "yes":
            raise BackupError("Restore cancelled.")
