"""The routine builder in a real Chromium: building with the mouse, the keyboard and without
JavaScript, sharing, printing to PDF, the guided session, and accessibility."""

import re

import pytest
from playwright.sync_api import expect

from points.models import Point
from routines.models import Routine
from tests.browser.pages import pdf_page_count, pdf_text, tab_to, wait_until
from tests.factories import make_routine
from tests.pages import five_point_suggestion

pytestmark = [
    pytest.mark.browser,
    # The guide's content (points, suggestions) comes from data migrations; a transactional
    # test would flush it away, serialized_rollback puts it back before every test.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BADGE = "a.routine-link"
# The nav link becomes the badge once htmx has loaded it (and with it the CSRF cookie).
LOADED_BADGE = "a.routine-link[data-loaded]"
STEP_TITLES = "#routine .step__title"
TOKEN_URL = re.compile(r"/r/([A-Za-z0-9_-]{22,})/$")
SESSION_ROOT = "[data-state]"


def wait_for_badge(page):
    """Wait until the badge has loaded: the CSRF cookie htmx's POSTs need is then set."""
    expect(page.locator(LOADED_BADGE)).to_have_count(1)
    assert any(cookie["name"] == "csrftoken" for cookie in page.context.cookies())


def expect_step_codes(page, codes, selector=STEP_TITLES):
    expect(page.locator(selector)).to_have_text([re.compile(rf"\b{code}\b") for code in codes])


def settled(page):
    """Wait until htmx has settled its last answer: the parts it swapped in answer the
    keyboard only from then on (a key pressed before sends their form without htmx)."""
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling')")


def active_element(page):
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return {tag: e.tagName, label: e.getAttribute('aria-label') || e.textContent.trim()}; }"
    )


# Building with the mouse, sharing and printing


def test_a_new_visitor_builds_shares_and_prints_a_routine(open_page, tmp_path):
    page = open_page()
    page.goto("/points/")
    wait_for_badge(page)
    page.get_by_label("Sciatica", exact=True).click()
    expect(page.locator("#results .point-card .code")).to_have_count(7)
    assert {"BL40", "GB30"} <= set(page.locator("#results .point-card .code").all_inner_texts())

    page.get_by_role("link", name="Add GB30 to routine").click()
    expect(page.get_by_role("link", name=re.compile("Added as step 1"))).to_be_visible()
    expect(page.locator(BADGE)).to_have_text("Routine · 1 step · 2 min")
    page.get_by_role("link", name="Add BL40 to routine").click()
    expect(page.get_by_role("link", name=re.compile("Added as step 2"))).to_be_visible()
    expect(page.locator(BADGE)).to_have_text("Routine · 2 steps · 4 min")

    page.locator(BADGE).click()
    expect(page).to_have_url(re.compile(r"/routine/$"))
    expect_step_codes(page, ["GB30", "BL40"])
    expect(page.locator(".routine-total")).to_contain_text("about 4 min in all")

    page.get_by_role("button", name="Move up: BL40 Commanding Middle").click()
    expect_step_codes(page, ["BL40", "GB30"])

    seconds = page.locator("#routine .step", has_text="GB30").get_by_label("Seconds per side")
    seconds.fill("90")
    seconds.press("Enter")
    # 60 s on each side for BL40, now 90 s on each side for GB30.
    expect(page.locator(".routine-total")).to_contain_text("about 5 min in all")
    expect(
        page.locator("#routine .step", has_text="GB30").get_by_label("Seconds per side")
    ).to_have_value("90")
    expect(page.locator(BADGE)).to_have_text("Routine · 2 steps · 5 min")
    expect(page.locator("#routine [role=alert]")).to_have_count(0)

    page.get_by_role("button", name="Save and share").click()
    expect(page).to_have_url(TOKEN_URL)
    token = TOKEN_URL.search(page.url).group(1)

    # Someone else opens the link: a fresh browser context, with no session of its own.
    reader = open_page()
    reader.goto(f"/r/{token}/")
    expect(reader.get_by_text("read-only")).to_be_visible()
    expect_step_codes(reader, ["BL40", "GB30"], selector=".step-list .step__title")
    expect(reader.locator(".step-list .step", has_text="GB30")).to_contain_text("90 s")
    # Nothing on it posts: its one form downloads a calendar file.
    expect(reader.locator("form[method=post]")).to_have_count(0)

    reader.goto(f"/r/{token}/print/")
    numbers = reader.locator("svg .marker--numbered text").all_text_contents()
    assert {"1", "2"} <= set(numbers)
    pdf = reader.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    assert 1 <= pdf_page_count(pdf, tmp_path) <= 2
    # The sheet's steps in the order saved (the PDF's text runs in the columns' order).
    expect(reader.locator(".sheet-step__title")).to_contain_text(
        [re.compile("BL40 Commanding Middle"), re.compile("GB30 Jumping Circle")]
    )
    text = pdf_text(pdf, tmp_path)
    if text is not None:
        for words in ["BL40 Commanding Middle", "GB30 Jumping Circle", "90 s on each side"]:
            assert words in text


