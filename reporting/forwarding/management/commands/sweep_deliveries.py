from django.core.management.base import BaseCommand

from reporting.forwarding.services import sweep


class Command(BaseCommand):
    help = (
        "Re-queue deliveries whose worker died or whose task was lost, and alert staff "
        "about dead deliveries. Run every 30 s or so (settings.PERIODIC_COMMANDS)."
    )

    def handle(self, *args, **options) -> None:
        result = sweep()
        if options["verbosity"] > 0:
            self.stdout.write(
                f"stalled re-queued: {result.requeued_stalled}, due re-queued: "
                f"{result.requeued_due}, alerts: {result.alerted}"
            )
