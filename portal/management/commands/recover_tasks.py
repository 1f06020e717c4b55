from django.core.management.base import BaseCommand

from portal.task_recovery import recover


class Command(BaseCommand):
    help = "Queue again the tasks whose worker died mid-run (run by the scheduler)."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"Queued {recover()} task(s) again.")
