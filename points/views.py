"""Public pages of the guide. They hold nothing per visitor, so they are cached whole."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from acupressure.caching import VARY_HEADERS, public_page
from acupressure.drafts import draft_or_404

from .cards import point_cards
from .diagrams import combined_figures
from .forms import PointFilterForm
from .models import (
    Benefit,
    BodyRegion,
    Caution,
    PainType,
    Point,
    PointMarker,
    PointPainType,
    RedFlag,
    Reference,
    Tip,
    cautions_with_codes,
)


@require_safe
@public_page
def home(request):
    # The home page says how far the guide as a whole stands reviewed.
    reviews = ["translation_reviews"] if get_language() != settings.LANGUAGE_CODE else []
    pain_types = PainType.objects.published().prefetch_related(*reviews)
    red_flags = RedFlag.objects.general().prefetch_related(*reviews)
    return render(
        request,
        "points/home.html",
        {
            "pain_types": pain_types,
            "benefits": Benefit.objects.all(),
            "red_flags": red_flags,
            "points_by_region": points_by_region(),
            "reviewed_items": [
                Point.objects.published().prefetch_related(*reviews),
                pain_types,
                red_flags,
                Caution.objects.general().prefetch_related(*reviews),
            ],
        },
    )


def points_by_region():
    """[(region, its published points)], regions in head-to-toe order, empty ones left out."""
    groups = {}
    for point in Point.objects.published().only("code", "slug", "name", "region"):
        groups.setdefault(point.region, []).append(point)
    return [(BodyRegion(region), groups[region]) for region in BodyRegion if region in groups]


POINTS_PER_PAGE = 24
# n pain types can be combined in 2**n ways; lists for more than one are rare enough to
# render every time, and cannot then fill the page cache with combinations. That keeps the
# cached lists to (pain types + 1) × (regions + 1) × pages per language, htmx kind and name.
MOST_PAIN_TYPES_CACHED = 1


@require_safe
# Pain types, regions and pages are few; searches (q) are endless, so they are not cached.
@public_page(query_keys=("pain", "region", "page"))
def point_list(request):
    form = PointFilterForm(request.GET, pain_types=PainType.objects.published())
    filters, notices = form.filters()
    # The cards come cached (points/cards.py), which read the rest of a point's rows only
    # for the cards the cache lacks.
    matching = form.apply(Point.objects.published(), filters)
    # A page number that is not one (or is past the end) shows the nearest real page.
    page = Paginator(matching, POINTS_PER_PAGE).get_page(request.GET.get("page"))
    template_name = "points/point_list.html"
    # A history restore asks for the whole page, so only other htmx requests get the part.
    if request.htmx and not request.htmx.history_restore_request:
        template_name += "#results"
    cards, sprite_views = point_cards(page.object_list, filters["pain"])
    response = render(
        request,
        template_name,
        {
            "form": form,
            "page": page,
            "points": page.object_list,
            "cards": cards,
            "filters": filters,
            "chosen_pain": {pain_type.slug for pain_type in filters["pain"]},
            "notices": notices,
            "red_flags": RedFlag.objects.general(),
            "sprite_views": sprite_views,
        },
    )
    patch_vary_headers(response, VARY_HEADERS)
    # Only the one way of writing a list that exists is cached (acupressure.caching): unknown pain
    # types, repeats, other orders and page numbers past the end or written as "01" are as
    # many as anyone cares to make up, so they are rendered every time.
    canonical = form.canonical_query(filters)
    if page.number > 1:  # the first page is the list without a page number
        canonical["page"] = str(page.number)
    response.canonical_variant = (
        request.GET.urlencode() == canonical.urlencode()
        and len(filters["pain"]) <= MOST_PAIN_TYPES_CACHED
    )
    return response


@require_safe
@public_page
def point_detail(request, slug):
    # What the page shows of the point's rows comes cached ({% cache %} in the template),
    # and is read only when it is not (guide.with_details).
    # Unpublished, it is a draft: shown to editors only (acupressure.drafts).
    point = draft_or_404(
        request, Point.objects.select_related("meridian").filter(slug=slug).first()
    )
    return render(
        request,
        "points/point_detail.html",
        {
            "point": point,
            "red_flags": RedFlag.objects.for_point(point),
            "session_tips": Tip.objects.filter(point=None),
        },
    )


@require_safe
@public_page
def pain_type_list(request):
    return render(
        request,
        "points/pain_type_list.html",
        {"pain_types": PainType.objects.published(), "red_flags": RedFlag.objects.general()},
    )


@require_safe
@public_page
def pain_type_detail(request, slug):
    pain_type = draft_or_404(request, PainType.objects.filter(slug=slug).first())
    links = list(
        PointPainType.objects.filter(pain_type=pain_type, point__is_published=True)
        .select_related("point__meridian")
        .prefetch_related(
            "point__cautions",
            Prefetch("point__markers", queryset=PointMarker.objects.select_related("view")),
        )
        .order_by("point__meridian__code", "point__number")
    )
    return render(
        request,
        "points/pain_type_detail.html",
        {
            "pain_type": pain_type,
            "links": links,
            "figures": combined_figures(
                [link.point for link in links],
                id_prefix=f"figure-{pain_type.slug}",
                url_for=Point.get_absolute_url,
            ),
            "cautions": cautions_with_codes(link.point for link in links),
            "red_flags": RedFlag.objects.for_pain_types([pain_type]),
            "other_pain_types": PainType.objects.published().exclude(pk=pain_type.pk),
        },
    )


@require_safe
@public_page
def reference_list(request):
    references = Reference.objects.prefetch_related(
        Prefetch("points", queryset=Point.objects.published())
    )
    # The better sources first: standards, health services, research; then what others
    # say. The source article, credited on its own, leads.
    groups = {kind: [] for kind in Reference.Kind}
    source_articles = []
    for reference in references:
        (source_articles if reference.is_source_article else groups[reference.kind]).append(
            reference
        )
    return render(
        request,
        "points/reference_list.html",
        {
            "source_articles": source_articles,
            "groups": [(kind.label, group) for kind, group in groups.items() if group],
        },
    )


@require_safe
@public_page
def safety(request):
    # A page in another language dates each item's review by its translation's too.
    reviews = ["translation_reviews"] if get_language() != settings.LANGUAGE_CODE else []
    red_flags = RedFlag.objects.prefetch_related(
        Prefetch("pain_types", queryset=PainType.objects.published()), "references", *reviews
    )
    cautions = Caution.objects.prefetch_related(
        Prefetch("points", queryset=Point.objects.published()), "references", *reviews
    )
    return render(
        request,
        "points/safety.html",
        {
            "red_flags": red_flags,
            "cautions": cautions,
            "reviewed_items": [red_flags, cautions],
            "session_tips": Tip.objects.filter(point=None),
        },
    )
