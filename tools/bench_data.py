"""Grow a migrated database to a benchmark size, then describe it as one line of JSON.

Run in a subprocess with the server's environment (DJANGO_SETTINGS_MODULE, DATABASE_URL):

    python -m tools.bench_data --points 361 --pain-types 40 --routines 10000

    python -m tools.bench_data --edit bl1      # then one line on stdin per edit

Only what is missing is added, so a database can be grown size by size. The points follow
the 14 classic meridians with their real point counts (361 in all) and get what the pages
show about a real point: a few pain types with a note, a caution, a reference, a marker on
the seeded back view and, for hand and foot points, one on the hand or foot view. Saved
routines have 1 to 30 steps. The same arguments always give the same data.
"""

import argparse
import json
import os
import random
from datetime import timedelta

import django
from django.utils.text import slugify

# (code, name, number of points, the region most of them are in)
MERIDIANS = [
    ("LU", "Lung", 11, "arms"),
    ("LI", "Large Intestine", 20, "arms"),
    ("ST", "Stomach", 45, "legs"),
    ("SP", "Spleen", 21, "legs"),
    ("HT", "Heart", 9, "arms"),
    ("SI", "Small Intestine", 19, "upper-back"),
    ("BL", "Bladder", 67, "lower-back"),
    ("KI", "Kidney", 27, "feet"),
    ("PC", "Pericardium", 9, "arms"),
    ("TE", "Triple Energizer", 23, "arms"),
    ("GB", "Gallbladder", 44, "hips"),
    ("LR", "Liver", 14, "legs"),
    ("GV", "Governing Vessel", 28, "lower-back"),
    ("CV", "Conception Vessel", 24, "lower-back"),
]
CENTRE_LINE = {"GV", "CV"}
REGIONS = ["head-neck", "upper-back", "lower-back", "hips", "legs", "feet", "arms"]
PAIN_TYPES = [
    "Neck pain",
    "Shoulder tension",
    "Upper back pain",
    "Mid-back pain",
    "Tailbone pain",
    "Hip pain",
    "Sacroiliac joint pain",
    "Spinal stenosis",
    "Worn discs",
    "Scoliosis discomfort",
    "Postural strain",
    "Whiplash",
    "Migraine",
    "Widespread muscle pain",
    "Period back pain",
    "Sports strain",
    "Desk-work stiffness",
    "Morning stiffness",
    "Leg cramps",
    "Heel pain",
    "Ankle stiffness",
    "Wrist strain",
    "Elbow pain",
    "Jaw tension",
    "Stress and tension",
    "Poor sleep",
    "Tiredness",
    "Stiff spine",
    "Thinning bones",
    "Side pain",
    "Groin strain",
    "Buttock pain",
]
NAME_WORDS = (
    ["Quiet", "Bright", "Deep", "Hidden", "Gentle", "Upper", "Lower", "Great", "Inner", "Outer"],
    ["Valley", "Spring", "Gate", "Pool", "Hill", "Stream", "Palace", "Ridge", "Field", "Well"],
)
SYLLABLES = ["shen", "yang", "zhong", "qu", "tai", "ling", "feng", "chi", "hai", "men", "quan"]
FILLER = (
    "Keep the pressure firm but never sharp, and breathe slowly while you hold it. "
    "Most people find it with a thumb or two fingers after a little searching. "
    "It often feels slightly tender, which is how you know you are in the right place. "
)
FREE_STEPS = [
    "Relax your back on a roller",
    "Massage the arches of your feet",
    "Lie down and breathe slowly",
    "Roll out your back again",
]
PRESS_TIMES = [(30, 180), (60, 120), (30, 90), (60, 180)]


def text(rng, opening, length):
    """`opening` padded to about `length` characters with plain sentences."""
    filler = FILLER * 3
    start = filler.index(" ", rng.randrange(80)) + 1  # pages differ a little in wording
    return f"{opening} {filler[start:]}"[:length].rsplit(" ", 1)[0].rstrip(",.") + "."


def grow_pain_types(rng, total):
    from points.models import PainType, RedFlag

    missing = total - PainType.objects.published().count()
    if missing <= 0:
        return
    taken = set(PainType.objects.values_list("name", flat=True))
    names = [name for name in PAIN_TYPES if name not in taken]
    names += [f"Pain type {number}" for number in range(1, missing + 1)]
    created = PainType.objects.bulk_create(
        PainType(
            name=name,
            slug=slugify(name),
            summary=text(rng, f"{name} is a kind of back-related pain.", 200),
            advice=text(rng, f"Gentle movement helps most people with {name.lower()}.", 160),
            sort_order=100 + number,
        )
        for number, name in enumerate(names[:missing])
    )
    # Each pain type has one red flag of its own, besides the general ones.
    particular = list(RedFlag.objects.filter(is_general=False))
    PainType.red_flags.through.objects.bulk_create(
        PainType.red_flags.through(paintype=pain_type, redflag=rng.choice(particular))
        for pain_type in created
    )


