"""Write the built section into output/: only what changed, atomically, never what others own.

Pages are staged as they are rendered (stage_page, in the worker process that rendered them):
written beside their target under a temporary name, or found already there with the same bytes,
or, when the page's folder did not exist, written in place (nothing there to replace). Only a
build without errors then renames them into place (write_output); any other ending removes the
temporary files and the new pages (discard), so an erroneous build leaves output/'s files as
they were. os.replace is atomic on Windows too, so a reader never sees half of a page that was
there before, and a Ctrl-C removes the page being written.

The output record (kept in .cache/, outside output/ so publishing never uploads it) says, for
each file this generator wrote: the SHA-256 of its bytes, its size and modification time as
written, and the digest of the inputs it was rendered from. It lets a later build
  - skip rendering a page whose inputs are unchanged while the file is still as we left it,
  - skip writing a page whose bytes are unchanged (no rewrite, so no re-upload by publish),
  - remove pages it no longer produces, while files it never produced are left alone.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from cchc.build.digests import stamp
from cchc.core.files import atomic_write, portable_path, temp_name
from cchc.core.problems import Problems

RECORD_NAME = "output-record.json"
RECORD_VERSION = 2


class RecordEntry(NamedTuple):
    """What the record says of one output file (a JSON list of these four in the file)."""
    sha: str            # sha256 of the bytes, or "copy:SIZE:MTIME" for a file copied from content/ or layouts/
    size: int           # as written (-1: unknown, from an old record)
    mtime_ns: int       # as written
    inputs: str         # the digest of the inputs it was rendered from ("" for copies)


Record = dict[str, RecordEntry]      # output path -> its entry


@dataclass
class Staged:
    """A page ready to be put in place: its bytes are at `tmp`, or already at the target when
    `tmp` is empty (unchanged pages are not rewritten, so publish does not upload them again).
    `new`: `tmp` is the target itself, a page that did not exist (its folder was just made):
    there was nothing to protect, so no rename; a build that fails removes it like a temp, and
    the folders made for it (`made`: the topmost one) once they are empty."""
    rel: str
    sha: str
    size: int
    mtime_ns: int
    tmp: str = ""
    new: bool = False
    made: str = ""


@dataclass
class WriteStats:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def record_path(cache_dir: Path, out_dir: Path) -> Path:
    """One record per output folder, kept outside it so publishing never uploads it."""
    key = hashlib.sha256(str(out_dir.resolve()).encode("utf-8")).hexdigest()[:12]
    return cache_dir / f"{key}-{RECORD_NAME}"


def load_record(path: Path) -> Record:
    """The record of the last successful write; an unreadable or old-format one reads as empty
    for inputs (everything is rendered again) but still lists our files, so none is orphaned.
    Its paths are deleted and overwritten, so a record naming any path that is not a plain one
    inside output/ is discarded whole (issue 19, item 9)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    files = data.get("files") if data.get("version") == RECORD_VERSION else data
    if not isinstance(files, dict) or not all(isinstance(rel, str) and portable_path(rel) for rel in files):
        return {}     # a path outside output/ ("../../x"): not a record this tool wrote, so none of it is trusted
    return {rel: RecordEntry(*v) if isinstance(v, list) and len(v) == 4 else RecordEntry(str(v), -1, -1, "")
            for rel, v in files.items()}


def save_record(path: Path, record: Record) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"version": RECORD_VERSION, "files": record}, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))
    atomic_write(path, text.encode("utf-8"))


def is_current(out_dir: Path | str, rel: str, entry: RecordEntry | None) -> bool:
    """True when the file is still exactly as we wrote it (same size and modification time)."""
    if entry is None or entry.size < 0:
        return False
    try:
        st = os.stat(os.path.join(out_dir, rel))
    except OSError:
        return False
    return st.st_size == entry.size and st.st_mtime_ns == entry.mtime_ns


_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


