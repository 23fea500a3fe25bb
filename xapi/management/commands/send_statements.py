"""`manage.py send_statements`: deliver the xAPI outbox to the LRS (loops; `--once` drains and exits)."""

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xapi.conf import lrs_config
from xapi.worker import Worker


class Command(BaseCommand):
    help = (
        "Deliver the xAPI outbox to the LRS (LRS_ENDPOINT, LRS_USERNAME, LRS_PASSWORD). Loops until SIGTERM/Ctrl-C; "
        "--once drains what is due and exits (status 1: the LRS was unavailable, 2: it refused the credentials)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Drain what is due, then exit.")
        parser.add_argument("--endpoint", help="LRS xAPI endpoint (default: the LRS_ENDPOINT setting).")
        parser.add_argument("--batch-size", type=int, help="Statements per POST (default: LRS_BATCH_SIZE).")
        parser.add_argument("--timeout", type=float, help="HTTP timeout in seconds (default: LRS_TIMEOUT).")
        parser.add_argument("--lease", type=float, help="Seconds a claimed batch stays reserved (default: 300).")

    def handle(self, *args: Any, **options: Any) -> None:
        config = lrs_config(endpoint=options["endpoint"], batch_size=options["batch_size"], timeout=options["timeout"])
        if config.batch_size < 1 or config.timeout <= 0 or (options["lease"] is not None and options["lease"] <= 0):
            self.stderr.write("--batch-size, --timeout and --lease must be positive")
            raise SystemExit(2)
        stop = threading.Event()

        def request_stop(signum: int, frame: object) -> None:
            self.stdout.write(f"Signal {signal.Signals(signum).name}: finishing the current batch, then stopping.")
            stop.set()

        previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        worker = Worker(config, lease_seconds=options["lease"], stop=stop, echo=self.stdout.write)
        try:
            status = worker.run(once=options["once"])
        finally:
            worker.close()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if status:
            raise SystemExit(status)
