"""Digests of the engine's own source: part of every cache key, so that a cache never outlives
a change of the code that filled it, even between two releases with one version number."""
from __future__ import annotations

import hashlib
from pathlib import Path
from types import ModuleType

PACKAGE = Path(__file__).resolve().parent.parent


def source_digest(*modules: ModuleType) -> str:
    """Hash of the source files of these modules (what shapes one cached result)."""
    h = hashlib.sha256()
    for module in modules:
        path = Path(module.__file__)
        h.update(path.name.encode("utf-8") + b"\0" + path.read_bytes())
    return h.hexdigest()


def package_digest() -> str:
    """Hash of every source file of the package (what shapes the pages)."""
    h = hashlib.sha256()
    for p in sorted(PACKAGE.rglob("*.py")):
        h.update(p.relative_to(PACKAGE).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()
