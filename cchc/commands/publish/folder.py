"""The `dir` target: a folder on this machine (the web root, or a mounted share).

Such a folder is often shared, and others can write to it: a symbolic link planted inside would
make a publish read, write, rename or delete whatever it points to (append journal lines to a
file elsewhere, delete a file outside through a linked folder, write a page into a linked
temporary name). So nothing under the target folder is ever used through a link: on POSIX every
operation goes from an open folder to the next with O_NOFOLLOW (`DIR_FD`), which a link planted
between two steps cannot fool either; temporary names are created exclusively (O_EXCL). Where
the system has no such calls (Windows), every component is looked at (lstat: symbolic links and
junctions) before the operation, which leaves a moment between the look and the use. A link found
where the section would read or write is reported and left alone. The target folder itself may be
a link: it is the administrator's choice, written in site.yaml.
"""
from __future__ import annotations

import errno
import os
import stat as statmod
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator

from cchc.core.config import PublishTarget, Settings
from cchc.core.messages import Message, _
from cchc.commands.publish.plan import RemoteStat
from cchc.commands.publish.remote import BytesSent, CHUNK, PublishError, Remote

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_BINARY = getattr(os, "O_BINARY", 0)      # Windows: no newline translation
DIR_FD = bool(_NOFOLLOW and _DIRECTORY and {os.open, os.stat, os.mkdir, os.rmdir, os.unlink, os.rename}
              <= os.supports_dir_fd)
# Windows reparse points that lead elsewhere (symbolic link, junction); others (OneDrive's
# placeholders) are files like any other.
_LINK_TAGS = {getattr(statmod, "IO_REPARSE_TAG_SYMLINK", 0xA000000C), getattr(statmod, "IO_REPARSE_TAG_MOUNT_POINT", 0xA0000003)}


class LinkFound(PublishError):
    """A symbolic link or junction where the section reads or writes: left alone."""

    def __init__(self, link: str):
        super().__init__(_("{path} in the target folder is a symbolic link; it is left alone (remove the link from "
                           "the target folder, then publish again)", path=link))
        self.link = link


