"""The guide's content as a release file: export_content, import_content, and what a site
changed since the release it imported last. The test database holds the release
content/guide.json, imported as `make run` imports it (tests/conftest.py)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from reversion.models import Revision

from acupressure.content_files import content_labels, content_model
from acupressure.models import ContentRelease
from points.models import (
    Benefit,
    Caution,
    Meridian,
    PainType,
    Point,
    PointMarker,
    PointPainType,
    RedFlag,
    Reference,
    Tip,
)
from routines.models import Routine, RoutineStep
from tests.factories import (
    link_pain_type,
    make_caution,
    make_pain_type,
    make_point,
    make_red_flag,
    make_routine,
)
from tools.server import GUIDE_CONTENT, copy_database, manage, site_env

pytestmark = pytest.mark.django_db


def export():
    out = StringIO()
    call_command("export_content", stdout=out)
    return out.getvalue()


def import_file(tmp_path, text, *args, name="release.json"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("import_content", str(path), *args, stdout=out)
    return out.getvalue()


def release(*changes):
    """content/guide.json with some points' fields changed (see `point`)."""
    entries = json.loads(GUIDE_CONTENT.read_text(encoding="utf-8"))
    for code, fields in changes:
        first(entries, "points.point", code=code)["fields"].update(fields)
    return json.dumps(entries, indent=2, ensure_ascii=False) + "\n"


def point(code, **fields):
    return code, fields


def first(entries, label, **fields):
    return next(
        entry
        for entry in entries
        if entry["model"] == label and all(entry["fields"].get(k) == v for k, v in fields.items())
    )


def suggestion_steps():
    return {
        routine.token: [
            (step.position, step.point.code if step.point else step.text, step.seconds)
            for step in routine.steps.select_related("point")
        ]
        for routine in Routine.objects.suggestions()
    }


def test_exporting_right_after_importing_the_release_gives_the_file_back():
    assert export() == GUIDE_CONTENT.read_text(encoding="utf-8")


def test_export_is_the_same_bytes_every_time_and_holds_only_content(tmp_path):
    visitors = make_routine(title="A visitor's routine", steps=["Stretch"])
    Point.objects.filter(code="BL23").update(
        photo="points/bl23-photo.jpg", photo_credit="Guide staff"
    )

    first_export, second_export = export(), export()
    file = tmp_path / "content.json"
    call_command("export_content", str(file), stdout=StringIO())

    assert first_export == second_export == file.read_text(encoding="utf-8")
    entries = json.loads(first_export)
    assert {entry["model"] for entry in entries} == set(content_labels())
    assert all(set(entry) == {"model", "fields"} for entry in entries)  # no database ids
    assert visitors.token not in first_export
    assert "A visitor's routine" not in first_export
    suggestions = list(Routine.objects.suggestions())
    assert suggestions
    for suggestion in suggestions:
        assert f'"token": "{suggestion.token}"' in first_export
    bl23 = first(entries, "points.point", code="BL23")
    assert bl23["fields"]["meridian"] == ["BL"]
    assert bl23["fields"]["photo"] == "points/bl23-photo.jpg"
    # A review belongs to one site: never in the file.
    assert "last_reviewed" not in bl23["fields"]
    link = first(entries, "points.pointpaintype")
    assert isinstance(link["fields"]["point"], list)
    assert isinstance(link["fields"]["pain_type"], list)


def test_every_content_row_is_found_again_by_its_natural_key():
    make_point(pain_types=[make_pain_type()], cautions=[make_caution()])
    for label in content_labels():
        model = content_model(label)
        rows = list(model._default_manager.all())
        assert rows, label
        for row in rows:
            assert model._default_manager.get_by_natural_key(*row.natural_key()) == row


def test_text_keys_are_unique_readable_and_stay_when_the_text_changes():
    first_flag = make_red_flag(text="Pain that spreads down both legs")
    second_flag = make_red_flag(text="Pain that spreads down both legs")
    first_flag.text = "Pain that spreads down both legs and gets worse"
    first_flag.save()
    first_flag.refresh_from_db()

    assert first_flag.key == "pain-that-spreads-down-both-legs"
    assert second_flag.key == "pain-that-spreads-down-both-legs-2"
    assert Reference.objects.get(is_source_article=True).key.startswith("spring-cleaning")


def test_export_gives_a_key_to_rows_saved_without_one():
    Benefit.objects.bulk_create([Benefit(text="Warms the hands"), Benefit(text="Warms the feet")])

    text = export()

    assert set(Benefit.objects.filter(text__startswith="Warms").values_list("key", flat=True)) == {
        "warms-the-hands",
        "warms-the-feet",
    }
    assert '"key": "warms-the-hands"' in text


