"""The routine a visitor is building, kept in their session until they save it.

Steps are stored as small dicts and come back as unsaved RoutineStep objects, so every
template that shows a saved routine shows a working one the same way.
"""

import hashlib
import secrets

from django.db import transaction
from django.utils.translation import gettext

from points.models import Point

from .models import (
    DEFAULT_STEP_SECONDS,
    DEFAULT_TITLE,
    MAX_STEPS,
    Routine,
    RoutineStep,
    Sides,
)
from .schedule import Schedule

SESSION_KEY = "routine"


class RoutineError(Exception):
    """A change the routine cannot take, with the message to show the visitor."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


def routine_points():
    """Published points with their markers, which every view of a routine draws; the pages
    that show the safety notes load what those need (views.routine_context)."""
    # Looked up by id: the default order would only add a join.
    return Point.objects.published().order_by().with_markers()


def published_among(point_ids):
    return Point.objects.published().filter(pk__in=point_ids).values_list("pk", flat=True)


class WorkingRoutine:
    def __init__(self, session):
        self.session = session
        data = session.get(SESSION_KEY) or {}
        self.title = data.get("title") or DEFAULT_TITLE
        self.schedule = Schedule.from_session(data.get("schedule") or {})
        self.entries = list(data.get("steps") or [])
        # Bumped on every change; forms carry it so a stale or replayed request is refused.
        self.version = data.get("version", 0)
        self._steps = None
        # What this request learnt about the steps' points. Changes only reorder, edit or
        # drop entries, so what was learnt before a change still holds after it.
        self._points = {}  # id: Point, with what steps() needs
        self._published = set()  # ids of points known to be published
        # Whether this request dropped steps whose point was unpublished meanwhile: the page
        # the visitor has still shows them, so it needs the whole builder again.
        self.pruned = False

    def __len__(self):
        # What the visitor sees: a step whose point was unpublished meanwhile is not counted.
        return len(self.visible_entries())

    def store(self):
        self.version += 1
        self.session[SESSION_KEY] = {
            "title": self.title,
            "steps": self.entries,
            "schedule": self.schedule.as_session(),
            "version": self.version,
        }
        self._steps = None

    def check_version(self, version):
        if str(version) != str(self.version):
            raise RoutineError(
                gettext(
                    "Your routine changed in another tab or window; here it is as it is now. "
                    "Please try again."
                ),
                status=409,
            )

    # Reading

    def steps(self):
        """Unsaved RoutineStep objects, numbered from 1; steps whose point is gone drop out."""
        if self._steps is None:
            points = self.load_points()
            steps, visible = [], []
            for entry in self.entries:
                point = points.get(entry["point"])
                if entry["point"] and point is None:
                    continue
                visible.append(entry)
                steps.append(
                    RoutineStep(
                        position=len(steps) + 1,
                        point=point,
                        text=entry["text"],
                        seconds=entry["seconds"],
                        sides=entry["sides"],
                        note=entry["note"],
                    )
                )
                steps[-1].key = entry["id"]
            # Changes act on what the visitor sees; the next change stores the shorter list.
            self.pruned |= len(visible) < len(self.entries)
            self.entries = visible
            self._steps = steps
        return self._steps

    def load_points(self):
        """{id: Point} for the entries' published points, each loaded once a request."""
        wanted = {entry["point"] for entry in self.entries if entry["point"]} - set(self._points)
        if wanted:
            # The query only finds the published ones.
            loaded = routine_points().in_bulk(wanted)
            self._points.update(loaded)
            self._published.update(loaded)
        return self._points

    def step(self, key):
        """The step with this key, or None."""
        return next((step for step in self.steps() if step.key == key), None)

    def total_seconds(self):
        return sum(step.total_seconds for step in self.steps())

    def visible_entries(self):
        """The entries the visitor sees, as steps() would show them, but asking only which
        of their points are published (one small query, none if that is known already)."""
        if self._steps is None:
            unknown = {entry["point"] for entry in self.entries if entry["point"]}
            unknown -= self._published
            if unknown:
                self._published.update(published_among(unknown))
            # As in steps(): changes act on what the visitor sees.
            visible = [
                entry
                for entry in self.entries
                if not entry["point"] or entry["point"] in self._published
            ]
            self.pruned |= len(visible) < len(self.entries)
            self.entries = visible
        return self.entries

    def summary(self):
        """(steps, seconds) as the header badge shows them, without loading the points: the
        badge is loaded with every page a visitor opens."""
        shown = self.visible_entries()
        seconds = sum(
            entry["seconds"] * (2 if entry["sides"] == Sides.BOTH else 1) for entry in shown
        )
        return len(shown), seconds

    def contains(self, point):
        return any(entry["point"] == point.pk for entry in self.visible_entries())

    # Changing

    def add_point(self, point):
        if self.contains(point):
            raise RoutineError(
                gettext("%(code)s is already in your routine.") % {"code": point.code},
                status=409,
            )
        self.append(
            point=point.pk,
            seconds=default_seconds(point),
            sides=Sides.BOTH if point.bilateral else Sides.NONE,
        )
        self._published.add(point.pk)  # the caller found it among the published points

    def add_free_step(self, text, seconds):
        self.append(text=text, seconds=seconds)

    def append(self, point=None, text="", seconds=DEFAULT_STEP_SECONDS, sides="", note=""):
        if len(self.visible_entries()) >= MAX_STEPS:
            raise RoutineError(
                gettext("A routine can have at most %(count)s steps.") % {"count": MAX_STEPS},
                status=422,
            )
        self.entries.append(
            {
                "id": secrets.token_hex(4),
                "point": point,
                "text": text,
                "seconds": seconds,
                "sides": sides,
                "note": note,
            }
        )
        self.store()

    def index_of(self, key):
        self.visible_entries()
        for index, entry in enumerate(self.entries):
            if entry["id"] == key:
                return index
        raise RoutineError(gettext("That step is no longer in your routine."), status=404)

    def move(self, key, offset):
        index = self.index_of(key)
        target = index + offset
        if not 0 <= target < len(self.entries):
            raise RoutineError(gettext("That step cannot move any further."), status=422)
        self.entries[index], self.entries[target] = self.entries[target], self.entries[index]
        self.store()

    def remove(self, key):
        index = self.index_of(key)  # first: it may drop hidden entries from the list
        del self.entries[index]
        self.store()

    def update(self, key, seconds, sides, note):
        index = self.index_of(key)
        entry = self.entries[index]
        entry.update(seconds=seconds, sides=sides, note=note)
        self.store()

    def set_schedule(self, schedule):
        self.schedule = schedule
        self.store()

    def rename(self, title):
        self.title = title or DEFAULT_TITLE
        self.store()

    def clear(self):
        self.title = DEFAULT_TITLE
        self.entries = []
        self.schedule = Schedule()
        self.session.pop(f"{SESSION_KEY}-source", None)
        self.store()

    def replace_with(self, routine):
        """Start again from a saved routine or a suggestion (a copy; the original stays)."""
        self.title = routine.title
        self.schedule = routine.schedule
        self.entries = [
            {
                "id": secrets.token_hex(4),
                "point": step.point_id,
                "text": step.text,
                "seconds": step.seconds,
                "sides": step.sides,
                "note": step.note,
            }
            for step in routine.steps.all()
        ]
        self.session[f"{SESSION_KEY}-source"] = routine.pk
        self.store()

    def fingerprint(self):
        """A digest of what saving would keep: the title, the schedule and the visible steps."""
        self.visible_entries()
        content = repr(
            (
                self.title,
                self.schedule,
                [
                    (e["point"], e["text"], e["seconds"], e["sides"], e["note"])
                    for e in self.entries
                ],
            )
        )
        return hashlib.sha256(content.encode()).hexdigest()

    @transaction.atomic
    def save_copy(self, **fields):
        """A new read-only Routine with these steps; all of it is saved, or none of it."""
        steps = self.steps()
        if not steps:
            raise RoutineError(gettext("Add at least one step before you save."), status=422)
        source_id = self.session.get(f"{SESSION_KEY}-source")
        routine = Routine.objects.create(
            title=self.title,
            **self.schedule.as_fields(),
            source=Routine.objects.filter(pk=source_id).first() if source_id else None,
            **fields,
        )
        RoutineStep.objects.bulk_create(
            RoutineStep(
                routine=routine,
                position=step.position,
                point=step.point,
                text=step.text,
                seconds=step.seconds,
                sides=step.sides,
                note=step.note,
            )
            for step in steps
        )
        return routine


def default_seconds(point):
    """A comfortable starting time within the point's range: a minute where it fits."""
    return min(max(DEFAULT_STEP_SECONDS, point.press_seconds_min), point.press_seconds_max)
