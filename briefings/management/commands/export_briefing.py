from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from briefings import service
from briefings.exporters import EXPORTERS
from risks.models import Briefing, Scenario


class Command(BaseCommand):
    help = "Render a client briefing (PDF, PPTX, XLSX or CSV) for a scenario and write it to a file."

    def add_arguments(self, parser):
        parser.add_argument("--scenario", type=int, required=True)
        parser.add_argument("--format", choices=sorted(EXPORTERS), default="pdf")
        parser.add_argument("--output", type=Path, required=True,
                            help="a file, or a directory to write the briefing into under its own name")
        parser.add_argument("--lang", choices=["en", "es"], default="en")
        parser.add_argument("--paper", choices=["a4", "letter"], default="a4")
        parser.add_argument("--client", default="")
        parser.add_argument("--firm", default="")

    def handle(self, *args, scenario, format, output, lang, paper, client, firm, **options):  # noqa: A002
        found = Scenario.objects.filter(pk=scenario).select_related("owner").first()
        if found is None:
            raise CommandError(f"no scenario with id {scenario}")
        target_dir = output if output.is_dir() else output.parent
        if not target_dir.exists():
            raise CommandError(f"directory {target_dir} does not exist")
        author = get_user_model().objects.filter(is_superuser=True).first() or found.owner
        briefing = Briefing.objects.create(scenario=found, format=format, language=lang, paper=paper,
                                           client=client, firm=firm, created_by=author)
        service.render_briefing(briefing.pk)
        briefing.refresh_from_db()
        if output.is_dir():
            output = output / briefing.file.name.rsplit("/", 1)[-1]
        with briefing.file.open("rb") as handle:
            output.write_bytes(handle.read())
        stale = " (the result was stale; the briefing says so)" if briefing.was_stale else ""
        self.stdout.write(f"{output}: {output.stat().st_size} bytes, {format}, {lang}{stale}")
