from django.core.management.base import BaseCommand

from risks.catalogue import load_catalogue


class Command(BaseCommand):
    help = "Load the shipped contribution modes, safeguard gates and risk/opportunity factors."

    def add_arguments(self, parser):
        parser.add_argument("--refresh", action="store_true", help="overwrite curators' edits from the files")

    def handle(self, *args, refresh: bool, **options):
        created = load_catalogue(refresh=refresh)
        self.stdout.write(", ".join(f"{name}: {n} created" for name, n in created.items()))
