"""How the builder tells that an input changed: digests of what it is made of, stamps of files.

Every cache key starts with the engine's fingerprint (this package's source and the versions of
the libraries that turn content into bytes), so an upgrade or a fix invalidates every cache.
A stamp (size and modification time) is the cheap look at a file or a folder: when it is the
same as last time, the digest computed then still holds.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from cchc import __version__
from cchc.core.fingerprint import package_digest
from cchc.markdown.engine import ENGINE_MARKDOWN
from cchc.render.templates import Layouts

_ENGINE: str | None = None


def engine_fingerprint() -> str:
    """Identity of everything that turns content into bytes: this package's source and the
    versions of Python-Markdown, nh3, Jinja2 and PyYAML. Part of every cache key."""
    global _ENGINE
    if _ENGINE is None:
        import jinja2
        import yaml
        _ENGINE = digest(f"{__version__}|{ENGINE_MARKDOWN}|jinja2-{jinja2.__version__}|pyyaml-{yaml.__version__}",
                         package_digest())
    return _ENGINE


def digest(*parts: bytes | str) -> str:
    """One hex digest of several parts (each ended by a NUL, so ("ab", "c") != ("a", "bc"))."""
    h = hashlib.blake2b(digest_size=20)
    for p in parts:
        h.update(p.encode("utf-8") if isinstance(p, str) else p)
        h.update(b"\0")
    return h.hexdigest()


def stamp(path: Path) -> tuple | None:
    """(size, modification time) of a file, None when it cannot be looked at."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def folder_stamp(root: Path) -> tuple:
    """The stamps of everything under a folder (empty when there is no such folder)."""
    if not root.is_dir():
        return ()
    return tuple(sorted((p.as_posix(), *(stamp(p) or ())) for p in root.rglob("*")))


def read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


class TemplateDigests:
    """Layouts.digest_of for each template (the template and all it includes), computed again
    only when a file under layouts/ changed: a page's input digest starts with its template's."""

    def __init__(self) -> None:
        self.digests: dict[str, str] = {}
        self._stamp: tuple | None = None

    def of(self, layouts: Layouts, names: set[str]) -> dict[str, str]:
        """The digests of `names` (and of any template asked before, while layouts/ is unchanged)."""
        now = folder_stamp(layouts.root)
        if now != self._stamp:
            self._stamp, self.digests = now, {}
        for name in names - set(self.digests):
            self.digests[name] = layouts.digest_of(name)
        return self.digests
