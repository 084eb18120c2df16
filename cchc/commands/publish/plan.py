"""What a publish sends, replaces and deletes, and in which order. No protocol here.

The plan compares three views of each file: the built output (local), what the section
last published (the manifest on the server, plus the progress journal of an interrupted
run) and, only for the files the plan would touch, what is on the server now (a stat, and a
hash when the sizes say the server may already hold the new file). Unchanged files are never
looked at on the server, so a no-change publish costs one manifest download.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from cchc.core.files import portable_path
from cchc.core.messages import Message, _
from cchc.model import routes

MANIFEST_NAME = ".cchc-manifest.json"
JOURNAL_NAME = ".cchc-journal.jsonl"
TEMP_SUFFIX = ".cchc-tmp"
RESERVED = (MANIFEST_NAME, JOURNAL_NAME)

STAGES = routes.STAGES
stage = routes.publish_stage      # upload order: what pages link to first, the home page last


@dataclass(frozen=True)
class FileEntry:
    """One published file. mtime is the server's time right after the upload (None when the
    server cannot tell): with size it shows whether someone changed the file since."""
    size: int
    sha256: str
    mtime: int | None = None

    def same_content(self, other: "FileEntry") -> bool:
        return self.size == other.size and self.sha256 == other.sha256


@dataclass(frozen=True)
class RemoteStat:
    size: int
    mtime: int | None = None
    link: str | None = None     # a symbolic link is there, or on the way (its path): never touched


def is_safe_path(path: str) -> bool:
    """A relative POSIX path that stays inside the target folder (a manifest is server data), each
    part a name Windows could hold too: no drive ("x/C:/Users"), no ".. " (Windows drops the
    space: it is ".."), no device name, no control character. The build refuses any other name
    for a file of the section (core/content.py), so every path it publishes passes."""
    return portable_path(path)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def scan_output(output_dir: Path) -> dict[str, FileEntry]:
    """Every regular file under output_dir, by POSIX path relative to it."""
    files: dict[str, FileEntry] = {}
    for p in sorted(output_dir.rglob("*")):
        if p.is_symlink() or not p.is_file():
            continue
        rel = p.relative_to(output_dir).as_posix()
        if rel in RESERVED or p.name.endswith(TEMP_SUFFIX):
            continue
        files[rel] = FileEntry(p.stat().st_size, file_sha256(p))
    return files


def delete_limit(max_deletes: int, published_count: int) -> int:
    """The safe number of deletions: max_deletes or a quarter of the manifest, the smaller
    (at least one, so removing a single article from a tiny site needs no flag)."""
    return min(max_deletes, max(1, published_count // 4))


@dataclass(frozen=True)
class Upload:
    path: str
    size: int
    replace: bool       # the section had published this path before


@dataclass(frozen=True)
class Conflict:
    path: str
    reason: Message


@dataclass
class UploadPlan:
    uploads: list[Upload] = field(default_factory=list)     # in upload order
    deletes: list[str] = field(default_factory=list)        # in deletion order
    adopted: dict[str, FileEntry] = field(default_factory=dict)  # already on the server, intact
    gone: list[str] = field(default_factory=list)           # published, no longer produced, already absent
    conflicts: list[Conflict] = field(default_factory=list)
    kept: list[Conflict] = field(default_factory=list)     # --force: not the section's file, so not deleted
    unchanged: int = 0

    @property
    def new(self) -> list[Upload]:
        return [u for u in self.uploads if not u.replace]

    @property
    def replaced(self) -> list[Upload]:
        return [u for u in self.uploads if u.replace]

    @property
    def upload_bytes(self) -> int:
        return sum(u.size for u in self.uploads)


def removed_paths(local: dict[str, FileEntry], published: dict[str, FileEntry]) -> list[str]:
    return sorted(p for p in published if p not in local)


def _unchanged_on_server(published: FileEntry, remote: RemoteStat) -> bool:
    if remote.size != published.size:
        return False
    return published.mtime is None or remote.mtime is None or published.mtime == remote.mtime


def make_plan(local: dict[str, FileEntry], published: dict[str, FileEntry], *,
              stat: Callable[[str], RemoteStat | None],
              remote_sha256: Callable[[str], str | None],
              force: bool = False) -> UploadPlan:
    """Decide every file. stat and remote_sha256 ask the server; they are called only for
    files this publish would write or delete, and remote_sha256 only when the server's file
    already has the new size (a file that arrived before an interruption, or an identical copy).

    A server file that is neither what the manifest recorded nor the new content is a
    conflict: someone changed it on the server, or it is not the section's at all. Conflicts
    stop the publish unless force is set. With force, the files that did not change locally
    are checked too, and any that is missing or edited on the server is sent again.
    """
    plan = UploadPlan()

    def already_there(path: str, want: FileEntry, remote: RemoteStat) -> bool:
        if remote.size == want.size and remote_sha256(path) == want.sha256:
            plan.adopted[path] = FileEntry(want.size, want.sha256, remote.mtime)
            return True
        return False

    for path in sorted(local, key=lambda p: (stage(p), p)):
        want = local[path]
        before = published.get(path)
        if before is not None and before.same_content(want):
            if force:       # --force also repairs: a section file missing or edited on the server
                remote = stat(path)
                if remote is not None and remote.link:
                    plan.conflicts.append(Conflict(path, _link_reason(path, remote)))
                elif remote is None or not _unchanged_on_server(before, remote):
                    plan.uploads.append(Upload(path, want.size, replace=True))
                    continue
            plan.unchanged += 1
            continue
        remote = stat(path)
        if remote is not None and remote.link:      # never written through, not even with --force
            plan.conflicts.append(Conflict(path, _link_reason(path, remote)))
        elif remote is None:
            plan.uploads.append(Upload(path, want.size, replace=before is not None))
        elif before is not None and _unchanged_on_server(before, remote):
            plan.uploads.append(Upload(path, want.size, replace=True))
        elif already_there(path, want, remote):
            pass
        elif force:
            plan.uploads.append(Upload(path, want.size, replace=True))
        elif before is None:
            plan.conflicts.append(Conflict(path, _("is on the server ({size} bytes) but was not published by this "
                                                   "section", size=remote.size)))
        else:
            plan.conflicts.append(Conflict(path, _changed_reason(before, remote)))

    # A deletion needs the server's file to be the very one published: the manifest and the
    # journal are server data anyone with write access can forge, with a foreign file's size.
    for path in sorted(removed_paths(local, published), key=lambda p: (-stage(p), p)):
        before = published[path]
        remote = stat(path)
        if remote is None:
            plan.gone.append(path)
        elif remote.link:
            plan.conflicts.append(Conflict(path, _link_reason(path, remote)))
        elif not _unchanged_on_server(before, remote) and not force:
            plan.conflicts.append(Conflict(path, _("{reason}; the section no longer produces it",
                                                   reason=_changed_reason(before, remote))))
        elif remote.size == before.size and remote_sha256(path) == before.sha256:
            plan.deletes.append(path)
        else:
            foreign = Conflict(path, _("is not what the section published (its content is not the one "
                                       "recorded in {manifest}); it is left alone", manifest=MANIFEST_NAME))
            (plan.kept if force else plan.conflicts).append(foreign)
    return plan


def _link_reason(path: str, remote: RemoteStat) -> Message:
    if remote.link == path:
        return _("is a symbolic link in the target folder; it is left alone (remove the link, then publish again)")
    return _("lies under {link}, a symbolic link in the target folder; it is left alone (remove the link, then "
             "publish again)", link=remote.link)


def _changed_reason(before: FileEntry, remote: RemoteStat) -> Message:
    if remote.size != before.size:
        return _("was changed on the server since the last publish ({published} bytes published, {size} now)",
                 published=before.size, size=remote.size)
    return _("was changed on the server since the last publish (same size, newer time)")
