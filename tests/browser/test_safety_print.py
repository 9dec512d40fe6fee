"""In a real browser: the printed sheet of the five-point suggestion, with the warning signs
in their two tiers and the general cautions before the first step, still fits two A4 pages.

SAFETY_SHOTS=/some/folder also writes the PDF, its pages as PNG, and screenshots of the
safety page, a point page, the builder and the print sheet at desktop and phone widths,
to look at."""

import os
import subprocess
from pathlib import Path

import pytest

from routines.models import Routine
from tests.browser.pages import WIDTHS, pdf_page_count, pdf_text

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FIVE_POINT_TITLE = "Lower back: the five points of the article"


def shots_folder():
    folder = os.environ.get("SAFETY_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        return Path(folder)
    return None


def test_the_five_point_sheet_keeps_the_tiers_and_fits_two_a4_pages(page, tmp_path):
    suggestion = Routine.objects.get(title=FIVE_POINT_TITLE)
    page.goto(f"/r/{suggestion.token}/print/")
    pdf = page.pdf(format="A4")
    folder = shots_folder()
    if folder:
        (folder / "print-five-points.pdf").write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "print-five-points.pdf", "print-five-points"],
            cwd=folder,
            check=True,
        )

    assert 1 <= pdf_page_count(pdf, tmp_path) <= 2
    text = pdf_text(pdf, tmp_path)
    if text is not None:
        emergency = text.index("Get emergency care now")
        assert emergency < text.index("999 (UK)")
        assert emergency < text.index("See a doctor soon") < text.index("111 (NHS 111, UK)")
        first_step = text.index("Relax your back on a roller")
        for title in ["Pregnancy", "Blood thinners", "Fragile bones", "Shooting pain"]:
            assert text.index(title) < first_step, title
        assert text.index("See a doctor soon") < first_step
        assert "Not in pregnancy." in text


@pytest.mark.skipif(not os.environ.get("SAFETY_SHOTS"), reason="set SAFETY_SHOTS=folder")
def test_screenshots_of_the_tiers(open_page):
    folder = shots_folder()
    suggestion = Routine.objects.get(title=FIVE_POINT_TITLE)
    for width in WIDTHS.values():
        page = open_page(viewport={"width": width, "height": 900})
        page.goto(f"/r/{suggestion.token}/copy/")
        page.get_by_role("button", name="Copy to my routine").click()
        for name, path in {
            "safety": "/safety/",
            "point-bl40": "/points/bl40/",
            "builder": "/routine/",
            "print": f"/r/{suggestion.token}/print/",
        }.items():
            page.goto(path)
            page.screenshot(path=folder / f"{name}-{width}.png", full_page=True)
            # The safety boxes alone, to read them at full size.
            for box in ["cautions", "red-flags"]:
                found = page.locator(f"aside.{box}")
                if found.count():
                    found.first.screenshot(path=folder / f"{name}-{box}-{width}.png")
