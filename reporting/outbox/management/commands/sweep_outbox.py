from django.core.management.base import BaseCommand

from reporting.outbox.services import sweep


class Command(BaseCommand):
    help = (
        "Send again what a dead worker held, and start draining if anything is due. "
        "Run every 30 s or so (settings.PERIODIC_COMMANDS)."
    )

    def handle(self, *args, **options) -> None:
        result = sweep()
        if options["verbosity"] > 0:
            self.stdout.write(
                f"taken back from stopped workers: {result.requeued_stalled}; "
                f"due: {'yes' if result.due else 'no'}; drain started: "
                f"{'yes' if result.kicked else 'no'}"
            )
