"""History and undo (django-reversion): every edit of the guide's content is a version with
its editor's name; two versions compare field by field; a restore brings the old text back
to the public page; a deleted object can be recovered; editors see the history of content
only; the content the migrations load has a first version."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from points.models import Caution, Meridian, PainType, Point, RedFlag
from routines.models import Routine
from tests.factories import make_point, make_routine
from tests.pages import change_form_data

pytestmark = pytest.mark.django_db


def edit_summary(client, point, summary):
    change_url = reverse("admin:points_point_change", args=[point.pk])
    data = change_form_data(client.get(change_url))
    data["summary_en"] = summary
    data["_save"] = "Save"
    response = client.post(change_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def versions_of(obj):
    return Version.objects.get_for_object(obj).select_related("revision__user")


def restore(client, obj, version):
    """Open a version's restore form in the admin and save it, as an editor would."""
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_revision", args=[obj.pk, version.pk])
    form = client.get(url)
    assert form.status_code == 200
    data = change_form_data(form)
    data["_save"] = "Save"
    return client.post(url, data)


def test_the_content_a_release_loads_has_a_first_version_named_after_it():
    for model in (Point, PainType, RedFlag, Caution):
        for obj in model.objects.all():
            first = versions_of(obj).last()
            assert first is not None, obj
            assert first.revision.comment.startswith("Content release guide.json sha256:")
    bl40 = Point.objects.get(code="BL40")
    # A point's version holds the rows of its inlines as they were.
    held = {v.content_type.model for v in versions_of(bl40).last().revision.version_set.all()}
    assert {"point", "pointpaintype", "pointcaution", "pointreference", "pointmarker"} <= held
    for routine in Routine.objects.filter(is_suggestion=True):
        assert versions_of(routine).exists()


def test_an_editors_edit_appears_in_the_history_with_their_name(client, editor):
    editor.first_name, editor.last_name = "Ada", "Editor"
    editor.save()
    point = Point.objects.get(code="BL40")
    edit_summary(client, point, "An edited summary.")

    latest = versions_of(point).first()
    assert latest.revision.user == editor
    assert latest.field_dict["summary_en"] == "An edited summary."
    history = client.get(reverse("admin:points_point_history", args=[point.pk]))
    page = history.content.decode()
    assert history.status_code == 200
    assert "editor (Ada Editor)" in page
    assert "Content release guide.json" in page
    assert 'type="radio" name="old"' in page


def test_two_versions_compare_field_by_field(client, editor):
    point = Point.objects.get(code="BL40")
    old_summary = point.summary
    edit_summary(client, point, "An edited summary.")
    new, old = versions_of(point)[:2]

    response = client.get(
        reverse("admin:points_point_compare", args=[point.pk]),
        {"old": old.pk, "new": new.pk},
    )

    assert response.status_code == 200
    changed = [row for row in response.context["rows"] if row["changed"]]
    assert [row["label"] for row in changed] == ["Summary [en]"]
    assert changed[0]["old"] == old_summary
    assert changed[0]["new"] == "An edited summary."
    page = response.content.decode()
    assert "<ins>An edited summary.</ins>" in page
    # Rows of its inlines are shown too, by kind; unchanged here.
    assert any(row["label"] == "Point markers" for row in response.context["rows"])


def test_compare_with_unknown_or_malformed_versions_is_404(client, editor):
    point = Point.objects.get(code="BL40")
    url = reverse("admin:points_point_compare", args=[point.pk])
    other = versions_of(Point.objects.get(code="LI4")).first()
    for query in ({"old": "x", "new": "9" * 40}, {"old": other.pk, "new": other.pk}, {}):
        assert client.get(url, query).status_code == 404


def test_a_restore_brings_the_old_text_back_to_the_public_page(client, editor):
    visitor = Client()
    point = Point.objects.get(code="BL40")
    old_summary = point.summary
    public_url = point.get_absolute_url()
    assert old_summary in visitor.get(public_url).content.decode()  # now cached
    edit_summary(client, point, "A mistaken summary.")
    assert "A mistaken summary." in visitor.get(public_url).content.decode()
    before = Point.objects.get(pk=point.pk).updated_at

    initial = versions_of(point).last()
    response = restore(client, point, initial)

    assert response.status_code == 302
    point.refresh_from_db()
    assert point.summary == old_summary
    # The point's cached parts are keyed on updated_at: a restore gives it a new one.
    assert point.updated_at > before
    page = visitor.get(public_url).content.decode()
    assert old_summary in page
    assert "A mistaken summary." not in page
    # The restore is itself a version, so it can be undone in turn.
    assert "Reverted to previous version" in versions_of(point).first().revision.comment