def test_the_badge_counts_every_add_even_when_its_refresh_is_slow(open_page):
    page = open_page()
    page.goto("/points/?pain=sciatica")
    wait_for_badge(page)
    # Hold the badge's answers back, as a slow network would, until both adds are done.
    # Routed for the whole context: once the service worker controls the page, the badge's
    # requests are the worker's, which a page's routes never see.
    held = []

    def hold(route):
        held.append((route, route.fetch()))

    page.context.route("**/routine/badge/", hold)
    page.get_by_role("link", name="Add GB30 to routine").click()
    expect(page.get_by_role("link", name=re.compile("Added as step 1"))).to_be_visible()
    wait_until(page, lambda: held, "the badge's refresh after the first add")
    page.get_by_role("link", name="Add BL40 to routine").click()
    expect(page.get_by_role("link", name=re.compile("Added as step 2"))).to_be_visible()
    # The refresh htmx queued meanwhile goes out once the held one is answered: not held.
    page.context.unroute("**/routine/badge/", hold)
    for route, response in held:
        route.fulfill(response=response)

    expect(page.locator(BADGE)).to_have_text("Routine · 2 steps · 4 min")


def test_the_five_point_suggestion_prints_on_at_most_two_a4_pages(page, tmp_path):
    suggestion = five_point_suggestion()
    page.goto(f"/r/{suggestion.token}/print/")
    numbers = page.locator("svg .marker--numbered text").all_text_contents()
    assert {"2", "3", "4", "5", "7"} <= set(numbers)

    pdf = page.pdf(format="A4")

    assert pdf.startswith(b"%PDF")
    assert 1 <= pdf_page_count(pdf, tmp_path) <= 2
    text = pdf_text(pdf, tmp_path)
    if text is not None:
        for code in ["BL23", "GB30", "BL40", "BL62", "LI4"]:
            assert code in text
        assert "Relax your back on a roller" in text
        assert "Some points are traditionally avoided in pregnancy" in text


# Answers with only what changed


BUILDER_STATE = """() => {
    const texts = selector => [...document.querySelectorAll(selector)].map(e => e.textContent);
    return {
        steps: [...document.querySelectorAll("#step-list > .step")].map(step => step.id),
        versions: [...new Set(
            [...document.querySelectorAll("#routine input[name=version]")].map(i => i.value)
        )],
        markers: [...document.querySelectorAll("#routine-aside .marker")].map(
            marker => marker.getAttribute("aria-label") + " @ " + marker.dataset.x
        ),
        numbers: texts("#routine-aside .marker__number"),
        descriptions: texts("#routine-aside desc"),
        captions: texts("#routine-aside figcaption"),
        total: document.querySelector("#routine-total").textContent.trim(),
        notices: texts("#routine [role=alert]"),
    };
}"""


def test_changes_answered_in_parts_leave_the_page_as_a_fresh_one_draws_it(page):
    """Move, update, add and remove answer only the parts they change; after each, the
    builder must be what loading the page again draws: steps in order, one version in
    every form, markers renumbered, the total."""
    for slug in ["gb30", "bl40", "li4", "bl23"]:
        page.goto(f"/routine/add/{slug}/")
        page.get_by_role("button", name="Add to routine").click()
    expect_step_codes(page, ["GB30", "BL40", "LI4", "BL23"])

    def changed(action, codes):
        with page.expect_response(re.compile(r"/routine/(steps|free-step)/")) as answer:
            action()
        assert answer.value.headers.get("hx-reswap") == "none"
        expect_step_codes(page, codes)
        settled(page)
        in_parts = page.evaluate(BUILDER_STATE)
        page.reload()
        assert page.evaluate(BUILDER_STATE) == in_parts
        assert len(in_parts["versions"]) == 1

    changed(
        lambda: page.get_by_role("button", name="Move down: BL40 Commanding Middle").click(),
        ["GB30", "LI4", "BL40", "BL23"],
    )
    changed(
        lambda: page.get_by_role("button", name="Move up: BL23 Sea of Vitality").click(),
        ["GB30", "LI4", "BL23", "BL40"],
    )

    def one_side():
        page.locator("#routine .step", has_text="BL23").get_by_label("Sides").select_option("left")

    changed(one_side, ["GB30", "LI4", "BL23", "BL40"])

    def free_step():
        page.get_by_label("What to do").fill("Walk for a while")
        page.get_by_role("button", name="Add step").click()

    changed(free_step, ["GB30", "LI4", "BL23", "BL40", "Walk"])
    changed(
        lambda: page.get_by_role("button", name="Remove: GB30 Jumping Circle").click(),
        ["LI4", "BL23", "BL40", "Walk"],
    )


