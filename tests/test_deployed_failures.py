"""What the builder answers when the database cannot take a change, when a body is too big,
when a save is repeated after its answer was lost, and what housekeeping keeps bounded.

In process, with Django's test client; the same under real gunicorn, with several
requests of one visitor at once, is in tests/test_concurrency.py.
"""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone

from points.models import Point
from routines.models import PrunedRoutine, Routine
from tests.factories import make_routine
from tests.pages import add, change, save, snapshot, visible_text, working

pytestmark = pytest.mark.django_db

READ_ONLY_NOTICE = "The guide is read-only for a few minutes"
UNCHANGED = "your routine is as it was"


@pytest.fixture
def visitor(client):
    add(client, "gb30", "bl40")
    return client


@pytest.fixture
def read_only_database():
    """The test database refuses every write from now on, as DATABASE_READ_ONLY=1 makes
    SQLite do (PRAGMA query_only) and a read-only PostgreSQL transaction does."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("SET TRANSACTION READ ONLY")
    yield
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA query_only = OFF")


# Honest failures


BUILDER_CHANGES = [
    ("/routine/title/", {"title": "Evening"}),
    ("/routine/free-step/", {"text": "Roll out your back", "seconds": "60"}),
    ("/routine/clear/", {}),
    ("/routine/save/", {}),
    ("/routine/add/li4/", {}),
    ("/routine/schedule/", {"times": "2", "days": ["1", "4"], "weeks": "3"}),
]


@pytest.mark.parametrize(("url", "data"), BUILDER_CHANGES)
def test_with_a_read_only_database_htmx_gets_a_503_notice_in_the_notice_area(
    visitor, read_only_database, url, data
):
    before = snapshot(visitor)
    response = change(visitor, url, htmx=True, **data)

    assert response.status_code == 503
    assert response["Retry-After"] == "120"
    assert response["HX-Retarget"] == "#live-notice"
    assert response["HX-Reswap"] == "innerHTML"
    page = response.content.decode()
    # A small notice, not an error page swapped into the builder.
    assert "<html" not in page
    assert "<main" not in page
    assert READ_ONLY_NOTICE in page
    assert UNCHANGED in page
    assert snapshot(visitor) == before
    assert not Routine.objects.shared().exists()


def test_a_step_change_with_a_read_only_database_gets_the_notice_too(visitor, read_only_database):
    step = working(visitor).steps()[0]
    response = change(
        visitor, f"/routine/steps/{step.key}/", htmx=True, seconds="90", sides="both", note=""
    )
    assert response.status_code == 503
    assert READ_ONLY_NOTICE in response.content.decode()


@pytest.mark.parametrize(("url", "data"), BUILDER_CHANGES)
def test_without_javascript_a_read_only_database_gives_the_full_503_page(
    visitor, read_only_database, url, data
):
    before = snapshot(visitor)
    response = change(visitor, url, **data)

    assert response.status_code == 503
    assert response["Retry-After"] == "120"
    assert "<main" in response.content.decode()
    text = visible_text(response)
    assert READ_ONLY_NOTICE in text
    assert UNCHANGED in text
    assert snapshot(visitor) == before


def test_reading_still_works_with_a_read_only_database(visitor, read_only_database):
    assert visitor.get("/routine/").status_code == 200
    assert visitor.get("/routine/badge/").status_code == 200
    assert visitor.get("/points/bl23/").status_code == 200


def test_a_read_only_database_met_inside_a_view_is_a_503_and_undoes_the_view(visitor, monkeypatch):
    """The view starts writing and the database fails half-way: nothing of it stays."""
    from routines import working as working_module

    real_save_copy = working_module.WorkingRoutine.save_copy

    def fail_half_way(self, **fields):
        real_save_copy(self, **fields)
        # What Django raises when SQLite finds its file read-only (or PostgreSQL gone).
        raise OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(working_module.WorkingRoutine, "save_copy", fail_half_way)
    response = change(visitor, "/routine/save/", htmx=True)

    assert response.status_code == 503
    assert not Routine.objects.shared().exists()


# Bounded bodies


def test_a_builder_form_larger_than_the_limit_gets_413_before_it_is_read(visitor, settings):
    before = snapshot(visitor)
    response = visitor.post(
        "/routine/title/",
        {"title": "x" * settings.REQUEST_BODY_MAX_BYTES, "version": before[1]},
    )
    assert response.status_code == 413
    assert "That was more than the guide accepts" in visible_text(response)
    assert snapshot(visitor) == before


def test_a_huge_declared_body_is_refused_without_reading_it(client):
    class Unreadable:
        def read(self, *args):
            raise AssertionError("the body was read")

        readline = read

    response = client.generic(
        "POST",
        "/routine/title/",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(10**9),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413


def test_the_limit_lets_ordinary_forms_through(visitor):
    assert change(visitor, "/routine/title/", title="Evening").status_code == 302


def test_the_admin_takes_a_photo_sized_body_but_not_much_more(admin_client, settings):
    under = admin_client.generic(
        "POST", "/admin/", CONTENT_LENGTH=str(settings.PHOTO_MAX_BYTES + 1000)
    )
    over = admin_client.generic(
        "POST", "/admin/", CONTENT_LENGTH=str(settings.ADMIN_REQUEST_BODY_MAX_BYTES + 1)
    )
    assert under.status_code != 413
    assert over.status_code == 413


# Saving once


def test_a_save_repeated_after_its_answer_was_lost_makes_one_row(visitor):
    """The first save went through but its answer, and so the session's record of it, never
    reached the visitor: a retry of the same save finds the row in the database."""
    session_key = visitor.session.session_key
    before = Session.objects.get(session_key=session_key).session_data
    first = save(visitor)
    Session.objects.filter(session_key=session_key).update(session_data=before)

    again = save(visitor)

    assert again == first
    assert Routine.objects.shared().count() == 1


def test_the_database_refuses_a_second_row_for_the_same_visitor_and_routine(visitor):
    from django.db import IntegrityError, transaction

    first = save(visitor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Routine.objects.create(title="Copy", saved_by=first.saved_by, fingerprint=first.fingerprint)


def test_saved_rows_never_hold_the_session_key(visitor):
    routine = save(visitor)
    assert visitor.session.session_key not in (routine.saved_by, routine.fingerprint)
    assert len(routine.saved_by) == 64


# Printed links and pruned ones


def test_printing_a_link_marks_it_printed_at_once(visitor):
    routine = save(visitor)
    response = Client().get(f"/r/{routine.token}/print/")
    routine.refresh_from_db()
    assert response.status_code == 200
    assert timezone.now() - routine.last_printed_at < timedelta(minutes=1)


def test_the_sheet_says_until_when_its_link_works(visitor, settings):
    settings.ROUTINE_KEEP_PRINTED_DAYS = 365
    routine = save(visitor)
    text = visible_text(Client().get(f"/r/{routine.token}/print/"))
    until = timezone.now() + timedelta(days=364)
    assert f"It works until at least {until:%-d %B %Y}." in text


def test_a_suggestions_sheet_promises_no_date():
    suggestion = Routine.objects.suggestions().first()
    assert "works until" not in visible_text(Client().get(f"/r/{suggestion.token}/print/"))


def test_a_link_saved_and_printed_at_once_survives_pruning_a_month_later(visitor):
    routine = save(visitor)
    Client().get(f"/r/{routine.token}/print/")
    a_month_later = timezone.now() - timedelta(days=31)
    Routine.objects.filter(pk=routine.pk).update(created_at=a_month_later)

    call_command("prune_routines", stdout=StringIO())

    assert Routine.objects.filter(pk=routine.pk).exists()


@pytest.mark.parametrize("suffix", ["", "print/", "session/", "copy/"])
def test_a_pruned_link_answers_410_with_the_suggestions(suffix):
    routine = make_routine(created_at=timezone.now() - timedelta(days=31), steps=["Relax"])
    call_command("prune_routines", stdout=StringIO())

    response = Client().get(f"/r/{routine.token}/{suffix}")

    assert response.status_code == 410
    text = visible_text(response)
    assert "This routine's link has expired" in text
    suggestions = list(Routine.objects.suggestions())
    assert suggestions
    for suggestion in suggestions:
        assert suggestion.title in text
    assert PrunedRoutine.objects.filter(token=routine.token).exists()


def test_an_unknown_link_is_still_a_404():
    assert Client().get("/r/no-such-routine-token/").status_code == 404


# Housekeeping


def test_housekeeping_brings_the_sessions_table_back_to_its_size(visitor):
    before = set(Session.objects.values_list("session_key", flat=True))
    for _ in range(40):
        add(Client(), "bl23")  # each a new anonymous visitor with a session of their own
    assert Session.objects.count() == len(before) + 40

    # Two weeks later those sessions have expired; the first visitor came back meanwhile.
    Session.objects.exclude(session_key__in=before).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    output = StringIO()
    call_command("housekeeping", stdout=output)

    assert set(Session.objects.values_list("session_key", flat=True)) == before
    assert "Removed 40 expired session(s)" in output.getvalue()
    assert "Deleted 0 routine(s)" in output.getvalue()


def test_housekeeping_keeps_live_sessions_and_prunes_routines(visitor):
    stale = make_routine(created_at=timezone.now() - timedelta(days=31), steps=["Relax"])
    call_command("housekeeping", stdout=StringIO())

    assert working(visitor).steps()  # the visitor's routine is still there
    assert not Routine.objects.filter(pk=stale.pk).exists()
    assert Point.objects.filter(code="GB30").exists()
