"""Delete shared routines nobody uses any more, and remember their tokens for a 410 page.

A link saved ROUTINE_PRUNE_AFTER_DAYS ago and never opened or printed goes; a printed one
stays until ROUTINE_KEEP_PRINTED_DAYS after its last print or opening; one that was opened
and never printed is kept. Suggestions are never pruned. `manage.py housekeeping` runs it.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from routines.models import PrunedRoutine, Routine


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.ROUTINE_PRUNE_AFTER_DAYS)
        parser.add_argument("--printed-days", type=int, default=settings.ROUTINE_KEEP_PRINTED_DAYS)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, days, printed_days, dry_run, **options):
        stale = Routine.objects.prunable(unused_days=days, printed_days=printed_days)
        tokens = list(stale.values_list("token", flat=True))
        if not dry_run:
            with transaction.atomic():
                PrunedRoutine.objects.bulk_create(
                    [PrunedRoutine(token=token) for token in tokens], ignore_conflicts=True
                )
                # In slices: a day's worth of tokens may pass SQLite's limit of variables.
                for start in range(0, len(tokens), 500):
                    Routine.objects.filter(token__in=tokens[start : start + 500]).delete()
                # A gone link's page is kept as long as a printed link would have been.
                forgotten = timezone.now() - timedelta(days=printed_days)
                PrunedRoutine.objects.filter(pruned_at__lt=forgotten).delete()
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} {len(tokens)} routine(s): unused for {days} days after saving, or "
            f"printed but unused for {printed_days} days."
        )