# --- A new release on a site whose editors changed things ---------------------------------


def test_a_new_release_keeps_an_editors_change_and_says_which_fields_it_kept(tmp_path):
    gb30 = Point.objects.get(code="GB30")
    gb30.location_en = "Where our physiotherapist finds it."
    gb30.save()
    new_release = release(
        point("GB30", location="The release's words.", location_en="The release's words."),
        point("LI4", location_es="Nuevo texto de la versión."),
    )

    report = import_file(tmp_path, new_release, name="2026-12.json")

    gb30.refresh_from_db()
    li4 = Point.objects.get(code="LI4")
    assert gb30.location_en == "Where our physiotherapist finds it."
    assert li4.location_es == "Nuevo texto de la versión."
    assert "Kept as this site has them (1;" in report
    assert "  points.point GB30: location, location_en" in report
    assert "updated 1 points.point" in report
    # Each import is one revision of the history, named after the release.
    latest = ContentRelease.objects.latest()
    assert latest.name.startswith("2026-12.json sha256:")
    revision = Revision.objects.order_by("-pk").first()
    assert revision.comment == f"Content release {latest.name}"
    assert {version.object_repr for version in revision.version_set.all()} >= {str(li4)}


def test_an_editors_change_stays_through_later_releases_until_overwrite(tmp_path):
    bl23 = Point.objects.get(code="BL23")
    bl23.technique_en = "Our own way of pressing it."
    bl23.save()
    import_file(tmp_path, release(point("BL23", summary_de="Eine neue Fassung.")))

    report = import_file(
        tmp_path,
        release(point("BL23", summary_de="Eine neue Fassung.", technique_en="Press firmly.")),
        name="next.json",
    )
    assert Point.objects.get(code="BL23").technique_en == "Our own way of pressing it."
    assert "points.point BL23: technique, technique_en" in report

    report = import_file(tmp_path, release(), "--overwrite", name="original.json")

    assert "Replaced this site's changes (1):" in report
    assert export() == GUIDE_CONTENT.read_text(encoding="utf-8")


def test_a_release_leaves_what_editors_deleted_and_added(tmp_path):
    PointPainType.objects.get(point__code="GB30", pain_type__slug="sciatica").delete()
    Benefit.objects.filter(key="helps-you-sleep").delete()
    gb30 = Point.objects.get(code="GB30")
    link_pain_type(gb30, PainType.objects.get(slug="headache"), note="An editor's link.")

    report = import_file(tmp_path, release(), name="again.json")

    assert not PointPainType.objects.filter(point=gb30, pain_type__slug="sciatica").exists()
    assert not Benefit.objects.filter(key="helps-you-sleep").exists()
    assert PointPainType.objects.filter(note="An editor's link.").exists()
    assert "points.pointpaintype GB30 · sciatica (deleted on this site" in report
    assert "points.benefit helps-you-sleep (deleted on this site" in report
    assert "points.pointpaintype GB30 · headache (not in the last release: kept)" in report


def test_a_release_removes_the_links_it_no_longer_lists(tmp_path):
    entries = json.loads(release())
    entries.remove(first(entries, "points.pointpaintype", point=["GB30"], pain_type=["sciatica"]))

    report = import_file(tmp_path, json.dumps(entries, indent=2, ensure_ascii=False))

    assert not PointPainType.objects.filter(point__code="GB30", pain_type__slug="sciatica")
    assert "removed 1 points.pointpaintype" in report


def test_importing_the_same_release_again_changes_nothing(tmp_path):
    stamp = Point.objects.get(code="BL23").updated_at
    releases = ContentRelease.objects.count()

    report = import_file(tmp_path, GUIDE_CONTENT.read_text(encoding="utf-8"), name="guide.json")

    assert "0 created, 0 updated" in report
    assert "0 removed" in report
    assert "This release was already the last one imported." in report
    assert ContentRelease.objects.count() == releases
    assert Point.objects.get(code="BL23").updated_at == stamp
    assert export() == GUIDE_CONTENT.read_text(encoding="utf-8")


def test_a_field_added_since_the_last_release_counts_as_its_default_not_an_edit(tmp_path):
    # The site took its last release before markers had spots: that file lacks the field.
    last = ContentRelease.objects.latest()
    entries = last.entries
    for entry in entries:
        if entry["model"] == "points.pointmarker":
            del entry["fields"]["spot"]
    last.text = json.dumps(entries)
    last.save()
    entries = json.loads(GUIDE_CONTENT.read_text(encoding="utf-8"))
    first(entries, "points.pointmarker", point=["LI4"])["fields"]["x"] = 190.0

    report = import_file(tmp_path, json.dumps(entries), name="with-spots.json")

    assert "Kept as this site has them" not in report
    assert PointMarker.objects.get(point__code="LI4").x == 190