def pools(rng):
    """The cautions and references generated points draw from: the seeded ones and more."""
    from datetime import date

    from points.models import Caution, Reference

    for title in ["Recent surgery", "Blood-thinning medicines", "Fragile bones"]:
        Caution.objects.get_or_create(
            title=title, defaults={"text": text(rng, f"With {title.lower()}, press gently.", 140)}
        )
    for number in range(1, 21):
        Reference.objects.get_or_create(
            title=f"Benchmark source {number}",
            defaults={
                "authors": f"Writer, B{number}.",
                "published_on": date(2015 + number % 10, 1 + number % 12, 1 + number % 28),
                "site_name": "Example health site",
                "url": f"https://example.org/benchmark-source-{number}",
            },
        )
    return list(Caution.objects.all()), list(Reference.objects.all())


def planned_points(total):
    """(meridian, number) of the points to add, classic ones first, until `total`."""
    from points.models import Point

    existing = set(Point.objects.values_list("code", flat=True))
    missing = total - Point.objects.published().count()
    plan, round_ = [], 0
    while len(plan) < missing:
        for code, name, count, region in MERIDIANS:
            # After the 361 classic points, more of made-up numbers above 100.
            numbers = range(1, count + 1) if round_ == 0 else [100 * round_ + count]
            for number in numbers:
                if f"{code}{number}" not in existing and len(plan) < missing:
                    plan.append(((code, name, region), number))
        round_ += 1
    return plan


def grow_points(rng, total):
    from points.models import (
        BodyView,
        Meridian,
        PainType,
        Point,
        PointCaution,
        PointMarker,
        PointPainType,
        PointReference,
    )

    plan = planned_points(total)
    if not plan:
        return
    meridians = {}
    for (code, name, _region), _number in plan:
        if code not in meridians:
            meridians[code] = Meridian.objects.get_or_create(code=code, defaults={"name": name})[0]
    points = []
    for (code, _name, region), number in plan:
        point_code = f"{code}{number}"
        low, high = rng.choice(PRESS_TIMES)
        english = f"{rng.choice(NAME_WORDS[0])} {rng.choice(NAME_WORDS[1])}"
        points.append(
            Point(
                meridian=meridians[code],
                number=number,
                code=point_code,
                slug=point_code.lower(),
                name=english,
                pinyin=(rng.choice(SYLLABLES) + rng.choice(SYLLABLES)).title(),
                aliases=f"{code} {number}, {meridians[code].name} {number}",
                region=region if rng.random() < 0.6 else rng.choice(REGIONS),
                summary=text(rng, f"{point_code}, the {english}, eases stiffness.", 150),
                location=text(rng, f"Find {point_code} by the nearest bony landmark.", 160),
                how_to_find=text(rng, f"To find {point_code}, start from the joint.", 250),
                technique=text(rng, f"Press {point_code} with your thumb.", 190),
                press_seconds_min=low,
                press_seconds_max=high,
                bilateral=code not in CENTRE_LINE,
                is_published=True,
            )
        )
    points = Point.objects.bulk_create(points)

    pain_types = list(PainType.objects.published())
    cautions, references = pools(rng)
    PointPainType.objects.bulk_create(
        PointPainType(
            point=point,
            pain_type=pain_type,
            note=f"Traditionally pressed for {pain_type.name.lower()}; many find it calming.",
        )
        for point in points
        for pain_type in rng.sample(pain_types, rng.randint(1, 4))
    )
    PointCaution.objects.bulk_create(
        PointCaution(point=point, caution=rng.choice(cautions)) for point in points
    )
    PointReference.objects.bulk_create(
        PointReference(point=point, reference=rng.choice(references)) for point in points
    )
    views = {view.slug: view for view in BodyView.objects.all()}
    PointMarker.objects.bulk_create(
        marker for point in points for marker in markers(rng, point, views)
    )


def markers(rng, point, views):
    """A marker on the back view, and on the hand or foot view for points there."""
    from points.models import PointMarker

    back = views.get("back")
    if back is not None:
        if point.bilateral:
            # The body's left half of the symmetric view; its mirror is drawn for the right.
            x, side = rng.uniform(40, back.width / 2 - 8), "left"
        else:
            x, side = back.width / 2, "centre"
        yield PointMarker(
            point=point, view=back, x=x, y=rng.uniform(30, back.height - 30), side=side
        )
    other = {"arms": views.get("hand"), "feet": views.get("outer-foot")}.get(point.region)
    if other is not None and point.bilateral:
        yield PointMarker(
            point=point,
            view=other,
            x=rng.uniform(30, other.width - 30),
            y=rng.uniform(30, other.height - 30),
            side=rng.choice(["left", "right"]),
            label_position="right",
        )