# Building with the keyboard only


def test_building_a_routine_with_the_keyboard_only(page):
    for slug in ["gb30", "bl40", "li4"]:
        page.goto(f"/points/{slug}/")
        wait_for_badge(page)
        tab_to(page, f'a[href="/routine/add/{slug}/"]')
        page.keyboard.press("Enter")
        expect(page.get_by_role("link", name=re.compile(r"Added as step \d"))).to_be_visible()
    expect(page.locator(BADGE)).to_have_text(re.compile(r"^Routine · 3 steps"))

    tab_to(page, BADGE, key="Shift+Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/routine/$"))
    expect_step_codes(page, ["GB30", "BL40", "LI4"])

    tab_to(page, '[aria-label="Move up: LI4 Joining Valley"]')
    page.keyboard.press("Enter")
    expect_step_codes(page, ["GB30", "LI4", "BL40"])
    settled(page)
    # The focus stays on the moved step's button, not thrown back to the top of the page.
    assert active_element(page) == {"tag": "BUTTON", "label": "Move up: LI4 Joining Valley"}

    page.keyboard.press("Space")
    expect_step_codes(page, ["LI4", "GB30", "BL40"])
    settled(page)
    # At the top, its "up" button is hidden: the focus moves to the step's next button.
    expect(page.get_by_role("button", name="Move down: LI4 Joining Valley")).to_be_focused()

    tab_to(page, '[aria-label="Remove: GB30 Jumping Circle"]')
    page.keyboard.press("Space")
    expect_step_codes(page, ["LI4", "BL40"])
    expect(page.locator(BADGE)).to_have_text(re.compile(r"^Routine · 2 steps"))


def test_moving_a_step_to_the_top_keeps_the_focus_on_a_button(page):
    for slug in ["gb30", "bl40"]:
        page.goto(f"/routine/add/{slug}/")
        page.get_by_role("button", name="Add to routine").click()
    expect_step_codes(page, ["GB30", "BL40"])

    tab_to(page, '[aria-label="Move up: BL40 Commanding Middle"]')
    page.keyboard.press("Enter")
    expect_step_codes(page, ["BL40", "GB30"])

    # The moved step's "up" button is now hidden; the focus must still land on a control
    # of the builder, or a keyboard user starts again from the top of the page.
    expect(page.get_by_role("button", name="Move down: BL40 Commanding Middle")).to_be_focused()
    expect(page.get_by_role("button", name="Move up: BL40 Commanding Middle")).to_be_hidden()


def test_free_steps_and_a_new_title_keep_the_keyboard_where_it_was(page):
    """After each change htmx swaps in a new builder: a keyboard user adding steps of their
    own goes on typing in the same field, the focus stays on Rename once used, and after
    "Clear routine" it is on the title rather than at the top of the page."""
    page.goto("/routine/")
    tab_to(page, "#free-step-text")
    for number, text in enumerate(["Roll out your back", "Walk for a while"], start=1):
        page.keyboard.type(text)
        page.keyboard.press("Enter")
        expect(page.locator(".step")).to_have_count(number)
        expect(page.locator("#free-step-text")).to_be_focused()
        expect(page.locator("#free-step-text")).to_have_value("")
        settled(page)
    expect(page.locator(".step__title")).to_have_text(["Roll out your back", "Walk for a while"])

    tab_to(page, "#routine-title-input", key="Shift+Tab")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("Evening")
    tab_to(page, "#routine-rename")
    page.keyboard.press("Enter")
    expect(page.locator("#routine-title-input")).to_have_value("Evening")
    expect(page.get_by_role("button", name="Rename")).to_be_focused()

    # "Clear routine" goes with the steps: the focus goes to the builder's first field.
    tab_to(page, "button.button--danger")
    page.keyboard.press("Enter")
    expect(page.locator(".step")).to_have_count(0)
    expect(page.locator("#routine-title-input")).to_be_focused()


# Without JavaScript: links, confirm pages and full-page forms


