"""The routine a visitor is building, kept in their session until they save it.

Steps are stored as small dicts and come back as unsaved RoutineStep objects, so every
template that shows a saved routine shows a working one the same way.
"""

import secrets

from django.db import transaction

from points.models import Point

from .models import (
    DEFAULT_TITLE,
    MAX_STEPS,
    Routine,
    RoutineStep,
    Sides,
)

SESSION_KEY = "routine"


class RoutineError(Exception):
    """A change the routine cannot take, with the message to show the visitor."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


def routine_points():
    """Points with everything a routine page shows about them."""
    return Point.objects.published().with_details()


class WorkingRoutine:
    def __init__(self, session):
        self.session = session
        data = session.get(SESSION_KEY) or {}
        self.title = data.get("title") or DEFAULT_TITLE
        self.entries = list(data.get("steps") or [])
        # Bumped on every change; forms carry it so a stale or replayed request is refused.
        self.version = data.get("version", 0)
        self._steps = None

    def __len__(self):
        # What the visitor sees: a step whose point was unpublished meanwhile is not counted.
        return len(self.steps())

    def store(self):
        self.version += 1
        self.session[SESSION_KEY] = {
            "title": self.title,
            "steps": self.entries,
            "version": self.version,
        }
        self._steps = None

    def check_version(self, version):
        if str(version) != str(self.version):
            raise RoutineError(
                "Your routine changed in another tab or window; here it is as it is now. "
                "Please try again.",
                status=409,
            )

    # Reading

    def steps(self):
        """Unsaved RoutineStep objects, numbered from 1; steps whose point is gone drop out."""
        if self._steps is None:
            point_ids = {entry["point"] for entry in self.entries if entry["point"]}
            points = routine_points().in_bulk(point_ids)
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
            self.entries = visible
            self._steps = steps
        return self._steps

    def total_seconds(self):
        return sum(step.total_seconds for step in self.steps())

    def summary(self):
        """(steps, seconds) as the header badge shows them, with one small query instead of
        the routine page's: the badge is loaded with every page a visitor opens."""
        point_ids = {entry["point"] for entry in self.entries if entry["point"]}
        published = (
            set(Point.objects.published().filter(pk__in=point_ids).values_list("pk", flat=True))
            if point_ids
            else set()
        )
        shown = [
            entry for entry in self.entries if not entry["point"] or entry["point"] in published
        ]
        seconds = sum(
            entry["seconds"] * (2 if entry["sides"] == Sides.BOTH else 1) for entry in shown
        )
        return len(shown), seconds

    def contains(self, point):
        self.steps()
        return any(entry["point"] == point.pk for entry in self.entries)

    # Changing

    def add_point(self, point):
        if self.contains(point):
            raise RoutineError(f"{point.code} is already in your routine.", status=409)
        self.append(
            point=point.pk,
            seconds=default_seconds(point),
            sides=Sides.BOTH if point.bilateral else Sides.NONE,
        )

    def add_free_step(self, text, seconds):
        self.append(text=text, seconds=seconds)

    def append(self, point=None, text="", seconds=60, sides="", note=""):
        self.steps()
        if len(self.entries) >= MAX_STEPS:
            raise RoutineError(f"A routine can have at most {MAX_STEPS} steps.", status=422)
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
        self.steps()
        for index, entry in enumerate(self.entries):
            if entry["id"] == key:
                return index
        raise RoutineError("That step is no longer in your routine.", status=404)

    def move(self, key, offset):
        index = self.index_of(key)
        target = index + offset
        if not 0 <= target < len(self.entries):
            raise RoutineError("That step cannot move any further.", status=422)
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

    def rename(self, title):
        self.title = title or DEFAULT_TITLE
        self.store()

    def clear(self):
        self.title = DEFAULT_TITLE
        self.entries = []
        self.session.pop(f"{SESSION_KEY}-source", None)
        self.store()

    def replace_with(self, routine):
        """Start again from a saved routine or a suggestion (a copy; the original stays)."""
        self.title = routine.title
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
        self.steps()  # the visible steps are what would be saved
        return repr(
            (
                self.title,
                [
                    (e["point"], e["text"], e["seconds"], e["sides"], e["note"])
                    for e in self.entries
                ],
            )
        )

    @transaction.atomic
    def save_copy(self):
        """A new read-only Routine with these steps; all of it is saved, or none of it."""
        steps = self.steps()
        if not steps:
            raise RoutineError("Add at least one step before you save.", status=422)
        source_id = self.session.get(f"{SESSION_KEY}-source")
        routine = Routine.objects.create(
            title=self.title,
            source=Routine.objects.filter(pk=source_id).first() if source_id else None,
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
    return min(max(60, point.press_seconds_min), point.press_seconds_max)
