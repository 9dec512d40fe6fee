"""Saved routines and the working routine a visitor builds in their session.

The database refuses malformed steps whatever path they take; the working routine keeps
its steps numbered 1..n through every change and saves all of a copy or none of it.
"""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from points.models import Point
from routines.models import MAX_STEPS, Routine, RoutineStep
from routines.working import RoutineError, WorkingRoutine
from tests.factories import build_routine_step, make_point, make_routine
from tests.pages import FIVE_POINT_TITLE, five_point_suggestion

pytestmark = pytest.mark.django_db

SCIATICA_TITLE = "Sciatica: buttock and knee"
# The suggestions built on the classic set of points beyond the article's five.
CLASSIC_SUGGESTION_TITLES = {
    "Lower back: the points around the waist",
    "Sciatica: from the buttock down the leg",
    "Desk break: ten minutes in your chair",
}


def seeded(code):
    return Point.objects.get(code=code)


def step_rows(routine):
    """Everything about a saved routine's steps, to compare before and after."""
    return list(
        routine.steps.order_by("position").values_list(
            "pk", "position", "point_id", "text", "seconds", "sides", "note"
        )
    )


@pytest.fixture
def session():
    """A real, saved database session, as a visitor's browser would have."""
    store = SessionStore()
    store.create()
    return store


def reloaded(working):
    """The working routine as the next request sees it: its session saved and read again."""
    working.session.save()
    return WorkingRoutine(SessionStore(session_key=working.session.session_key))


def labels(working):
    """Each step as a point's code or a free step's text."""
    return [step.point.code if step.point else step.text for step in working.steps()]


def positions(working):
    return [step.position for step in working.steps()]


def key_of(working, label):
    steps = working.steps()
    return steps[labels(working).index(label)].key


# The token


def test_token_is_long_random_and_url_safe():
    tokens = [make_routine().token for _ in range(50)]
    assert len(set(tokens)) == 50
    for token in tokens:
        # 16 random bytes in URL-safe base64: 128 bits, not a counter or a date.
        assert re.fullmatch(r"[A-Za-z0-9_-]{22,}", token)
    assert not any(token.isdigit() for token in tokens)


def test_token_is_unique_in_the_database():
    existing = make_routine()
    with pytest.raises(IntegrityError), transaction.atomic():
        Routine.objects.create(token=existing.token)


def test_shared_routine_url_is_its_token():
    routine = make_routine()
    assert routine.get_absolute_url() == f"/r/{routine.token}/"


# Steps: constraints the database itself enforces


def test_a_step_with_a_point_and_free_text_is_refused_by_the_database():
    routine = make_routine()
    step = build_routine_step(routine=routine, point=seeded("GB30"), text="Also roll the back")
    with pytest.raises(IntegrityError), transaction.atomic():
        step.save()


def test_a_step_with_neither_a_point_nor_free_text_is_refused_by_the_database():
    routine = make_routine()
    step = build_routine_step(routine=routine, text="")
    with pytest.raises(IntegrityError), transaction.atomic():
        step.save()


@pytest.mark.parametrize("seconds", [0, 601, 3000])
def test_step_seconds_outside_1_to_600_are_refused_by_the_database(seconds):
    routine = make_routine()
    step = build_routine_step(routine=routine, seconds=seconds)
    with pytest.raises(IntegrityError), transaction.atomic():
        step.save()


@pytest.mark.parametrize("seconds", [1, 600])
def test_step_seconds_at_the_bounds_are_accepted(seconds):
    routine = make_routine()
    build_routine_step(routine=routine, seconds=seconds).save()
    assert routine.steps.get().seconds == seconds


def test_two_steps_of_a_routine_cannot_share_a_position():
    routine = make_routine(steps=["Roll out your back"])
    with pytest.raises(IntegrityError), transaction.atomic():
        build_routine_step(routine=routine, position=1).save()


def test_different_routines_each_have_a_step_1():
    first = make_routine(steps=["Roll out your back"])
    second = make_routine(steps=["Roll out your back"])
    assert first.steps.get().position == second.steps.get().position == 1


