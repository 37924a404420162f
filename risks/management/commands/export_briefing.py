from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from risks import briefing_service
from risks.models import Briefing, Scenario


class Command(BaseCommand):
    help = "Render a client briefing (PDF, XLSX or CSV) for a scenario and write it to a file."

    def add_arguments(self, parser):
        parser.add_argument("--scenario", type=int, required=True)
        parser.add_argument("--format", choices=["pdf", "xlsx", "csv"], default="pdf")
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--lang", choices=["en", "es"], default="en")
        parser.add_argument("--paper", choices=["a4", "letter"], default="a4")
        parser.add_argument("--client", default="")
        parser.add_argument("--firm", default="")

    def handle(self, *args, scenario, format, output, lang, paper, client, firm, **options):  # noqa: A002
        found = Scenario.objects.filter(pk=scenario).select_related("owner").first()
        if found is None:
            raise CommandError(f"no scenario with id {scenario}")
        if not output.parent.exists():
            raise CommandError(f"directory {output.parent} does not exist")
        author = get_user_model().objects.filter(is_superuser=True).first() or found.owner
        briefing = Briefing.objects.create(scenario=found, format=format, language=lang, paper=paper,
                                           client=client, firm=firm, created_by=author)
        briefing_service.render_briefing(briefing.pk)
        briefing.refresh_from_db()
        output.write_bytes(briefing.file.read())
        stale = " (the result was stale; the briefing says so)" if briefing.was_stale else ""
        self.stdout.write(f"{output}: {output.stat().st_size} bytes, {format}, {lang}{stale}")
