"""The routine builder.

The working routine is per visitor (session); every change is a small POST form that
htmx sends and answers with the `routine` partial, or that a browser without JavaScript
sends and answers with a redirect. Saved routines are read-only pages under a token.
"""

from copy import copy as shallow_copy
from datetime import timedelta
from functools import wraps

from django import forms
from django.conf import settings
from django.core.exceptions import BadRequest
from django.db import IntegrityError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from acupressure.caching import public_page
from acupressure.drafts import draft_or_404
from acupressure.sessions import changes_session, changing_session
from acupressure.views import asks_first_on_get
from points.diagrams import numbered_figures, window_start
from points.models import (
    Caution,
    Point,
    PointPainType,
    PointReference,
    RedFlag,
    Reference,
    cautions_with_codes,
)

from .forms import (
    BUILDER_FIELDS,
    FreeStepForm,
    ScheduleForm,
    StepForm,
    TitleForm,
    VersionForm,
)
from .models import FREE_STEP_IDEAS, PrunedRoutine, Routine, title_to_show
from .working import RoutineError, WorkingRoutine

SAVES_PER_SESSION_PER_DAY = 20


def routine_context(title, steps, routine=None, schedule=None):
    """What every view of a routine shows: steps, figures, and the safety notes they need.

    The red flags are those of the pain types the routine targets: a suggestion names
    them; for a visitor's own routine they are the pain types its points are used for.
    """
    points = [step.point for step in steps if step.point]
    # Their pain types (for the red flags) and cautions, unless the caller loaded them.
    published_links = PointPainType.objects.filter(pain_type__is_published=True)
    prefetch_related_objects(
        points,
        Prefetch("point_pain_types", queryset=published_links.select_related("pain_type")),
        "cautions",
    )
    targeted = list(routine.pain_types.all()) if routine else []
    pain_types = sorted(
        targeted
        or {
            link.pain_type
            for point in points
            for link in point.point_pain_types.all()
            if link.pain_type.is_published
        },
        key=lambda pain_type: pain_type.sort_order,
    )
    return {
        "title": title_to_show(title),
        # A saved routine's own, or the working routine's (`schedule`).
        "schedule": routine.schedule if routine else schedule,
        "steps": steps,
        "step_count": len(steps),
        "routine": routine,
        "total_seconds": sum(step.total_seconds for step in steps),
        "figures": numbered_figures(steps, id_prefix="routine"),
        # The general cautions (pregnancy, blood thinners…) follow the person, whatever
        # points the routine holds.
        "cautions": cautions_with_codes(points, general=Caution.objects.general()),
        "pain_types": pain_types,
        "red_flags": list(RedFlag.objects.for_pain_types(pain_types)),
    }


# The print sheet's sizes (?size=): the standard two-page sheet is the page without one.
PRINT_SIZES = ("standard", "large")


def print_size(request):
    """The size the sheet is asked for in ?size=, or BadRequest (a 400) for a made-up one."""
    sizes = request.GET.getlist("size")
    if not sizes:
        return "standard"
    if len(sizes) > 1 or sizes[0] not in PRINT_SIZES:
        raise BadRequest("size must be standard or large")
    return sizes[0]


def step_figure(step):
    """Large print: the step's own figure, its point marked with the step number.

    A tall view (the whole back) is cut to a square band across it, around the
    point, so the point is drawn large and the body around it still says where it is.
    """
    figures = numbered_figures([step], id_prefix=f"step-{step.number}", close_ups=False)
    if not figures:
        return None
    figure = figures[0]
    view = figure.view
    height = min(view.height, view.width)
    if height < view.height:
        top = window_start([pin.y for pin in figure.pins], height, view.height)
        figure.crop = (0, round(top, 1), view.width, height)
    return figure


