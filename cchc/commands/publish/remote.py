"""What every target protocol offers the publisher, and what they share.

Each protocol is one small class with the same few methods. Paths given to them are POSIX
paths relative to the target folder; the class joins them to its root. Every library error a
user can cause (wrong password, refused connection, full disk, lost network) leaves a method
as PublishError carrying one clear line; anything else is a bug and keeps its traceback.
"""
from __future__ import annotations

import base64
import getpass
import hashlib
import os
import posixpath
import sys
from abc import ABC, abstractmethod
from typing import BinaryIO, Callable

from cchc.core.config import PublishTarget, password_variable
from cchc.core.messages import Message, _
from cchc.commands.publish.plan import TEMP_SUFFIX, RemoteStat

BytesSent = Callable[[int], None]     # told the bytes of each chunk sent (UploadProgress.add)
CHUNK = 64 * 1024


class PublishError(Exception):
    """A failure the user can act on; str() is the whole message, without a traceback, and
    .message the Message (cchc/core/messages.py)."""

    @property
    def message(self) -> Message:
        return self.args[0]


class Remote(ABC):
    """A publish target. Subclasses implement the abstract methods (the protocol primitives)."""

    def __init__(self, target: PublishTarget, root: str):
        self.target = target
        self.root = root
        self._dirs: set[str] = set()

    # -- what the publisher calls ---------------------------------------------------------

    @abstractmethod
    def connect(self) -> None:
        ...

    @abstractmethod
    def close(self) -> None:
        ...

    @abstractmethod
    def stat(self, path: str) -> RemoteStat | None:
        """Size and modification time of a file, None when there is no such file."""

    @abstractmethod
    def read(self, path: str) -> bytes | None:
        """The whole file, None when there is no such file."""

    def upload(self, fileobj: BinaryIO, path: str, size: int, progress: BytesSent | None = None) -> RemoteStat:
        """Write under a temporary name beside the file, then rename it into place, so a
        reader never sees half a file. Returns the placed file's stat."""
        self.ensure_dir(posixpath.dirname(path))
        temp = temp_name(path)
        self._put(fileobj, temp, progress)
        self._rename(temp, path)
        placed = self.stat(path)
        if placed is None or placed.size != size:
            raise PublishError(_("{path} arrived incomplete on the server ({arrived} of {size} bytes); is the disk full?",
                                 path=path, arrived=placed.size if placed else 0, size=size))
        return placed

    @abstractmethod
    def append(self, path: str, data: bytes) -> None:
        ...

    def delete(self, path: str) -> None:
        """Remove a file (already gone is fine), then its folders if that left them empty."""
        self._delete(path)
        folder = posixpath.dirname(path)
        while folder:
            if not self._rmdir(folder):
                break
            self._dirs.discard(folder)
            folder = posixpath.dirname(folder)

    def ensure_dir(self, folder: str) -> None:
        """Create folder and its parents, asking the server once per folder per publish."""
        if folder in self._dirs:
            return
        if folder:
            self.ensure_dir(posixpath.dirname(folder))
        self._mkdir(folder)
        self._dirs.add(folder)

    # -- primitives -----------------------------------------------------------------------

    @abstractmethod
    def _put(self, fileobj: BinaryIO, path: str, progress: BytesSent | None) -> None:
        ...

    @abstractmethod
    def _rename(self, src: str, dst: str) -> None:
        ...

    @abstractmethod
    def _delete(self, path: str) -> None:
        ...

    @abstractmethod
    def _mkdir(self, folder: str) -> None:
        """Create folder ("" = the root) if missing; an existing one is fine."""

    @abstractmethod
    def _rmdir(self, folder: str) -> bool:
        """Remove folder if empty; False when it is not (or cannot be) removed."""

    def full(self, path: str) -> str:
        if not path:
            return self.root or "."
        return posixpath.join(self.root, path) if self.root else path

    def folders_to_make(self, folder: str) -> list[str]:
        """Server paths to create for `folder`; for the root ("") also its parents."""
        if folder:
            paths = [self.full(folder)]
        else:
            parts = self.root.split("/")
            paths = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
        return [p for p in paths if p not in ("", "/", ".")]

    @property
    def address(self) -> str:
        return f"{self.target.host}:{self.target.port}"

    def describe(self) -> str:
        user = f"{self.target.user}@" if self.target.user else ""
        return f"{self.target.protocol}://{user}{self.address}/{self.root.lstrip('/')}"

    errors: tuple[type[BaseException], ...] = ()

    @staticmethod
    def explain(exc: BaseException) -> Message | str:
        """One line for an error of self.errors."""
        return str(exc) or type(exc).__name__


def temp_name(path: str) -> str:
    """A fixed temporary name beside the file: a retried upload overwrites the leftover of an
    interrupted one instead of piling up copies."""
    folder, name = posixpath.split(path)
    return posixpath.join(folder, f".{name}{TEMP_SUFFIX}")


def secret(target: PublishTarget, prompt: str) -> str | None:
    """The target's password or key passphrase: from the environment, else typed at a
    terminal. Never from site.yaml; the caller must never print or log it."""
    value = os.environ.get(password_variable(target.name))
    if value is not None:
        return value
    if sys.stdin is not None and sys.stdin.isatty():
        try:
            return getpass.getpass(prompt)
        except (EOFError, KeyboardInterrupt):
            return None
    return None


def sha256_fingerprint(blob: bytes) -> str:
    """OpenSSH's notation: SHA256:<unpadded base64>."""
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


def hex_fingerprint(blob: bytes) -> str:
    """openssl's notation for certificates: AB:CD:…"""
    return ":".join(f"{b:02X}" for b in hashlib.sha256(blob).digest())


def fingerprint_matches(configured: str, blob: bytes) -> bool:
    """Accept either notation, so an administrator can paste what ssh-keygen -l or
    openssl x509 -fingerprint printed."""
    text = configured.strip()
    if text.upper().startswith("SHA256:"):
        value = text[7:].rstrip("=")
        return value == sha256_fingerprint(blob)[7:] or _hex_equal(value, blob)
    return _hex_equal(text, blob)


def _hex_equal(text: str, blob: bytes) -> bool:
    digits = text.replace(":", "").replace(" ", "").lower()
    return digits == hashlib.sha256(blob).hexdigest()
