"""The guide in English, Spanish and German: pages, switcher, negotiation, fallbacks, the
catalogues, translation reviews, and routines shown in the language of their URL."""

import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from acupressure.translations import mark_translation_reviewed, translation_state
from points.models import Caution, PainType, Point, RedFlag
from routines.models import Routine
from routines.working import WorkingRoutine
from tests.factories import make_routine
from tests.pages import POINT_SLUGS, every_kind_of_page, visible_text

LOCALE = Path(settings.BASE_DIR) / "locale"
OTHER_LANGUAGES = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|<[^>]+>")


def catalogue(code):
    return polib.pofile(str(LOCALE / code / "LC_MESSAGES" / "django.po"))


def suggested():
    return Routine.objects.suggestions().order_by("sort_order").first()


def in_language(code, path):
    return path if code == settings.LANGUAGE_CODE else f"/{code}{path}"


def page_strings(response):
    """What a reader meets on the page: its text, and the words in its attributes."""
    page = response.content.decode()
    attributes = re.findall(r'(?:aria-label|placeholder|title|alt|content)="([^"]*)"', page)
    return visible_text(response) + " | " + " | ".join(html.unescape(a) for a in attributes)


def english_fragments(code):
    """Pieces of English the catalogue translates differently, long enough (three words or
    more) not to turn up by chance: each message split at its placeholders and tags."""
    fragments = set()
    for entry in catalogue(code):
        translated = entry.msgstr or entry.msgstr_plural.get(0, "")
        for msgid in (entry.msgid, entry.msgid_plural):
            if not msgid or msgid == translated:
                continue
            for piece in PLACEHOLDER.split(msgid):
                piece = re.sub(r"\s+", " ", piece).strip(" .,:;()·–")
                if len(piece.split()) >= 3 and piece not in translated:
                    fragments.add(piece)
    return fragments


def short_labels(code):
    """Short messages (a word or two: "Points", "Save and share"), translated differently:
    caught where they stand alone as an element's text or an attribute's value."""
    labels = set()
    for entry in catalogue(code):
        translated = entry.msgstr or entry.msgstr_plural.get(0, "")
        short = 1 <= len(entry.msgid.split()) <= 2 and len(entry.msgid) >= 4
        if short and entry.msgid != translated and not PLACEHOLDER.search(entry.msgid):
            labels.add(entry.msgid)
    return labels


def standing_alone(response, labels):
    page = response.content.decode()
    texts = {html.unescape(t).strip() for t in re.findall(r">([^<>]+)<", page)}
    texts |= {
        html.unescape(a).strip() for a in re.findall(r'(?:aria-label|placeholder)="([^"]*)"', page)
    }
    return sorted(labels & texts)


# Catalogues


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_every_interface_string_is_translated(code):
    po = catalogue(code)
    assert po.percent_translated() == 100, [e.msgid for e in po.untranslated_entries()][:5]
    assert not po.fuzzy_entries()
    for entry in po.translated_entries():
        for original, translated in [(entry.msgid, entry.msgstr)] + [
            (entry.msgid_plural, text) for text in entry.msgstr_plural.values()
        ]:
            if original and translated:
                assert set(re.findall(r"%\(\w+\)[sd]", original)) == set(
                    re.findall(r"%\(\w+\)[sd]", translated)
                ), entry.msgid


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_compiled_catalogue_matches_its_po_file(code):
    """The .mo files are committed (a fresh machine needs no gettext tools): they must say
    what the .po files say."""
    po = catalogue(code)
    mo = polib.mofile(str(LOCALE / code / "LC_MESSAGES" / "django.mo"))

    def entries(catalogue):
        return {
            (e.msgctxt, e.msgid): (e.msgstr, dict(sorted(e.msgstr_plural.items())))
            for e in catalogue
            if e.msgid and (e.msgstr or e.msgstr_plural) and "fuzzy" not in e.flags
        }

    assert entries(mo) == {
        key: (text, {int(k): v for k, v in plural.items()})
        for key, (text, plural) in entries(po).items()
    }


