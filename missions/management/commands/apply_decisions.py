from django.core.management.base import BaseCommand

from missions.decisions import apply_decisions


class Command(BaseCommand):
    help = ("Set every mission's status, end and tasks from its Security Council decisions as of today "
            "(run daily from cron: a final mandate whose last day has passed closes its mission).")

    def handle(self, *args, **options):
        changed = apply_decisions()
        if changed:
            self.stdout.write(f"missions that follow their decisions anew: {', '.join(changed)}")
        else:
            self.stdout.write("Nothing to do: every mission already follows its decisions.")