def test_opening_a_version_changes_nothing(client, editor):
    point = Point.objects.get(code="BL40")
    edit_summary(client, point, "The current summary.")
    initial = versions_of(point).last()
    url = reverse("admin:points_point_revision", args=[point.pk, initial.pk])
    count = Version.objects.count()

    assert client.get(url).status_code == 200

    point.refresh_from_db()
    assert point.summary == "The current summary."
    assert Version.objects.count() == count


def test_a_deleted_point_can_be_recovered_with_its_inlines(client, editor):
    # A point no routine uses (the article's points are steps of the suggested routines,
    # which protect them), given a version by an edit in the admin.
    point = make_point(
        meridian=Meridian.objects.get(code="BL"),
        number=58,
        code="BL58",
        pain_types=PainType.objects.filter(slug__in=["sciatica", "lower-back-pain"]),
    )
    edit_summary(client, point, "Above the outer ankle, behind the calf.")
    pain_types = set(point.pain_types.values_list("pk", flat=True))
    assert len(pain_types) == 2
    pk = point.pk
    response = client.post(
        reverse("admin:points_point_delete", args=[pk]), {"post": "yes"}, follow=False
    )
    assert response.status_code == 302
    assert not Point.objects.filter(pk=pk).exists()

    recover_list = client.get(reverse("admin:points_point_recoverlist"))
    assert recover_list.status_code == 200
    version = Version.objects.get_deleted(Point).get(object_id=str(pk))
    recover_url = reverse("admin:points_point_recover", args=[version.pk])
    assert recover_url in recover_list.content.decode()
    data = change_form_data(client.get(recover_url))
    data["_save"] = "Save"
    assert client.post(recover_url, data).status_code == 302

    point = Point.objects.get(pk=pk)
    assert set(point.pain_types.values_list("pk", flat=True)) == pain_types
    assert Client().get(point.get_absolute_url()).status_code == 200


def test_an_editor_restores_a_point_but_sees_no_accounts_history(client, editor):
    point = Point.objects.get(code="BL40")
    edit_summary(client, point, "A mistaken summary.")
    assert restore(client, point, versions_of(point).last()).status_code == 302

    someone = User.objects.create_user("someone", password="x" * 20)
    for url in (
        reverse("admin:auth_user_history", args=[someone.pk]),
        reverse("admin:auth_user_change", args=[someone.pk]),
    ):
        assert client.get(url).status_code in (403, 404)


def test_a_view_only_editor_sees_the_history_but_cannot_restore(client):
    from django.contrib.auth.models import Permission

    viewer = User.objects.create_user("viewer", password="x" * 20, is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_point"))
    client.force_login(viewer)
    point = Point.objects.get(code="BL40")
    initial = versions_of(point).last()
    assert client.get(reverse("admin:points_point_history", args=[point.pk])).status_code == 200
    url = reverse("admin:points_point_revision", args=[point.pk, initial.pk])
    assert client.post(url, {"summary": "x"}).status_code == 403


def test_visitors_saved_routines_keep_no_versions(client, editor):
    routine = make_routine(title="A visitor's routine")
    url = reverse("admin:routines_routine_change", args=[routine.pk])
    data = change_form_data(client.get(url))
    data["title"] = "Renamed by an editor"
    data["_save"] = "Save"

    assert client.post(url, data).status_code == 302

    assert not versions_of(routine).exists()


def test_an_edit_of_a_suggested_routine_is_versioned_with_its_steps(client, editor):
    routine = Routine.objects.filter(is_suggestion=True).first()
    url = reverse("admin:routines_routine_change", args=[routine.pk])
    data = change_form_data(client.get(url))
    data["title"] = "A renamed suggestion"
    data["_save"] = "Save"

    assert client.post(url, data).status_code == 302

    latest = versions_of(routine).first()
    assert latest.revision.user == editor
    held = {v.content_type.model for v in latest.revision.version_set.all()}
    assert held == {"routine", "routinestep"}


def test_a_version_of_another_model_cannot_be_opened_through_this_ones_admin(client, editor):
    point = Point.objects.get(code="BL40")
    # A caution with the point's primary key: reversion alone would open its version here.
    caution = Caution.objects.get(pk=point.pk)
    version = versions_of(caution).first()
    for url in (
        reverse("admin:points_point_revision", args=[point.pk, version.pk]),
        reverse("admin:points_point_recover", args=[version.pk]),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, {}).status_code == 404