def test_step_clean_refuses_both_a_point_and_free_text():
    step = build_routine_step(routine=make_routine(), point=seeded("GB30"), text="Roll", seconds=60)
    with pytest.raises(ValidationError, match="either a point or a free step"):
        step.clean()


def test_step_clean_refuses_seconds_outside_the_points_range():
    step = build_routine_step(routine=make_routine(), point=seeded("LI4"), seconds=30)
    with pytest.raises(ValidationError) as error:
        step.clean()
    assert "LI4 is pressed for 60–90 s" in str(error.value)


def test_a_point_used_by_a_saved_routine_cannot_be_deleted():
    point = make_point()
    make_routine(steps=[point])
    with pytest.raises(ProtectedError):
        point.delete()


def test_deleting_a_routine_deletes_its_steps_and_keeps_its_copies():
    original = make_routine(steps=[seeded("GB30"), "Roll out your back"])
    copy = make_routine(steps=[seeded("GB30")], source=original)
    original.delete()
    assert not RoutineStep.objects.filter(routine_id=original.pk).exists()
    copy.refresh_from_db()
    assert copy.source is None
    assert copy.steps.count() == 1


def test_total_seconds_counts_both_sides_of_a_two_sided_point():
    both = build_routine_step(point=seeded("GB30"), seconds=45, sides="both")
    left = build_routine_step(point=seeded("GB30"), seconds=45, sides="left")
    free = build_routine_step(text="Roll out your back", seconds=60)
    assert (both.total_seconds, left.total_seconds, free.total_seconds) == (90, 45, 60)


# Querysets


def test_the_content_release_holds_five_suggestions_and_no_shared_routine():
    titles = set(Routine.objects.suggestions().values_list("title", flat=True))
    assert titles == {FIVE_POINT_TITLE, SCIATICA_TITLE} | CLASSIC_SUGGESTION_TITLES
    assert not Routine.objects.shared().exists()


def test_the_five_point_suggestion_has_seven_steps_and_ten_minutes():
    routine = Routine.objects.with_steps().get(title=FIVE_POINT_TITLE)
    steps = list(routine.steps.all())
    assert [step.position for step in steps] == [1, 2, 3, 4, 5, 6, 7]
    assert [step.point.code for step in steps if step.point] == [
        "BL23",
        "GB30",
        "BL40",
        "BL62",
        "LI4",
    ]
    assert sum(step.total_seconds for step in steps) == 600
    assert list(routine.pain_types.values_list("slug", flat=True)) == ["lower-back-pain"]


def test_prunable_finds_old_unused_shared_copies_only():
    long_ago = timezone.now() - timedelta(days=40)
    stale = make_routine(created_at=long_ago)
    make_routine(created_at=long_ago, last_opened_at=long_ago + timedelta(days=1))
    make_routine(created_at=long_ago, last_printed_at=long_ago)
    make_routine(created_at=timezone.now() - timedelta(days=2))
    make_routine(created_at=long_ago, is_suggestion=True)
    assert list(Routine.objects.prunable(unused_days=30, printed_days=365)) == [stale]


def test_a_printed_link_is_kept_for_a_year_after_its_last_print_or_opening():
    now = timezone.now()
    two_years_ago = now - timedelta(days=730)
    forgotten = make_routine(created_at=two_years_ago, last_printed_at=now - timedelta(days=366))
    make_routine(created_at=two_years_ago, last_printed_at=now - timedelta(days=364))
    make_routine(
        created_at=two_years_ago,
        last_printed_at=now - timedelta(days=600),
        last_opened_at=now - timedelta(days=10),
    )
    old_opening = make_routine(
        created_at=two_years_ago,
        last_printed_at=now - timedelta(days=600),
        last_opened_at=now - timedelta(days=400),
    )
    prunable = set(Routine.objects.prunable(unused_days=30, printed_days=365))
    assert prunable == {forgotten, old_opening}


def test_saved_within_counts_recent_shared_copies_only():
    recent = make_routine(created_at=timezone.now() - timedelta(minutes=30))
    make_routine(created_at=timezone.now() - timedelta(hours=2))
    make_routine(is_suggestion=True)
    assert list(Routine.objects.saved_within(hours=1)) == [recent]


