"""Set up two-factor sign-in for an account: `manage.py enroll_totp NAME`.

Where the admin requires a code at sign-in (production), a new editor cannot reach the
admin's own set-up page, so the site owner runs this and hands over the QR code.
"""

import io

import segno
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from acupressure.admin import confirm_device


class Command(BaseCommand):
    help = (
        "Give an account a new authenticator (TOTP) and backup codes, replacing any it had. "
        "Prints the QR code to scan and the codes, once."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    @transaction.atomic
    def handle(self, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no account called {username!r}.")
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
        codes = confirm_device(device)
        self.stdout.write(f"Scan this with {username}'s authenticator app:\n")
        qr = io.StringIO()  # the terminal drawing must not get a newline after every write
        segno.make(device.config_url, error="m").terminal(out=qr, compact=True)
        self.stdout.write(qr.getvalue(), ending="")
        self.stdout.write(f"\nOr enter this link in the app: {device.config_url}\n")
        self.stdout.write("Backup codes (each works once; keep them safe):")
        for code in codes:
            self.stdout.write(f"  {code}")
        self.stdout.write(self.style.SUCCESS(f"Two-factor sign-in is on for {username!r}."))