def print_context(title, steps, routine=None, schedule=None, size="standard"):
    """The printed sheet also lists the references behind its points, in step order.

    The large-print sheet gives each step its own figure instead of the shared ones.
    """
    context = routine_context(title, steps, routine, schedule)
    context["large"] = size == "large"
    if context["large"]:
        context["figures"] = []
    context["step_rows"] = [
        (step, step_figure(step) if context["large"] else None) for step in steps
    ]
    context["log_columns"] = context["schedule"].log_columns()
    points = [step.point for step in steps if step.point]
    # A saved routine's points come with their references (with_steps); this loads them for
    # a working routine's, and is a no-op for points that have them.
    prefetch_related_objects(
        points,
        Prefetch(
            "point_references",
            queryset=PointReference.objects.select_related("reference").order_by("pk"),
        ),
    )
    # The better sources behind its points and the source article; what others say (blogs,
    # practitioners' pages) stays on the points' pages, where there is room for it.
    references = {
        link.reference: None
        for point in points
        for link in point.point_references.all()
        if link.reference.kind != Reference.Kind.OTHER or link.reference.is_source_article
    }
    context["references"] = sorted(references, key=Reference.rank)
    # The sheet says how far what it shows stands reviewed, in its language.
    cautions = [caution for caution, _codes in context["cautions"]]
    if get_language() != settings.LANGUAGE_CODE:
        for group in (points, context["red_flags"], cautions):
            prefetch_related_objects(group, "translation_reviews")
    context["reviewed_items"] = [points, context["red_flags"], cautions]
    return context


def working_context(working, **extra):
    context = routine_context(working.title, working.steps(), schedule=working.schedule)
    context.update(
        working=working,
        fields=BUILDER_FIELDS,
        free_step_ideas=[gettext(idea) for idea in FREE_STEP_IDEAS],
        schedule_form=ScheduleForm(),
        suggestions=Routine.objects.suggestions(),
        **extra,
    )
    return context


def client_redirect(url):
    """Tell htmx to load `url` as a whole page; 204: there is nothing to swap in."""
    return HttpResponseClientRedirect(url, status=204)


def private(response):
    """Per-visitor pages must never be kept by a shared cache."""
    add_never_cache_headers(response)
    response["Cache-Control"] += ", private"
    return response


def render_working(request, working, status=200, **extra):
    template_name = "routines/routine.html"
    if request.htmx:
        template_name += "#routine"
    response = render(request, template_name, working_context(working, **extra), status=status)
    return private(response)


def validated(form, working):
    """The form's data, if it is valid and was made from the routine as it is now."""
    if not form.is_valid():
        raise RoutineError(" ".join(error for errors in form.errors.values() for error in errors))
    working.check_version(form.cleaned_data["version"])
    return form.cleaned_data


def apply_change(request, change, form, answer=render_working):
    """Make one change to the working routine under the visitor's lock, then answer after
    the commit: htmx with `answer` (by default the whole builder), a browser without
    JavaScript with a redirect to the page.

    `form` is the submitted form, or a function that makes it from the routine as the lock
    found it."""
    try:
        with changing_session(request):
            working = WorkingRoutine(request.session)
            if not isinstance(form, forms.BaseForm):
                form = form(working)
            change(working, validated(form, working))
    except RoutineError as error:  # raised before the change stored anything
        return render_working(request, working, status=error.status, notice=error.message)
    if not request.htmx:
        return redirect("routines:routine")
    return trigger_client_event(answer(request, working), "routine-changed")


def render_changes(request, working, partial, **context):
    """The parts of the builder a change touched, each swapped in out of band (the main
    swap is none): routines/changes.html. A routine that became empty or has its first
    step has lost or gained whole sections, and one that dropped a step whose point was
    unpublished meanwhile no longer matches the visitor's page: those get the whole builder."""
    if len(working.steps()) < 2 or working.pruned:
        return render_working(request, working)
    context.update(
        working=working,
        fields=BUILDER_FIELDS,
        step_count=len(working.steps()),
        total_seconds=working.total_seconds(),
    )
    response = render(request, f"routines/changes.html#{partial}", context)
    response["HX-Reswap"] = "none"
    return private(response)


