from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from briefings import limits


class Command(BaseCommand):
    help = "Delete briefings (rows and files) older than BRIEFING_RETENTION_DAYS (or --days)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help=f"keep this many days (default BRIEFING_RETENTION_DAYS, {settings.BRIEFING_RETENTION_DAYS})")

    def handle(self, *args, days, **options):
        if days is not None and days < 0:
            raise CommandError("--days is zero or more")
        self.stdout.write(f"deleted {limits.purge_old(days)} briefings")
