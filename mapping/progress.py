"""A small progress bar for management commands, written to stderr."""

from __future__ import annotations

import time
from collections.abc import Callable

WIDTH = 30


class ProgressBar:
    """Shows done/total as a bar, redrawn at most ten times a second. Off when not enabled."""

    def __init__(
        self, write: Callable[[str], object], *, total: int, enabled: bool, label: str = ""
    ) -> None:
        self.write = write
        self.total = max(total, 1)
        self.enabled = enabled
        self.label = label
        self.started = time.monotonic()
        self._last_draw = 0.0
        self.rows = 0

    def update(self, done: int, rows: int) -> None:
        self.rows = rows
        now = time.monotonic()
        if not self.enabled or now - self._last_draw < 0.1:
            return
        self._last_draw = now
        self._draw(min(done, self.total))

    def finish(self) -> None:
        if self.enabled:
            self._draw(self.total)
            self.write("\n")

    def _draw(self, done: int) -> None:
        fraction = done / self.total
        filled = int(fraction * WIDTH)
        elapsed = max(time.monotonic() - self.started, 1e-6)
        bar = "#" * filled + "-" * (WIDTH - filled)
        self.write(
            f"\r{self.label}[{bar}] {fraction:4.0%}  {self.rows:,} rows  "
            f"{self.rows / elapsed:,.0f} rows/s "
        )
