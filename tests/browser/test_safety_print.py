"""In a real browser: the printed sheet of the five-point suggestion, with the warning signs
in their two tiers and the general cautions before the first step, still fits two A4 pages."""

import pytest

from tests.browser.pages import pdf_page_count, pdf_text
from tests.pages import five_point_suggestion

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_five_point_sheet_keeps_the_tiers_and_fits_two_a4_pages(page, tmp_path):
    suggestion = five_point_suggestion()
    page.goto(f"/r/{suggestion.token}/print/")
    pdf = page.pdf(format="A4")
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
