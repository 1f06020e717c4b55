from django.core.management.base import BaseCommand

from reporting.outbox.services import sweep


class Command(BaseCommand):
    help = (
        "Send again what a dead worker held, try destinations that may have recovered, "
        "and start draining if anything is due. "
        "Run every 30 s or so (settings.PERIODIC_COMMANDS)."
    )

    def handle(self, *args, **options) -> None:
        result = sweep()
        if options["verbosity"] > 0:
            self.stdout.write(
                f"taken back from stopped workers: {result.requeued_stalled}; "
                f"destinations tried again: {', '.join(result.probed) or 'none'}; "
                f"due: {'yes' if result.due else 'no'}; drain started: "
                f"{'yes' if result.kicked else 'no'}"
            )
