"""The content cache: parsed content files by path, so a build re-reads only what changed.

A file is re-read only when its size or modification time changed, and re-parsed only when its
bytes did. Each file's problems are kept with it, so a cached build reports exactly what a cold
one does. A parsed entry also depends on site.yaml (categories, document types, time zone) and
on which pictures exist (image: is checked), so both are part of the cache's fingerprint.

On disk (.cache/): content.pickle holds every entry (50 MB at 12,000 files), content-delta.pickle
the entries changed since, so saving after one edit writes one entry, not the whole file. An
entry that a crash left older than its file is re-read: its size and time differ.
content.pickle is a header, then parts ({rel: entry} or [(rel, entry)]) one after another: the
parts the workers pickled when they read the files are written as they came, which spares this
process pickling 50 MB again (0.2 s, while the workers waited for it).
"""
from __future__ import annotations

import hashlib
import io
import pickle
from pathlib import Path
from typing import NamedTuple

from cchc.build.digests import digest, engine_fingerprint
from cchc.build.workers import spread
from cchc.core import sealed
from cchc.core.config import Settings
from cchc.core.content import Content, read_entry
from cchc.core.content_files import CONTENT_DIR, is_entry, list_entries, list_static
from cchc.core.messages import _
from cchc.core.problems import Problem, Problems
from cchc.core.progress import Progress


class FileEntry(NamedTuple):
    """One content file as last read."""
    mtime_ns: int
    size: int
    digest: str                  # of its bytes ("" when it could not be read)
    item: object | None          # Article, Page, LegalDocument or Procedure; None when it could not be parsed
    problems: list[Problem]      # what reading it found


