import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from missions.roles import ROLES, ensure_roles


class Command(BaseCommand):
    help = "Create the role groups and one demo user per role (analyst, consultant, curator) plus an admin."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off")

    def handle(self, *args, force: bool, verbosity: int = 1, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Refusing to create demo accounts with DEBUG off; use --force if you mean it.")
        password = os.getenv("PKO_DEMO_PASSWORD")
        generated = not password
        password = password or secrets.token_urlsafe(12)
        users = get_user_model()
        with transaction.atomic():
            groups = ensure_roles()
            for role in ROLES:
                user, _ = users.objects.get_or_create(username=role)
                user.set_password(password)
                user.is_staff = role == "curator"  # the admin is the curators' workbench
                user.save()
                user.groups.set([groups[role]])
            admin, _ = users.objects.get_or_create(username="admin")
            admin.is_staff = admin.is_superuser = True
            admin.set_password(password)
            admin.save()
        if verbosity == 0:  # bin/run prints the password itself, once, with the address
            return
        self.stdout.write("Demo users: analyst, consultant, curator, admin")
        if generated:
            self.stdout.write(f"Password (generated, set PKO_DEMO_PASSWORD to choose one): {password}")
        else:
            self.stdout.write(f"Password (from PKO_DEMO_PASSWORD): {password}")