# Pages in each language


@pytest.mark.django_db
@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_every_kind_of_page_is_in_the_language_of_its_url(client, code):
    token = suggested().token
    client.post(reverse("routines:add", args=[POINT_SLUGS[0]]))
    fragments = english_fragments(code)
    labels = short_labels(code)
    assert len(fragments) > 100
    assert len(labels) > 40
    for path in every_kind_of_page(token):
        response = client.get(in_language(code, path))
        assert response.status_code == 200, path
        assert f'<html lang="{code}"' in response.content.decode()
        assert response["Content-Language"] == code
        strings = page_strings(response)
        left = sorted(fragment for fragment in fragments if fragment in strings)
        assert not left, (path, left)
        assert not standing_alone(response, labels), path


@pytest.mark.django_db
def test_english_pages_stay_unprefixed_and_english(client):
    response = client.get("/points/bl23/")
    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()
    assert "Warning signs" in visible_text(response)


@pytest.mark.django_db
def test_content_is_shown_in_the_page_language(client):
    with translation.override("es"):
        spanish = Point.objects.get(code="BL23").summary
    with translation.override("de"):
        german = Point.objects.get(code="BL23").summary
    english = Point.objects.get(code="BL23").summary
    assert len({english, spanish, german}) == 3
    assert spanish in visible_text(client.get("/es/points/bl23/"))
    assert german in visible_text(client.get("/de/points/bl23/"))
    assert english not in visible_text(client.get("/de/points/bl23/"))


@pytest.mark.django_db
def test_every_red_flag_and_caution_has_its_translations():
    """Warning signs and cautions may not fall back to English: a reader in Spanish or
    German must read them in their language."""
    for model, fields in [(RedFlag, ["text"]), (Caution, ["title", "text"])]:
        for row in model.objects.all():
            for code in OTHER_LANGUAGES:
                for field in fields:
                    assert getattr(row, f"{field}_{code}"), (row, field, code)


# Switcher, alternates, negotiation


@pytest.mark.django_db
def test_switcher_and_hreflang_name_the_same_page_in_every_language(client):
    page = client.get("/es/points/bl23/").content.decode()
    for code, path in [
        ("en", "/points/bl23/"),
        ("es", "/es/points/bl23/"),
        ("de", "/de/points/bl23/"),
    ]:
        assert f'hreflang="{code}" href="http://testserver{path}"' in page
        assert re.search(rf'<a [^>]*href="{path}"[^>]*lang="{code}"', page) or re.search(
            rf'<a [^>]*lang="{code}"[^>]*href="{path}"', page
        ), code
    assert 'hreflang="x-default" href="http://testserver/points/bl23/"' in page
    assert re.search(r'<a [^>]*aria-current="true"[^>]*>\s*Español', page)


@pytest.mark.django_db
def test_only_the_home_page_follows_accept_language(client):
    response = client.get("/", headers={"accept-language": "de-DE,de;q=0.9,en;q=0.5"})
    assert response.status_code == 302
    assert response["Location"] == "/de/"
    assert "Accept-Language" in response["Vary"]
    # Any other page is the language of its URL, whatever the browser asks for.
    other = client.get("/points/", headers={"accept-language": "de"})
    assert other.status_code == 200
    assert '<html lang="en"' in other.content.decode()
    assert "Accept-Language" not in other.get("Vary", "")
    # A browser asking for a language the guide lacks, or English, stays.
    assert client.get("/", headers={"accept-language": "fr-FR,fr"}).status_code == 200
    assert client.get("/", headers={"accept-language": "en-GB,de;q=0.5"}).status_code == 200


