import re
from datetime import date

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from points.models import PainType, Point, RedFlag, Reference
from points.uploads import PHOTO_MAX_BYTES
from tests.factories import (
    build_point,
    link_pain_type,
    make_meridian,
    make_pain_type,
    make_point,
    make_red_flag,
    png_bytes,
)

pytestmark = pytest.mark.django_db


# Constraints the database itself enforces, whatever path the data takes.


def test_point_code_is_unique_in_the_database():
    existing = make_point()
    duplicate = build_point(code=existing.code)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_point_slug_is_unique_in_the_database():
    existing = make_point()
    duplicate = build_point(slug=existing.slug)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_point_number_is_unique_within_its_meridian():
    existing = make_point()
    duplicate = build_point(meridian=existing.meridian, number=existing.number, code="ZZ1")
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_meridian_code_is_unique_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_meridian(code="BL")


def test_pain_type_slug_is_unique_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_pain_type(slug="sciatica")


def test_a_point_is_linked_to_a_pain_type_only_once():
    point = make_point()
    pain_type = make_pain_type()
    link_pain_type(point, pain_type)
    with pytest.raises(IntegrityError), transaction.atomic():
        link_pain_type(point, pain_type)


def test_database_refuses_a_shortest_press_longer_than_the_longest():
    point = build_point(press_seconds_min=120, press_seconds_max=60)
    with pytest.raises(IntegrityError), transaction.atomic():
        point.save()


def test_database_refuses_a_press_time_of_zero():
    point = build_point(press_seconds_min=0, press_seconds_max=30)
    with pytest.raises(IntegrityError), transaction.atomic():
        point.save()


def test_database_refuses_to_make_an_existing_point_inconsistent():
    # An UPDATE that skips model validation (bulk edits, raw admin actions) is also refused.
    point = make_point(press_seconds_min=30, press_seconds_max=60)
    with pytest.raises(IntegrityError), transaction.atomic():
        Point.objects.filter(pk=point.pk).update(press_seconds_max=10)


def test_equal_shortest_and_longest_press_is_allowed():
    point = make_point(press_seconds_min=45, press_seconds_max=45)
    assert Point.objects.get(pk=point.pk).press_time == "45 s"


def test_full_clean_reports_the_press_time_rule_to_an_editor():
    point = build_point(press_seconds_min=120, press_seconds_max=60)
    with pytest.raises(ValidationError):
        point.full_clean()


# QuerySets


def test_published_leaves_out_unpublished_points():
    shown = make_point()
    hidden = make_point(is_published=False)
    published = Point.objects.published()
    assert shown in published
    assert hidden not in published


def test_for_pain_types_puts_points_matching_most_pain_types_first():
    back, leg, head = make_pain_type(), make_pain_type(), make_pain_type()
    meridian = make_meridian()
    one_match = make_point(meridian=meridian, number=1, pain_types=[leg])
    two_matches = make_point(meridian=meridian, number=2, pain_types=[back, leg])
    make_point(meridian=meridian, number=3, pain_types=[head])
    make_point(meridian=meridian, number=4)

    found = list(Point.objects.for_pain_types([back, leg]))

    assert found == [two_matches, one_match]
    assert [point.matching_pain_types for point in found] == [2, 1]


def test_for_pain_types_breaks_ties_by_meridian_and_number():
    pain = make_pain_type()
    meridian = make_meridian()
    later = make_point(meridian=meridian, number=9, pain_types=[pain])
    earlier = make_point(meridian=meridian, number=2, pain_types=[pain])
    assert list(Point.objects.for_pain_types([pain])) == [earlier, later]


def test_for_pain_types_chains_with_published_and_region():
    pain = make_pain_type()
    wanted = make_point(region="feet", pain_types=[pain])
    make_point(region="legs", pain_types=[pain])
    make_point(region="feet", pain_types=[pain], is_published=False)

    found = Point.objects.published().for_pain_types([pain]).in_region("feet")

    assert list(found) == [wanted]