def grow_routines(rng, total):
    """Saved (shared) routines until there are `total`; the first lists every point it can."""
    from django.utils import timezone

    from points.models import Point
    from routines.models import MAX_STEPS, Routine, RoutineStep

    existing = Routine.objects.shared().count()
    if existing >= total:
        return
    points = list(Point.objects.published().order_by("pk"))
    now = timezone.now()
    plans = []
    for number in range(existing, total):
        if number == 0:
            chosen = points[:MAX_STEPS]
            free = 1 if len(chosen) < MAX_STEPS else 0
        else:
            length = rng.randint(1, MAX_STEPS)
            free = sum(rng.random() < 0.1 for _ in range(length))
            chosen = rng.sample(points, min(length - free, len(points)))
        plans.append(chosen + [None] * free)
    routines = Routine.objects.bulk_create(
        Routine(
            title=f"{rng.choice(['Evening', 'Morning', 'Desk', 'After running'])} routine {n}",
            created_at=now - timedelta(days=rng.uniform(0, 29)),
        )
        for n in range(existing, total)
    )
    steps = []
    for routine, plan in zip(routines, plans, strict=True):
        rng.shuffle(plan)
        for position, point in enumerate(plan, start=1):
            if point is None:
                step = RoutineStep(text=rng.choice(FREE_STEPS), seconds=60)
            else:
                step = RoutineStep(
                    point=point,
                    seconds=rng.randint(point.press_seconds_min, point.press_seconds_max),
                    sides="both" if point.bilateral else "",
                )
            step.routine, step.position = routine, position
            steps.append(step)
    RoutineStep.objects.bulk_create(steps, batch_size=5000)


def describe():
    """Counts, and what the benchmark's URLs need: slugs and the longest saved routine."""
    from django.db.models import Count

    from points.models import PainType, Point
    from routines.models import Routine, RoutineStep

    slugs = list(Point.objects.published().values_list("slug", flat=True))
    pain_types = list(PainType.objects.published().values_list("slug", flat=True))
    longest = (
        Routine.objects.shared()
        .annotate(step_count=Count("steps"))
        .order_by("-step_count", "pk")
        .values("token", "step_count")
        .first()
    )
    return {
        "points": len(slugs),
        "pain_types": len(pain_types),
        "routines": Routine.objects.shared().count(),
        "routine_steps": RoutineStep.objects.filter(routine__is_suggestion=False).count(),
        "point_slugs": slugs,
        "point": "bl23" if "bl23" in slugs else slugs[0],
        # The first card of the point list: the point an editor changes between two renders.
        "first_listed": slugs[0],
        "pain_type": "lower-back-pain" if "lower-back-pain" in pain_types else pain_types[0],
        "filter": [slug for slug in ("lower-back-pain", "sciatica") if slug in pain_types]
        or pain_types[:2],
        "routine": longest and longest["token"],
        # A word in many points' texts: a search that fills a page of results.
        "search": "stiffness",
        "routine_step_count": longest and longest["step_count"],
    }


def edit_on_request(slug):
    """Save the point as an editor would (through the ORM, so its signals run), once for
    every line read from stdin, answering each with a line once it is saved: the benchmark
    times the first render of the list after each change (tools/bench.py)."""
    from points.models import Point

    point = Point.objects.get(slug=slug)
    original = point.summary
    for number, _ in enumerate(iter(input_line, None), start=1):
        point.summary = f"{original[:280]} (edit {number})"
        point.save()
        print("saved", flush=True)


def input_line():
    try:
        return input()
    except EOFError:
        return None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--points", type=int, default=0, help="published points in all")
    parser.add_argument("--pain-types", type=int, default=0, help="published pain types")
    parser.add_argument("--routines", type=int, default=0, help="saved (shared) routines")
    parser.add_argument("--seed", type=int, default=361)
    parser.add_argument("--edit", metavar="SLUG", help="save this point on every line of stdin")
    options = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acupressure.settings")
    django.setup()
    if options.edit:
        edit_on_request(options.edit)
        return
    from django.db import transaction

    rng = random.Random(options.seed)
    with transaction.atomic():
        grow_pain_types(rng, options.pain_types)
        grow_points(rng, options.points)
        grow_routines(rng, options.routines)
    print(json.dumps(describe()))


if __name__ == "__main__":
    main()
