"""The `ftp` and `ftps` targets, with the standard library's ftplib, in passive mode.

FTPS is explicit TLS (AUTH TLS, then PROT P). Many servers (vsftpd's default
require_ssl_reuse=YES, ProFTPD's TLSOptions without NoSessionReuseRequired) refuse a data
connection whose TLS handshake does not resume the control connection's session: it proves the
data connection comes from the client that logged in. Plain ftplib starts a fresh session on
each data connection; SessionReusingFTP_TLS passes the control session along.

The server's certificate is checked against the system's CAs and the host name, or, when
`fingerprint:` is set for the target, pinned to that SHA-256 fingerprint (portals often have
a self-signed certificate).
"""
from __future__ import annotations

import calendar
import ftplib
import io
import socket
import ssl
import time
from typing import BinaryIO

from cchc.core.config import PublishTarget, Settings, password_variable
from cchc.core.messages import Message, _
from cchc.commands.publish.plan import RemoteStat
from cchc.commands.publish.remote import BytesSent, CHUNK, PublishError, Remote, fingerprint_matches, hex_fingerprint, secret

TIMEOUT = 30


class SessionReusingFTP_TLS(ftplib.FTP_TLS):
    """FTP_TLS whose data connections resume the control connection's TLS session."""

    pin: str = ""       # certificate fingerprint every data connection must also present

    def ntransfercmd(self, cmd, rest=None):
        conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)
        if self._prot_p:
            try:
                conn = self.context.wrap_socket(conn, server_hostname=self.host, session=self.sock.session)
                if self.pin:
                    der = conn.getpeercert(binary_form=True)
                    if der is not None and not fingerprint_matches(self.pin, der):
                        raise PublishError(_("the TLS certificate of a data connection from {host} ({fingerprint}) "
                                             "is not the pinned one", host=self.host,
                                             fingerprint=hex_fingerprint(der)))
            except BaseException:
                conn.close()
                raise
        return conn, size