def test_mark_opened_records_the_first_opening():
    routine = make_routine(created_at=timezone.now() - timedelta(days=1))
    assert Routine.objects.mark_opened(routine.token) == 1
    routine.refresh_from_db()
    assert timezone.now() - routine.last_opened_at < timedelta(minutes=1)


def test_mark_opened_writes_at_most_once_a_day():
    an_hour_ago = timezone.now() - timedelta(hours=1)
    routine = make_routine(
        created_at=timezone.now() - timedelta(days=3), last_opened_at=an_hour_ago
    )
    assert Routine.objects.mark_opened(routine.token) == 0
    routine.refresh_from_db()
    assert routine.last_opened_at == an_hour_ago

    two_days_ago = timezone.now() - timedelta(days=2)
    Routine.objects.filter(pk=routine.pk).update(last_opened_at=two_days_ago)
    caches["bulk"].clear()  # an hour later: the cache no longer remembers the last look
    assert Routine.objects.mark_opened(routine.token) == 1
    routine.refresh_from_db()
    assert routine.last_opened_at > an_hour_ago


def test_mark_opened_asks_the_database_at_most_once_an_hour(django_assert_num_queries):
    routine = make_routine(created_at=timezone.now() - timedelta(days=3))
    with django_assert_num_queries(1):
        for _ in range(5):
            Routine.objects.mark_opened(routine.token)


# The working routine in a real session


def test_a_new_visitor_has_an_empty_routine_with_the_default_title(session):
    working = WorkingRoutine(session)
    assert len(working) == 0
    assert working.steps() == []
    assert working.title == "My back-pain routine"
    assert working.total_seconds() == 0


def test_the_working_routine_survives_to_the_next_request(session):
    working = WorkingRoutine(session)
    working.add_point(seeded("GB30"))
    working.add_free_step("Roll out your back", 90)
    working.rename("Evening")

    again = reloaded(working)
    assert again.title == "Evening"
    assert labels(again) == ["GB30", "Roll out your back"]
    assert again.version == working.version


def test_a_point_starts_at_a_minute_on_both_sides_within_its_range(session):
    working = WorkingRoutine(session)
    working.add_point(seeded("GB30"))
    working.add_point(seeded("LI4"))
    working.add_point(make_point(press_seconds_min=90, press_seconds_max=120, bilateral=False))
    assert [(step.seconds, step.sides) for step in working.steps()] == [
        (60, "both"),
        (60, "both"),
        (90, ""),
    ]
    assert working.total_seconds() == 120 + 120 + 90


def test_positions_stay_1_to_n_through_adds_moves_and_removals(session):
    working = WorkingRoutine(session)
    for code in ["BL23", "GB30", "BL40", "LI4", "BL62"]:
        working.add_point(seeded(code))
    working.add_free_step("Massage the arches of your feet", 60)
    assert positions(working) == [1, 2, 3, 4, 5, 6]

    working = reloaded(working)
    working.move(key_of(working, "BL62"), -1)
    working.move(key_of(working, "BL23"), +1)
    working.remove(key_of(working, "BL40"))
    working.move(key_of(working, "Massage the arches of your feet"), -1)
    working.remove(key_of(working, "GB30"))

    working = reloaded(working)
    assert labels(working) == ["BL23", "BL62", "Massage the arches of your feet", "LI4"]
    assert positions(working) == [1, 2, 3, 4]

    routine = working.save_copy()
    rows = list(routine.steps.order_by("position").values_list("position", "point__code", "text"))
    assert rows == [
        (1, "BL23", ""),
        (2, "BL62", ""),
        (3, None, "Massage the arches of your feet"),
        (4, "LI4", ""),
    ]


def test_removing_every_step_leaves_an_empty_routine(session):
    working = WorkingRoutine(session)
    working.add_point(seeded("GB30"))
    working.add_point(seeded("BL40"))
    for step in working.steps():
        working.remove(step.key)
    assert reloaded(working).steps() == []