class ContentCache:
    """Parsed content files by source path (content/articles/…), in memory and in .cache/."""

    DELTA_MAX = 500          # entries changed since the whole file was written: then rewrite it

    def __init__(self, folder: Path | None):
        self.path = folder / "content.pickle" if folder is not None else None
        self.delta_path = folder / "content-delta.pickle" if folder is not None else None
        self.fingerprint = ""
        self.files: dict[str, FileEntry] = {}
        self.listing: dict[str, Path] = {}        # rel -> absolute path, of every .md under content/
        self._saved: dict[str, FileEntry] = {}    # the entries as in content.pickle
        self._pickled: list[tuple[bytes, list]] = []   # (bytes, [(rel, entry)]) as workers sent them
        self._loaded = False
        self._dirty = False

    def load(self, settings: Settings, problems: Problems, changed, progress: Progress, jobs: int = 0) -> Content:
        """The content of the section. `changed`: the paths the watcher reported since the last
        call (None: look at every file's size and modification time)."""
        root = settings.site_dir / CONTENT_DIR
        content = Content()
        if not root.is_dir():
            problems.error(CONTENT_DIR, None, _("the content folder is missing"), _("create content/articles/"))
            return content
        content.static = list_static(root)
        fingerprint = digest(engine_fingerprint(), repr(settings), repr([f.output for f in content.static]))
        if not self._loaded and self.path is not None:
            self._loaded = True
            self._read_disk(fingerprint)
        targeted = changed is not None and fingerprint == self.fingerprint and bool(self.listing)
        if fingerprint != self.fingerprint:
            self.fingerprint, self.files, self._saved, self._dirty = fingerprint, {}, {}, True
            self._pickled = []
        check = self._apply_changes(root, changed) if targeted else None
        targeted = check is not None
        if not targeted:
            self.listing = list_entries(root, settings.site_dir)
            check = self.listing
        progress.start(_("Reading content"), len(self.listing))
        for rel in [r for r in self.files if r not in self.listing]:
            del self.files[rel]
            self._dirty = True
        unread = {}
        for rel, path in check.items():
            if self._stale(rel, path, trust_stat=not targeted):
                unread[rel] = path
            else:
                progress.advance()
        self._parse(unread, settings, jobs, progress)
        for rel in sorted(self.listing, key=lambda r: self.listing[r]):
            entry = self.files[rel]
            problems.extend(entry.problems)
            if entry.item is not None:
                content.add(entry.item)
        return content

    def entry(self, rel: str) -> FileEntry | None:
        return self.files.get(rel)

    def reread(self, rel: str, path: Path, settings: Settings) -> FileEntry:
        """One file the watcher named (serve's fast path), compared by its bytes: a quick second
        save can keep the size and, on coarse file systems, the modification time."""
        if self._stale(rel, path, trust_stat=False):
            self._parse({rel: path}, settings, 1, None)
        return self.files[rel]

    def _stale(self, rel: str, path: Path, trust_stat: bool) -> bool:
        """True when the file must be parsed (again). A file whose bytes are as cached gets its
        new size and time."""
        known = self.files.get(rel)
        if known is None:
            return True       # a file never read: nothing to compare
        try:
            st = path.stat()
        except OSError:
            return True
        if trust_stat and (st.st_mtime_ns, st.st_size) == (known.mtime_ns, known.size):
            return False
        try:
            found = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            found = ""
        if found != known.digest:
            return True
        self.files[rel] = FileEntry(st.st_mtime_ns, st.st_size, known.digest, known.item, known.problems)
        self._dirty = True
        return False

    def _parse(self, paths: dict[str, Path], settings: Settings, jobs: int, progress: Progress | None) -> None:
        """Parse files (content.read_entry), in worker processes when there are many: YAML and
        the field checks are a fifth of a cold build."""
        todo = [(rel, str(path)) for rel, path in paths.items()]
        futures = spread(read_chunk, (settings,), todo, jobs, 4, 50, 400)
        if futures is not None:
            for future, __ in futures:
                data = future.result()
                entries = pickle.loads(data)
                self._pickled.append((data, entries))
                for rel, entry in entries:
                    self.files[rel] = entry
                    if progress:
                        progress.advance()
        else:
            for rel, path in todo:
                self.files[rel] = read_one(settings, rel, path)
                if progress:
                    progress.advance()
        self._dirty = self._dirty or bool(todo)

    def _apply_changes(self, root: Path, changed) -> dict[str, Path] | None:
        """Apply the watcher's changed paths to the listing -> the files to look at; None when
        a full scan is needed (a folder was created, moved or deleted)."""
        check: dict[str, Path] = {}
        site_dir = root.parent
        for p in changed:
            p = Path(p)
            p = p if p.is_absolute() else site_dir / p
            try:
                rel_path = p.relative_to(root)
            except ValueError:
                continue        # site.yaml or layouts/: handled by the fingerprints
            if p.is_dir() or (not p.exists() and p.suffix != ".md"):
                return None
            if p.suffix != ".md" or not is_entry(rel_path):
                continue
            rel = p.relative_to(site_dir).as_posix()
            if p.exists():
                self.listing[rel] = check[rel] = p
            else:
                self.listing.pop(rel, None)
                check.pop(rel, None)
        return check

    def _read_disk(self, fingerprint: str) -> None:
        try:
            data = sealed.read(self.path)       # None: missing, or not this user's (never unpickled)
            f = io.BytesIO(data or b"")
            if data and pickle.load(f).get("fingerprint") == fingerprint:
                files = {}
                while f.tell() < len(data):
                    files.update(pickle.load(f))
                self.fingerprint, self.files, self._saved = fingerprint, files, dict(files)
                self.files.update(self._read_delta(fingerprint))
        except Exception:   # a missing, truncated or old cache is simply not used
            pass

    def _read_delta(self, fingerprint: str) -> dict:
        try:
            data = sealed.read(self.delta_path)
            if data is None:
                return {}
            delta = pickle.loads(data)
            return delta["files"] if delta.get("fingerprint") == fingerprint else {}
        except Exception:   # none, or unreadable: the stat check re-reads what it missed
            return {}

    def save(self) -> None:
        if self.path is None or not self._dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        edited = {rel: e for rel, e in self.files.items() if self._saved.get(rel) is not e}
        if self._saved and len(edited) <= self.DELTA_MAX:
            sealed.write(self.delta_path, pickle.dumps({"fingerprint": self.fingerprint, "files": edited},
                                                       protocol=pickle.HIGHEST_PROTOCOL))
        else:
            parts, kept = [pickle.dumps({"fingerprint": self.fingerprint})], set()
            for data, entries in self._pickled:
                if all(self.files.get(rel) is entry for rel, entry in entries):
                    parts.append(data)
                    kept.update(rel for rel, __ in entries)
            parts.append(pickle.dumps({rel: e for rel, e in self.files.items() if rel not in kept},
                                      protocol=pickle.HIGHEST_PROTOCOL))
            sealed.write(self.path, b"".join(parts))
            self._saved = dict(self.files)
            self.delta_path.unlink(missing_ok=True)
        self._pickled = []
        self._dirty = False


def read_one(settings: Settings, rel: str, path: str) -> FileEntry:
    """One content file -> its entry."""
    p = Path(path)
    try:
        st = p.stat()
    except OSError:
        st = None
    found = Problems()
    item = read_entry(p, rel, rel.split("/", 2)[1], settings, found)     # rel: content/<kind>/…
    return FileEntry(st.st_mtime_ns if st else 0, st.st_size if st else -1, item.digest if item is not None else "",
                     item, found.items)


def read_chunk(settings: Settings, todo: list[tuple[str, str]]) -> bytes:
    """In a worker: parse a batch of content files -> [(rel, entry)], pickled here so that the
    parent can write these very bytes into content.pickle (ContentCache.save)."""
    return pickle.dumps([(rel, read_one(settings, rel, path)) for rel, path in todo],
                        protocol=pickle.HIGHEST_PROTOCOL)
