"""Which files under content/ the build reads: the entries' places (articles, pages, documents,
procedures), the files copied as they are, and the guard that keeps links to files elsewhere out.

Split from core/content.py (which reads each file) when it outgrew 600 lines.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cchc.core.messages import _

CONTENT_DIR = "content"


@dataclass
class StaticFile:
    source: Path                     # absolute path of the file in content/
    output: str                      # path under output/, e.g. "files/kh-10.pdf"


KINDS = ("articles", "pages", "documents", "procedures")    # the folders of content/ that hold Markdown entries


def is_entry(rel_path: Path) -> bool:
    """A path relative to content/ that names an entry's place (KINDS) (not
    an editor's temporary or hidden file)."""
    return len(rel_path.parts) > 1 and rel_path.parts[0] in KINDS and not rel_path.name.startswith((".", "~"))


def list_entries(root: Path, site_dir: Path) -> dict[str, Path]:
    """Every entry file (KINDS) under `root` (content/) -> {source path: path}, in
    order of kind, then path. os.scandir, not Path.rglob: listing 12,000 files is then a tenth of
    a second, not a second. Like rglob, folders that are symbolic links are not entered."""
    found: list[tuple[tuple[str, ...], str]] = []
    prefix = root.relative_to(site_dir).as_posix()

    def walk(folder: str, rel: tuple[str, ...]) -> None:
        with os.scandir(folder) as entries:
            for e in entries:
                if e.is_dir(follow_symlinks=False):
                    walk(e.path, rel + (e.name,))
                elif e.name.endswith(".md") and not e.name.startswith((".", "~")) and not e.is_dir():
                    found.append((rel + (e.name,), e.path))
    for kind in KINDS:
        base = root / kind
        if base.is_dir():
            walk(str(base), (kind,))
    found.sort()
    return {"/".join((prefix, *parts)): Path(path) for parts, path in found}


def list_static(root: Path) -> list[StaticFile]:
    """The files under content/files/ and content/images/, copied as they are."""
    out = []
    for folder in ("files", "images"):
        base = root / folder
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    out.append(StaticFile(path, f"{folder}/{path.relative_to(base).as_posix()}"))
    return out


def outside_content(path: Path, site_dir: Path) -> bool:
    """True for a link (symlink, junction) to a file outside content/: the build must never read,
    copy or publish what lies elsewhere on the editor's or the server's disk. Resolving only
    links and (once each, cached) folders keeps this to one lstat a file on a large site; the
    comparison is of strings (os.path.normcase: without case on Windows), since building the
    Path of each parent folder cost more than reading the file."""
    try:
        if path.is_symlink():
            real = os.path.normcase(str(path.resolve()))
            where = os.path.dirname(real)
        else:
            where = _real_folder(os.path.dirname(path))
        content = _real_folder(os.path.join(site_dir, CONTENT_DIR))
        return not where.startswith(content) or (where != content and where[len(content)] != os.sep)
    except (OSError, RuntimeError):   # a broken link or a link loop
        return True


@lru_cache(maxsize=4096)
def _real_folder(folder: str) -> str:
    return os.path.normcase(str(Path(folder).resolve()))


OUTSIDE = (_("is a link to a file outside the content folder; it is not read or published"),
           _("copy the file itself into content/ instead of linking to it"))
