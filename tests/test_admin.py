import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from points.models import Point, PointMarker, PointPainType, PointReference, Tip
from tests.pages import EDITOR_PASSWORD, change_form_data

pytestmark = pytest.mark.django_db


def test_editor_can_open_the_point_changelist(client, editor):
    response = client.get(reverse("admin:points_point_changelist"))
    page = response.content.decode()
    assert response.status_code == 200
    for code in ["BL23", "GB30", "BL40", "LI4", "BL62"]:
        assert code in page


def test_editor_can_open_a_point_change_form_with_its_inlines(client, editor):
    point = Point.objects.get(code="BL40")
    response = client.get(reverse("admin:points_point_change", args=[point.pk]))
    data = change_form_data(response)
    assert response.status_code == 200
    assert data["code"] == "BL40"
    assert data["summary_en"] == point.summary
    prefixes = {
        inline.formset.model: inline.formset.prefix
        for inline in response.context["inline_admin_formsets"]
    }
    # Every inline the point form offers is there and editable, each with its existing rows.
    rows = {
        PointMarker: 1,
        PointPainType: 6,
        Point.cautions.through: 2,
        PointReference: 4,
        Tip: 0,
    }
    assert set(prefixes) == set(rows)
    for model, count in rows.items():
        assert data[f"{prefixes[model]}-INITIAL_FORMS"] == str(count), model


def test_editor_changes_a_summary_and_the_public_page_shows_it(client, editor):
    point = Point.objects.get(code="BL40")
    change_url = reverse("admin:points_point_change", args=[point.pk])
    data = change_form_data(client.get(change_url))
    new_summary = "Behind the knee; edited by an editor in the admin."
    data["summary_en"] = new_summary
    data["_save"] = "Save"

    response = client.post(change_url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert response["Location"] == reverse("admin:points_point_changelist")
    point.refresh_from_db()
    assert point.summary == new_summary
    # Nothing else on the point was lost by the round trip through the form.
    assert point.point_pain_types.count() == 6
    assert point.cautions.count() == 2
    assert point.references.count() == 4
    assert point.is_published
    public = client.get(point.get_absolute_url())
    assert new_summary in public.content.decode()


def test_editor_can_unpublish_a_point_and_it_leaves_the_site(client, editor):
    point = Point.objects.get(code="BL62")
    change_url = reverse("admin:points_point_change", args=[point.pk])
    data = change_form_data(client.get(change_url))
    del data["is_published"]
    data["_save"] = "Save"

    assert client.post(change_url, data).status_code == 302
    assert Client().get(point.get_absolute_url()).status_code == 404
    # The editor still sees it, as a draft (tests/test_drafts.py).
    assert "Draft: not public" in client.get(point.get_absolute_url()).content.decode()


def test_editor_cannot_save_a_press_range_backwards(client, editor):
    point = Point.objects.get(code="BL23")
    change_url = reverse("admin:points_point_change", args=[point.pk])
    data = change_form_data(client.get(change_url))
    data.update(press_seconds_min="200", press_seconds_max="100", _save="Save")

    response = client.post(change_url, data)

    assert response.status_code == 200
    point.refresh_from_db()
    assert (point.press_seconds_min, point.press_seconds_max) == (30, 180)


@pytest.mark.parametrize("url", ["/admin/auth/user/", "/admin/auth/group/"])
def test_editor_cannot_manage_accounts(client, editor, url):
    assert client.get(url).status_code == 403


def test_editor_cannot_promote_themselves(client, editor):
    response = client.get(reverse("admin:auth_user_change", args=[editor.pk]))
    assert response.status_code == 403
    editor.refresh_from_db()
    assert not editor.is_superuser


@pytest.mark.parametrize("url", ["/admin/", "/admin/points/point/", "/admin/auth/user/"])
def test_anonymous_visitor_is_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('admin:login')}?next=")


def test_logged_in_non_staff_user_cannot_reach_the_admin(client):
    client.force_login(User.objects.create_user("visitor", password=EDITOR_PASSWORD))
    response = client.get("/admin/points/point/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_every_points_model_is_editable_in_the_admin_or_as_an_inline():
    registry = admin.site._registry
    inline_models = {
        inline.model for model_admin in registry.values() for inline in model_admin.inlines
    }
    for model in apps.get_app_config("points").get_models():
        assert model in registry or model in inline_models, model


def test_admin_client_sees_every_registered_content_model(admin_client):
    response = admin_client.get(reverse("admin:app_list", args=["points"]))
    assert response.status_code == 200
    for model in admin.site._registry:
        if model._meta.app_label == "points":
            changelist = reverse(f"admin:points_{model._meta.model_name}_changelist")
            assert changelist in response.content.decode()
            assert admin_client.get(changelist).status_code == 200


def test_editors_group_can_change_every_content_model_and_nothing_in_auth():
    editors = Group.objects.get(name="Editors")
    codenames = set(editors.permissions.values_list("content_type__app_label", "codename"))
    for app_label in ["points", "routines"]:
        for model in apps.get_app_config(app_label).get_models():
            if model._meta.auto_created:
                continue
            assert (app_label, f"change_{model._meta.model_name}") in codenames
    assert not editors.permissions.filter(content_type__app_label="auth").exists()
    # Of the site's own records, only the content releases and translation reviews, to read.
    assert {(app, name) for app, name in codenames if app == "acupressure"} == {
        ("acupressure", "view_contentrelease"),
        ("acupressure", "view_translationreview"),
    }


def test_editors_group_permissions_are_all_there_is_to_the_content_apps():
    editors = Group.objects.get(name="Editors")
    content_permissions = Permission.objects.filter(
        content_type__app_label__in=["points", "routines"]
    ) | Permission.objects.filter(codename__in=["view_contentrelease", "view_translationreview"])
    assert set(editors.permissions.all()) == set(content_permissions)


# createeditor


def test_createeditor_makes_a_staff_user_in_editors(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", EDITOR_PASSWORD)
    call_command("createeditor", "savanna", "--email", "savanna@example.com")
    user = User.objects.get(username="savanna")
    assert user.is_staff
    assert not user.is_superuser
    assert user.email == "savanna@example.com"
    assert user.check_password(EDITOR_PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]


def test_created_editor_can_sign_in_and_edit_points(client, monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", EDITOR_PASSWORD)
    call_command("createeditor", "savanna")
    response = client.post(
        reverse("admin:login"), {"username": "savanna", "password": EDITOR_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:points_point_changelist")).status_code == 200
    assert client.get("/admin/auth/user/").status_code == 403


@pytest.mark.parametrize("weak", ["password", "12345678", "short", "savanna123"])
def test_createeditor_refuses_a_weak_password_and_saves_nothing(monkeypatch, weak):
    monkeypatch.setenv("EDITOR_PASSWORD", weak)
    users_before = User.objects.count()
    with pytest.raises(CommandError):
        call_command("createeditor", "savanna")
    assert User.objects.count() == users_before
    assert not User.objects.filter(username="savanna").exists()


def test_createeditor_refuses_a_taken_name_and_changes_nothing(monkeypatch):
    existing = User.objects.create_user("savanna", password="the original password 1")
    monkeypatch.setenv("EDITOR_PASSWORD", EDITOR_PASSWORD)
    with pytest.raises(CommandError, match="already"):
        call_command("createeditor", "savanna")
    existing.refresh_from_db()
    assert User.objects.filter(username="savanna").count() == 1
    assert not existing.is_staff
    assert not existing.groups.exists()
    assert existing.check_password("the original password 1")