def test_building_without_javascript(open_page):
    page = open_page(java_script_enabled=False)
    for slug, code in [("gb30", "GB30"), ("bl40", "BL40")]:
        page.goto(f"/points/{slug}/")
        page.get_by_role("link", name=f"Add {code} to routine").click()
        expect(page).to_have_url(re.compile(rf"/routine/add/{slug}/$"))
        page.get_by_role("button", name="Add to routine").click()
        expect(page).to_have_url(re.compile(r"/routine/$"))
    expect_step_codes(page, ["GB30", "BL40"])

    page.get_by_role("button", name="Move up: BL40 Commanding Middle").click()
    expect(page).to_have_url(re.compile(r"/routine/$"))
    expect_step_codes(page, ["BL40", "GB30"])

    step = page.locator("#routine .step", has_text="GB30")
    step.get_by_label("Seconds per side").fill("120")
    step.get_by_role("button", name="Update").click()
    expect(page.locator(".routine-total")).to_contain_text("about 6 min in all")

    page.get_by_role("button", name="Remove: BL40 Commanding Middle").click()
    expect_step_codes(page, ["GB30"])

    page.get_by_role("button", name="Save and share").click()
    expect(page).to_have_url(TOKEN_URL)
    expect_step_codes(page, ["GB30"], selector=".step-list .step__title")


# The guided session


def test_a_guided_session_runs_to_the_end_on_a_fast_clock(page):
    routine = make_routine(
        steps=[
            {"text": "Breathe in slowly", "seconds": 10},
            {"point": Point.objects.get(code="GB30"), "seconds": 30, "sides": "left"},
            {"point": Point.objects.get(code="BL40"), "seconds": 30, "sides": "both"},
        ]
    )
    page.goto(f"/r/{routine.token}/session/?speed=50")
    root = page.locator(SESSION_ROOT)
    expect(root).to_have_attribute("data-state", "ready")
    expect(root).to_have_attribute("data-step", "1")

    page.get_by_role("button", name="Start").click()

    # 100 s of steps on a clock 50 times faster: about 2 s; wait up to 10.
    expect(root).to_have_attribute("data-state", "done", timeout=10_000)
    summary = page.locator("[data-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("You finished 3 steps")


def test_a_guided_session_pauses_skips_and_goes_back(page):
    suggestion = Routine.objects.get(title="Sciatica: buttock and knee")
    # The page's clock, moved on by the test: a paused session is seen not to count down.
    page.clock.install()
    page.goto(f"/r/{suggestion.token}/session/")
    root = page.locator(SESSION_ROOT)
    start = page.get_by_role("button", name="Start")

    start.click()
    expect(root).to_have_attribute("data-state", "running")
    page.get_by_role("button", name="Pause").click()
    expect(root).to_have_attribute("data-state", "paused")
    countdown = page.locator("[data-countdown]").inner_text()
    page.clock.run_for(5_000)  # every timer of the next five seconds, fired now
    assert page.locator("[data-countdown]").inner_text() == countdown

    page.get_by_role("button", name="Skip").click()
    expect(root).to_have_attribute("data-step", "2")
    expect(page.locator("[data-current-label]")).to_have_text(re.compile("BL40"))
    page.get_by_role("button", name="Back").click()
    expect(root).to_have_attribute("data-step", "1")
    expect(page.locator("[data-current-label]")).to_have_text(re.compile("GB30"))

    page.get_by_role("button", name="Resume").click()
    expect(root).to_have_attribute("data-state", "running")
    for step in ["2", "3"]:
        page.get_by_role("button", name="Skip").click()
        expect(root).to_have_attribute("data-step", step)
    page.get_by_role("button", name="Skip").click()
    expect(root).to_have_attribute("data-state", "done")
    expect(page.locator("[data-summary]")).to_be_visible()


def test_without_javascript_the_session_is_the_list_of_steps(open_page):
    suggestion = Routine.objects.get(title="Sciatica: buttock and knee")
    page = open_page(java_script_enabled=False)
    page.goto(f"/r/{suggestion.token}/session/")
    expect(page.get_by_role("button", name="Start")).to_be_hidden()
    expect(page.get_by_text("Lie down and breathe slowly")).to_be_visible()
    expect(page.locator(".session-step")).to_have_count(3)


# Accessibility


def test_no_serious_accessibility_problems_on_the_routine_pages(page, axe):
    suggestion = five_point_suggestion()
    page.goto(f"/r/{suggestion.token}/copy/")
    page.get_by_role("button", name="Copy to my routine").click()
    expect(page).to_have_url(re.compile(r"/routine/$"))
    expect(page.locator(STEP_TITLES)).to_have_count(7)
    wait_for_badge(page)
    axe(page)

    page.get_by_role("button", name="Save and share").click()
    expect(page).to_have_url(TOKEN_URL)
    token = TOKEN_URL.search(page.url).group(1)
    axe(page)

    for path in [f"/r/{token}/print/", f"/r/{token}/session/", "/routine/print/"]:
        response = page.goto(path)
        assert response.status == 200
        axe(page)

    page.goto(f"/r/{token}/session/")
    page.get_by_role("button", name="Start").click()
    expect(page.locator(SESSION_ROOT)).to_have_attribute("data-state", "running")
    axe(page)
