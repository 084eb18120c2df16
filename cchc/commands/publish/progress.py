"""A one-line progress display for long uploads, on a terminal only."""
from __future__ import annotations

import sys
import time

from cchc.core.messages import Decimal, _

SHOW_AFTER = 1.0     # seconds: short publishes stay quiet
EVERY = 0.25


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{int(size)} {unit}" if unit == "B" else f"{Decimal(size, 1)} {unit}"   # 1,5 MiB in Vietnamese
        size /= 1024
    return f"{n} B"


class UploadProgress:
    """Files and bytes sent, rewritten in place with a carriage return."""

    def __init__(self, total_files: int, total_bytes: int, enabled: bool, stream=None):
        self.total_files, self.total_bytes = total_files, total_bytes
        self.enabled = enabled
        self.stream = stream or sys.stdout
        self.files = self.bytes = 0
        self.started = time.monotonic()
        self.drawn_at = 0.0
        self.width = 0

    def add(self, n: int) -> None:
        self.bytes += n
        self._draw()

    def file_done(self) -> None:
        self.files += 1
        self._draw()

    def _draw(self) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.started < SHOW_AFTER or now - self.drawn_at < EVERY:
            return
        self.drawn_at = now
        rate = self.bytes / max(now - self.started, 1e-6)
        line = "  " + str(_("{files}/{total} files, {sent} of {size} ({rate}/s)", files=self.files,
                              total=self.total_files, sent=human_size(self.bytes), size=human_size(self.total_bytes),
                              rate=human_size(int(rate))))
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()
        self.width = len(line)

    def close(self) -> None:
        if self.enabled and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0