def test_in_region_keeps_only_that_region():
    hand = make_point(region="arms")
    hip = make_point(region="hips")
    both = Point.objects.filter(pk__in=[hand.pk, hip.pk])
    assert list(both.in_region("arms")) == [hand]


@pytest.mark.parametrize("text", ["bl 40", "BL40", "UB40", "ub 40", "Bladder 40", "Weizhong"])
def test_search_finds_bl40_by_code_alias_or_pinyin(text):
    found = Point.objects.published().search(text)
    assert [point.code for point in found] == ["BL40"]


def test_search_finds_points_by_their_meridians_names():
    meridian = make_meridian(name="Quuxway", other_names="Old Quux Channel, OQ")
    point = make_point(meridian=meridian, aliases="")
    assert list(Point.objects.search("quuxway")) == [point]
    assert list(Point.objects.search("old quux")) == [point]


def test_search_needs_every_word_but_each_may_come_from_another_field():
    point = make_point(name="Quillon Gate", location="Beside the zarbone.")
    make_point(name="Quillon Door", location="Nowhere near it.")

    assert list(Point.objects.search("quillon zarbone")) == [point]
    assert list(Point.objects.search("ZARBONE gate")) == [point]
    assert not Point.objects.search("quillon elbow").exists()


def test_search_looks_in_summary_and_how_to_find():
    point = make_point(summary="Eases the wobbleknee.", how_to_find="Follow the plinthline.")
    assert list(Point.objects.search("wobbleknee")) == [point]
    assert list(Point.objects.search("plinthline")) == [point]


def test_search_with_only_spaces_filters_nothing():
    assert Point.objects.search("   ").count() == Point.objects.count()


def test_red_flags_for_a_pain_type_are_the_general_ones_and_its_own():
    pain = make_pain_type()
    own = make_red_flag(is_general=False)
    pain.red_flags.add(own)
    other = make_red_flag(is_general=False)
    make_pain_type().red_flags.add(other)

    flags = list(RedFlag.objects.for_pain_types([pain]))

    assert own in flags
    assert other not in flags
    assert set(RedFlag.objects.general()) <= set(flags)
    assert len(flags) == len(set(flags))


def test_pain_type_published_leaves_out_drafts():
    draft = make_pain_type(is_published=False)
    assert draft not in PainType.objects.published()


# Formatting


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (30, 180, "30 s to 3 min"),
        (60, 90, "60–90 s"),
        (30, 30, "30 s"),
        (60, 60, "1 min"),
        (120, 300, "2 min to 5 min"),
        (90, 150, "90 s to 2 min 30 s"),
        (45, 119, "45–119 s"),
    ],
)
def test_press_time_reads_like_a_person_would_say_it(low, high, expected):
    point = build_point(press_seconds_min=low, press_seconds_max=high)
    assert point.press_time == expected


def test_alias_list_splits_on_commas_and_drops_blanks():
    point = build_point(aliases="UB40, Bladder 40 ,, Urinary Bladder 40, ")
    assert point.alias_list == ["UB40", "Bladder 40", "Urinary Bladder 40"]


def citation(reference, language="en"):
    """The citation as a reader of a page in `language` sees it."""
    with translation.override(language):
        html = render_to_string("includes/citation.html", {"reference": reference})
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


BOURASSA = {
    "authors": "Bourassa, P.",
    "published_on": date(2018, 2, 5),
    "title": "5 Acupressure Techniques To Relieve Lower Back Pain",
    "site_name": "mindbodygreen",
    "url": "https://www.mindbodygreen.com/articles/acupressure-for-lower-back-pain",
    "accessed_on": date(2024, 3, 7),
}


