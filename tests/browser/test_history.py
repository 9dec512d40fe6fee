"""An editor undoes a mistaken edit in a real browser, under the strict policy: edit a point's
summary, compare it with the first version in its history, restore that version, and see
the old text on the public page; then preview a draft at its public URL."""

import re

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from points.models import Point
from tests.browser.pages import csp_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a long and unusual pass phrase 11"
MISTAKE = "A mistaken summary, typed in a hurry."


def sign_in_as_an_editor(page):
    user = User.objects.create_user("history-editor", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("history-editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def settle(page):
    page.wait_for_load_state("networkidle")
    assert csp_violations(page) == []


def test_an_editor_compares_and_restores_a_version_under_the_policy(page):
    point = Point.objects.get(code="BL40")
    old_summary = point.summary
    sign_in_as_an_editor(page)

    page.goto(f"/admin/points/point/{point.pk}/change/")
    page.get_by_label("Summary [en]").fill(MISTAKE)
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.goto(point.get_absolute_url())
    expect(page.locator("main")).to_contain_text(MISTAKE)

    page.goto(f"/admin/points/point/{point.pk}/history/")
    settle(page)
    rows = page.locator("#change-history tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("history-editor")
    expect(rows.last).to_contain_text("Content release guide.json")
    page.get_by_role("button", name="Compare").click()
    settle(page)
    changed = page.locator("#version-compare tr.changed")
    expect(changed).to_have_count(1)
    expect(changed).to_contain_text("Summary")
    expect(changed.locator("ins")).to_have_text(MISTAKE)

    page.go_back()
    rows.last.get_by_role("link").click()
    settle(page)
    expect(page.get_by_label("Summary [en]")).to_have_value(old_summary)
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    settle(page)

    page.goto(point.get_absolute_url())
    expect(page.locator("main")).to_contain_text(old_summary[:40])
    expect(page.locator("main")).not_to_contain_text(MISTAKE)
    settle(page)


def test_an_editor_previews_a_draft_under_the_policy(page, browser_problems):
    point = Point.objects.get(code="BL62")
    Point.objects.filter(pk=point.pk).update(is_published=False)
    sign_in_as_an_editor(page)

    response = page.goto(point.get_absolute_url())
    assert response.status == 200
    assert response.headers["x-robots-tag"] == "noindex"
    expect(page.locator(".draft-banner")).to_contain_text("Draft: not public")
    settle(page)
