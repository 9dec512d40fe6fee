"""Load a content release written by export_content: `manage.py import_content PATH|-`.

A three-way merge with the release this site imported last (acupressure/content_files.py):
the file's changes are taken, an editor's changes since that release are kept and listed.
All in one transaction and one revision of the content's history; if any object cannot be
loaded, nothing is changed.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from acupressure.content_files import ContentFileError, import_content, release_name


class Command(BaseCommand):
    help = (
        "Merge the content release in PATH (from export_content, or - for standard input) "
        "into this site, keeping what editors changed since the last release."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--name", help="The release's name in the history (default: file name and digest)."
        )
        parser.add_argument(
            "--prune",
            action="store_true",
            help="Also delete the content this site has and the file does not name.",
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Take the file's content everywhere, replacing editors' changes (listed).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change, change nothing."
        )

    def handle(self, path, name, prune, overwrite, dry_run, **options):
        try:
            text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        name = name or release_name("standard input" if path == "-" else Path(path).name, text)
        try:
            report = import_content(
                text, name=name, prune=prune, dry_run=dry_run, overwrite=overwrite
            )
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
        self.stdout.write(f"{prefix} {totals} ({report.release}).")
        for name, counter in (
            ("created", report.created),
            ("updated", report.updated),
            ("removed", report.removed),
        ):
            for label, count in sorted(counter.items()):
                self.stdout.write(f"  {name} {count} {label}")
        if report.kept:
            self.stdout.write(
                f"Kept as this site has them ({len(report.kept)}; --overwrite takes the "
                "file's instead):"
            )
            for kept in report.kept:
                self.stdout.write(f"  {kept}")
        if report.overwritten:
            self.stdout.write(f"Replaced this site's changes ({len(report.overwritten)}):")
            for overwritten in report.overwritten:
                self.stdout.write(f"  {overwritten}")
        if report.unnamed:
            unnamed = ", ".join(
                f"{count} {label}" for label, count in sorted(report.unnamed.items())
            )
            self.stdout.write(
                f"Kept what this site has and the file does not name: {unnamed} "
                "(--prune deletes them)."
            )
        if not report.recorded and not dry_run:
            self.stdout.write("This release was already the last one imported.")
