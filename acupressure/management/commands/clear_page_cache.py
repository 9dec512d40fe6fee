"""Retire every cached public page: `manage.py clear_page_cache`.

Content changes do this by themselves; a new release of the code does not (its templates
may render the same content differently), so deploys run this once the app servers run
the new code.
"""

from django.core.management.base import BaseCommand

from acupressure.caching import content_changed


class Command(BaseCommand):
    help = "Retire every cached public page, e.g. after deploying new templates."

    def handle(self, **options):
        content_changed()
        if options["verbosity"]:
            self.stdout.write("Cached pages retired; each is rendered afresh when next asked for.")