def _is_link(st: os.stat_result) -> bool:
    return statmod.S_ISLNK(st.st_mode) or getattr(st, "st_reparse_tag", 0) in _LINK_TAGS


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

    # -- every path goes through _at: (folder, name) with no link on the way -----------------

    @contextmanager
    def _at(self, path: str, create: bool = False) -> Iterator[tuple[int | None, str]]:
        """(folder, name) for the last part of path: with DIR_FD an open folder descriptor,
        reached from the target folder one part at a time without following a link; else
        (None, full path) after an lstat of each folder on the way. create: make missing folders.
        Raises LinkFound for a link on the way, FileNotFoundError for a missing folder."""
        parts = path.split("/") if path else []
        if not DIR_FD:
            here = self.folder
            for i, part in enumerate(parts[:-1]):
                here = here / part
                try:
                    st = os.lstat(here)
                except FileNotFoundError:
                    if not create:
                        raise
                    os.mkdir(here)
                    continue
                if _is_link(st):
                    raise LinkFound("/".join(parts[:i + 1]))
            yield None, str(self.folder.joinpath(*parts))
            return
        fds = [os.open(self.folder, os.O_RDONLY | _DIRECTORY)]
        try:
            for i, part in enumerate(parts[:-1]):
                fds.append(self._open_folder(fds[-1], part, "/".join(parts[:i + 1]), create))
            yield fds[-1], parts[-1] if parts else "."
        finally:
            for fd in reversed(fds):
                os.close(fd)

    @staticmethod
    def _open_folder(parent: int, name: str, shown: str, create: bool) -> int:
        try:
            return os.open(name, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=parent)
        except FileNotFoundError:
            if not create:
                raise
            try:
                os.mkdir(name, dir_fd=parent)
            except FileExistsError:     # made meanwhile, or a dangling link
                pass
            return FolderRemote._open_folder(parent, name, shown, False)
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.EMLINK, errno.ENOTDIR) and \
                    _is_link(os.stat(name, dir_fd=parent, follow_symlinks=False)):
                raise LinkFound(shown) from None
            raise

    def _lstat(self, path: str) -> os.stat_result:
        with self._at(path) as (folder, name):
            return os.stat(name, dir_fd=folder, follow_symlinks=False)

    def _open(self, path: str, flags: int, create: bool = False) -> int:
        """os.open of a file, never through a link (LinkFound)."""
        with self._at(path, create) as (folder, name):
            if folder is None and not flags & os.O_EXCL:
                try:
                    if _is_link(os.lstat(name)):
                        raise LinkFound(path)
                except FileNotFoundError:
                    pass
            try:
                return os.open(name, flags | _NOFOLLOW | _BINARY, 0o666, dir_fd=folder)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.EMLINK) and _is_link(os.stat(name, dir_fd=folder,
                                                                                 follow_symlinks=False)):
                    raise LinkFound(path) from None
                raise

    # -- the primitives -------------------------------------------------------------------------

    def stat(self, path: str) -> RemoteStat | None:
        try:
            st = self._lstat(path)
        except (FileNotFoundError, NotADirectoryError):
            return None
        except LinkFound as link:
            return RemoteStat(-1, None, link=link.link)
        if _is_link(st):
            return RemoteStat(-1, None, link=path)
        if not statmod.S_ISREG(st.st_mode):
            return RemoteStat(-1, int(st.st_mtime))     # a folder where a file should be: never equal
        return RemoteStat(st.st_size, int(st.st_mtime))

    def read(self, path: str) -> bytes | None:
        try:
            fd = self._open(path, os.O_RDONLY)
        except (FileNotFoundError, NotADirectoryError):
            return None
        with open(fd, "rb") as f:
            return f.read()

    def _put(self, fileobj: BinaryIO, path: str, progress: BytesSent | None) -> None:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
        try:
            fd = self._open(path, flags, create=True)
        except FileExistsError:    # left by an interrupted publish (a file), or planted (a link)
            self._delete(path)     # a link: LinkFound, left alone
            fd = self._open(path, flags, create=True)
        with open(fd, "wb") as out:
            for chunk in iter(lambda: fileobj.read(CHUNK), b""):
                out.write(chunk)
                if progress:
                    progress(len(chunk))
            out.flush()
            os.fsync(out.fileno())       # a share or a power cut must not leave an empty file

    def _rename(self, src: str, dst: str) -> None:
        # Both names are in one folder (the temporary name is beside the file). A link at dst is
        # replaced itself, never followed; the plan has reported any it found there.
        with self._at(dst) as (folder, name):
            if folder is None:
                os.replace(self.folder.joinpath(*src.split("/")), name)
            else:
                os.replace(src.rsplit("/", 1)[-1], name, src_dir_fd=folder, dst_dir_fd=folder)

    def append(self, path: str, data: bytes) -> None:
        fd = self._open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, create=True)
        with open(fd, "ab") as f:
            f.write(data)

    def _delete(self, path: str) -> None:
        try:
            with self._at(path) as (folder, name):
                if _is_link(os.stat(name, dir_fd=folder, follow_symlinks=False)):
                    raise LinkFound(path)
                os.unlink(name, dir_fd=folder)
        except (FileNotFoundError, NotADirectoryError):
            pass

    def _mkdir(self, folder: str) -> None:
        if not folder:
            return
        with self._at(folder, create=True) as (parent, name):
            try:
                os.mkdir(name, dir_fd=parent)
            except FileExistsError:
                if _is_link(os.stat(name, dir_fd=parent, follow_symlinks=False)):
                    raise LinkFound(folder) from None

    def _rmdir(self, folder: str) -> bool:
        try:
            with self._at(folder) as (parent, name):
                if _is_link(os.stat(name, dir_fd=parent, follow_symlinks=False)):
                    return False
                os.rmdir(name, dir_fd=parent)
            return True
        except (OSError, LinkFound):
            return False

    @staticmethod
    def explain(exc: BaseException) -> Message | str:
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            return _("the disk is full")
        if isinstance(exc, PermissionError):
            return _("permission denied ({path})", path=exc.filename)
        return str(exc)