def test_a_point_already_in_the_routine_is_refused(session):
    working = WorkingRoutine(session)
    working.add_point(seeded("GB30"))
    version = working.version

    with pytest.raises(RoutineError) as error:
        working.add_point(seeded("GB30"))

    assert error.value.status == 409
    assert "GB30 is already in your routine" in error.value.message
    working = reloaded(working)
    assert labels(working) == ["GB30"]
    assert working.version == version


@pytest.mark.parametrize("last", ["point", "free step"])
def test_the_31st_step_is_refused(session, last):
    working = WorkingRoutine(session)
    for number in range(MAX_STEPS):
        working.add_free_step(f"Step {number}", 10)
    assert MAX_STEPS == 30

    add_one_more = {
        "point": lambda: working.add_point(seeded("GB30")),
        "free step": lambda: working.add_free_step("One too many", 10),
    }[last]
    with pytest.raises(RoutineError) as error:
        add_one_more()

    assert error.value.status == 422
    assert "at most 30 steps" in error.value.message
    assert len(reloaded(working).steps()) == 30


@pytest.mark.parametrize(("which", "offset"), [(0, -1), (-1, +1)])
def test_a_step_cannot_move_past_either_end(session, which, offset):
    working = WorkingRoutine(session)
    working.add_point(seeded("GB30"))
    working.add_point(seeded("BL40"))
    version = working.version

    with pytest.raises(RoutineError) as error:
        working.move(working.steps()[which].key, offset)

    assert error.value.status == 422
    working = reloaded(working)
    assert labels(working) == ["GB30", "BL40"]
    assert working.version == version


@pytest.mark.parametrize("change", ["move", "remove", "update"])
def test_an_unknown_step_key_is_404(session, change):
    working = WorkingRoutine(session)
    working.add_point(seeded("GB30"))
    actions = {
        "move": lambda: working.move("deadbeef", 1),
        "remove": lambda: working.remove("deadbeef"),
        "update": lambda: working.update("deadbeef", 60, "both", ""),
    }
    with pytest.raises(RoutineError) as error:
        actions[change]()
    assert error.value.status == 404


def test_every_change_bumps_the_version(session):
    working = WorkingRoutine(session)
    seen = [working.version]
    working.add_point(seeded("GB30"))
    seen.append(working.version)
    working.add_free_step("Roll out your back", 60)
    seen.append(working.version)
    working.move(working.steps()[1].key, -1)
    seen.append(working.version)
    working.update(working.steps()[0].key, 90, "", "slowly")
    seen.append(working.version)
    working.rename("Mine")
    seen.append(working.version)
    working.remove(working.steps()[0].key)
    seen.append(working.version)
    working.clear()
    seen.append(working.version)
    assert seen == sorted(set(seen))
    assert reloaded(working).version == seen[-1]


def test_a_stale_version_is_refused_with_409(session):
    working = WorkingRoutine(session)
    working.add_point(seeded("GB30"))
    stale = working.version
    working.add_point(seeded("BL40"))

    working.check_version(working.version)
    working.check_version(str(working.version))
    with pytest.raises(RoutineError) as error:
        working.check_version(stale)
    assert error.value.status == 409
    assert "changed in another tab" in error.value.message


def test_save_copy_of_an_empty_routine_is_refused(session):
    with pytest.raises(RoutineError) as error:
        WorkingRoutine(session).save_copy()
    assert error.value.status == 422
    assert not Routine.objects.shared().exists()


def test_save_copy_keeps_title_order_times_sides_and_notes(session):
    working = WorkingRoutine(session)
    working.add_point(seeded("GB30"))
    working.add_free_step("Roll out your back", 120)
    working.add_point(seeded("LI4"))
    gb30, roll, li4 = working.steps()
    working.update(gb30.key, 150, "left", "gently")
    working.update(li4.key, 75, "both", "")
    working.rename("Before bed")

    routine = reloaded(working).save_copy()

    assert routine.title == "Before bed"
    assert not routine.is_suggestion
    assert routine.source is None
    rows = [(row[1], *row[2:]) for row in step_rows(routine)]
    assert rows == [
        (1, seeded("GB30").pk, "", 150, "left", "gently"),
        (2, None, "Roll out your back", 120, "", ""),
        (3, seeded("LI4").pk, "", 75, "both", ""),
    ]