def stage_page(out_dir: Path, rel: str, data: bytes, prev: RecordEntry | None) -> Staged:
    """Stage one page's bytes; `prev` is its entry in the output record (None if new).

    A cold build stages some 15,000 pages in as many new folders: a new page's folder is made
    first, and a page whose folder this call made is written in place (nothing there to
    protect, no rename, no look for a file that cannot be there); the bytes go through one
    descriptor (no buffering layer, no stat by name): 5 system calls a new page, not 14."""
    digest = hashlib.sha256(data).hexdigest()
    if prev is not None and prev.sha == digest and is_current(out_dir, rel, prev):
        return Staged(rel, digest, prev.size, prev.mtime_ns)
    target = out_dir / rel
    made = _made_folder(target.parent) if prev is None else ""
    new = bool(made)
    if not new:
        st = _same_bytes(target, digest, len(data))
        if st is not None:
            return Staged(rel, digest, st.st_size, st.st_mtime_ns)
    tmp = target if new else temp_name(target)
    try:
        fd = os.open(tmp, _WRITE_FLAGS, 0o666)
    except FileNotFoundError:
        made = _made_folder(target.parent)
        fd = os.open(tmp, _WRITE_FLAGS, 0o666)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            st = os.fstat(fd)       # renaming keeps size and modification time, on Windows too
        finally:
            os.close(fd)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return Staged(rel, digest, st.st_size, st.st_mtime_ns, str(tmp), new, made)


def _made_folder(folder: Path) -> str:
    """Make the folder if it is missing -> the topmost folder this call made ("" if none: the
    folder was there, so it may hold others' files)."""
    try:
        os.mkdir(folder)
        return str(folder)
    except FileExistsError:
        return ""
    except FileNotFoundError:
        top = folder
        while not top.parent.exists() and top.parent != top:
            top = top.parent
        folder.mkdir(parents=True, exist_ok=True)
        return str(top)
    except OSError:      # read-only, or a file in the way: opening the page reports it
        return ""


def discard(staged: list[Staged]) -> None:
    """Remove the temporary files of pages that will not be put in place, and the folders made
    for them (deepest first, each only if empty): output/ is left as it was."""
    folders = set()
    for s in staged:
        if s.tmp:
            try:
                os.unlink(s.tmp)
            except OSError:
                pass
        if s.made:
            folder = Path(s.tmp).parent
            while True:
                folders.add(folder)
                if str(folder) == s.made or folder.parent == folder:
                    break
                folder = folder.parent
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        try:
            os.rmdir(folder)
        except OSError:
            pass


class Staging:
    """Every changed file is first written beside its target under a temporary name; only when
    all of them are written are they renamed into place. A full disk or a read-only folder thus
    fails before any page changes, and Ctrl-C or an error removes every temporary file."""

    def __init__(self) -> None:
        self.pending: list[tuple[Path, Path]] = []

    def _stage(self, target: Path, write) -> None:
        tmp = temp_name(target)
        self.pending.append((tmp, target))
        try:
            write(tmp)
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
            write(tmp)

    def add_copy(self, target: Path, source: Path) -> None:
        self._stage(target, lambda tmp: shutil.copyfile(source, tmp))

    def commit(self) -> None:
        for i, (tmp, target) in enumerate(self.pending):
            os.replace(tmp, target)
            self.pending[i] = (target, target)   # done: nothing to clean up for this one

    def discard(self) -> None:
        for tmp, target in self.pending:
            if tmp != target:
                try:
                    tmp.unlink(missing_ok=True)
                except OSError:
                    pass


def _same_bytes(path: Path, digest: str, size: int) -> os.stat_result | None:
    """The file's stat when it already holds exactly these bytes (compared by hash), else None."""
    try:
        st = path.stat()
        if st.st_size != size:
            return None
        with open(path, "rb") as f:
            return st if hashlib.sha256(f.read()).hexdigest() == digest else None
    except OSError:
        return None


