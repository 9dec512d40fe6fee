"""Clients that keep no cookies start a session with every change they send. One address
may start NEW_SESSIONS_PER_HOUR of them (then 429), and a session that never got past its
first change is kept a day, not two weeks; a visitor with a session is never limited."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from tests.pages import HTMX, visible_text

pytestmark = pytest.mark.django_db

TOO_MANY = "Too many new routines from here"


def cookieless_adds(count, **headers):
    """`count` adds, each from a client with no cookies; their status codes."""
    return [Client().post("/routine/add/bl23/", headers=headers).status_code for _ in range(count)]


def test_three_hundred_cookieless_adds_from_one_address_leave_sixty_sessions():
    statuses = cookieless_adds(300)

    assert statuses[:60] == [302] * 60
    assert set(statuses[60:]) == {429}
    assert Session.objects.count() == 60


def test_past_the_limit_a_visitor_reads_why_with_or_without_htmx(settings):
    settings.NEW_SESSIONS_PER_HOUR = 1
    cookieless_adds(1)

    page = Client().post("/routine/add/bl23/")
    notice = Client().post("/routine/add/bl23/", headers=HTMX)
    spanish = Client().post("/es/routine/add/bl23/")

    assert page.status_code == notice.status_code == spanish.status_code == 429
    assert page["Retry-After"] == "3600"
    assert TOO_MANY in visible_text(page)
    assert "<html" not in notice.content.decode()
    assert notice["HX-Retarget"] == "#live-notice"
    assert TOO_MANY in visible_text(notice)
    assert "Demasiadas rutinas nuevas desde aquí" in visible_text(spanish)
    assert Session.objects.count() == 1


def test_a_visitor_with_a_session_is_never_limited(client, settings):
    settings.NEW_SESSIONS_PER_HOUR = 5
    assert client.post("/routine/add/gb30/").status_code == 302

    cookieless_adds(20)

    assert client.post("/routine/add/bl40/").status_code == 302
    assert client.post("/routine/add/li4/", headers=HTMX).status_code == 200
    assert Session.objects.count() == 5  # the visitor's own and four cookieless ones


def test_behind_a_proxy_each_client_address_has_its_own_allowance(settings):
    settings.BEHIND_PROXY = True
    settings.NEW_SESSIONS_PER_HOUR = 2
    # The address the proxy appended counts; what the client put first does not.
    forged = [f"10.0.0.{number}, 203.0.113.7" for number in range(5)]

    statuses = [
        Client().post("/routine/add/bl23/", headers={"X-Forwarded-For": value}).status_code
        for value in forged
    ]
    other = cookieless_adds(1, **{"X-Forwarded-For": "198.51.100.9"})

    assert statuses == [302, 302, 429, 429, 429]
    assert other == [302]


def test_a_session_that_never_gets_past_its_first_change_expires_in_a_day(client):
    client.post("/routine/add/gb30/")
    (session,) = Session.objects.all()
    assert session.expire_date - timezone.now() < timedelta(hours=24, minutes=1)

    client.post("/routine/add/bl40/")

    session.refresh_from_db()
    assert session.expire_date - timezone.now() > timedelta(days=13)


def test_a_made_up_session_cookie_counts_as_none(settings):
    settings.NEW_SESSIONS_PER_HOUR = 1
    cookieless_adds(1)
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32

    assert client.post("/routine/add/bl23/").status_code == 429


def test_refused_changes_start_no_session_and_count_for_nothing(settings):
    settings.NEW_SESSIONS_PER_HOUR = 1
    statuses = {Client().post("/routine/add/no-such-point/").status_code for _ in range(10)}

    assert statuses == {404}
    assert Session.objects.count() == 0
    assert cookieless_adds(2) == [302, 429]
