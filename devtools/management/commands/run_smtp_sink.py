"""Start the local SMTP sink (devtools/smtp_sink.py): see its module docstring."""

import logging
import os
import signal
import threading

from django.core.management.base import BaseCommand, CommandError, CommandParser

from devtools.smtp_sink import SinkChaos, make_sink


class Command(BaseCommand):
    help = "Run the local SMTP sink (stores every message, can fail on purpose) and its viewer."
    requires_system_checks = []  # a stand-alone server: starts fast, needs none of the portal

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8025, help="SMTP port (0: any free)")
        parser.add_argument(
            "--http-port", type=int, default=8026, help="control and viewer port (0: any free)"
        )
        parser.add_argument("--db", default="var/mail.sqlite3")
        parser.add_argument("--temp-fail-rate", type=float, default=0.0, help="451 share")
        parser.add_argument("--drop-rate", type=float, default=0.0, help="dropped connections")
        parser.add_argument("--slow-rate", type=float, default=0.0, help="late 250 answers")
        parser.add_argument("--slow-seconds", type=float, default=5.0)
        parser.add_argument(
            "--reject-recipients",
            default="",
            metavar="REGEX",
            help="recipients matching REGEX (case-insensitive) get 550 at RCPT TO",
        )
        parser.add_argument("--seed", type=int, default=None)

    def handle(self, *args, **options) -> None:
        logging.basicConfig(level=logging.INFO, format="smtp_sink %(levelname)s %(message)s")
        db = options["db"]
        if os.path.dirname(db):
            os.makedirs(os.path.dirname(db), exist_ok=True)
        try:
            chaos = SinkChaos(
                temp_fail_rate=options["temp_fail_rate"],
                drop_rate=options["drop_rate"],
                slow_rate=options["slow_rate"],
                slow_seconds=options["slow_seconds"],
                reject_pattern=options["reject_recipients"],
                seed=options["seed"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        sink = make_sink(options["host"], options["port"], options["http_port"], db, chaos)
        stop = threading.Event()
        # The servers run in their own threads: the handlers only wake the main thread.
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())  # also when started in background
        try:
            sink.start()
        except OSError as error:  # e.g. a port in use
            raise CommandError(f"Could not start the SMTP sink: {error}") from None
        try:
            self.stdout.write(
                f"SMTP sink on {sink.smtp_url} ; messages and control on {sink.http_url}/ "
                f"(db {db})",
            )
            self.stdout.flush()
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            sink.stop()