@pytest.mark.parametrize(
    ("language", "published", "read", "other_language"),
    [
        ("en", "5 February 2018", "Read on 7 March 2024.", ""),
        ("es", "5 de febrero de 2018", "Consultado el 7 de marzo de 2024.", " (en inglés)"),
        ("de", "5. Februar 2018", "Gelesen am 7. März 2024.", " (auf Englisch)"),
    ],
)
def test_a_citation_gives_dates_in_the_pages_language(language, published, read, other_language):
    assert citation(Reference(**BOURASSA), language) == (
        f"Bourassa, P. ({published}). 5 Acupressure Techniques To Relieve Lower Back Pain. "
        "mindbodygreen. https://www.mindbodygreen.com/articles/acupressure-for-lower-back-pain "
        f"{read}{other_language}"
    )


def test_reference_with_only_a_year_cites_the_year():
    reference = Reference(
        authors="Tower Health",
        published_on=date(2018, 1, 1),
        year_only=True,
        title="The 5 Most Important Acupuncture Points For Treating Back Pain",
        url="https://www.tower-health.co.uk/blogs/home-page-3/5-acu-points-for-back-pain",
    )
    assert reference.date_cited == "2018"
    assert citation(reference) == (
        "Tower Health (2018). The 5 Most Important Acupuncture Points For Treating Back Pain. "
        "https://www.tower-health.co.uk/blogs/home-page-3/5-acu-points-for-back-pain"
    )


def test_reference_without_a_date_cites_no_date():
    reference = Reference(authors="Stone, S.", title="Spring Cleaning for Your Back")
    assert reference.date_cited == "n.d."
    assert citation(reference) == "Stone, S. (n.d.). Spring Cleaning for Your Back."


# Photos


def point_with_photo(upload, credit="Photo: Test Studio"):
    return build_point(photo=upload, photo_credit=credit)


def test_small_png_with_credit_passes_validation():
    upload = SimpleUploadedFile("bl40.png", png_bytes(), content_type="image/png")
    point_with_photo(upload).full_clean()


def test_photo_with_a_non_image_extension_is_rejected():
    upload = SimpleUploadedFile("notes.txt", b"just some text", content_type="text/plain")
    with pytest.raises(ValidationError) as error:
        point_with_photo(upload).full_clean()
    assert "photo" in error.value.message_dict


def test_non_image_content_named_like_a_png_is_rejected_by_full_clean():
    # The brief asks for photos validated by Pillow: the name alone must not be enough.
    upload = SimpleUploadedFile("bl40.png", b"this is not an image", content_type="image/png")
    with pytest.raises(ValidationError) as error:
        point_with_photo(upload).full_clean()
    assert "photo" in error.value.message_dict


def test_non_image_content_named_like_a_png_is_rejected_by_the_editors_form():
    point_form = forms.modelform_factory(Point, fields=["photo", "photo_credit"])
    upload = SimpleUploadedFile("bl40.png", b"this is not an image", content_type="image/png")
    form = point_form(
        data={"photo_credit": "Test Studio"},
        files={"photo": upload},
        instance=make_point(),
    )
    assert not form.is_valid()
    assert "photo" in form.errors


def test_photo_larger_than_the_limit_is_rejected():
    # A real PNG padded past the limit, so only the size can be the reason.
    content = png_bytes() + b"\0" * (PHOTO_MAX_BYTES + 1)
    upload = SimpleUploadedFile("big.png", content, content_type="image/png")
    with pytest.raises(ValidationError) as error:
        point_with_photo(upload).full_clean()
    assert "at most 4 MB" in " ".join(error.value.message_dict["photo"])


def test_photo_without_credit_is_rejected():
    upload = SimpleUploadedFile("bl40.png", png_bytes(), content_type="image/png")
    with pytest.raises(ValidationError) as error:
        point_with_photo(upload, credit="").full_clean()
    assert "photo_credit" in error.value.message_dict


def test_point_without_photo_needs_no_credit():
    build_point(photo_credit="").full_clean()
