"""Write the built section into output/: only what changed, atomically, never what others own.

Called only after a build without errors, so an erroneous build leaves output/ exactly as it
was. Each file is written to a temporary name in its folder and renamed over the old one
(os.replace is atomic on Windows too), so a reader or a Ctrl-C never sees half a page. A
record of what this generator wrote (path -> SHA-256) lets a later build skip unchanged
files and remove pages it no longer produces, while files it never produced are left alone.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

RECORD_NAME = "output-record.json"


@dataclass
class WriteStats:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def record_path(cache_dir: Path, out_dir: Path) -> Path:
    """One record per output folder, kept outside it so publishing never uploads it."""
    key = hashlib.sha256(str(out_dir.resolve()).encode("utf-8")).hexdigest()[:12]
    return cache_dir / f"{key}-{RECORD_NAME}"


def load_record(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _same_file(path: Path, digest: str, size: int, recorded: str | None) -> bool:
    try:
        st = path.stat()
    except OSError:
        return False
    if st.st_size != size:
        return False
    if recorded == digest:
        return True
    return hashlib.sha256(path.read_bytes()).hexdigest() == digest


def write_output(out_dir: Path, files: dict[str, bytes], copies: dict[str, Path], record_file: Path,
                 keep: set[str] | None = None) -> WriteStats:
    """Make out_dir hold `files` (bytes) and `copies` (source files), and nothing else of ours.

    `keep` names outputs produced but not re-rendered this time (they are up to date).
    """
    stats = WriteStats()
    old = load_record(record_file)
    new: dict[str, str] = {}
    out_dir.mkdir(parents=True, exist_ok=True)
    for rel, data in files.items():
        digest = hashlib.sha256(data).hexdigest()
        new[rel] = digest
        target = out_dir / rel
        if _same_file(target, digest, len(data), old.get(rel)):
            stats.unchanged += 1
            continue
        atomic_write(target, data)
        stats.written.append(rel)
    for rel, source in copies.items():
        st = source.stat()
        stamp = f"copy:{st.st_size}:{st.st_mtime_ns}"
        new[rel] = stamp
        target = out_dir / rel
        if old.get(rel) == stamp and target.is_file() and target.stat().st_size == st.st_size:
            stats.unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
        stats.written.append(rel)
    for rel in keep or ():
        if rel in old:
            new[rel] = old[rel]
    for rel in sorted(set(old) - set(new)):
        target = out_dir / rel
        if target.is_file():
            target.unlink()
            stats.removed.append(rel)
            _prune_empty(target.parent, out_dir)
    record_file.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(record_file, json.dumps(new, ensure_ascii=False, sort_keys=True, indent=0).encode("utf-8"))
    return stats


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
