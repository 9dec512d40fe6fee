"""The daily clean-up that keeps anonymous visitors from growing the database for ever.

Removes expired sessions (a visitor's working routine lives in one) and prunes saved
routines nobody uses (prune_routines). Run it once a day from cron or a scheduled job;
`make run` runs it at start.
"""

from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = __doc__

    def handle(self, **options):
        before = Session.objects.count()
        call_command("clearsessions")
        removed = before - Session.objects.count()
        self.stdout.write(f"Removed {removed} expired session(s) of {before}.")
        call_command("prune_routines", stdout=self.stdout)
