"""A demo plan, so a first visit to Plans shows a solved plan: the issue's question, "at most 300
people and US$ 20 M a year, no Chapter VII missions", owned by the demo analyst."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_lazy as _

from pkoanalysis.bilingual import both
from plans import tasks
from plans.models import Plan

DEMO_NAME = _("At most 300 people and US$ 20 M a year, no Chapter VII")
DEMO = {"max_people": 300, "max_cost_usd": 20_000_000, "exclude_chapter_vii": True}


class Command(BaseCommand):
    help = "Create and solve the demo plan of the demo analyst (idempotent: an existing one is kept)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off")

    def handle(self, *args, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Refusing to create a demo plan with DEBUG off; use --force if you mean it.")
        owner = get_user_model().objects.filter(username="analyst").first()
        if owner is None:
            raise CommandError("Run seed_demo first: the demo plan belongs to the demo analyst.")
        name, name_es = both(DEMO_NAME)
        plan, created = Plan.objects.get_or_create(owner=owner, name=name, defaults={**DEMO, "name_es": name_es})
        if not created and plan.name_es in ("", plan.name) and name_es != plan.name_es:
            # a demo plan from before plans had Spanish names (or their translation)
            plan.name_es = name_es
            plan.save(update_fields=["name_es"])
        if created:
            tasks.enqueue_recompute([plan.pk])  # in-process without a broker: solved, with its robustness
        self.stdout.write(f"demo plan: {'created and solved' if created else 'already there'}")
