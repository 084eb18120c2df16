"""The `dir` target: a folder on this machine (the web root, or a mounted share)."""
from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import BinaryIO

from cchc.core.config import PublishTarget, Settings
from cchc.core.messages import Message, _
from cchc.commands.publish.plan import RemoteStat
from cchc.commands.publish.remote import BytesSent, CHUNK, PublishError, Remote


class FolderRemote(Remote):
    errors = (OSError,)

    def __init__(self, settings: Settings, target: PublishTarget):
        folder = Path(target.path).expanduser()
        if not folder.is_absolute():
            folder = settings.site_dir / folder       # relative to the site, not to the shell
        super().__init__(target, "")
        self.folder = folder

    @property
    def address(self) -> str:
        return str(self.folder)

    def describe(self) -> str:
        return str(self.folder)

    def connect(self) -> None:
        # Create the target folder only inside an existing parent: a missing parent usually
        # means an unmounted share, and publishing onto the local disk instead would be silent.
        if not self.folder.is_dir():
            if not self.folder.parent.is_dir():
                raise PublishError(_("folder {path} does not exist (is the share mounted?)", path=self.folder.parent))
            self.folder.mkdir()

    def close(self) -> None:
        pass

    def _path(self, path: str) -> Path:
        return self.folder.joinpath(*path.split("/")) if path else self.folder

    def stat(self, path: str) -> RemoteStat | None:
        try:
            st = self._path(path).stat()
        except (FileNotFoundError, NotADirectoryError):
            return None
        if not os.path.isfile(self._path(path)):
            return RemoteStat(-1, int(st.st_mtime))     # a folder where a file should be: never equal
        return RemoteStat(st.st_size, int(st.st_mtime))

    def read(self, path: str) -> bytes | None:
        try:
            with open(self._path(path), "rb") as f:
                return f.read()
        except (FileNotFoundError, NotADirectoryError):
            return None

    def _put(self, fileobj: BinaryIO, path: str, progress: BytesSent | None) -> None:
        with open(self._path(path), "wb") as out:
            for chunk in iter(lambda: fileobj.read(CHUNK), b""):
                out.write(chunk)
                if progress:
                    progress(len(chunk))
            out.flush()
            os.fsync(out.fileno())       # a share or a power cut must not leave an empty file

    def _rename(self, src: str, dst: str) -> None:
        os.replace(self._path(src), self._path(dst))   # atomic, and overwrites on Windows too

    def append(self, path: str, data: bytes) -> None:
        with open(self._path(path), "ab") as f:
            f.write(data)

    def _delete(self, path: str) -> None:
        try:
            self._path(path).unlink()
        except FileNotFoundError:
            pass

    def _mkdir(self, folder: str) -> None:
        p = self._path(folder)
        if not p.is_dir():
            p.mkdir()

    def _rmdir(self, folder: str) -> bool:
        try:
            self._path(folder).rmdir()
            return True
        except OSError:
            return False

    @staticmethod
    def explain(exc: BaseException) -> Message | str:
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            return _("the disk is full")
        if isinstance(exc, PermissionError):
            return _("permission denied ({path})", path=exc.filename)
        return str(exc)