def write_output(out_dir: Path, pages: list[Staged], copies: dict[str, Path], record_file: Path,
                 keep: set[str] | None = None, inputs: dict[str, str] | None = None,
                 record: Record | None = None, save: bool = True) -> tuple[WriteStats, Record]:
    """Make out_dir hold the staged `pages` and `copies` (source files), and nothing else of ours.

    `keep` names outputs produced but not re-rendered this time (their record says they are
    current); `inputs` gives the input digest to record for each rendered file. Returns the
    statistics and the new record (also saved to record_file, unless `save` is False: a build
    that writes again right after, the search index after the pages, saves it once at the end).
    On an error nothing has been renamed into place yet, and every temporary file is removed.
    """
    stats = WriteStats()
    old = load_record(record_file) if record is None else record
    inputs = inputs or {}
    new: Record = {}
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Staging()
    staged: list[tuple[str, str]] = []          # (path, copy stamp) of the copies written this time
    try:
        for page in pages:
            new[page.rel] = RecordEntry(page.sha, page.size, page.mtime_ns, inputs.get(page.rel, ""))
            if page.tmp:
                if not page.new:
                    staging.pending.append((Path(page.tmp), out_dir / page.rel))
                stats.written.append(page.rel)
            else:
                stats.unchanged += 1
        for rel, source in copies.items():
            st = source.stat()
            copied = f"copy:{st.st_size}:{st.st_mtime_ns}"
            prev = old.get(rel)
            if prev is not None and prev.sha == copied and is_current(out_dir, rel, prev):
                new[rel] = prev
                stats.unchanged += 1
                continue
            staging.add_copy(out_dir / rel, source)
            staged.append((rel, copied))
        staging.commit()
    finally:
        staging.discard()
    for rel, digest in staged:
        out = (out_dir / rel).stat()
        new[rel] = RecordEntry(digest, out.st_size, out.st_mtime_ns, inputs.get(rel, ""))
        stats.written.append(rel)
    for rel in keep or ():
        if rel in old:
            new[rel] = old[rel]
            stats.unchanged += 1
    for rel in sorted(set(old) - set(new)):
        target = out_dir / rel
        if target.is_file():
            target.unlink()
            stats.removed.append(rel)
            _prune_empty(target.parent, out_dir)
    if save and (new != old or not record_file.is_file()):
        save_record(record_file, new)
    return stats, new


def _prune_empty(folder: Path, root: Path) -> None:
    """Remove folders left empty by a removed page, up to (not including) output/."""
    root = root.resolve()
    folder = folder.resolve()
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


class OutputRecord:
    """The output record of one output folder: its file under .cache/ and what it holds, as this
    process last read or wrote it. Read again only when another process (a `build` beside
    `serve`) wrote it since."""

    def __init__(self, cache_dir: Path, out_dir: Path):
        self.path = record_path(cache_dir, out_dir)
        self.out_dir = out_dir
        self._entries: Record | None = None
        self._stamp: tuple | None = None

    def current(self) -> Record:
        """The record as it is on disk now (an empty one when there is none)."""
        now = stamp(self.path)
        if self._entries is None or now != self._stamp:
            self._entries, self._stamp = load_record(self.path), now
        return self._entries

    def unchanged(self) -> bool:
        """True when the file is as this process last read or wrote it."""
        return self._entries is not None and stamp(self.path) == self._stamp

    def write(self, pages: list[Staged], copies: dict[str, Path], keep: set[str], inputs: dict[str, str],
              record: Record | None = None, save: bool = True) -> WriteStats:
        """write_output into the output folder (`record`: the entries the pages were compared
        with, by default the current ones), then remember the record it made; saved unless
        `save` is False (a second write follows: save() after it). On OSError the record stays as
        it was: a file put in place before the error no longer matches its entry, so the next
        build renders it again."""
        stats, self._entries = write_output(self.out_dir, pages, copies, self.path, keep=keep, inputs=inputs,
                                            record=self.current() if record is None else record, save=save)
        if save:
            self._stamp = stamp(self.path)
        return stats

    def save(self, before: Record) -> None:
        """Save the record the writes since `before` made (one save for the pages and the search
        index: 10 ms at 2,400 files). Until then the file is the last build's, which a later
        build only finds less current than output/ (it renders those pages again, to the same
        bytes)."""
        if self._entries != before or not self.path.is_file():
            save_record(self.path, self._entries)
        self._stamp = stamp(self.path)


def shown_path(path: Path | str, site_dir: Path) -> str:
    """A path as an editor reads it: relative to the site folder when inside it."""
    try:
        return Path(path).resolve().relative_to(site_dir.resolve()).as_posix()
    except ValueError:
        return str(path)


def cannot_write(problems: Problems, site_dir: Path, out_dir: Path, filename: str | None, reason: str,
                 message: str = "cannot write the output",
                 hint: str = "free disk space or check the folder's permissions; nothing was changed") -> None:
    """The one error of a write that failed (a full disk, a read-only folder), naming the folder."""
    where = Path(filename).parent if filename else out_dir
    problems.error(shown_path(where, site_dir), None, f"{message}: {reason}", hint)
