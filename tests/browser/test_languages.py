"""The guide in Spanish and German in a real browser: accessibility, the switcher without
JavaScript, the session's spoken cues, and the printed sheet's pages and fonts."""

import re
import shutil
import subprocess

import pytest
from django.utils import translation
from playwright.sync_api import expect

from points.models import Point
from tests.browser.pages import pdf_page_count, pdf_text, say
from tests.pages import every_kind_of_page, five_point_suggestion

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LANGUAGES = ["es", "de"]


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_kind_of_page_passes_axe_in_each_language(open_page, axe, code):
    page = open_page()
    page.goto(f"/{code}/routine/add/bl23/")
    page.get_by_role("button", name=say(code, "Add to routine")).click()
    for path in every_kind_of_page(five_point_suggestion().token):
        page.goto(f"/{code}{path}")
        expect(page.locator("html")).to_have_attribute("lang", code)
        axe(page)


def test_the_switcher_keeps_the_page_without_javascript(open_page):
    page = open_page(java_script_enabled=False)
    page.goto("/points/bl40/")
    page.get_by_role("link", name="Deutsch").click()
    expect(page).to_have_url(re.compile(r"/de/points/bl40/$"))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    page.get_by_role("link", name="Español").click()
    expect(page).to_have_url(re.compile(r"/es/points/bl40/$"))
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/points/bl40/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_the_session_speaks_the_page_language(open_page):
    page = open_page()
    page.goto(f"/de/r/{five_point_suggestion().token}/session/")
    page.get_by_role("button", name=say("de", "Start")).click()
    step_of = say("de", "Step %(number)s of %(total)s") % {"number": 1, "total": 7}
    expect(page.locator("[data-announcer]")).to_contain_text(step_of)
    expect(page.get_by_role("button", name=say("de", "Pause"))).to_be_visible()
    # Not a word of the English cues is left.
    expect(page.locator("main")).not_to_contain_text("Step 1 of")


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_five_point_sheet_prints_on_two_a4_pages_with_its_chinese_names(page, tmp_path, code):
    page.goto(f"/{code}/r/{five_point_suggestion().token}/print/")
    pdf = page.pdf(format="A4")

    assert 1 <= pdf_page_count(pdf, tmp_path) <= 2
    text = pdf_text(pdf, tmp_path)
    if text is None:
        pytest.skip("pdftotext is not installed")
    with translation.override(code):
        assert Point.objects.get(code="BL40").name in text
        assert translation.gettext("Your pain log") in text
    for name in ["肾俞", "委中", "申脉", "环跳", "合谷"]:
        assert name in text
    if shutil.which("pdffonts"):
        path = tmp_path / "sheet.pdf"
        path.write_bytes(pdf)
        fonts = subprocess.run(["pdffonts", path], capture_output=True, text=True).stdout
        # The sheet's own faces, embedded: Latin accents and the Chinese names alike.
        assert "SheetSans" in fonts, fonts
        assert "SheetCJK" in fonts, fonts
