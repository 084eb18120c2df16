"""The record, kept on the server, of what the section published: the manifest and its journal.

The manifest (`.cchc-manifest.json`) is written once, last, by a publish that finished. While
a publish runs it appends what has arrived to a journal (`.cchc-journal.jsonl`, one JSON
object per line, each append starting with a newline so a line cut short by a crash is
skipped, not glued to the next). The next publish reads both, so files that arrived before an
interruption count as published and are not sent again. Journal lines carry the run id; the
lines of the run that wrote the current manifest are already in it and are ignored, so a
journal left behind by a crash after the manifest was written does no harm.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone

from cchc.commands.publish.plan import RESERVED, FileEntry, is_safe_path
from cchc.core.messages import _

FORMAT = "cchc-manifest/1"


class ManifestError(Exception):
    """The server's manifest cannot be trusted; publishing on a guess could delete files."""


def parse_manifest(data: bytes) -> tuple[dict[str, FileEntry], str]:
    """(files, run id) from the manifest's bytes."""
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(_("it is not valid JSON ({why})", why=str(exc))) from None
    except RecursionError:     # "[[[[…": json nests by recursion
        raise ManifestError(_("its values are nested too deeply for a manifest")) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("files"), dict):
        raise ManifestError(_('it is not a "{format}" manifest', format=FORMAT))
    files = {}
    for path, item in doc["files"].items():
        entry = _entry(path, item)
        if entry is None:
            raise ManifestError(_("its entry {path} is not a safe relative path with size and sha256", path=repr(path)))
        files[path] = entry
    return files, str(doc.get("run", ""))


def _entry(path, item) -> FileEntry | None:
    if not isinstance(path, str) or not is_safe_path(path) or path in RESERVED or not isinstance(item, dict):
        return None
    size, sha, mtime = item.get("size"), item.get("sha256"), item.get("mtime")
    if not isinstance(size, int) or size < 0 or not isinstance(sha, str) or len(sha) != 64:
        return None
    return FileEntry(size, sha, mtime if isinstance(mtime, int) else None)


def dump_manifest(files: dict[str, FileEntry], run: str, generator: str, built: datetime | None = None) -> bytes:
    """built: the moment the published build was made for (what `publish --due` compares with)."""
    doc = {
        "format": FORMAT,
        "generator": generator,
        "run": run,
        "published": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        **({"built": built.isoformat(timespec="seconds")} if built is not None else {}),
        "files": {p: _item(files[p]) for p in sorted(files)},
    }
    return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def _item(e: FileEntry) -> dict:
    item = {"size": e.size, "sha256": e.sha256}
    if e.mtime is not None:
        item["mtime"] = e.mtime
    return item


def journal_lines(entries: dict[str, FileEntry], run: str) -> bytes:
    lines = [json.dumps({"run": run, "path": p, **_item(e)}, ensure_ascii=False) for p, e in entries.items()]
    return ("\n" + "\n".join(lines) + "\n").encode("utf-8")


def merge_journal(files: dict[str, FileEntry], manifest_run: str, data: bytes) -> tuple[dict[str, FileEntry], int]:
    """files updated with the journal's entries of other runs, and how many were taken."""
    merged = dict(files)
    taken = 0
    for line in data.decode("utf-8", "replace").splitlines():
        try:
            item = json.loads(line)
        except (json.JSONDecodeError, RecursionError):
            continue        # blank, cut short by an interruption, or damaged
        if not isinstance(item, dict) or item.get("run") == manifest_run:
            continue
        entry = _entry(item.get("path"), item)
        if entry is not None:
            merged[item["path"]] = entry
            taken += 1
    return merged, taken
