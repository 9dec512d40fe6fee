"""Create a staff account in the Editors group:
`manage.py createeditor USERNAME --email E --name "Ana García" --role physiotherapist`.

The name and role are what readers see beside the editor's reviews; an editor without them
can edit but not record a review."""

import getpass
import os

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from acupressure.models import EditorProfile, EditorRole


class Command(BaseCommand):
    help = (
        "Create an editor who can change the guide's content in the admin but not "
        "accounts. The password is asked for, or read from EDITOR_PASSWORD."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--name", default="", help="As readers see it beside reviews.")
        parser.add_argument("--role", choices=EditorRole.values, help="e.g. physiotherapist")

    def handle(self, username, email, name, role, **options):
        if bool(name) != bool(role):
            raise CommandError("Give both --name and --role, or neither.")
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"There is already an account called {username!r}.")
        try:
            editors = Group.objects.get(name="Editors")
        except Group.DoesNotExist as missing:
            raise CommandError("The Editors group is missing; run migrate first.") from missing

        password = os.environ.get("EDITOR_PASSWORD") or self.ask_password()
        user = User(username=username, email=email, is_staff=True)
        try:
            password_validation.validate_password(password, user)
        except ValidationError as weak:
            raise CommandError(" ".join(weak.messages)) from weak
        user.set_password(password)
        with transaction.atomic():
            user.save()
            user.groups.add(editors)
            if name:
                EditorProfile.objects.create(user=user, name=name, role=role)
        self.stdout.write(self.style.SUCCESS(f"Editor {username!r} created; sign in at /admin/."))

    def ask_password(self):
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The passwords differ.")
        return password
