"""The last index, saved under .cache/ so that a new process starts from it instead of anew.

Whatever records the saved index holds, Index.change turns it into the index of the current
ones: loading it (0.2 s at 12,000 records) replaces a full index (6 s) in a `build` after a few
edits and at the first save in `serve`. It is a cache, never a source of truth: a missing,
partial, foreign (core/sealed.py) or older one is ignored, and one that cannot be saved costs speed only.
"""
from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from cchc.core import vietnamese
from cchc.core import sealed
from cchc.core.fingerprint import source_digest
from cchc.search import encoding, index, records, tokens
from cchc.search.index import Index

INDEX_CACHE = "search-index.pickle"   # under .cache/


def load(cache_dir: Path) -> Index | None:
    """The index a previous process saved, if this very code saved it (None otherwise)."""
    data = sealed.read(cache_dir / INDEX_CACHE)     # None: missing, or not this user's (never unpickled)
    if data is None or not data.startswith(_identity()):
        return None
    try:
        found = pickle.loads(memoryview(data)[len(_identity()):])
    except Exception:     # a missing, partial or foreign cache file is no cache; never an error
        return None
    return found if isinstance(found, Index) else None


def save(cache_dir: Path, found: Index) -> None:
    try:
        sealed.write(cache_dir / INDEX_CACHE, _identity() + pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:       # only a cache: the next process indexes in full
        pass


_IDENTITY: bytes | None = None


def _identity() -> bytes:
    """The first bytes of the saved index: a digest of the code that makes and reads it (the
    search modules, and vietnamese.py for fold()), so an index saved by another version is
    never loaded."""
    global _IDENTITY
    if _IDENTITY is None:
        h = hashlib.sha256(encoding.FORMAT.encode("utf-8"))
        h.update(source_digest(records, tokens, index, encoding, vietnamese).encode("ascii"))
        _IDENTITY = h.hexdigest().encode("ascii") + b"\n"
    return _IDENTITY
