import os
import secrets
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
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
        names = [*ROLES, "admin"]
        existing = {user.username: user.password for user in users.objects.filter(username__in=names)}
        # Checking or hashing a password is one PBKDF2 run (a few hundred ms): all at once, in threads
        # (hashlib releases the GIL); an account that already has this password keeps its hash.
        with ThreadPoolExecutor(len(names)) as pool:
            hashes = dict(zip(names, pool.map(
                lambda name: None if name in existing and check_password(password, existing[name]) else make_password(password),
                names), strict=True))
        with transaction.atomic():
            groups = ensure_roles()
            for name in names:
                user, _ = users.objects.get_or_create(username=name)
                if hashes[name]:
                    user.password = hashes[name]
                user.is_staff = name in ("curator", "admin")  # the admin is the curators' workbench
                user.is_superuser = name == "admin"
                user.save()
                if name != "admin":
                    user.groups.set([groups[name]])
        if verbosity == 0:  # bin/run prints the password itself, once, with the address
            return
        self.stdout.write("Demo users: analyst, consultant, curator, admin")
        if generated:
            self.stdout.write(f"Password (generated, set PKO_DEMO_PASSWORD to choose one): {password}")
        else:
            self.stdout.write(f"Password (from PKO_DEMO_PASSWORD): {password}")
