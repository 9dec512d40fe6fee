import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from points.models import PainType, Point, RedFlag
from tests.factories import make_meridian, make_pain_type, make_point, make_red_flag
from tests.pages import (
    HTMX,
    NOT_FOUND_TEXT,
    PAIN_TYPE_SLUGS,
    POINT_SLUGS,
    assert_strict_csp_ready,
    visible_text,
)

pytestmark = pytest.mark.django_db

# Points of the content release by pain type and region, in the list's order.
SCIATICA_SLUGS = ["bl25", "bl40", "bl57", "bl60", "gb30", "gb34", "gv3"]
LEG_SLUGS = ["bl40", "bl57", "gb34"]

PUBLIC_URLS = [
    "/",
    "/points/",
    "/points/?pain=sciatica&pain=headache&region=legs&q=knee",
    *(f"/points/{slug}/" for slug in POINT_SLUGS),
    "/pain/",
    *(f"/pain/{slug}/" for slug in PAIN_TYPE_SLUGS),
    "/references/",
    "/safety/",
]


def results_html(response):
    page = response.content.decode()
    assert 'id="results"' in page
    return page.split('id="results"', 1)[1]


def result_slugs(response):
    """Slugs of the points linked from the list's results, in the order shown."""
    return re.findall(r'href="/points/([\w-]+)/"', results_html(response))


def vary(response):
    return {value.strip().lower() for value in response.get("Vary", "").split(",")}


def general_red_flags():
    return list(RedFlag.objects.general().values_list("text", flat=True))


