"""Cache files under .cache/ sealed with a key of this user's, so one made elsewhere is never unpickled.

The build keeps pickles in the site's .cache/ (parsed content, link checks, the search index).
Unpickling runs whatever the file says, and a site folder travels: a copy from a colleague, a
ZIP, a shared drive (issue 19, item 9). So each cache file starts with an HMAC-SHA256 of its
bytes under a key kept outside the site, in this user's own settings folder; a file whose seal
does not match (made by another user or machine, damaged, forged) is read as no cache: the
build reads everything again, a little slower, never wrong. Where that folder cannot be written,
the key lives as long as the process (caches then last one `serve` session).
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from cchc.core.files import atomic_write

MAGIC = b"cchc-sealed/1\n"
_MAC = hashlib.sha256().digest_size
_key: bytes | None = None


def key_file() -> Path:
    """Where the key lives: %LOCALAPPDATA%\\cchc on Windows, $XDG_CONFIG_HOME/cchc or ~/.config/cchc elsewhere."""
    base = os.environ.get("LOCALAPPDATA") or os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "cchc" / "cache-key"


def _load_key() -> bytes:
    path = key_file()
    try:
        text = path.read_text(encoding="ascii").strip()
        if len(text) == 64:
            return bytes.fromhex(text)
    except (OSError, ValueError):
        pass
    fresh = secrets.token_hex(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with open(fd, "w", encoding="ascii") as f:
            f.write(fresh)
        return bytes.fromhex(fresh)
    except FileExistsError:       # another process made it meanwhile (or left it empty: then this process's own)
        try:
            text = path.read_text(encoding="ascii").strip()
            return bytes.fromhex(text) if len(text) == 64 else bytes.fromhex(fresh)
        except (OSError, ValueError):
            return bytes.fromhex(fresh)
    except OSError:               # no writable settings folder: a key for this process only
        return bytes.fromhex(fresh)


def _seal(data: bytes) -> bytes:
    global _key
    if _key is None:
        _key = _load_key()
    return hmac.new(_key, data, hashlib.sha256).digest()


def write(path: Path, data: bytes) -> None:
    """Write data sealed (atomically); OSError as atomic_write raises it."""
    atomic_write(path, MAGIC + _seal(data) + data)


def read(path: Path) -> bytes | None:
    """The data of a sealed file, or None when it is missing, unreadable, damaged or not sealed by this user."""
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    head = len(MAGIC) + _MAC
    if not blob.startswith(MAGIC) or len(blob) < head:
        return None
    data = blob[head:]
    return data if hmac.compare_digest(blob[len(MAGIC):head], _seal(data)) else None


SIGNATURE = 64      # hex characters of sign()


def sign(name: str, text: str) -> str:
    """A text stored under name (a row of a cache database), prefixed with its seal."""
    return _seal(name.encode("utf-8") + b"\0" + text.encode("utf-8")).hex() + text


def unsign(name: str, stored: str) -> str | None:
    """The text sign() stored, or None when its seal does not match (not this user's, or damaged)."""
    text = stored[SIGNATURE:]
    return text if hmac.compare_digest(stored[:SIGNATURE], sign(name, text)[:SIGNATURE]) else None