class FtpRemote(Remote):
    errors = (OSError, EOFError, ftplib.Error)      # ssl.SSLError is an OSError

    def __init__(self, settings: Settings, target: PublishTarget):
        root = target.path if target.path == "/" else target.path.rstrip("/")
        super().__init__(target, root)
        self.ftp: ftplib.FTP | None = None
        self._mdtm = True

    def connect(self) -> None:
        t = self.target
        tls = t.protocol == "ftps"
        if tls:
            ftp: ftplib.FTP = SessionReusingFTP_TLS(context=self._context(), timeout=TIMEOUT)
            ftp.pin = t.fingerprint
        else:
            ftp = ftplib.FTP(timeout=TIMEOUT)
        ftp.encoding = "utf-8"
        self.ftp = ftp
        _connect(ftp, t.host, t.port, self.address)
        if tls:
            self._secure(ftp)
        user = t.user or "anonymous"
        password = ""
        if t.user:
            password = secret(t, str(_("Password for {user}@{host} ({target}): ", user=t.user, host=t.host,
                                       target=t.name)))
            if password is None:
                raise PublishError(_("no password for {user}@{address}: set the environment variable {variable}",
                                     user=t.user, address=self.address, variable=password_variable(t.name)))
        try:
            ftp.login(user, password)
        except ftplib.error_perm as exc:
            raise PublishError(_("login as {user} to {address} refused ({reply}); check the password in {variable}",
                                 user=user, address=self.address, reply=_reply(exc),
                                 variable=password_variable(t.name))) from None
        if tls:
            ftp.prot_p()
        ftp.voidcmd("TYPE I")            # SIZE is refused in ASCII mode by many servers
        ftp.set_pasv(True)

    def _context(self) -> ssl.SSLContext:
        if self.target.fingerprint:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE      # pinned instead: checked right after AUTH TLS
            return ctx
        return ssl.create_default_context()

    def _secure(self, ftp: ftplib.FTP_TLS) -> None:
        """AUTH TLS and check the certificate, before the password is sent."""
        try:
            ftp.auth()
        except ftplib.error_perm as exc:
            raise PublishError(_("{address} does not offer FTPS ({reply}); use protocol: ftp only on a trusted "
                                 "network", address=self.address, reply=_reply(exc))) from None
        except ssl.SSLCertVerificationError as exc:
            fp = self._probe_fingerprint()
            raise PublishError(_("the TLS certificate of {address} is not trusted ({why}); its SHA-256 fingerprint "
                                 "is {fingerprint}; after checking it with the server's administrator, set "
                                 "fingerprint: in site.yaml", address=self.address, why=exc.verify_message,
                                 fingerprint=fp) if fp else
                               _("the TLS certificate of {address} is not trusted ({why}); after checking it with "
                                 "the server's administrator, set fingerprint: in site.yaml", address=self.address,
                                 why=exc.verify_message)) from None
        if self.target.fingerprint:
            der = ftp.sock.getpeercert(binary_form=True)
            if not der or not fingerprint_matches(self.target.fingerprint, der):
                got = hex_fingerprint(der) if der else "none"
                raise PublishError(_("the TLS certificate of {address} ({got}) does not match fingerprint: {pinned} "
                                     "in site.yaml; refusing to log in", address=self.address, got=got,
                                     pinned=self.target.fingerprint))

    def _probe_fingerprint(self) -> str:
        """Fetch the certificate without trusting it, only to show its fingerprint."""
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
        probe = ftplib.FTP_TLS(context=ctx, timeout=TIMEOUT)
        try:
            probe.connect(self.target.host, self.target.port)
            probe.auth()
            der = probe.sock.getpeercert(binary_form=True)
            return hex_fingerprint(der) if der else ""
        except (OSError, EOFError, ftplib.Error):
            return ""
        finally:
            probe.close()

    def close(self) -> None:
        if self.ftp is None:
            return
        if self.ftp.sock is not None:
            try:
                self.ftp.quit()
            except (OSError, EOFError, ftplib.Error, ValueError):
                pass
        self.ftp.close()
        self.ftp = None

    def stat(self, path: str) -> RemoteStat | None:
        full = self.full(path)
        try:
            resp = self.ftp.sendcmd("SIZE " + full)
        except ftplib.error_perm as exc:
            if _reply(exc)[:3] in ("500", "502"):
                raise PublishError(_("the server does not support the SIZE command ({reply})", reply=_reply(exc))) from None
            return None                      # 550: no such file (or a folder)
        size = int(resp[3:].strip())
        return RemoteStat(size, self._mtime(full))

    def _mtime(self, full: str) -> int | None:
        if not self._mdtm:
            return None
        try:
            resp = self.ftp.sendcmd("MDTM " + full)
        except ftplib.error_perm as exc:
            if _reply(exc)[:3] in ("500", "502", "504"):
                self._mdtm = False           # size alone must do
            return None
        try:
            stamp = resp[3:].strip()[:14]
            return calendar.timegm(time.strptime(stamp, "%Y%m%d%H%M%S"))
        except ValueError:
            return None

    def read(self, path: str) -> bytes | None:
        buf = io.BytesIO()
        try:
            self.ftp.retrbinary("RETR " + self.full(path), buf.write)
        except ftplib.error_perm as exc:
            if _reply(exc).startswith("550"):
                return None
            raise
        return buf.getvalue()

    def _put(self, fileobj: BinaryIO, path: str, progress: BytesSent | None) -> None:
        callback = (lambda block: progress(len(block))) if progress else None
        self.ftp.storbinary("STOR " + self.full(path), fileobj, CHUNK, callback)

    def _rename(self, src: str, dst: str) -> None:
        try:
            self.ftp.rename(self.full(src), self.full(dst))
        except ftplib.error_perm:
            # Some servers (IIS) will not rename onto an existing file. Only then, and only
            # when the new file is really there, remove the old one first: the page is missing
            # for the time of one command.
            if self.stat(src) is None or self.stat(dst) is None:
                raise
            self.ftp.delete(self.full(dst))
            self.ftp.rename(self.full(src), self.full(dst))

    def append(self, path: str, data: bytes) -> None:
        self.ensure_dir("")
        self.ftp.storbinary("APPE " + self.full(path), io.BytesIO(data))

    def _delete(self, path: str) -> None:
        try:
            self.ftp.delete(self.full(path))
        except ftplib.error_perm:
            if self.stat(path) is not None:
                raise

    def _mkdir(self, folder: str) -> None:
        for p in self.folders_to_make(folder):
            try:
                self.ftp.mkd(p)
            except ftplib.error_perm:
                pass                         # exists; a real failure shows on the upload

    def _rmdir(self, folder: str) -> bool:
        try:
            self.ftp.rmd(self.full(folder))
            return True
        except ftplib.error_perm:
            return False

    @staticmethod
    def explain(exc: BaseException) -> Message | str:
        if isinstance(exc, ftplib.Error):
            return _("the server answered {reply}", reply=_reply(exc))
        if isinstance(exc, ssl.SSLError):
            return _("TLS error ({why})", why=exc.reason or str(exc))
        if isinstance(exc, (socket.timeout, TimeoutError)):
            return _("the server stopped answering (timed out)")
        if isinstance(exc, (EOFError, ConnectionError)):
            return _("the connection was closed ({why})", why=str(exc) or type(exc).__name__)
        return str(exc) or type(exc).__name__


def _connect(ftp: ftplib.FTP, host: str, port: int, address: str) -> None:
    try:
        ftp.connect(host, port)
    except ConnectionRefusedError:
        raise PublishError(_("cannot connect to {address}: connection refused (is the server running, and is the port "
                             "right?)", address=address)) from None
    except socket.gaierror:
        raise PublishError(_("cannot connect to {address}: unknown host name", address=address)) from None
    except (socket.timeout, TimeoutError):
        raise PublishError(_("cannot connect to {address}: no answer within {seconds} s", address=address,
                             seconds=TIMEOUT)) from None
    except OSError as exc:
        raise PublishError(_("cannot connect to {address}: {why}", address=address,
                             why=exc.strerror or str(exc))) from None
    except ftplib.Error as exc:
        raise PublishError(_("{address} refused the connection ({reply})", address=address, reply=_reply(exc))) from None


def _reply(exc: BaseException) -> str:
    return " ".join(str(exc).split())