# Every public page


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_page_is_ok_and_carries_the_medical_notice(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Not medical advice" in visible_text(response)


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_page_is_cacheable(client, url):
    response = client.get(url)
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert not response.cookies
    assert "Set-Cookie" not in response.headers
    assert "cookie" not in vary(response)


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_page_is_ready_for_a_strict_csp(client, url):
    assert_strict_csp_ready(client.get(url).content.decode())


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_page_refuses_post(client, url):
    response = client.post(url)
    assert response.status_code == 405


def test_htmx_is_told_not_to_inject_its_indicator_styles(client):
    page = client.get("/").content.decode()
    assert re.search(r'"includeIndicatorStyles"\s*:\s*false', page)


# Home page


def test_home_page_explains_acupressure_and_offers_every_pain_type(client):
    response = client.get(reverse("points:home"))
    page = response.content.decode()
    text = visible_text(response)
    assert re.search(r"<h1[^>]*>\s*Acupressure for back pain\s*</h1>", page)
    assert "Where does it hurt?" in text
    for pain_type in PainType.objects.published():
        assert f'href="/pain/{pain_type.slug}/"' in page
        assert pain_type.name in text


def test_home_page_lists_benefits_red_flags_and_points(client):
    text = visible_text(client.get(reverse("points:home")))
    for benefit in ["Easing sore muscles and knots", "Winding down before sleep"]:
        assert benefit in text
    for flag in general_red_flags():
        assert flag in text
    for slug in POINT_SLUGS:
        assert slug.upper() in text


def test_home_page_groups_the_points_by_body_region_head_to_toe(client):
    page = client.get(reverse("points:home")).content.decode()
    card = page.split('id="the-points"', 1)[1].split("</section>", 1)[0]
    regions = re.findall(r'href="/points/\?region=([\w-]+)"', card)
    assert regions == ["lower-back", "hips", "legs", "feet", "arms"]
    after_legs = card.split("region=legs", 1)[1].split("region=feet", 1)[0]
    assert re.findall(r'href="/points/([\w-]+)/"', after_legs) == ["bl40", "bl57", "gb34"]


# Point list and its filters


def test_point_list_shows_every_published_point_and_a_plain_get_form(client):
    response = client.get(reverse("points:list"))
    page = response.content.decode()
    text = visible_text(response)
    assert re.search(r"<h1[^>]*>\s*Acupressure points\s*</h1>", page)
    assert "16 points" in text
    assert sorted(result_slugs(response)) == sorted(POINT_SLUGS)
    # Works without JavaScript: a GET form that submits to the list itself.
    form_tag = re.search(r"<form[^>]*>", page).group(0)
    assert 'method="get"' in form_tag
    assert 'action="/points/"' in form_tag
    for name in ["pain", "region", "q"]:
        assert f'name="{name}"' in page


def test_point_list_shows_each_points_summary_and_press_time(client):
    text = visible_text(client.get(reverse("points:list")))
    li4 = Point.objects.get(code="LI4")
    assert li4.summary in text
    assert "60–90 s" in text
    assert "Joining Valley" in text


def test_unpublished_point_is_not_listed(client):
    hidden = make_point(is_published=False, name="Hidden Draft Point")
    response = client.get(reverse("points:list"))
    assert hidden.slug not in result_slugs(response)
    assert "Hidden Draft Point" not in visible_text(response)


def test_several_pain_types_at_once_show_points_for_any_of_them(client):
    response = client.get(reverse("points:list"), {"pain": ["headache", "knee-stiffness"]})
    assert sorted(result_slugs(response)) == ["bl40", "gb34", "li4"]
    assert "3 points for headache or knee stiffness" in visible_text(response)


def test_points_matching_more_of_the_chosen_pain_types_come_first(client):
    response = client.get(reverse("points:list"), {"pain": ["lower-back-pain", "sciatica"]})
    slugs = result_slugs(response)
    both = ["bl25", "bl40", "bl57", "bl60", "gv3"]
    assert sorted(slugs[: len(both)]) == both
    assert sorted(slugs) == sorted(POINT_SLUGS)


def test_chosen_pain_types_stay_ticked_in_the_form(client):
    page = client.get(reverse("points:list"), {"pain": ["sciatica"]}).content.decode()
    ticked = re.findall(r'<input[^>]*name="pain"[^>]*value="([\w-]+)"[^>]*checked', page)
    assert ticked == ["sciatica"]


def test_region_filter(client):
    response = client.get(reverse("points:list"), {"region": "legs"})
    assert result_slugs(response) == LEG_SLUGS


def test_pain_type_and_region_combine(client):
    response = client.get(reverse("points:list"), {"pain": "lower-back-pain", "region": "feet"})
    assert result_slugs(response) == ["bl60", "bl62", "ki3", "lr3"]


@pytest.mark.parametrize(
    ("text", "slugs"),
    [
        ("UB40", ["bl40"]),
        ("bl 40", ["bl40"]),
        ("Hegu", ["li4"]),
        ("metacarpal", ["ex-ue7", "li4"]),
        # The classic points by code, pinyin, Chinese characters and English name.
        ("GV4", ["gv4"]),
        ("ex-ue7", ["ex-ue7"]),
        ("Yaotongdian", ["ex-ue7"]),
        ("Kunlun", ["bl60"]),
        ("阳陵泉", ["gb34"]),
        ("太冲", ["lr3"]),
        ("Great Ravine", ["ki3"]),
        ("Back Stream", ["si3"]),
    ],
)
def test_text_search(client, text, slugs):
    assert result_slugs(client.get(reverse("points:list"), {"q": text})) == slugs


def test_text_search_combines_with_pain_type(client):
    response = client.get(reverse("points:list"), {"pain": "sciatica", "q": "popliteal"})
    assert result_slugs(response) == ["bl40"]


def test_no_match_says_so_and_offers_every_point(client):
    response = client.get(reverse("points:list"), {"q": "elbow"})
    assert result_slugs(response) == []
    assert "0 points" in visible_text(response)
    assert 'href="/points/"' in results_html(response)


# htmx partial


def test_htmx_request_gets_only_the_results(client):
    response = client.get(reverse("points:list"), {"pain": "sciatica"}, headers=HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert "<nav" not in page
    assert "<form" not in page
    assert sorted(result_slugs(response)) == SCIATICA_SLUGS
    assert "7 points for sciatica" in visible_text(response)


def test_full_page_and_partial_both_vary_on_hx_request(client):
    full = client.get(reverse("points:list"))
    partial = client.get(reverse("points:list"), headers=HTMX)
    assert "hx-request" in vary(full)
    assert "hx-request" in vary(partial)
    assert "cookie" not in vary(partial)
    assert not partial.cookies


def test_htmx_partial_is_ready_for_a_strict_csp(client):
    response = client.get(reverse("points:list"), {"pain": "toothache"}, headers=HTMX)
    assert_strict_csp_ready(response.content.decode())


def test_htmx_history_restore_gets_the_full_page(client):
    headers = {**HTMX, "HX-History-Restore-Request": "true"}
    response = client.get(reverse("points:list"), {"pain": "sciatica"}, headers=headers)
    page = response.content.decode()
    assert "<html" in page
    assert "<nav" in page
    assert sorted(result_slugs(response)) == SCIATICA_SLUGS


def test_the_filter_form_asks_htmx_for_the_results_and_pushes_the_url(client):
    page = client.get(reverse("points:list")).content.decode()
    form_tag = re.search(r"<form[^>]*>", page).group(0)
    assert 'hx-get="/points/"' in form_tag
    assert 'hx-target="#results"' in form_tag
    assert 'hx-push-url="true"' in form_tag


# Bad input: a notice or a 4xx, never a 500


def test_unknown_pain_type_is_left_out_with_a_notice(client):
    response = client.get(reverse("points:list"), {"pain": ["sciatica", "toothache"]})
    assert response.status_code == 200
    assert "toothache" in results_html(response)
    assert sorted(result_slugs(response)) == SCIATICA_SLUGS


def test_unknown_pain_type_notice_also_reaches_the_htmx_partial(client):
    response = client.get(reverse("points:list"), {"pain": "toothache"}, headers=HTMX)
    assert response.status_code == 200
    assert "toothache" in response.content.decode()
    assert sorted(result_slugs(response)) == sorted(POINT_SLUGS)


def test_unpublished_pain_type_counts_as_unknown(client):
    draft = make_pain_type(is_published=False)
    response = client.get(reverse("points:list"), {"pain": [draft.slug, "headache"]})
    assert response.status_code == 200
    assert draft.slug in results_html(response)
    assert result_slugs(response) == ["li4"]


def test_unknown_region_is_ignored_with_a_notice(client):
    response = client.get(reverse("points:list"), {"region": "tail", "pain": "headache"})
    assert response.status_code == 200
    assert "body region" in results_html(response)
    assert result_slugs(response) == ["li4"]


def test_search_longer_than_100_characters_is_ignored_with_a_notice(client):
    response = client.get(reverse("points:list"), {"q": "b" * 101, "region": "legs"})
    assert response.status_code == 200
    assert "100 characters" in visible_text(response)
    assert result_slugs(response) == LEG_SLUGS


def test_search_of_exactly_100_characters_is_accepted(client):
    response = client.get(reverse("points:list"), {"q": "knee " + "x" * 95})
    assert response.status_code == 200
    assert "100 characters" not in visible_text(response)
    assert result_slugs(response) == []


def test_search_with_a_nul_byte_is_ignored_with_a_truthful_notice(client):
    response = client.get(reverse("points:list"), {"q": "knee\x00"})
    assert response.status_code == 200
    assert sorted(result_slugs(response)) == sorted(POINT_SLUGS)
    # The search is 5 characters long; a notice about its length would mislead the visitor.
    assert "100 characters" not in visible_text(response)


def test_a_flood_of_query_parameters_is_refused_with_400(client, settings):
    fields = {f"field{number}": "1" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.get(reverse("points:list"), fields)
    assert response.status_code == 400


def test_many_pain_values_within_the_limit_are_fine(client):
    response = client.get(reverse("points:list"), {"pain": ["sciatica"] * 150})
    assert response.status_code == 200
    assert sorted(result_slugs(response)) == SCIATICA_SLUGS


@pytest.mark.parametrize(
    "query",
    [
        "pain=%ff%fe%fd&region=%c3%28&q=%e2%82",
        "pain=%&region=%%&q=%zz%",
        "q=knee%00&pain=%00&region=%00",
        "pain=sciatica%00",
        "q=%00%00%00",
        "pain[]=sciatica&region[0]=legs&q[]=x",
        "&&&===&pain&region&q",
        "q=%27%22%3C%3E%3Bselect%20*%20from%20points_point%3B--",
        "q=100%25&pain=lower-back-pain%2F..%2F",
        f"q={'x' * 5000}&pain={'y' * 5000}&region={'z' * 5000}",
        "region=legs&region=feet&region=%ff",
    ],
)
def test_garbled_query_strings_never_give_a_server_error(client, query):
    full = client.get(f"/points/?{query}")
    partial = client.get(f"/points/?{query}", headers=HTMX)
    assert full.status_code == 200
    assert partial.status_code == 200


def test_very_long_unknown_pain_type_is_shortened_in_the_notice(client):
    response = client.get(reverse("points:list"), {"pain": "y" * 5000})
    assert response.status_code == 200
    assert "y" * 40 in results_html(response)
    assert "y" * 41 not in response.content.decode()


# Point detail


@pytest.mark.parametrize("slug", POINT_SLUGS)
def test_point_page_tells_where_how_and_how_long(client, slug):
    point = Point.objects.get(slug=slug)
    response = client.get(point.get_absolute_url())
    page = response.content.decode()
    text = visible_text(response)
    assert response.status_code == 200
    assert re.search(rf"<h1[^>]*>.*{point.code}.*{point.name}.*</h1>", page, re.S)
    assert point.summary in text
    assert point.location in text
    for step in point.how_to_find.splitlines():
        # The page may show the steps as a numbered list instead of "1." in the text.
        assert re.sub(r"^\d+\.\s*", "", step) in text
    assert point.technique in text
    assert point.press_time in text
    assert point.pinyin in text


@pytest.mark.parametrize("slug", POINT_SLUGS)
def test_point_page_shows_cautions_red_flags_and_sources(client, slug):
    point = Point.objects.get(slug=slug)
    text = visible_text(client.get(point.get_absolute_url()))
    for caution in point.cautions.all():
        assert caution.title in text
        assert caution.text in text
    for flag in general_red_flags():
        assert flag in text
    assert "Not medical advice" in text
    sources = point.references.all()
    # WHO's 2008 standard covers the 361 meridian points; an extra point's page says so.
    cites_who = any(source.title.startswith("WHO Standard Acupuncture") for source in sources)
    assert cites_who or "not one of the 361 points of WHO's 2008 standard" in text
    assert cites_who == (point.meridian.code != "EX")
    for source in sources:
        assert source.title in text
    for link in point.point_pain_types.all():
        assert link.pain_type.name in text
        assert link.note in text


def test_li4_page_warns_about_pregnancy(client):
    text = visible_text(client.get(reverse("points:detail", args=["li4"])))
    assert "Pregnancy" in text
    assert "Some points are traditionally avoided in pregnancy, among them LI4" in text


def test_gb30_page_links_its_pain_types_with_why(client):
    response = client.get(reverse("points:detail", args=["gb30"]))
    page = response.content.decode()
    assert 'href="/pain/sciatica/"' in page
    assert 'href="/pain/piriformis-syndrome/"' in page
    assert "Traditionally used for sciatic pain" in visible_text(response)


def test_bl62_page_says_to_massage_the_arches_afterwards(client):
    text = visible_text(client.get(reverse("points:detail", args=["bl62"])))
    assert "Massage the arches of your feet" in text


def test_bl40_page_lists_its_other_names(client):
    text = visible_text(client.get(reverse("points:detail", args=["bl40"])))
    for name in ["Weizhong", "UB40", "Bladder 40", "Urinary Bladder 40"]:
        assert name in text


def test_point_page_hides_unpublished_pain_types(client):
    draft = make_pain_type(is_published=False, name="Secret Draft Pain")
    point = make_point(pain_types=[draft])
    text = visible_text(client.get(point.get_absolute_url()))
    assert "Secret Draft Pain" not in text


def test_edited_point_shows_the_new_text(client):
    Point.objects.filter(code="BL23").update(summary="A freshly edited summary for BL23.")
    text = visible_text(client.get(reverse("points:detail", args=["bl23"])))
    assert "A freshly edited summary for BL23." in text


# Pain types


def test_pain_type_list_offers_every_published_pain_type(client):
    draft = make_pain_type(is_published=False)
    response = client.get(reverse("points:pain_types"))
    page = response.content.decode()
    for slug in PAIN_TYPE_SLUGS:
        assert f'href="/pain/{slug}/"' in page
    assert f'href="/pain/{draft.slug}/"' not in page
    for flag in general_red_flags():
        assert flag in visible_text(response)


def test_sciatica_page_lists_its_points_notes_and_red_flags(client):
    response = client.get(reverse("points:pain_type", args=["sciatica"]))
    page = response.content.decode()
    text = visible_text(response)
    assert re.search(r"<h1[^>]*>\s*Points traditionally used for sciatica\s*</h1>", page)
    assert "7 points" in text
    assert "studies have not shown which points help, or how much" in text
    assert "Traditionally used for sciatic pain" in text
    assert "sciatica among them" in text
    assert "(sciatica in both legs; possible cauda equina syndrome)" in text
    for flag in general_red_flags():
        assert flag in text
    assert "A sudden, very severe headache" not in text


def test_headache_page_shows_li4_with_its_pregnancy_caution(client):
    text = visible_text(client.get(reverse("points:pain_type", args=["headache"])))
    assert "LI4" in text
    assert "Some points are traditionally avoided in pregnancy, among them LI4" in text
    assert "A sudden, very severe headache, the worst you have had" in text
    assert "A joint that suddenly becomes very painful" not in text


def test_pain_type_page_leaves_out_unpublished_points(client):
    hidden = make_point(is_published=False, pain_types=[PainType.objects.get(slug="headache")])
    response = client.get(reverse("points:pain_type", args=["headache"]))
    assert f'href="/points/{hidden.slug}/"' not in response.content.decode()
    assert "1 point " in visible_text(response)


# References and safety


def test_references_page_cites_all_six_sources(client):
    response = client.get(reverse("points:references"))
    text = visible_text(response)
    assert "Stone, S. (n.d.). Spring Cleaning for Your Back" in text
    assert "Bourassa, P. (10 February 2018). 5 Acupressure Techniques" in text
    assert "George, S. (30 August 2016)." in text
    assert "Larsen, A. (28 May 2018)." in text
    assert "Pletcher, P. (25 March 2015)." in text
    assert "Tower Health (2018)." in text
    page = response.content.decode()
    assert (
        'href="https://www.tower-health.co.uk/blogs/home-page-3/5-acu-points-for-back-pain"' in page
    )


def test_references_page_links_each_source_to_its_points(client):
    page = client.get(reverse("points:references")).content.decode()
    for slug in POINT_SLUGS:
        assert f'href="/points/{slug}/"' in page


def test_safety_page_lists_every_red_flag_and_caution(client):
    text = visible_text(client.get(reverse("points:safety")))
    for flag in RedFlag.objects.all():
        assert flag.text in text
    assert "Some points are traditionally avoided in pregnancy, among them LI4" in text
    assert "Varicose veins" in text
    assert "Not medical advice" in text


def test_safety_page_does_not_name_unpublished_pain_types(client):
    draft = make_pain_type(is_published=False, name="Secret Draft Pain")
    flag = make_red_flag(text="Test sign of the draft pain", is_general=False)
    draft.red_flags.add(flag)
    flag.pain_types.add(PainType.objects.get(slug="sciatica"))
    text = visible_text(client.get(reverse("points:safety")))
    assert "Test sign of the draft pain" in text
    assert "secret draft pain" not in text.lower()


# Error pages


@pytest.mark.parametrize(
    "url",
    [
        "/points/zz99/",
        "/points/" + "a" * 500 + "/",
        "/points/%00/",
        "/points/bl40%00/",
        "/pain/toothache/",
        "/pain/%ff%fe/",
        "/no-such-page/",
    ],
)
def test_unknown_pages_get_the_friendly_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert NOT_FOUND_TEXT in html.unescape(response.content.decode())
    assert 'href="/points/"' in response.content.decode()


def test_unpublished_point_is_404(client):
    hidden = make_point(is_published=False)
    response = client.get(hidden.get_absolute_url())
    assert response.status_code == 404
    assert NOT_FOUND_TEXT in html.unescape(response.content.decode())


def test_unpublished_pain_type_is_404(client):
    draft = make_pain_type(is_published=False)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 404


def test_404_page_is_cacheable_and_csp_ready(client):
    response = client.get("/points/zz99/")
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert_strict_csp_ready(response.content.decode())


def test_server_error_gets_the_friendly_500(monkeypatch):
    def broken_render(*args, **kwargs):
        raise RuntimeError("simulated failure")

    monkeypatch.setattr("points.views.render", broken_render)
    response = Client(raise_request_exception=False).get(reverse("points:home"))
    page = html.unescape(response.content.decode())
    assert response.status_code == 500
    assert "Something went wrong" in page
    assert "simulated failure" not in page
    assert 'href="/"' in page
    assert_strict_csp_ready(page)


def test_public_pages_answer_304_when_the_browser_has_them(client):
    first = client.get("/points/bl23/")
    assert first.has_header("ETag")
    again = client.get("/points/bl23/", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_the_point_list_pages_by_24_and_keeps_the_filters(client):
    meridian = make_meridian()
    for _ in range(30):
        make_point(
            meridian=meridian, region="legs", pain_types=[PainType.objects.get(slug="sciatica")]
        )
    total = Point.objects.published().filter(pain_types__slug="sciatica", region="legs").count()
    assert 25 <= total <= 48  # the 30 made here and any seeded ones: two pages
    first = client.get("/points/", {"pain": "sciatica", "region": "legs"}).content.decode()
    assert f"{total} points for sciatica" in first
    assert "1–24 shown" in first
    assert "Page 1 of 2" in first
    assert 'href="?pain=sciatica&amp;region=legs&amp;page=2"' in first
    second = client.get("/points/", {"pain": "sciatica", "region": "legs", "page": 2})
    assert f"25–{total} shown" in second.content.decode()
    assert 'rel="prev"' in second.content.decode()


@pytest.mark.parametrize("page", ["0", "99", "two", "-1", "1e9"])
def test_a_page_number_that_is_not_one_shows_a_real_page(client, page):
    response = client.get("/points/", {"page": page})
    assert response.status_code == 200
    assert "16 points" in response.content.decode()


def test_the_search_box_and_region_options_come_from_the_form_and_the_model(client):
    from points.forms import SEARCH_MAX_LENGTH
    from points.models import BodyRegion

    page = client.get(reverse("points:list")).content.decode()
    assert re.search(rf'<input type="search" name="q"[^>]* maxlength="{SEARCH_MAX_LENGTH}"', page)
    for value, label in BodyRegion.choices:
        assert f'<option value="{value}">{label}</option>' in page


def test_the_admin_shows_the_limits_the_models_validators_set(client):
    from django.contrib.auth.models import User

    from points.models import Caution, PointMarker

    client.force_login(User.objects.create_superuser("limits", password="x" * 20))
    caution_form = client.get(reverse("admin:points_caution_add")).content.decode()
    text_limit = Caution._meta.get_field("text").validators[0].limit_value
    assert re.search(rf'<textarea name="text_en"[^>]* maxlength="{text_limit}"', caution_form)
    point_form = client.get(reverse("admin:points_point_add")).content.decode()
    assert PointMarker._meta.get_field("x").validators[0].limit_value == 0
    assert re.search(r'name="markers-__prefix__-x"[^>]* min="0"', point_form)
    assert re.search(r'name="press_seconds_max"[^>]* max="600"', point_form)