def test_a_site_with_no_release_on_record_keeps_every_difference_until_overwrite(tmp_path):
    ContentRelease.objects.all().delete()
    bl23 = Point.objects.get(code="BL23")
    bl23.name = "Renamed on this site"
    bl23.save()
    suggestion = Routine.objects.suggestions().first()
    steps_in_the_release = suggestion_steps()
    RoutineStep.objects.create(routine=suggestion, position=99, text="Added here", seconds=30)

    kept = import_file(tmp_path, release())
    assert Point.objects.get(code="BL23").name == "Renamed on this site"
    assert "points.point BL23: name, name_en" in kept
    assert "(not in the last release: kept)" in kept

    import_file(tmp_path, release(), "--overwrite")
    assert export() == GUIDE_CONTENT.read_text(encoding="utf-8")
    assert suggestion_steps() == steps_in_the_release


def test_import_into_a_site_whose_ids_differ_gives_the_same_content(tmp_path):
    exported = export()
    old_ids = {
        "point": Point.objects.get(code="BL23").pk,
        "pain_type": PainType.objects.get(slug="sciatica").pk,
    }
    tokens = set(Routine.objects.suggestions().values_list("token", flat=True))
    # Another site, with no release yet: the same content made in another order, so every
    # id is different.
    ContentRelease.objects.all().delete()
    Routine.objects.all().delete()
    PointMarker.objects.all().delete()
    for model in [Tip, Point, Meridian, PainType, RedFlag, Caution, Reference, Benefit]:
        model.objects.all().delete()
    make_pain_type(name="Something else first")

    import_file(tmp_path, exported)

    assert Point.objects.get(code="BL23").pk != old_ids["point"]
    assert PainType.objects.get(slug="sciatica").pk != old_ids["pain_type"]
    assert set(Routine.objects.suggestions().values_list("token", flat=True)) == tokens
    entries = json.loads(export())
    assert [e for e in entries if e["fields"].get("name") != "Something else first"] == json.loads(
        exported
    )


def test_import_keeps_what_the_file_does_not_name_and_says_so(tmp_path):
    added = make_point()

    report = import_file(tmp_path, release())

    assert Point.objects.filter(pk=added.pk).exists()
    assert (
        "Kept what this site has and the file does not name: 1 points.meridian, 1 points.point"
        in report
    )


def test_prune_makes_the_site_hold_exactly_the_file(tmp_path):
    make_point(pain_types=[PainType.objects.get(slug="sciatica")])
    make_red_flag(text="Only on this site")
    seeded_elsewhere = make_routine(title="Suggestion made on this site", is_suggestion=True)
    visitors = make_routine(title="A visitor's routine", steps=["Stretch"])

    report = import_file(tmp_path, release(), "--prune")

    assert export() == GUIDE_CONTENT.read_text(encoding="utf-8")
    assert "removed 1 points.point" in report
    assert "removed 1 points.redflag" in report
    assert "removed 1 routines.routine" in report
    assert not Routine.objects.filter(pk=seeded_elsewhere.pk).exists()
    # Visitors' routines are not content: pruning never touches them.
    assert Routine.objects.filter(pk=visitors.pk).exists()


def test_prune_refuses_to_delete_a_point_that_saved_routines_use(tmp_path):
    used = make_point()
    make_routine(steps=[used])

    with pytest.raises(CommandError) as refusal:
        import_file(tmp_path, release(), "--prune")

    assert "1 routines.routinestep still use them" in str(refusal.value)
    assert "Unpublish them instead" in str(refusal.value)
    assert Point.objects.filter(pk=used.pk).exists()


def test_dry_run_reports_and_changes_nothing(tmp_path):
    releases = ContentRelease.objects.count()

    report = import_file(tmp_path, release(point("BL23", name_de="Neu")), "--dry-run")

    assert "would have 0 created, 1 updated" in report
    assert Point.objects.get(code="BL23").name_de != "Neu"
    assert ContentRelease.objects.count() == releases


# --- Files that are not content releases ---------------------------------------------------


def unknown_point_in_a_link(entries):
    first(entries, "points.pointpaintype")["fields"]["point"] = ["XX999"]


def point_by_database_id(entries):
    first(entries, "points.pointpaintype")["fields"]["point"] = 1


def database_id(entries):
    first(entries, "points.point", code="GB30")["pk"] = 7


def account(entries):
    entries.append({"model": "auth.user", "fields": {"username": "mallory", "is_superuser": True}})