def renumbered(steps, step, passed):
    """What the figures show differently now that `step` and `passed` changed places: for
    each figure that changed, its markers whose number changed, by their place in it, and
    whether its description and caption did."""
    before = [shallow_copy(each) for each in steps]
    first, second = step.position - 1, passed.position - 1
    before[first], before[second] = before[second], before[first]
    for number, each in enumerate(before, start=1):
        each.position = number
    figures_before = {figure.id: figure for figure in numbered_figures(before, "routine")}
    changes = []
    for figure in numbered_figures(steps, "routine"):
        was = figures_before[figure.id]  # a move keeps every point on the same figures
        pins = [
            (index, placed)
            for index, (placed, placed_before) in enumerate(
                zip(figure.placed_pins, was.placed_pins, strict=True)
            )
            if placed != placed_before
        ]
        description, caption = figure.description != was.description, figure.caption != was.caption
        if pins or description or caption:
            changes.append((figure, pins, description, caption))
    return changes


def figures_with(working, *steps):
    """The routine's figures that mark any of these steps."""
    numbers = {str(step.number) for step in steps}
    figures = numbered_figures(working.steps(), id_prefix="routine")
    return [figure for figure in figures if any(pin.label in numbers for pin in figure.pins)]


@require_safe
def routine_page(request):
    return render_working(request, WorkingRoutine(request.session))


@asks_first_on_get
@changes_session
@require_http_methods(["GET", "HEAD", "POST"])
def add_point(request, slug):
    """Public pages link here. GET asks to confirm (no JavaScript); POST adds the point."""
    point = get_object_or_404(Point.objects.published(), slug=slug)
    if request.method != "POST":
        working = WorkingRoutine(request.session)
        context = {"point": point, "working": working}
        return private(render(request, "routines/confirm_add.html", context))
    try:
        with changing_session(request):
            working = WorkingRoutine(request.session)
            working.add_point(point)
    except RoutineError as error:  # raised before the point was added
        if request.htmx:
            return add_button(request, point, working, notice=error.message, status=error.status)
        return render_working(request, working, status=error.status, notice=error.message)
    if request.htmx:
        return trigger_client_event(add_button(request, point, working), "routine-changed")
    return redirect("routines:routine")


def add_button(request, point, working, notice="", status=200):
    # The step count without loading the routine's points: it is all this answer shows.
    context = {"point": point, "step_count": len(working), "notice": notice}
    return private(render(request, "routines/added.html", context, status=status))


@changes_session
@require_POST
def update_step(request, key):
    def step_form(working):
        # The time allowed is the step's point's.
        step = working.step(key)
        if step is None:
            raise RoutineError(gettext("That step is no longer in your routine."), status=404)
        return StepForm(request.POST, step=step)

    def updated(request, working):
        step = working.step(key)
        return render_changes(
            request, working, "updated", step=step, figures=figures_with(working, step)
        )

    return apply_change(
        request,
        lambda working, data: working.update(key, data["seconds"], data["sides"], data["note"]),
        step_form,
        answer=updated,
    )


@changes_session
@require_POST
def move_step(request, key):
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction"))
    if offset is None:
        return render_working(
            request,
            WorkingRoutine(request.session),
            status=400,
            notice=gettext("Move a step up or down."),
        )

    def moved(request, working):
        steps = working.steps()
        step = working.step(key)
        passed = steps[step.position - 1 - offset]  # the step it changed places with
        return render_changes(
            request,
            working,
            "moved",
            step=step,
            passed=passed,
            placement="beforebegin" if offset < 0 else "afterend",
            renumbered=renumbered(steps, step, passed),
        )

    return apply_change(
        request,
        lambda working, data: working.move(key, offset),
        VersionForm(request.POST),
        answer=moved,
    )


