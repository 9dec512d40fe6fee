"""The editors' admin site: sign-in with an optional (or, in production, required) code
from an authenticator app, and accounts that only superusers may see or change."""

from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.db import transaction
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.admin import OTPAdminAuthenticationForm
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

# Apps whose models are accounts and their credentials: users, groups and permissions,
# authenticator devices and the record of failed sign-ins.
ACCOUNT_APPS = {"auth", "otp_totp", "otp_static", "axes"}
BACKUP_CODE_COUNT = 10


def needs_second_factor(user):
    return settings.ADMIN_REQUIRE_2FA or user_has_device(user)


class SignInForm(OTPAdminAuthenticationForm):
    """Username and password, then the authenticator code where the account needs one."""

    otp_token = forms.CharField(
        label="Authentication code",
        required=False,
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text="From your authenticator app, or one of your backup codes.",
    )
    otp_error_messages = {
        **OTPAdminAuthenticationForm.otp_error_messages,
        "token_required": "Please enter your authentication code.",
        "invalid_token": "That authentication code is not right, or has been used. Try the "
        "code your app shows now.",
    }

    def _chosen_device(self, user):
        # One field takes either kind of code: six digits from the app, or an eight-letter
        # backup code. Choosing by shape means a typo never counts against the other device.
        token = (self.cleaned_data.get("otp_token") or "").strip()
        kind = TOTPDevice if len(token) == 6 and token.isdigit() else StaticDevice
        return kind.objects.filter(user=user, confirmed=True).first()

    def clean(self):
        # The password first (django-axes counts the failures), then the second factor.
        self.cleaned_data = AdminAuthenticationForm.clean(self)
        user = self.get_user()
        if user is not None and needs_second_factor(user):
            if not user_has_device(user):
                raise forms.ValidationError(
                    "This site asks for two-factor sign-in, and your account has no "
                    "authenticator yet. Ask the site owner to set one up for you.",
                    code="no_device",
                )
            self.clean_otp(user)
        return self.cleaned_data


class TwoFactorForm(forms.Form):
    token = forms.CharField(
        label="Code from your authenticator app",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        allowed, _ = self.device.verify_is_allowed()
        if not allowed:
            # django-otp doubles the wait after every wrong code.
            raise forms.ValidationError("Too many wrong codes; wait a minute and try again.")
        if not self.device.verify_token(token):
            raise forms.ValidationError("That code is not right; check the time on your phone.")
        return token


class GuideAdminSite(admin.AdminSite):
    site_header = "Acupressure guide – editors"
    site_title = "Acupressure guide editors"
    index_title = "Content"
    login_form = SignInForm
    login_template = "admin/guide_login.html"

    def has_permission(self, request):
        user = request.user
        if not super().has_permission(request):
            return False
        # A session signed in with the password alone does not reach an account that has
        # (or, in production, must have) a second factor.
        return user.is_verified() or not needs_second_factor(user)

    def each_context(self, request):
        return {**super().each_context(request), "two_factor_required": settings.ADMIN_REQUIRE_2FA}

    def login(self, request, extra_context=None):
        # Django's LoginView sends a `next` it refuses (another site, "//host", nothing at
        # all) to LOGIN_REDIRECT_URL, /accounts/profile/, which this site does not have: the
        # editor met a 404 right after signing in. The admin index is where they belong.
        requested = request.POST.get(REDIRECT_FIELD_NAME, request.GET.get(REDIRECT_FIELD_NAME, ""))
        if not url_has_allowed_host_and_scheme(
            requested, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            index = reverse("admin:index", current_app=self.name)
            if request.method == "POST":
                request.POST = request.POST.copy()
                request.POST[REDIRECT_FIELD_NAME] = index
            # The form carries it too, in place of the refused address.
            extra_context = {REDIRECT_FIELD_NAME: index, **(extra_context or {})}
        return super().login(request, extra_context)

    def get_urls(self):
        return [
            path("two-factor/", self.admin_view(self.two_factor), name="two_factor"),
            *super().get_urls(),
        ]

    def two_factor(self, request):
        """Set up (or replace) the signed-in editor's authenticator app."""
        user = request.user
        context = {
            **self.each_context(request),
            "title": "Two-factor sign-in",
            "active": TOTPDevice.objects.filter(user=user, confirmed=True).first(),
        }
        if request.method == "POST" and "start" in request.POST:
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            pending = TOTPDevice.objects.create(
                user=user, name="Authenticator app", confirmed=False
            )
            return self.render_setup(request, context, pending, TwoFactorForm(device=pending))
        if request.method == "POST":
            pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()
            if pending is None:
                context["notice"] = "That set-up had expired; please start again."
                return TemplateResponse(request, "admin/two_factor.html", context, status=409)
            form = TwoFactorForm(request.POST, device=pending)
            if not form.is_valid():
                return self.render_setup(request, context, pending, form, status=400)
            context["backup_codes"] = confirm_device(pending)
            otp_login(request, pending)
            context["active"] = pending
        return TemplateResponse(request, "admin/two_factor.html", context)

    def render_setup(self, request, context, device, form, status=200):
        context.update(
            pending=device,
            form=form,
            # segno writes a viewBox, a class and one path: nothing here can run or style.
            qr_svg=mark_safe(
                segno.make(device.config_url, error="m").svg_inline(
                    scale=1, border=2, svgclass="qr", omitsize=True
                )
            ),
            # For apps that cannot scan: the same secret, typed in.
            secret=b32encode(device.bin_key).decode(),
        )
        return TemplateResponse(request, "admin/two_factor.html", context, status=status)


@transaction.atomic
def confirm_device(device):
    """Make `device` the account's only authenticator and give it fresh backup codes."""
    user = device.user
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_backup_codes(user)


def new_backup_codes(user):
    """One-time codes for a lost phone; any earlier ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    backup = StaticDevice.objects.create(user=user, name="Backup codes")
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=backup, token=code) for code in codes)
    return codes


class SuperusersOnly:
    """Mixed into the admin of account models: editors (staff in the Editors group) never see
    them, even if someone grants the group their permissions by mistake."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request, *args):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


def restrict_to_superusers(site, app_labels):
    for model, model_admin in list(site._registry.items()):
        if model._meta.app_label in app_labels:
            restricted = type(
                f"SuperusersOnly{type(model_admin).__name__}",
                (SuperusersOnly, type(model_admin)),
                {},
            )
            site.unregister(model)
            site.register(model, restricted)
