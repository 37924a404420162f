import getpass
import os
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from missions.roles import ROLES, ensure_roles


class Command(BaseCommand):
    help = ("Create (or refresh) the role groups analyst, consultant and curator, and with --admin the first "
            "administrator; no demo data. Safe to run again (production: after every upgrade).")

    def add_arguments(self, parser):
        parser.add_argument("--admin", metavar="USERNAME", help="create this superuser if no account has the name")
        parser.add_argument("--email", default="", help="the administrator's e-mail address")

    def handle(self, *args, admin: str | None, email: str, **options):
        with transaction.atomic():
            groups = ensure_roles()
        self.stdout.write(f"Role groups: {', '.join(f'{name} ({groups[name].permissions.count()} permissions)' for name in ROLES)}")
        if not admin:
            return
        users = get_user_model()
        if users.objects.filter(username=admin).exists():
            self.stdout.write(f"Administrator: {admin} already exists, left as it is")
            return
        password = self.password(admin)
        user = users(username=admin, email=email, is_staff=True, is_superuser=True)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError("The password is refused: " + " ".join(exc.messages)) from exc
        user.set_password(password)
        user.save()
        self.stdout.write(f"Administrator: {admin} created (a superuser; give other accounts a role in the admin)")

    def password(self, admin: str) -> str:
        """From PKO_ADMIN_PASSWORD (scripts), else asked twice on the terminal."""
        password = os.getenv("PKO_ADMIN_PASSWORD")
        if password:
            return password
        if not sys.stdin.isatty():
            raise CommandError("Set PKO_ADMIN_PASSWORD, or run this on a terminal to be asked for the password.")
        password = getpass.getpass(f"Password for {admin}: ")
        if password != getpass.getpass("Again: "):
            raise CommandError("The two passwords differ; nothing was created.")
        return password