@changes_session
@require_POST
def remove_step(request, key):
    def removed(request, working):
        # Every later step's marker is renumbered, and a view or a pain type may be gone.
        context = routine_context(working.title, working.steps(), schedule=working.schedule)
        return render_changes(request, working, "removed", key=key, **context)

    return apply_change(
        request, lambda working, data: working.remove(key), VersionForm(request.POST), removed
    )


@changes_session
@require_POST
def add_free_step(request):
    def added(request, working):
        return render_changes(
            request,
            working,
            "added",
            step=working.steps()[-1],
            free_step_ideas=[gettext(idea) for idea in FREE_STEP_IDEAS],
        )

    return apply_change(
        request,
        lambda working, data: working.add_free_step(data["text"], data["seconds"]),
        FreeStepForm(request.POST),
        answer=added,
    )


@changes_session
@require_POST
def set_schedule(request):
    form = ScheduleForm(request.POST)
    return apply_change(request, lambda working, data: working.set_schedule(form.schedule()), form)


@changes_session
@require_POST
def rename(request):
    return apply_change(
        request,
        lambda working, data: working.rename(data["title"]),
        TitleForm(request.POST),
    )


@changes_session
@require_POST
def clear(request):
    return apply_change(request, lambda working, data: working.clear(), VersionForm(request.POST))


@changes_session
@require_POST
def save(request):
    """Save a read-only copy under a new link, within the limits that keep the database small."""
    try:
        with changing_session(request):
            working = WorkingRoutine(request.session)
            validated(VersionForm(request.POST), working)
            routine = save_once(request.session, working)
    except RoutineError as error:  # raised before anything was saved
        return render_working(request, working, status=error.status, notice=error.message)
    url = routine.get_absolute_url()
    return client_redirect(url) if request.htmx else redirect(url)


def save_once(session, working):
    """This visitor's saved copy of exactly this routine: the one saved before (a double
    submit, or a retry after an answer that never arrived), else a new one within limits.

    The database holds the rule (one row per visitor and content), so it holds even for
    requests that did not wait for each other; the builder's requests do wait
    (acupressure.sessions), which keeps the daily count exact.
    """
    saver = saver_of(session)
    fingerprint = working.fingerprint()
    earlier = Routine.objects.shared().filter(saved_by=saver, fingerprint=fingerprint).first()
    if earlier:
        return earlier
    if Routine.objects.saved_today_by(saver).count() >= SAVES_PER_SESSION_PER_DAY:
        raise RoutineError(
            gettext(
                "You have saved %(count)s routines today; "
                "please use one of those links or try again tomorrow."
            )
            % {"count": SAVES_PER_SESSION_PER_DAY},
            status=429,
        )
    if Routine.objects.saved_within(hours=1).count() >= settings.ROUTINE_SAVES_PER_HOUR:
        raise RoutineError(
            gettext(
                "Very many routines are being saved right now; please try again in a few minutes."
            ),
            status=503,
        )
    try:
        return working.save_copy(saved_by=saver, fingerprint=fingerprint)
    except IntegrityError:
        return Routine.objects.get(saved_by=saver, fingerprint=fingerprint)


def saver_of(session):
    """Who saves, as a keyed hash of their session key: rows never hold a usable key."""
    if session.session_key is None:
        session.save()
    return salted_hmac("routines.saver", session.session_key, algorithm="sha256").hexdigest()


@require_safe
def badge(request):
    """The per-visitor routine link in the header, loaded separately from cacheable pages.

    It also sets the CSRF cookie that htmx sends with "Add to routine" from those pages.
    """
    get_token(request)
    steps, seconds = WorkingRoutine(request.session).summary()
    context = {"step_count": steps, "total_seconds": seconds}
    return private(render(request, "routines/badge.html", context))


