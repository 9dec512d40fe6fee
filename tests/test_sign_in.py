"""Editors' sign-in: lockout after failures, strong passwords, two-factor codes, staff
session expiry, and accounts that only superusers manage."""

import re
import time
from datetime import timedelta
from urllib.parse import quote

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, Permission, User
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from acupressure.admin import confirm_device

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unusual pass phrase 7"
LOGIN = reverse("admin:login")
POINTS = reverse("admin:points_point_changelist")


def make_editor(username="editor", **fields):
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True, **fields)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def give_authenticator(user):
    """A confirmed TOTP device and backup codes, as `enroll_totp` leaves them."""
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=False)
    codes = confirm_device(device)
    device.refresh_from_db()
    return device, codes


def current_code(device):
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def sign_in(client, username="editor", password=PASSWORD, code="", address="10.0.0.1", **extra):
    return client.post(
        f"{LOGIN}?next={POINTS}",
        {"username": username, "password": password, "otp_token": code, "next": POINTS},
        REMOTE_ADDR=address,
        **extra,
    )


def signed_in(response):
    return response.status_code == 302 and response["Location"] == POINTS


# Sign-in with a password


def test_editor_signs_in_with_the_form_and_reaches_the_content(client):
    make_editor()
    response = sign_in(client)
    assert signed_in(response)
    assert client.get(POINTS).status_code == 200


def test_wrong_password_shows_the_form_again_and_counts_a_failure(client):
    make_editor()
    response = sign_in(client, password="not the pass phrase")
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    assert AccessAttempt.objects.get(username="editor").failures_since_start == 1


