"""The Markdown cache: each body rendered once, keyed by its text and the Markdown engine.

In memory for `serve`, and on disk (a SQLite file under .cache/) so a second `build` skips
Markdown entirely for unchanged bodies. The marks left in the HTML (citations, links as written)
do not depend on other files, which is what makes this cache safe: links are placed later, page
by page (link_cache.py). Each row is sealed (core/sealed.py): the HTML goes into pages as it is,
so a row another user or program wrote is never used.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cchc.build.digests import digest, engine_fingerprint
from cchc.build.workers import spread
from cchc.core import sealed
from cchc.core.config import Settings
from cchc.core.messages import _
from cchc.core.progress import Progress
from cchc.markdown.engine import render_many


class MarkdownCache:
    """Rendered bodies (Markdown HTML) by key: a hash of the engine and of the text."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.memory: dict[str, str] = {}
        self._db = None
        self._new: dict[str, str] = {}
        self._keys: dict[str, tuple[str, str]] = {}    # source -> (body, key): no re-hashing in serve

    def key_of(self, source: str) -> str:
        """The key of the body last rendered for this source (submit() or one() made it)."""
        return self._keys[source][1]

    def one(self, settings: Settings, item) -> str:
        """One body (serve's fast path): without submit()'s pruning, which keeps only the bodies asked for."""
        key = self._key(settings, item)
        html = self.memory.get(key)
        if html is None:
            html = self.memory[key] = self._new[key] = render_many(settings.markdown, [item.body])[0]
        return html

    def submit(self, settings: Settings, items: dict[str, object], jobs: int = 0) -> Callable:
        """Start rendering the bodies that are in no cache (in the worker processes when there
        are many) -> a function that waits for them and returns source -> Markdown HTML for the
        sources it is given (some of `items`)."""
        keys = {source: self._key(settings, item) for source, item in items.items()}
        missing = {k for k in keys.values() if k not in self.memory}
        db = self._open() if missing else None
        if missing and db is not None:
            wanted = list(missing)
            for i in range(0, len(wanted), 500):
                chunk = wanted[i:i + 500]
                rows = db.execute(f"SELECT key, html FROM body WHERE key IN ({','.join('?' * len(chunk))})", chunk)
                for key, stored in rows:
                    html = sealed.unsign(key, stored)     # None: a row this user's builds did not write
                    if html is not None:
                        self.memory[key] = html
                        missing.discard(key)
        todo = {}
        for source, key in keys.items():
            if key in missing and key not in todo:
                todo[key] = items[source].body
        collect = _render(settings, list(todo.values()), jobs)

        def result(sources: list[str], progress: Progress | None = None) -> dict[str, str]:
            if todo:
                if progress:
                    progress.start(_("Markdown"), len(todo))
                for key, html in zip(todo, collect(progress)):
                    self.memory[key] = html
                    self._new[key] = html
            live = set(keys.values())
            if len(self.memory) > 2 * len(live) + 100:     # forget bodies edited away (long serve sessions)
                self.memory = {k: v for k, v in self.memory.items() if k in live}
            return {source: self.memory[keys[source]] for source in sources}
        return result

    def save(self) -> None:
        db = self._open() if self._new else None
        if db is not None and self._new:
            with db:
                db.executemany("INSERT OR REPLACE INTO body VALUES (?, ?)",
                               ((key, sealed.sign(key, html)) for key, html in self._new.items()))
            self._new.clear()

    def _key(self, settings: Settings, item) -> str:
        """The body's key: from its file's hash when known (the body is a function of the file's
        bytes and the engine), which saves hashing 60 MB of text at 12,000 files."""
        known = self._keys.get(item.source)
        if known is not None and known[0] is item.body:
            return known[1]
        key = digest(engine_fingerprint(), repr(settings.markdown), "file:" + item.digest if item.digest else item.body)
        self._keys[item.source] = (item.body, key)
        return key

    def _open(self):
        if self._db is None and self.folder is not None:
            import sqlite3
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(str(self.folder / "markdown.sqlite"))
                self._db.execute("CREATE TABLE IF NOT EXISTS body (key TEXT PRIMARY KEY, html TEXT)")
            except (OSError, sqlite3.Error):   # .cache/ unusable: render without it (the save warns)
                self._db, self.folder = None, None
        return self._db


def _render(settings: Settings, bodies: list[str], jobs: int) -> Callable:
    """Start rendering bodies, spread over the worker processes when there are enough of them
    -> a function that waits for them: (progress) -> their HTML, in order. Few bodies are
    rendered when it is called, in this process."""
    futures = spread(render_many, (settings.markdown,), bodies, jobs, 8, 20, 200)
    if futures is None:
        return lambda progress: render_many(settings.markdown, bodies) if bodies else []

    def collect(progress: Progress | None) -> list[str]:
        out: list[str] = []
        for future, count in futures:
            out += future.result()
            if progress:
                progress.advance(count)
        return out
    return collect