def gone_if_pruned(view):
    """A link that pruning removed answers 410 Gone with a page that says so, not 404."""

    @wraps(view)
    def view_or_gone(request, token, **kwargs):
        try:
            return view(request, token, **kwargs)
        except Http404:
            if not PrunedRoutine.objects.filter(token=token).exists():
                raise
        context = {"suggestions": Routine.objects.suggestions()}
        return private(render(request, "routines/gone.html", context, status=410))

    return view_or_gone


def shared_routine(request, token):
    # An unpublished suggestion is a draft: shown to editors only (acupressure.drafts).
    routine = draft_or_404(request, Routine.objects.with_steps().filter(token=token).first())
    steps = list(routine.steps.all())
    # Number what is shown: a step whose point was unpublished has dropped out. (In memory
    # only; saved routines are never written again.)
    for number, step in enumerate(steps, start=1):
        step.position = number
    return routine, steps


@require_safe
@gone_if_pruned
def shared(request, token):
    response = shared_page(request, token)
    # Outside the cache: pruning must know the link is used even when its page is cached.
    Routine.objects.mark_opened(token)
    return response


@public_page(core=False)
def shared_page(request, token):
    routine, steps = shared_routine(request, token)
    return render(request, "routines/shared.html", routine_context(routine.title, steps, routine))


@require_safe
@gone_if_pruned
def shared_print(request, token):
    print_size(request)  # a made-up ?size= is a 400 before anything is marked printed
    response = shared_print_page(request, token)
    # A sheet on paper carries the link: from now on it is kept for a year (see prunable).
    Routine.objects.mark_printed(token)
    return response


@public_page(query_keys=("size",), core=False)
def shared_print_page(request, token):
    size = print_size(request)
    routine, steps = shared_routine(request, token)
    context = print_context(routine.title, steps, routine, size=size)
    context["link"] = request.build_absolute_uri(routine.get_absolute_url())
    # Counted from now, less a day: the sheet may be served from the cache a while later,
    # and the stamp that keeps the link is written at most once an hour.
    keep = timedelta(days=settings.ROUTINE_KEEP_PRINTED_DAYS - 1)
    context["kept_until"] = (timezone.now() + keep).date()
    response = render(request, "routines/print.html", context)
    # Cached as the links write it, the standard sheet without ?size= and the large one
    # with ?size=large; "?size=standard" is served, not kept twice.
    response.canonical_variant = request.GET.urlencode() in ("", "size=large")
    return response


@require_safe
@gone_if_pruned
@public_page(core=False)
def shared_session(request, token):
    routine, steps = shared_routine(request, token)
    return render(request, "routines/session.html", routine_context(routine.title, steps, routine))


@require_safe
def working_print(request):
    size = print_size(request)
    working = WorkingRoutine(request.session)
    context = print_context(working.title, working.steps(), schedule=working.schedule, size=size)
    return private(render(request, "routines/print.html", context))


@require_safe
def working_session(request):
    working = WorkingRoutine(request.session)
    return private(
        render(
            request,
            "routines/session.html",
            routine_context(working.title, working.steps(), schedule=working.schedule),
        )
    )


@asks_first_on_get
@changes_session
@require_http_methods(["GET", "HEAD", "POST"])
@gone_if_pruned
def copy(request, token):
    """Start a working routine from a saved one or a suggestion; the original never changes."""
    routine = draft_or_404(
        request, Routine.objects.prefetch_related("steps").filter(token=token).first()
    )
    working = WorkingRoutine(request.session)
    # Replacing steps the visitor has built needs their yes: htmx is sent to ask first.
    if request.method != "POST" or (request.htmx and len(working)):
        if request.htmx:
            return client_redirect(request.path)
        context = {"routine": routine, "working": working}
        return private(render(request, "routines/confirm_copy.html", context))
    with changing_session(request):
        WorkingRoutine(request.session).replace_with(routine)
    url = reverse("routines:routine")
    return client_redirect(url) if request.htmx else redirect(url)