@pytest.mark.django_db
def test_a_visitor_who_chooses_english_in_the_switcher_stays_in_english(client):
    response = client.get(
        "/", headers={"accept-language": "es", "referer": "http://testserver/es/"}
    )
    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_no_page_varies_on_cookies(client):
    client.post(reverse("routines:add", args=["bl23"]))
    client.cookies["django_language"] = "de"
    for path in ["/points/", "/es/points/", "/de/pain/", "/points/bl23/"]:
        response = client.get(path)
        assert "Cookie" not in response.get("Vary", ""), path
    assert '<html lang="en"' in client.get("/points/").content.decode()


@pytest.mark.django_db
def test_sitemap_lists_every_public_page_in_every_language_with_alternates(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = ET.fromstring(response.content).findall("s:url", ns)
    locations = {url.find("s:loc", ns).text for url in urls}
    for path in ["/", "/points/", "/safety/", "/references/", "/pain/"] + [
        f"/points/{slug}/" for slug in POINT_SLUGS
    ]:
        for code in ["en", "es", "de"]:
            assert f"http://testserver{in_language(code, path)}" in locations
    assert f"http://testserver/es/r/{suggested().token}/" in locations
    for url in urls:
        languages = {link.get("hreflang") for link in url.findall("x:link", ns)}
        assert languages == {"en", "es", "de", "x-default"}


@pytest.mark.django_db
def test_robots_txt_points_at_the_sitemap_and_keeps_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text
    assert "Disallow: /es/routine/" in text


# Fallbacks


@pytest.mark.django_db
def test_a_missing_translation_falls_back_to_english_with_a_note(client):
    Point.objects.filter(code="BL23").update(summary_de="")
    english = Point.objects.get(code="BL23").summary
    page = visible_text(client.get("/de/points/bl23/"))
    assert english in page
    with translation.override("de"):
        note = translation.gettext("This part is not yet translated; it is shown in English.")
    assert note in page
    assert note not in visible_text(client.get("/es/points/bl23/"))
    assert "not yet translated" not in visible_text(client.get("/points/bl23/"))


# Routines in the language of the URL


@pytest.mark.django_db
def test_a_routine_saved_in_english_prints_in_spanish(client):
    client.post(reverse("routines:add", args=["bl23"]))
    client.post(reverse("routines:add", args=["li4"]))
    version = WorkingRoutine(client.session).version
    token = client.post(reverse("routines:save"), {"version": version}).url.split("/")[-2]
    routine = Routine.objects.get(token=token)

    page = visible_text(client.get(f"/es/r/{token}/print/"))

    with translation.override("es"):
        assert Point.objects.get(code="LI4").name in page
        assert translation.gettext("My back-pain routine") in page
    assert routine.title_en == "My back-pain routine"
    assert "Warning signs" not in page


@pytest.mark.django_db
def test_a_title_typed_on_a_spanish_page_reads_the_same_in_every_language(client):
    routine = make_routine(title="Mi rutina de la mañana")
    with translation.override("es"):
        Routine.objects.filter(pk=routine.pk).first().save()
    for code in ["en", "es", "de"]:
        assert "Mi rutina de la mañana" in visible_text(
            client.get(in_language(code, f"/r/{routine.token}/"))
        )


# Chinese names


@pytest.mark.django_db
def test_chinese_names_are_shown_and_found(client):
    page = client.get("/es/points/bl23/").content.decode()
    assert '<span class="hanzi" lang="zh-Hans">肾俞</span>' in page
    found = client.get("/points/", {"q": "委中"})
    assert "/points/bl40/" in found.content.decode()
    assert "/points/bl23/" not in found.content.decode()


# Caches


@pytest.mark.django_db
def test_cached_pages_and_parts_are_kept_per_language(client, page_cache_in_memory):
    for path in ["/points/", "/es/points/", "/points/", "/es/points/bl23/", "/points/bl23/"]:
        response = client.get(path)
        expected = "es" if path.startswith("/es/") else "en"
        assert f'<html lang="{expected}"' in response.content.decode(), path


# Reviews of translations


@pytest.mark.django_db
def reviewer(django_user_model):
    from acupressure.models import EditorProfile

    user = django_user_model.objects.create_user("reviewer")
    EditorProfile.objects.create(user=user, name="Rosa Díaz", role="translator")
    return user


def test_a_translation_is_reviewed_apart_from_its_english(django_user_model):
    editor = reviewer(django_user_model)
    flag = RedFlag.objects.get(key="loss-of-bladder-or-bowel-control")
    assert translation_state(flag, "es") == "not yet reviewed"

    mark_translation_reviewed(flag, "es", editor)
    review = flag.translation_reviews.get(language="es")
    assert translation_state(flag, "es", review).startswith("reviewed")
    assert translation_state(flag, "de") == "not yet reviewed"

    # A change to the English, by any path, asks for the translations to be looked at again.
    RedFlag.objects.filter(pk=flag.pk).update(text_en="New loss of bladder control")
    flag.refresh_from_db()
    assert translation_state(flag, "es", review).startswith("needs review")
    # And so does a change to the translation itself.
    mark_translation_reviewed(flag, "es", editor)
    review = flag.translation_reviews.get(language="es")
    RedFlag.objects.filter(pk=flag.pk).update(text_es="Otro texto")
    flag.refresh_from_db()
    assert translation_state(flag, "es", review).startswith("needs review")


@pytest.mark.django_db
def test_an_editor_marks_a_translation_reviewed_from_the_admin(admin_client, admin_user):
    from acupressure.models import EditorProfile

    EditorProfile.objects.create(user=admin_user, name="Klaus Weber", role="translator")
    pain_type = PainType.objects.get(slug="sciatica")
    response = admin_client.post(
        reverse("admin:points_paintype_changelist"),
        {"action": "mark_de_translation_reviewed", "_selected_action": [pain_type.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert pain_type.translation_reviews.filter(language="de").exists()
    assert not pain_type.translation_reviews.filter(language="es").exists()
    listing = admin_client.get(reverse("admin:points_paintype_changelist")).content.decode()
    assert "German: reviewed" in listing
    assert "by Klaus Weber" in listing


@pytest.mark.django_db
@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_drawings_keep_their_decimal_points_in_every_language(client, code):
    """Numbers in a drawing are coordinates, not numbers to read: no "12,5" for 12.5."""
    for path in ["/points/", "/points/bl23/", "/pain/sciatica/", f"/r/{suggested().token}/print/"]:
        page = client.get(in_language(code, path)).content.decode()
        assert re.search(r'<circle [^>]*r="\d+\.\d+"', page), path
        assert not re.search(r'(?:c[xy]|r|x|y)="-?\d+,\d+"', page), path


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_each_language_has_the_footer_of_its_printed_pages(code):
    """CSS cannot translate the printed page's margins: each language brings its own lines
    (print.html links them), or its sheets would print with the English footer."""
    footer = Path(settings.BASE_DIR) / "static" / "css" / f"print-{code}.css"
    assert "@bottom-left" in footer.read_text(encoding="utf-8")


@pytest.mark.django_db
def test_a_spanish_page_shows_a_review_only_once_its_translation_is_reviewed(
    client, django_user_model, page_cache_in_memory
):
    editor = reviewer(django_user_model)
    point = Point.objects.get(code="BL23")
    point.mark_reviewed(editor)
    reviewed = "Esta traducción la revisó Rosa Díaz, traductor/a, el"
    text = visible_text(client.get("/es/points/bl23/"))
    assert "Revisado por Rosa Díaz, traductor/a, el" in text
    assert "Esta traducción aún no se ha revisado." in text

    mark_translation_reviewed(point, "es", editor)
    assert reviewed in visible_text(client.get("/es/points/bl23/"))
    assert "Reviewed by Rosa Díaz, translator, on" in visible_text(client.get("/points/bl23/"))

    # The English changes: the Spanish page stops vouching for either.
    point.refresh_from_db()
    point.technique_en = "Press firmly for a minute."
    point.save()
    text = visible_text(client.get("/es/points/bl23/"))
    assert reviewed not in text
    assert "Aún no revisado por un profesional sanitario." in text
