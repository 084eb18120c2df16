"""A one-line progress display for long builds: the phase and its count, e.g. "Rendering 5200/14613".

Shown only when a build has already taken a couple of seconds (a small site prints nothing
but its summary), only on a terminal (a log file or CI gets no carriage-return noise), and
never with --quiet. Writes to stderr so stdout stays the build's summary.
"""
from __future__ import annotations

import sys
import time

DELAY = 2.0          # seconds before the first line appears
INTERVAL = 0.2       # at most five updates a second: a console on Windows is slow to scroll


class Progress:
    def __init__(self, enabled: bool, stream=None):
        self.stream = stream or sys.stderr
        self.enabled = enabled and getattr(self.stream, "isatty", lambda: False)()
        self.started = time.monotonic()
        self.phase, self.done, self.total = "", 0, 0
        self._last = 0.0
        self._shown = False
        self.seconds: dict[str, float] = {}      # time spent per phase, for the benchmark
        self._phase_started = time.perf_counter()

    def start(self, phase, total: int = 0, done: int = 0) -> None:
        """Begin a phase, or come back to one (`done`: what it had counted). `phase` is a Message
        (cchc/core/messages.py), shown in the editor's language; `seconds` keys it by its English
        text, so the benchmark reads the same names in either language."""
        self._close_phase()
        self.phase, self.done, self.total = phase, done, total
        self._show(force=True)

    def advance(self, n: int = 1) -> None:
        self.done += n
        self._show()

    def finish(self) -> None:
        self._close_phase()
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()

    def _close_phase(self) -> None:
        now = time.perf_counter()
        if self.phase:
            key = getattr(self.phase, "msgid", self.phase)
            self.seconds[key] = self.seconds.get(key, 0.0) + now - self._phase_started
        self._phase_started = now

    def _show(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.started < DELAY or (not force and now - self._last < INTERVAL):
            return
        self._last = now
        count = f" {self.done}/{self.total}" if self.total else ""
        self.stream.write(f"\r\x1b[K{self.phase}{count}")
        self.stream.flush()
        self._shown = True