def visitor_routine(entries):
    first(entries, "routines.routine")["fields"]["is_suggestion"] = False


def suggestion_without_its_link(entries):
    del first(entries, "routines.routine")["fields"]["token"]


def press_time_backwards(entries):
    first(entries, "points.point", code="GB30")["fields"]["press_seconds_min"] = 500


def script_in_a_drawing(entries):
    view = first(entries, "points.bodyview")
    view["fields"]["drawing"] += "<script>alert(1)</script>"


def step_without_its_routine(entries):
    entries.append(
        {
            "model": "routines.routinestep",
            "fields": {"routine": ["not-in-the-file"], "position": 1, "text": "x", "seconds": 9},
        }
    )


def unknown_field(entries):
    first(entries, "points.tip")["fields"]["colour"] = "red"


def overlong_title(entries):
    first(entries, "points.caution")["fields"]["title_en"] = "x" * 81


def a_visitors_link(entries):
    visitors = make_routine(title="A visitor's routine", steps=["Stretch"])
    first(entries, "routines.routine")["fields"]["token"] = visitors.token
    for step in entries:
        if step["model"] == "routines.routinestep":
            step["fields"]["routine"] = [visitors.token]


@pytest.mark.parametrize(
    ("spoil", "reason"),
    [
        (unknown_point_in_a_link, "point pain type of a point the file does not hold"),
        (point_by_database_id, "named by their natural keys"),
        (database_id, "has a database id"),
        (account, "'auth.user'"),
        (visitor_routine, "not an editors' suggestion"),
        (suggestion_without_its_link, "has no 'token'"),
        (press_time_backwards, "GB30"),
        (script_in_a_drawing, "not allowed in a drawing"),
        (step_without_its_routine, "routine the file does not hold"),
        (unknown_field, "no field 'colour'"),
        (overlong_title, "at most 80 characters"),
        (a_visitors_link, "a row of this site that is not content"),
    ],
)
def test_a_spoilt_file_changes_nothing(tmp_path, spoil, reason):
    entries = json.loads(release())
    # A good change that is loaded before the spoilt object, and must be rolled back.
    first(entries, "points.point", code="BL23")["fields"]["name_de"] = "Importiert"
    spoil(entries)
    before = export()
    releases = ContentRelease.objects.count()

    with pytest.raises(CommandError) as refusal:
        import_file(tmp_path, json.dumps(entries))

    assert "Nothing was imported" in str(refusal.value)
    assert reason in str(refusal.value)
    assert Point.objects.get(code="BL23").name_de != "Importiert"
    assert export() == before
    assert ContentRelease.objects.count() == releases


@pytest.mark.parametrize("text", ["", "not json", '{"model": "points.point"}', "[1, 2]"])
def test_a_file_that_is_not_a_content_file_changes_nothing(tmp_path, text):
    before = export()

    with pytest.raises(CommandError, match="Nothing was imported"):
        import_file(tmp_path, text)

    assert export() == before


# --- What editors see ------------------------------------------------------------------------


def test_the_admin_lists_what_differs_from_the_release(client, editor):
    gb30 = Point.objects.get(code="GB30")
    gb30.location_de = "Von einer Redakteurin geändert."
    gb30.save()
    Benefit.objects.filter(key="helps-you-sleep").delete()

    response = client.get(reverse("admin:acupressure_contentrelease_changelist"))
    page = response.content.decode()
    differences = client.get(reverse("admin:content_release_differences"))
    listed = differences.content.decode()

    assert response.status_code == 200
    assert "guide.json sha256:" in page
    assert differences.status_code == 200
    assert "GB30" in listed
    assert "location_de" in listed
    assert reverse("admin:points_point_change", args=[gb30.pk]) in listed
    assert "helps-you-sleep" in listed
    assert "deleted on this site" in listed
    assert "BL23" not in listed


def test_visitors_cannot_see_the_differences(client):
    response = client.get(reverse("admin:content_release_differences"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_a_read_only_database_refuses_an_import_with_a_clear_message(tmp_path, database_template):
    # A real database file, served read-only as DATABASE_READ_ONLY serves it.
    env = site_env(tmp_path)
    copy_database(database_template, tmp_path / "db.sqlite3")
    changed = tmp_path / "release.json"
    changed.write_text(release(point("BL23", name_de="Neu")), encoding="utf-8")

    with pytest.raises(RuntimeError) as refusal:
        manage("import_content", str(changed), env={**env, "DATABASE_READ_ONLY": "1"})

    assert "Nothing was imported. The database takes no writes now" in str(refusal.value)
    assert "Traceback" not in str(refusal.value)
