"""Delete shared routines whose link nobody opened within ROUTINE_PRUNE_AFTER_DAYS days.

Run it daily (cron or a scheduled job). Suggestions are never pruned; a link that was
opened even once is kept.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from routines.models import Routine


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.ROUTINE_PRUNE_AFTER_DAYS)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, days, dry_run, **options):
        stale = Routine.objects.never_opened_since(days)
        count = stale.count()
        if not dry_run:
            stale.delete()
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} {count} routine(s) not opened within {days} days of saving.")
