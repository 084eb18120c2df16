"""`publish TARGET`: put the built section onto the portal without ever breaking it.

The portal's server also holds the portal's own files, so the section only ever touches what
its manifest says it published. The order of work:

1. Read the manifest and, if an earlier publish was interrupted, its journal (manifest.py).
2. Plan (plan.py): compare the output with what was published; ask the server about the
   files this publish would write or delete, so a file changed on the server, or a file that
   is not the section's, is reported and left alone (unless --force). Stop if the plan
   deletes more than the safe number of files (unless --allow-deletes N).
3. Upload new and changed files in stages (assets, pages, lists, feeds, home page), each to
   a temporary name renamed into place, appending what arrived to the journal as it goes.
4. Delete what the section no longer produces; write the new manifest last; drop the journal.

An interruption anywhere leaves every live page whole (old or new, never half), every asset a
page links to present (uploads come before the pages that use them, deletions after all
uploads), and a journal from which the next publish resumes.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import sys
import time
import uuid
from pathlib import Path
from typing import Callable

from cchc import __version__
from cchc.core.config import PublishTarget, Settings
from cchc.core.messages import Decimal, Message, _
from cchc.commands.publish.manifest import ManifestError, dump_manifest, journal_lines, merge_journal, parse_manifest
from cchc.commands.publish.plan import (JOURNAL_NAME, MANIFEST_NAME, FileEntry, UploadPlan, delete_limit, make_plan,
                                        removed_paths, scan_output)
from cchc.commands.publish.progress import UploadProgress, human_size
from cchc.commands.publish.backends import open_remote
from cchc.commands.publish.remote import PublishError, Remote

__all__ = ["publish", "PublishError"]

JOURNAL_EVERY_FILES = 20     # at most this many arrived files are unrecorded at a crash...
JOURNAL_EVERY_SECONDS = 5.0  # ...or this much time; the next run verifies them by hash instead
SHOW_PATHS = 10


def publish(settings: Settings, target: PublishTarget, output_dir: Path, *,
            dry_run: bool = False, force: bool = False, allow_deletes: int | None = None,
            quiet: bool = False, out: Callable[[str], None] = print, built: dt.datetime | None = None) -> int:
    """Publish output_dir to target. Returns 0, or 1 after printing one error line per problem
    through out (never a traceback for a network, login, host key, disk or safety failure).
    built: the moment the build in output_dir was made for, kept in the manifest (publish --due)."""
    run = _Run(settings, target, Path(output_dir), dry_run=dry_run, force=force,
               allow_deletes=allow_deletes, quiet=quiet, out=out)
    run.built = built
    return run.main()


class _Journal:
    """Batches the journal lines: one append per few files, not one per file."""

    def __init__(self, remote: Remote, run_id: str):
        self.remote, self.run_id = remote, run_id
        self.pending: dict[str, FileEntry] = {}
        self.written = False
        self.last = time.monotonic()

    def add(self, path: str, entry: FileEntry) -> None:
        self.pending[path] = entry
        if len(self.pending) >= JOURNAL_EVERY_FILES or time.monotonic() - self.last >= JOURNAL_EVERY_SECONDS:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.remote.append(JOURNAL_NAME, journal_lines(self.pending, self.run_id))
            self.pending.clear()
            self.written = True
        self.last = time.monotonic()


class _Run:
    def __init__(self, settings: Settings, target: PublishTarget, output_dir: Path, *, dry_run: bool,
                 force: bool, allow_deletes: int | None, quiet: bool, out: Callable[[str], None]):
        self.settings, self.target, self.output_dir = settings, target, output_dir
        self.dry_run, self.force, self.allow_deletes = dry_run, force, allow_deletes
        self.quiet, self.out = quiet, out
        self.doing: Message = _("connecting")
        self.to_send = self.sent_files = self.sent_bytes = self.deleted = 0

    def say(self, text: Message) -> None:
        if not self.quiet:
            self.out(str(_("publish {target}: {text}", target=self.target.name, text=text)))

    def fail(self, text: Message | str) -> int:
        self.out(str(_("publish {target}: error: {text}", target=self.target.name, text=text)))
        return 1

    def main(self) -> int:
        if not self.output_dir.is_dir():
            return self.fail(_("output folder {path} does not exist; build the site first", path=self.output_dir))
        try:
            remote = open_remote(self.settings, self.target)
        except PublishError as exc:
            return self.fail(exc.message)
        folder = getattr(remote, "folder", None)
        if folder is not None and _overlaps(Path(folder), self.output_dir):
            return self.fail(_("the target folder {folder} and the output folder {path} overlap; publish to a folder "
                               "outside output/", folder=folder, path=self.output_dir))
        local = scan_output(self.output_dir)
        if not local:
            return self.fail(_("output folder {path} is empty; build the site first", path=self.output_dir))
        try:
            remote.connect()
            return self.publish(remote, local)
        except PublishError as exc:
            return self.fail(self._with_resume_hint(exc.message))
        except remote.errors as exc:
            return self.fail(self._with_resume_hint(_("{doing}: {why}", doing=self.doing, why=remote.explain(exc))))
        except KeyboardInterrupt:
            return self.fail(self._with_resume_hint(_("interrupted while {doing}", doing=self.doing)))
        finally:
            remote.close()

    def _with_resume_hint(self, text: Message) -> Message:
        if self.sent_files or self.doing.msgid.startswith(("uploading", "deleting", "writing")):
            return _("{problem}; {sent} of {total} files sent; every live page still works: run publish again to "
                     "finish", problem=text, sent=self.sent_files, total=self.to_send)
        return text

    def publish(self, remote: Remote, local: dict[str, FileEntry]) -> int:
        started = time.monotonic()
        self.doing = _("reading {file}", file=MANIFEST_NAME)
        data = remote.read(MANIFEST_NAME)
        stored: dict[str, FileEntry] = {}
        stored_run = ""
        if data is not None:
            try:
                stored, stored_run = parse_manifest(data)
            except ManifestError as exc:
                raise PublishError(_("{file} on the server cannot be used: {why}; nothing was changed (restore it from "
                                     "a backup; without it the next publish downloads every file to compare, and "
                                     "deletes nothing)", file=MANIFEST_NAME, why=exc.args[0])) from None
        self.doing = _("reading {file}", file=JOURNAL_NAME)
        journal = remote.read(JOURNAL_NAME)
        published, resumed = merge_journal(stored, stored_run, journal) if journal is not None else (stored, 0)

        self.say(_("dry run, to {where}", where=remote.describe()) if self.dry_run else
                 _("to {where}", where=remote.describe()))
        if data is None:
            self.say(_("no manifest on the server: first publish to this target"))
        if resumed:
            self.say(_("resuming an interrupted publish: {count} files had already arrived", count=resumed))

        removed = removed_paths(local, published)
        limit = delete_limit(self.target.max_deletes, len(published))
        too_many: Message | None = None
        if len(removed) > limit and (self.allow_deletes is None or self.allow_deletes < len(removed)):
            too_many = _("this publish would delete {count} files ({examples}), more than the safe limit of {limit}; "
                         "check the build, then run again with --allow-deletes {count}", count=len(removed),
                         examples=removed[:3] + (["…"] if len(removed) > 3 else []), limit=limit)
            if not self.dry_run:            # stop before asking the server anything more
                return self.fail(too_many)

        self.doing = _("comparing with the server")
        plan = make_plan(local, published, stat=remote.stat,
                         remote_sha256=lambda p: _sha256(remote.read(p)), force=self.force)
        self.show_plan(plan)
        if too_many:
            return self.fail(too_many)
        if plan.conflicts:
            for c in plan.conflicts[:SHOW_PATHS]:
                self.fail(_("{path} {reason}", path=c.path, reason=c.reason))
            more = len(plan.conflicts) - SHOW_PATHS
            return self.fail(_("{count} file(s) on the server are not what the section published ({more} not listed); "
                               "nothing was sent (copy the change into content/, or run again with --force to "
                               "overwrite)", count=len(plan.conflicts), more=more) if more > 0 else
                             _("{count} file(s) on the server are not what the section published; nothing was sent "
                               "(copy the change into content/, or run again with --force to overwrite)",
                               count=len(plan.conflicts)))
        if self.dry_run:
            self.say(_("dry run: nothing sent"))
            return 0

        final = self.send(remote, local, published, plan)
        self.doing = _("writing {file}", file=MANIFEST_NAME)
        if final != stored:
            manifest = dump_manifest(final, self._run_id, f"cchc {__version__}", self.built)
            remote.upload(io.BytesIO(manifest), MANIFEST_NAME, len(manifest))
        if journal is not None or self._journal_written:
            remote.delete(JOURNAL_NAME)
        self.summary(plan, time.monotonic() - started)
        return 0

    def send(self, remote: Remote, local: dict[str, FileEntry], published: dict[str, FileEntry],
             plan: UploadPlan) -> dict[str, FileEntry]:
        """Upload in stage order, then delete; returns the manifest to write."""
        self._run_id = time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
        journal = _Journal(remote, self._run_id)
        for path, entry in plan.adopted.items():
            journal.add(path, entry)
        progress = UploadProgress(len(plan.uploads), plan.upload_bytes,
                                  enabled=not self.quiet and _is_terminal(sys.stdout))
        self.to_send = len(plan.uploads)
        arrived: dict[str, FileEntry] = {}
        try:
            for up in plan.uploads:
                self.doing = _("uploading {file}", file=up.path)
                with open(self.output_dir.joinpath(*up.path.split("/")), "rb") as f:
                    placed = remote.upload(f, up.path, up.size, progress.add)
                arrived[up.path] = FileEntry(up.size, local[up.path].sha256, placed.mtime)
                journal.add(up.path, arrived[up.path])
                self.sent_files += 1
                self.sent_bytes += up.size
                progress.file_done()
        finally:
            progress.close()
            self._journal_written = journal.written
        for path in plan.deletes:
            self.doing = _("deleting {file}", file=path)
            remote.delete(path)
            self.deleted += 1
        return {p: arrived.get(p) or plan.adopted.get(p) or published[p] for p in local}

    _journal_written = False
    _run_id = ""
    built: dt.datetime | None = None

    def show_plan(self, plan: UploadPlan) -> None:
        new, replaced = plan.new, plan.replaced
        parts = [_("{count} new ({size})", count=len(new), size=human_size(sum(u.size for u in new))),
                 _("{count} changed ({size})", count=len(replaced), size=human_size(sum(u.size for u in replaced))),
                 _("{count} to delete", count=len(plan.deletes)), _("{count} unchanged", count=plan.unchanged)]
        if plan.adopted:
            parts.append(_("{count} already on the server", count=len(plan.adopted)))
        if plan.conflicts:
            parts.append(_("{count} changed on the server", count=len(plan.conflicts)))
        self.say(_("plan: {parts}", parts=parts))
        for c in plan.kept:
            self.say(_("left alone: {file} {reason}", file=c.path, reason=c.reason))
        if not self.dry_run:
            return
        for label, paths in ((_("new"), [u.path for u in new]), (_("changed"), [u.path for u in replaced]),
                             (_("delete"), plan.deletes)):
            padded = f"  {label:<8}"
            for p in paths[:SHOW_PATHS]:
                self.say(_("{label} {file}", label=padded, file=p))
            if len(paths) > SHOW_PATHS:
                self.say(_("{label} … and {count} more", label=padded, count=len(paths) - SHOW_PATHS))

    def summary(self, plan: UploadPlan, seconds: float) -> None:
        if not (plan.uploads or plan.deletes or plan.adopted or plan.gone):
            self.say(_("done: nothing to send, {count} files unchanged", count=plan.unchanged))
            return
        counts = dict(sent=self.sent_files, size=human_size(self.sent_bytes), deleted=self.deleted,
                      unchanged=plan.unchanged, adopted=len(plan.adopted), seconds=Decimal(seconds, 1))
        self.say(_("done: sent {sent} files ({size}), deleted {deleted}, skipped {unchanged} unchanged and {adopted} "
                   "already on the server, in {seconds} s", **counts) if plan.adopted else
                 _("done: sent {sent} files ({size}), deleted {deleted}, skipped {unchanged} unchanged, in {seconds} s",
                   **counts))


def _sha256(data: bytes | None) -> str | None:
    return hashlib.sha256(data).hexdigest() if data is not None else None


def _overlaps(a: Path, b: Path) -> bool:
    a, b = a.resolve(), b.resolve()
    return a == b or a in b.parents or b in a.parents


def _is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False

