"""The print sheet as a clinician's handout, printed to PDF in Chromium: what is typed in
"For" is printed and goes nowhere else, the standard sheet stays within two pages of A4 and
of US Letter in every language, and the large-print sheet is large (16 pt and up) with one
figure per step, and fits its paper."""

import pytest

from routines.models import Routine
from tests.browser.pages import keep_printout, pdf_page_count, pdf_text
from tests.pages import five_point_suggestion

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Something no page of the guide says, easy to find in a request or a PDF.
TYPED = "Marta Quillfeather"
LARGE_PRINT_PX = 16 * 96 / 72  # 16 pt in CSS pixels
# The width the large sheet is laid out at on paper: A4 less its 14 mm side margins.
A4_LARGE_TEXT_WIDTH_PX = round((210 - 2 * 14) / 25.4 * 96)


def record_requests(page):
    """Every request the page makes from now on, as (url, post data) pairs."""
    requests = []
    page.on("request", lambda request: requests.append((request.url, request.post_data or "")))
    return requests


# The handout's fields


def test_what_is_typed_in_for_is_printed_and_sent_nowhere(page, tmp_path):
    page.goto(f"/r/{five_point_suggestion().token}/print/")
    page.wait_for_load_state("networkidle")
    requests = record_requests(page)

    field = page.get_by_label("For", exact=True)
    field.press_sequentially(TYPED)
    field.press("Enter")  # no form around it to submit
    page.get_by_label("From", exact=True).fill("Dr Example")
    page.keyboard.press("Tab")
    pdf = page.pdf(format="A4")
    # A request of the test's own, sent last: once it is seen, so is any the page sent
    # before it.
    with page.expect_request("**/robots.txt"):
        page.evaluate("fetch('/robots.txt')")

    text = pdf_text(pdf, tmp_path)
    if text is None:
        pytest.skip("pdftotext is not installed")
    assert TYPED in text
    assert "Dr Example" in text
    # Typing, pressing Enter and printing asked the server for nothing that holds it.
    for url, data in requests:
        assert TYPED not in url
        assert "Quillfeather" not in url
        assert "Quillfeather" not in data
    # Nor did the browser keep it: a reload starts blank.
    stored = page.evaluate(
        "JSON.stringify([localStorage, sessionStorage]) + document.cookie + location.href"
    )
    assert "Quillfeather" not in stored
    page.reload()
    assert page.get_by_label("For", exact=True).input_value() == ""


def test_empty_fields_print_as_lines_to_write_on(page):
    page.goto(f"/r/{five_point_suggestion().token}/print/")
    page.emulate_media(media="print")
    for name in ["For", "From", "Contact"]:
        style = page.get_by_label(name, exact=True).evaluate(
            """field => {
              const style = getComputedStyle(field);
              return {
                top: style.borderTopWidth, bottom: style.borderBottomWidth,
                background: style.backgroundColor, visible: field.getClientRects().length > 0,
              };
            }"""
        )
        assert style["visible"], name
        assert style["top"] == "0px", name
        assert float(style["bottom"].removesuffix("px")) > 0, name
        assert style["background"] in ("rgba(0, 0, 0, 0)", "transparent"), name


def test_a_field_still_being_typed_in_prints_without_its_focus_ring_or_caret(page):
    page.goto(f"/r/{five_point_suggestion().token}/print/")
    field = page.get_by_label("For", exact=True)
    field.press_sequentially(TYPED)  # focused by the keyboard: :focus-visible applies
    looks = """field => {
      const style = getComputedStyle(field);
      return [style.outlineStyle, style.caretColor];
    }"""
    assert field.evaluate(looks)[0] != "none"  # on screen, the ring shows where one types

    page.emulate_media(media="print")
    assert field.evaluate(looks) == ["none", "rgba(0, 0, 0, 0)"]


# Paper sizes


@pytest.mark.parametrize("code", ["en", "es", "de"])
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_standard_sheet_fits_two_pages_of_a4_and_of_letter(page, tmp_path, code, paper):
    prefix = "" if code == "en" else f"/{code}"
    page.goto(f"{prefix}/r/{five_point_suggestion().token}/print/")
    # The field is labelled in the page's language; its id is the same in all three.
    page.locator("#handout-for").fill(TYPED)
    pdf = page.pdf(format=paper)
    keep_printout(pdf, f"handout-{code}-{paper}")
    assert 1 <= pdf_page_count(pdf, tmp_path) <= 2
    text = pdf_text(pdf, tmp_path)
    if text is not None:
        # All of it, to the references at the end, and the name typed in.
        assert TYPED in text
        assert "Spring Cleaning for Your Back" in text