@pytest.mark.parametrize(
    "elsewhere",
    ["https://evil.example/", "//evil.example", "http://testserver/admin/", ""],
    ids=["other-site", "scheme-relative", "plain-http", "empty"],
)
def test_a_refused_next_lands_on_the_admin_index_not_a_404(client, elsewhere):
    make_editor()
    # As a browser does it: the form, then a POST of the form's own fields to its action.
    form = client.get(f"{LOGIN}?next={quote(elsewhere)}", secure=True)
    carried = re.search(r'name="next" value="([^"]*)"', form.content.decode()).group(1)
    assert carried == reverse("admin:index")
    response = client.post(
        f"{LOGIN}?next={quote(elsewhere)}",
        {"username": "editor", "password": PASSWORD, "otp_token": "", "next": carried},
        secure=True,
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(response["Location"], secure=True).status_code == 200


def test_a_refused_next_posted_directly_lands_on_the_admin_index(client):
    make_editor()
    response = client.post(
        f"{LOGIN}?next=https://evil.example/",
        {"username": "editor", "password": PASSWORD, "otp_token": "", "next": "//evil.example"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_an_allowed_next_is_still_followed(client):
    make_editor()
    response = client.post(
        f"{LOGIN}?next=https://evil.example/",
        {"username": "editor", "password": PASSWORD, "otp_token": "", "next": POINTS},
    )
    assert signed_in(response)


# Lockout


def test_five_failures_lock_the_account_even_for_the_right_password(client):
    make_editor()
    for _ in range(5):
        sign_in(client, password="guess")
    response = sign_in(client)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Sign-in paused" in page
    assert "too many unsuccessful sign-in attempts" in page
    assert "Please wait 15 minutes" in page
    assert client.get(POINTS).status_code == 302  # not signed in


def test_failures_spread_over_many_addresses_still_lock_the_account(client):
    make_editor()
    for number in range(5):
        sign_in(client, password="guess", address=f"192.0.2.{number}")
    assert sign_in(client, address="198.51.100.9").status_code == 429


def test_failures_from_one_address_lock_that_address_for_every_account(client):
    make_editor("first")
    make_editor("second")
    for number in range(5):
        sign_in(client, username=f"nobody{number}", password="guess", address="203.0.113.5")
    assert sign_in(client, username="second", address="203.0.113.5").status_code == 429
    assert signed_in(sign_in(client, username="second", address="203.0.113.6"))


def test_the_lockout_ends_after_the_cool_off(client, settings):
    make_editor()
    for _ in range(5):
        sign_in(client, password="guess")
    assert sign_in(client).status_code == 429
    past = timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=past)
    assert signed_in(sign_in(client))


def test_a_success_clears_earlier_failures(client):
    make_editor()
    for _ in range(4):
        sign_in(client, password="guess")
    assert signed_in(sign_in(client))
    client.logout()
    for _ in range(4):
        sign_in(client, password="guess")
    assert signed_in(sign_in(client))


def test_behind_a_proxy_failures_count_against_the_address_the_proxy_saw(client, settings):
    settings.BEHIND_PROXY = True
    make_editor("first")
    make_editor("second")
    for number in range(5):
        # A client may send any X-Forwarded-For; the proxy appends the real address last.
        sign_in(
            client,
            username=f"nobody{number}",
            password="guess",
            address="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"1.2.3.{number}, 203.0.113.7",
        )
    locked = sign_in(
        client, username="second", address="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    assert locked.status_code == 429
    other = sign_in(
        client, username="second", address="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.8"
    )
    assert signed_in(other)


# Passwords


@pytest.mark.parametrize(
    "weak",
    ["eleven char", "password1234", "123456789012", "editor-editor"],
    ids=["too-short", "common", "numeric", "like-the-name"],
)
def test_createeditor_refuses_passwords_below_the_policy(monkeypatch, weak):
    monkeypatch.setenv("EDITOR_PASSWORD", weak)
    with pytest.raises(CommandError):
        call_command("createeditor", "editor-editor")
    assert not User.objects.filter(username="editor-editor").exists()


def test_an_editor_cannot_change_to_a_weak_password_in_the_admin(client):
    editor = make_editor()
    client.force_login(editor)
    response = client.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": "short one", "new_password2": "short one"},
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)


# Two-factor sign-in


def test_an_account_with_an_authenticator_needs_its_code(client):
    device, _ = give_authenticator(make_editor())
    without = sign_in(client)
    assert without.status_code == 200
    assert "Please enter your authentication code" in without.content.decode()
    assert client.get(POINTS).status_code == 302
    assert signed_in(sign_in(client, code=current_code(device)))


def test_a_wrong_code_slows_down_the_next_try(client):
    device, _ = give_authenticator(make_editor())
    wrong = f"{(int(current_code(device)) + 1) % 10**6:06d}"
    response = sign_in(client, code=wrong)
    assert "That authentication code is not right" in response.content.decode()
    # django-otp doubles the wait after every wrong code: even the right one is refused now.
    assert not signed_in(sign_in(client, code=current_code(device)))
    device.refresh_from_db()
    device.throttling_failure_timestamp = timezone.now() - timedelta(minutes=1)
    device.save()
    assert signed_in(sign_in(client, code=current_code(device)))


def test_a_backup_code_works_once(client):
    _, codes = give_authenticator(make_editor())
    assert signed_in(sign_in(client, code=codes[0]))
    client.logout()
    assert not signed_in(sign_in(client, code=codes[0]))
    assert StaticToken.objects.count() == len(codes) - 1


def test_required_two_factor_refuses_an_account_without_an_authenticator(client, settings):
    settings.ADMIN_REQUIRE_2FA = True
    make_editor()
    response = sign_in(client)
    assert response.status_code == 200
    assert "has no authenticator yet" in response.content.decode()
    assert client.get(POINTS).status_code == 302


def test_required_two_factor_lets_a_verified_editor_in(client, settings):
    settings.ADMIN_REQUIRE_2FA = True
    device, _ = give_authenticator(make_editor())
    assert signed_in(sign_in(client, code=current_code(device)))
    assert client.get(POINTS).status_code == 200


def test_required_two_factor_shuts_out_a_session_signed_in_with_the_password_alone(
    client, settings
):
    settings.ADMIN_REQUIRE_2FA = True
    editor = make_editor()
    give_authenticator(editor)
    client.force_login(editor)  # password-only session, as before two-factor was required
    response = client.get(POINTS)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_the_sign_in_page_says_when_the_code_is_required(client, settings):
    assert "If you have set up two-factor sign-in" in client.get(LOGIN).content.decode()
    settings.ADMIN_REQUIRE_2FA = True
    assert "Required: the six-digit code" in client.get(LOGIN).content.decode()


def test_an_editor_sets_up_two_factor_in_the_admin(client):
    editor = make_editor()
    client.force_login(editor)
    url = reverse("admin:two_factor")
    assert "Two-factor sign-in is off" in client.get(url).content.decode()

    started = client.post(url, {"start": "1"})
    assert started.status_code == 200
    assert 'class="qr"><path' in started.content.decode()
    pending = TOTPDevice.objects.get(user=editor)
    assert not pending.confirmed

    wrong = client.post(url, {"token": "12345"})
    assert wrong.status_code == 400
    assert "That code is not right" in wrong.content.decode()
    too_soon = client.post(url, {"token": current_code(pending)})
    assert "wait a minute" in too_soon.content.decode()
    pending.refresh_from_db()
    pending.throttling_failure_timestamp = timezone.now() - timedelta(minutes=1)
    pending.save()

    done = client.post(url, {"token": current_code(pending)})
    assert done.status_code == 200
    page = done.content.decode()
    assert "Your backup codes" in page
    pending.refresh_from_db()
    assert pending.confirmed
    assert StaticToken.objects.filter(device__user=editor).count() == 10
    # The session that set it up counts as verified; the content stays open.
    assert client.get(POINTS).status_code == 200


def test_moving_to_a_new_phone_retires_the_old_authenticator(client):
    editor = make_editor()
    old, old_codes = give_authenticator(editor)
    assert signed_in(sign_in(client, code=current_code(old)))
    url = reverse("admin:two_factor")
    client.post(url, {"start": "1"})
    new = TOTPDevice.objects.get(user=editor, confirmed=False)
    client.post(url, {"token": current_code(new)})
    assert list(TOTPDevice.objects.filter(user=editor)) == [new]
    assert not StaticToken.objects.filter(token=old_codes[0]).exists()


def test_enroll_totp_gives_an_account_an_authenticator_and_backup_codes(capsys):
    editor = make_editor()
    call_command("enroll_totp", "editor")
    output = capsys.readouterr().out
    device = TOTPDevice.objects.get(user=editor)
    assert device.confirmed
    assert "otpauth://totp/" in output
    codes = StaticToken.objects.filter(device__user=editor).values_list("token", flat=True)
    assert len(codes) == 10
    assert all(code in output for code in codes)


def test_enroll_totp_refuses_an_unknown_account():
    with pytest.raises(CommandError, match="no account"):
        call_command("enroll_totp", "nobody")
    assert not TOTPDevice.objects.exists()


# Staff session expiry


def admin_session_stamps(client, *, signed_in_ago, seen_ago):
    session = client.session
    now = int(time.time())
    session["staff_signed_in_at"] = now - signed_in_ago
    session["staff_seen_at"] = now - seen_ago
    session.save()


def test_an_active_staff_session_stays_signed_in(client):
    client.force_login(make_editor())
    admin_session_stamps(client, signed_in_ago=3600, seen_ago=600)
    assert client.get(POINTS).status_code == 200


def test_a_staff_session_idle_for_half_an_hour_is_signed_out(client):
    client.force_login(make_editor())
    admin_session_stamps(client, signed_in_ago=3600, seen_ago=31 * 60)
    response = client.get(POINTS)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session


def test_a_staff_session_ends_eight_hours_after_sign_in_however_busy(client):
    client.force_login(make_editor())
    admin_session_stamps(client, signed_in_ago=8 * 3600 + 60, seen_ago=10)
    assert client.get(POINTS).status_code == 302


def test_public_pages_never_read_the_staff_session(client):
    client.force_login(make_editor())
    response = client.get(reverse("points:list"))
    assert response.status_code == 200
    assert "Cookie" not in response.get("Vary", "")


# Accounts are for superusers


ACCOUNT_PAGES = [
    "admin:auth_user_changelist",
    "admin:auth_group_changelist",
    "admin:auth_user_add",
    "admin:otp_totp_totpdevice_changelist",
    "admin:otp_static_staticdevice_changelist",
    "admin:axes_accessattempt_changelist",
]


@pytest.mark.parametrize("page", ACCOUNT_PAGES)
def test_editors_cannot_open_account_pages_even_if_granted_the_permissions(client, page):
    editors = Group.objects.get(name="Editors")
    editors.permissions.add(*Permission.objects.filter(content_type__app_label="auth"))
    client.force_login(make_editor())
    assert client.get(reverse(page)).status_code == 403


@pytest.mark.parametrize("page", ACCOUNT_PAGES)
def test_superusers_manage_accounts(admin_client, page):
    assert admin_client.get(reverse(page)).status_code == 200


def test_the_editors_admin_index_lists_content_but_no_accounts(client):
    client.force_login(make_editor())
    page = client.get(reverse("admin:index")).content.decode()
    assert "Guide content" in page
    assert "Authentication and Authorization" not in page
    assert "Users" not in page


def test_an_editor_cannot_make_themselves_a_superuser(client):
    editor = make_editor()
    client.force_login(editor)
    response = client.post(
        reverse("admin:auth_user_change", args=[editor.pk]),
        {"username": "editor", "is_superuser": "on", "is_staff": "on", "is_active": "on"},
    )
    assert response.status_code == 403
    editor.refresh_from_db()
    assert not editor.is_superuser
