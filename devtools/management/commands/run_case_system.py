"""Start the reference case system (devtools/casesystem.py): see its module docstring."""

import logging
import os
import signal
import threading

from django.core.management.base import BaseCommand, CommandParser

from devtools.casesystem import Chaos, Config, make_server


class Command(BaseCommand):
    help = "Run the reference case system (Open311 + signed webhook) for development and tests."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8100)
        parser.add_argument("--db", default="var/casesystem.sqlite3")
        parser.add_argument("--fail-rate", type=float, default=0.0, help="HTTP 500 share")
        parser.add_argument("--slow-rate", type=float, default=0.0, help="answers too late")
        parser.add_argument("--slow-seconds", type=float, default=15.0)
        parser.add_argument("--drop-rate", type=float, default=0.0, help="dropped connections")
        parser.add_argument("--duplicate-ack-rate", type=float, default=0.0)
        parser.add_argument("--token-mode", action="store_true", help="answer Open311 tokens")
        parser.add_argument(
            "--auto-progress",
            type=float,
            default=0.0,
            metavar="SECONDS",
            help="test mode: move each case received -> in progress -> closed, SECONDS apart "
            "(wins over --pace)",
        )
        parser.add_argument(
            "--pace",
            type=float,
            default=0.0,
            metavar="X",
            help="the demo: move cases through a borough team's steps over hours and days, "
            "X times faster than real time (1: real time, 60: an hour a minute; 0: off)",
        )
        parser.add_argument(
            "--portal-url",
            default=os.environ.get("CASE_SYSTEM_PORTAL_URL", ""),
            help="the portal's inbound endpoint for this borough, for webhook case updates",
        )
        parser.add_argument("--seed", type=int, default=None)

    def handle(self, *args, **options) -> None:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s casesystem %(levelname)s %(message)s"
        )
        db = options["db"]
        if os.path.dirname(db):
            os.makedirs(os.path.dirname(db), exist_ok=True)
        config = Config(
            db_path=db,
            open311_key=os.environ.get("CASE_SYSTEM_OPEN311_KEY", ""),
            webhook_secret=os.environ.get("CASE_SYSTEM_WEBHOOK_SECRET", ""),
            portal_inbound_url=options["portal_url"],
            portal_secret=os.environ.get("CASE_SYSTEM_PORTAL_SECRET", ""),
            seed=options["seed"],
        )
        chaos = Chaos(
            fail_rate=options["fail_rate"],
            slow_rate=options["slow_rate"],
            slow_seconds=options["slow_seconds"],
            drop_rate=options["drop_rate"],
            duplicate_ack_rate=options["duplicate_ack_rate"],
            token_mode=options["token_mode"],
            auto_progress_seconds=options["auto_progress"],
            pace=options["pace"],
        )
        server, system = make_server(options["host"], options["port"], config, chaos)
        system.start_background()
        # shutdown() waits for serve_forever(), so it must run on another thread
        signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
        self.stdout.write(
            f"Reference case system on http://{options['host']}:{server.server_address[1]}/ "
            f"(db {db})",
        )
        self.stdout.flush()
        try:
            server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            pass
        finally:
            system.stop()
            server.server_close()
