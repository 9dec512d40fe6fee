"""Write the editors' content to a JSON file for git: `manage.py export_content [PATH|-]`.

Points, pain types, references, cautions, body views and the editors' suggested routines,
named by natural keys rather than database ids (see acupressure/content_files.py). Visitors'
routines, accounts and sessions are left out. Photos are named, not included.
"""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from acupressure.content_files import as_json, content_entries


class Command(BaseCommand):
    help = (
        "Write the editors' content (points app and suggested routines) as JSON with natural "
        "keys to PATH, or to standard output when PATH is - or left out."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default="-")

    def handle(self, path, **options):
        entries = content_entries()
        text = as_json(entries)
        if path == "-":
            self.stdout.write(text, ending="")
            return
        target = Path(path)
        # Renamed into place, so a failed export never leaves half a file in the repository.
        partial = target.with_name(f".{target.name}.partial")
        try:
            partial.write_text(text, encoding="utf-8")
            os.replace(partial, target)
        except OSError as error:
            raise CommandError(f"Cannot write {target}: {error}") from error
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(f"Wrote {len(entries)} objects to {target}.")
