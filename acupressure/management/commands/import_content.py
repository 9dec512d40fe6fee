"""Load a content file written by export_content: `manage.py import_content PATH|-`.

Every object is created or updated by its natural key inside one transaction, so loading
the same file twice changes nothing the second time and ids may differ between sites. If
any object cannot be loaded, nothing is changed.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from acupressure.content_files import ContentFileError, import_content


class Command(BaseCommand):
    help = (
        "Create or update the content in PATH (from export_content, or - for standard input) "
        "by natural key, all in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--prune",
            action="store_true",
            help="Also delete the content this site has and the file does not name.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change, change nothing."
        )

    def handle(self, path, prune, dry_run, **options):
        try:
            text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        try:
            report = import_content(text, prune=prune, dry_run=dry_run)
        except ContentFileError as error:
            raise CommandError(f"Nothing was imported. {error}") from error
        self.write_report(report, dry_run)

    def write_report(self, report, dry_run):
        totals = ", ".join(
            f"{sum(counter.values())} {name}"
            for name, counter in (
                ("created", report.created),
                ("updated", report.updated),
                ("unchanged", report.unchanged),
                ("removed", report.removed),
            )
        )
        prefix = "Dry run, nothing saved: would have" if dry_run else "Imported:"
        self.stdout.write(f"{prefix} {totals}.")
        for name, counter in (
            ("created", report.created),
            ("updated", report.updated),
            ("removed", report.removed),
        ):
            for label, count in sorted(counter.items()):
                self.stdout.write(f"  {name} {count} {label}")
        if report.kept:
            kept = ", ".join(f"{count} {label}" for label, count in sorted(report.kept.items()))
            self.stdout.write(
                f"Kept what this site has and the file does not name: {kept} "
                "(--prune deletes them)."
            )