def test_save_copy_saves_all_or_nothing(session):
    working = WorkingRoutine(session)
    working.add_point(seeded("GB30"))
    working.add_point(seeded("BL40"))
    routines_before = Routine.objects.count()

    failure = DatabaseError("disk full while writing the steps")
    with (
        mock.patch.object(RoutineStep.objects, "bulk_create", side_effect=failure),
        pytest.raises(DatabaseError),
    ):
        working.save_copy()

    assert Routine.objects.count() == routines_before
    assert not Routine.objects.shared().exists()
    # Nothing was lost either: the visitor can try again.
    assert len(reloaded(working).steps()) == 2


def test_each_save_copy_is_a_new_routine_with_a_new_token(session):
    working = WorkingRoutine(session)
    working.add_point(seeded("GB30"))
    first = working.save_copy()
    second = reloaded(working).save_copy()
    assert first.token != second.token
    assert step_rows(first) != step_rows(second)
    assert [row[1:] for row in step_rows(first)] == [row[1:] for row in step_rows(second)]


def test_replace_with_copies_a_suggestion_and_leaves_it_unchanged(session):
    suggestion = five_point_suggestion()
    original_rows = step_rows(suggestion)
    working = WorkingRoutine(session)
    working.add_point(seeded("BL23"))

    working.replace_with(suggestion)
    working = reloaded(working)
    assert working.title == FIVE_POINT_TITLE
    assert [step.position for step in working.steps()] == [1, 2, 3, 4, 5, 6, 7]
    assert [(s.point_id, s.text, s.seconds, s.sides, s.note) for s in working.steps()] == [
        row[2:] for row in original_rows
    ]

    # Change the copy in every way it can change.
    steps = working.steps()
    working.update(steps[1].key, 120, "left", "harder")
    working.move(steps[2].key, -1)
    working.remove(steps[-1].key)
    working.add_free_step("Lie down and breathe slowly", 60)
    working.rename("My version")
    copy = reloaded(working).save_copy()

    suggestion.refresh_from_db()
    assert suggestion.title == FIVE_POINT_TITLE
    assert suggestion.is_suggestion
    assert step_rows(suggestion) == original_rows
    assert copy.source == suggestion
    assert copy.token != suggestion.token
    assert copy.steps.count() == 7


def test_clearing_a_copied_routine_forgets_where_it_came_from(session):
    working = WorkingRoutine(session)
    working.replace_with(Routine.objects.get(title=SCIATICA_TITLE))
    working.clear()
    working.add_point(seeded("LI4"))

    routine = reloaded(working).save_copy()

    # Built from scratch after "Clear routine": it is not a copy of the suggestion.
    assert routine.source is None


def test_a_step_whose_point_is_unpublished_drops_out_and_the_rest_renumber(session):
    working = WorkingRoutine(session)
    for code in ["GB30", "BL40", "LI4"]:
        working.add_point(seeded(code))
    Point.objects.filter(code="BL40").update(is_published=False)

    working = reloaded(working)
    assert [(step.position, step.point.code) for step in working.steps()] == [
        (1, "GB30"),
        (2, "LI4"),
    ]
    routine = working.save_copy()
    assert list(routine.steps.values_list("position", "point__code")) == [
        (1, "GB30"),
        (2, "LI4"),
    ]


def test_a_point_cannot_ask_for_more_than_ten_minutes():
    with pytest.raises(IntegrityError), transaction.atomic():
        Point.objects.filter(code="BL40").update(press_seconds_max=601)


def test_saving_the_same_routine_twice_with_a_hidden_step_adds_one_row(client):
    client.post("/routine/add/gb30/")
    client.post("/routine/add/bl40/")
    Point.objects.filter(code="GB30").update(is_published=False)
    for _ in range(3):
        working = WorkingRoutine(client.session)
        client.post("/routine/save/", {"version": working.version})
    assert Routine.objects.shared().count() == 1
