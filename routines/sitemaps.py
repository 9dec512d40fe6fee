from points.sitemaps import GuideSitemap

from .models import Routine


class SuggestedRoutineSitemap(GuideSitemap):
    """The editors' suggested routines; visitors' own routines are theirs to share."""

    def items(self):
        return Routine.objects.suggestions().order_by("sort_order", "pk")
