"""The `sftp` target, with paramiko.

The server's host key is checked before any credential is sent: against `fingerprint:` in
site.yaml when set, else against known_hosts (`known_hosts:` or ~/.ssh/known_hosts, hashed
entries included). An unknown or changed key refuses the connection and shows the key's
fingerprint, so the administrator can compare it with the server's.

Login: the `key_file:` when set (its passphrase from the environment or a prompt), else a
password from the environment, else the SSH agent and the user's default keys, else a
password prompt at a terminal. paramiko.Transport is used directly rather than SSHClient so
that each of these steps fails with its own clear message.
"""
from __future__ import annotations

import errno
import os
import socket
import stat as statmod
from pathlib import Path
from typing import BinaryIO

import paramiko

from cchc.core.config import PublishTarget, Settings, password_variable
from cchc.core.messages import Message, _
from cchc.commands.publish.plan import RemoteStat
from cchc.commands.publish.remote import BytesSent, CHUNK, PublishError, Remote, fingerprint_matches, secret, sha256_fingerprint

TIMEOUT = 20
# known_hosts names a key's type; the algorithms that negotiate it can differ (RSA).
_ALGORITHMS = {"ssh-rsa": ("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa")}


class SftpRemote(Remote):
    errors = (OSError, EOFError, paramiko.SSHException)

    def __init__(self, settings: Settings, target: PublishTarget):
        root = target.path if target.path == "/" else target.path.rstrip("/")
        super().__init__(target, root)
        self.site_dir = settings.site_dir
        self.transport: paramiko.Transport | None = None
        self.sftp: paramiko.SFTPClient | None = None

    # -- connecting -----------------------------------------------------------------------

    def connect(self) -> None:
        t = self.target
        try:
            sock = socket.create_connection((t.host, t.port), timeout=TIMEOUT)
        except ConnectionRefusedError:
            raise PublishError(_("cannot connect to {address}: connection refused (is the server running, and is the "
                                 "port right?)", address=self.address)) from None
        except socket.gaierror:
            raise PublishError(_("cannot connect to {address}: unknown host name", address=self.address)) from None
        except OSError as exc:
            raise PublishError(_("cannot connect to {address}: {why}", address=self.address,
                                 why=exc.strerror or str(exc))) from None
        transport = self.transport = paramiko.Transport(sock)
        known = None if t.fingerprint else self._known_keys()
        if known:
            # Ask for a key type known_hosts has, so a server with several keys is not
            # mistaken for a changed one.
            wanted = [a for name in known for a in _ALGORITHMS.get(name, (name,))]
            options = transport.get_security_options()
            usable = [a for a in wanted if a in options.key_types]
            if usable:
                options.key_types = usable
        try:
            transport.start_client(timeout=TIMEOUT)
        except (paramiko.SSHException, EOFError, OSError) as exc:
            raise PublishError(_("no SSH connection with {address} ({why})", address=self.address, why=str(exc))) from None
        self._check_host_key(transport.get_remote_server_key(), known)
        self._login(transport)
        self.sftp = paramiko.SFTPClient.from_transport(transport)
        self.sftp.get_channel().settimeout(60)

    def _known_hosts_file(self) -> Path:
        if self.target.known_hosts:
            p = Path(self.target.known_hosts).expanduser()
            return p if p.is_absolute() else self.site_dir / p
        return Path("~/.ssh/known_hosts").expanduser()

    def _host_label(self) -> str:
        host, port = self.target.host, self.target.port
        return host if port == 22 else f"[{host}]:{port}"

    def _known_keys(self) -> dict[str, paramiko.PKey]:
        path = self._known_hosts_file()
        keys = paramiko.HostKeys()
        if path.exists():
            try:
                keys.load(str(path))
            except (OSError, paramiko.SSHException, ValueError) as exc:
                raise PublishError(_("cannot read known_hosts file {path} ({why})", path=path, why=str(exc))) from None
        elif self.target.known_hosts:
            raise PublishError(_("known_hosts file {path} does not exist (known_hosts: in site.yaml)", path=path))
        return dict(keys.lookup(self._host_label()) or {})

    def _check_host_key(self, key: paramiko.PKey, known: dict[str, paramiko.PKey] | None) -> None:
        fp = f"{key.get_name()} {sha256_fingerprint(key.asbytes())}"
        if self.target.fingerprint:
            if not fingerprint_matches(self.target.fingerprint, key.asbytes()):
                raise PublishError(_("host key of {address} ({got}) does not match fingerprint: {pinned} in site.yaml; "
                                     "refusing to connect (if the server's key was changed on purpose, update "
                                     "fingerprint:)", address=self.address, got=fp, pinned=self.target.fingerprint))
            return
        if not known:
            raise PublishError(_("host key of {address} is not known ({got}); after checking it with the server's "
                                 "administrator, add it to {file} or set fingerprint: in site.yaml",
                                 address=self.address, got=fp, file=self._known_hosts_file()))
        if known.get(key.get_name()) == key:
            return
        was = ", ".join(f"{name} {sha256_fingerprint(k.asbytes())}" for name, k in known.items())
        raise PublishError(_("host key of {address} has CHANGED: the server offers {got}, {file} has {was}; refusing "
                             "to connect (if the administrator replaced the key, update known_hosts)",
                             address=self.address, got=fp, file=self._known_hosts_file(), was=was))

    def _login(self, transport: paramiko.Transport) -> None:
        t = self.target
        user = t.user or _local_user()
        var = password_variable(t.name)
        try:
            if t.key_file:
                transport.auth_publickey(user, self._load_key())
                return
            password = os.environ.get(var)
            if password is not None:
                transport.auth_password(user, password)
                return
            for key in _default_keys():
                try:
                    transport.auth_publickey(user, key)
                    return
                except paramiko.AuthenticationException:
                    continue
            password = secret(t, str(_("Password for {user}@{host} ({target}): ", user=user, host=t.host,
                                       target=t.name)))
            if password is None:
                raise PublishError(_("login as {user} to {address} refused: no key accepted and no password (set "
                                     "key_file: in site.yaml, or the variable {variable})", user=user,
                                     address=self.address, variable=var))
            transport.auth_password(user, password)
        except paramiko.BadAuthenticationType as exc:
            raise PublishError(_("login as {user} to {address} refused: the server accepts only {kinds} (set "
                                 "key_file: in site.yaml)", user=user, address=self.address,
                                 kinds=exc.allowed_types)) from None
        except paramiko.AuthenticationException:
            what = _("key {file}", file=t.key_file) if t.key_file else _("the password in {variable}", variable=var)
            raise PublishError(_("login as {user} to {address} refused; check {what}", user=user, address=self.address,
                                 what=what)) from None

    def _load_key(self) -> paramiko.PKey:
        path = Path(self.target.key_file).expanduser()
        if not path.is_absolute():
            path = self.site_dir / path
        var = password_variable(self.target.name)
        try:
            return paramiko.PKey.from_path(path)
        except (paramiko.PasswordRequiredException, TypeError):
            pass        # encrypted (the cryptography package says so with a TypeError)
        except FileNotFoundError:
            raise PublishError(_("key_file {path} does not exist", path=path)) from None
        except (paramiko.SSHException, ValueError, OSError) as exc:
            raise PublishError(_("cannot read key_file {path} ({why})", path=path, why=str(exc))) from None
        passphrase = secret(self.target, str(_("Passphrase for {path}: ", path=path)))
        if passphrase is None:
            raise PublishError(_("key_file {path} is protected by a passphrase: set the environment variable {variable}",
                                 path=path, variable=var))
        try:
            return paramiko.PKey.from_path(path, password=passphrase.encode("utf-8"))
        except (paramiko.SSHException, ValueError, TypeError):
            raise PublishError(_("cannot unlock key_file {path}: wrong passphrase in {variable}?", path=path,
                                 variable=var)) from None

    def close(self) -> None:
        for thing in (self.sftp, self.transport):
            if thing is not None:
                try:
                    thing.close()
                except (OSError, EOFError, paramiko.SSHException):
                    pass
        self.sftp = self.transport = None

    # -- files ----------------------------------------------------------------------------

    def stat(self, path: str) -> RemoteStat | None:
        try:
            st = self.sftp.stat(self.full(path))
        except FileNotFoundError:
            return None
        if st.st_mode is not None and not statmod.S_ISREG(st.st_mode):
            return RemoteStat(-1, st.st_mtime)       # a folder where a file should be: never equal
        return RemoteStat(st.st_size, st.st_mtime)

    def read(self, path: str) -> bytes | None:
        try:
            with self.sftp.open(self.full(path), "rb") as f:
                f.prefetch()
                return f.read()
        except FileNotFoundError:
            return None

    def _put(self, fileobj: BinaryIO, path: str, progress: BytesSent | None) -> None:
        with self.sftp.open(self.full(path), "wb") as out:
            out.set_pipelined(True)
            for chunk in iter(lambda: fileobj.read(CHUNK), b""):
                out.write(chunk)
                if progress:
                    progress(len(chunk))

    def _rename(self, src: str, dst: str) -> None:
        try:
            self.sftp.posix_rename(self.full(src), self.full(dst))   # atomic overwrite (OpenSSH)
        except OSError:
            # Servers without posix-rename: plain SFTP rename will not overwrite, so the old
            # file goes first and the page is missing for the time of one request.
            if self.stat(src) is None:
                raise
            self._delete(dst)
            self.sftp.rename(self.full(src), self.full(dst))

    def append(self, path: str, data: bytes) -> None:
        self.ensure_dir("")
        with self.sftp.open(self.full(path), "ab") as f:
            f.write(data)

    def _delete(self, path: str) -> None:
        try:
            self.sftp.remove(self.full(path))
        except FileNotFoundError:
            pass

    def _mkdir(self, folder: str) -> None:
        for p in self.folders_to_make(folder):
            try:
                self.sftp.mkdir(p)
            except OSError:
                pass                       # exists; a real failure shows on the upload

    def _rmdir(self, folder: str) -> bool:
        try:
            self.sftp.rmdir(self.full(folder))
            return True
        except OSError:
            return False

    @staticmethod
    def explain(exc: BaseException) -> Message | str:
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            return _("the server's disk is full")
        if isinstance(exc, PermissionError):
            return _("permission denied on the server")
        if isinstance(exc, OSError) and str(exc) in ("Failure", "[Errno None] Failure"):
            return _("the server could not write the file (disk full or no permission?)")
        if isinstance(exc, (EOFError, socket.timeout, TimeoutError, paramiko.SSHException, ConnectionError)):
            detail = str(exc).strip().rstrip(":").strip() or type(exc).__name__
            return _("the connection was closed ({why})", why=detail)
        return str(exc) or type(exc).__name__


def _local_user() -> str:
    import getpass
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def _default_keys() -> list[paramiko.PKey]:
    """The SSH agent's keys, then unencrypted default key files."""
    keys: list[paramiko.PKey] = []
    try:
        keys.extend(paramiko.Agent().get_keys())
    except (paramiko.SSHException, OSError):
        pass
    for name in ("id_ed25519", "id_ecdsa", "id_rsa"):
        p = Path("~/.ssh").expanduser() / name
        if p.is_file():
            try:
                keys.append(paramiko.PKey.from_path(p))
            except (paramiko.SSHException, ValueError, OSError):
                continue
    return keys