# The suggestions built on the classic points: longer steps, more body views.
CLASSIC_SUGGESTIONS = [
    "Lower back: the points around the waist",
    "Sciatica: from the buttock down the leg",
    "Desk break: ten minutes in your chair",
]


@pytest.mark.parametrize("title", CLASSIC_SUGGESTIONS)
@pytest.mark.parametrize("code", ["en", "es", "de"])
def test_each_classic_suggestion_prints_on_two_pages_of_a4_and_of_letter(
    page, tmp_path, title, code
):
    routine = Routine.objects.get(is_suggestion=True, title_en=title)
    steps = list(routine.steps.select_related("point"))
    points = [step.point for step in steps if step.point]
    assert sum(step.total_seconds for step in steps) <= 15 * 60
    prefix = "" if code == "en" else f"/{code}"
    page.goto(f"{prefix}/r/{routine.token}/print/")
    for paper in ["A4", "Letter"]:
        pdf = page.pdf(format=paper)
        keep_printout(pdf, f"classic/{routine.token[:4]}-{code}-{paper}")
        folder = tmp_path / paper
        folder.mkdir()
        assert 1 <= pdf_page_count(pdf, folder) <= 2, paper
        text = pdf_text(pdf, folder)
        if text is not None:
            # Every step with its Chinese name, to the references at the end.
            for point in points:
                assert f"{point.code} " in text
                assert point.chinese_name in text
            assert "WHO Standard Acupuncture Point Locations" in text


# Large print


def test_the_large_print_sheet_is_16_pt_with_a_figure_per_step(page, tmp_path):
    routine = five_point_suggestion()
    steps = list(routine.steps.all())
    page.goto(f"/r/{routine.token}/print/")
    page.get_by_role("link", name="Large print").click()
    page.wait_for_url("**/print/?size=large")

    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_LARGE_TEXT_WIDTH_PX, "height": 1000})
    sizes = page.evaluate(
        """() => {
          // Every element of the sheet that shows text of its own (figures' labels aside).
          const found = [];
          for (const element of document.querySelectorAll(".sheet *")) {
            if (element.closest("svg") || !element.getClientRects().length) continue;
            const own = [...element.childNodes].some(
              node => node.nodeType === Node.TEXT_NODE && node.textContent.trim()
            ) || (element.matches("input") && element.value);
            if (own) {
              found.push([parseFloat(getComputedStyle(element).fontSize), element.className ||
                element.tagName, element.textContent.trim().slice(0, 40)]);
            }
          }
          return found;
        }"""
    )
    assert len(sizes) > 100
    small = [size for size in sizes if size[0] < LARGE_PRINT_PX - 0.01]
    assert small == []
    # Nothing reaches past the paper's width: no clipped line, table or figure.
    overflow = page.evaluate(
        """() => [...document.querySelectorAll(".sheet *")]
          .filter(element => element.getBoundingClientRect().right > innerWidth + 0.5)
          .map(element => element.className || element.tagName)"""
    )
    assert overflow == []
    assert page.evaluate("document.documentElement.scrollWidth") <= A4_LARGE_TEXT_WIDTH_PX

    # One figure per step that has a point, inside that step, marking its number only.
    items = page.locator(".sheet-steps > li")
    assert items.count() == len(steps)
    for index, step in enumerate(steps):
        item = items.nth(index)
        figures = item.locator("figure.body-figure")
        if step.point:
            assert figures.count() == 1
            numbers = figures.locator(".marker__number").evaluate_all(
                "marks => marks.map(mark => mark.textContent.trim())"
            )
            assert set(numbers) == {str(step.number)}
        else:
            assert figures.count() == 0
    assert page.locator(".sheet__figures").count() == 0

    for paper in ["A4", "Letter"]:
        folder = tmp_path / paper
        folder.mkdir()
        pdf = page.pdf(format=paper)
        keep_printout(pdf, f"handout-large-{paper}")
        # Longer than the standard sheet, on as many pages as it takes.
        assert pdf_page_count(pdf, folder) > 2
        text = pdf_text(pdf, folder)
        if text is not None:
            # Each figure's caption names its view and its one step ("Back of the hand:
            # step 7."); its number may land apart from it in the text's reading order.
            assert text.count(": step ") == sum(1 for step in steps if step.point)
            assert "Spring Cleaning for Your Back" in text


def test_the_toolbar_goes_back_to_the_standard_sheet(page):
    page.goto(f"/es/r/{five_point_suggestion().token}/print/?size=large")
    current = page.locator(".print-toolbar__size[aria-current=page]")
    assert current.get_attribute("href").endswith("?size=large")
    page.locator(".print-toolbar__size:not([aria-current])").click()
    page.wait_for_url("**/es/r/*/print/")
    assert page.locator(".sheet--large").count() == 0
    assert page.locator(".sheet__figures figure").count() >= 3
