"""Real servers for the publish tests, on 127.0.0.1 and free ports, started by the fixtures.

- FTP and FTPS: pyftpdlib in a thread. The FTPS server, like vsftpd with its default
  require_ssl_reuse=YES, refuses a data connection whose TLS handshake does not resume the
  control connection's session, so the tests prove the client does resume it. Both can cut the
  connection after N uploaded bytes (a network cut in the middle of a file).
- SFTP: OpenSSH's /usr/sbin/sshd, `-D -e`, with a throwaway host key, a throwaway user key
  (with a passphrase) in authorized_keys and a private config. When sshd cannot start the SFTP
  tests skip with the reason, except under CI=true, where they fail.
- CuttingProxy: a TCP relay that drops the connection after N bytes from the client, to
  interrupt an SFTP publish mid-way.
"""
from __future__ import annotations

import base64
import datetime as dt
import getpass
import hashlib
import ipaddress
import logging
import os
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

SSHD = "/usr/sbin/sshd"
FTP_USER, FTP_PASSWORD = "cchc", "ftp-Pa55word-not-in-output"
KEY_PASSPHRASE = "key-Pa55phrase-not-in-output"


def unavailable(reason: str) -> None:
    """Skip locally; under CI a missing server is a failure, never a silent skip."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- TLS certificate ---------------------------------------------------------------------

def make_certificate(folder: Path) -> tuple[Path, Path, bytes]:
    """A self-signed certificate for 127.0.0.1: (cert file, key file, DER bytes)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file, cert.public_bytes(serialization.Encoding.DER)


# --- FTP / FTPS ----------------------------------------------------------------------------

class FtpServer:
    """pyftpdlib serving `root` as FTP_USER. Counters let tests see what the client did."""

    def __init__(self, root: Path, tls_folder: Path | None = None):
        from pyftpdlib.authorizers import DummyAuthorizer
        from pyftpdlib.handlers import DTPHandler, FTPHandler
        from pyftpdlib.servers import FTPServer

        from pyftpdlib.ioloop import IOLoop

        log = logging.getLogger("pyftpdlib")
        log.setLevel(logging.WARNING)
        if not log.handlers:
            log.addHandler(logging.NullHandler())    # else pyftpdlib sets up its own stderr logging
        self.root = root
        self.received: list[str] = []        # paths of files fully received, relative to root
        self.downloaded: list[str] = []      # paths of files sent to the client
        self.refused_without_reuse = 0
        self.cut_after: int | None = None    # close the connection after this many uploaded bytes
        self.bytes_in = 0
        self.disk_full = False               # answer every upload with 552
        self.fingerprint = ""
        state = self

        authorizer = DummyAuthorizer()
        authorizer.add_user(FTP_USER, FTP_PASSWORD, str(root), perm="elradfmwMT")

        if tls_folder is None:
            dtp_base, handler_base = DTPHandler, FTPHandler
        else:
            from OpenSSL import SSL
            from OpenSSL._util import lib as ssl_lib
            from pyftpdlib.handlers import TLS_DTPHandler, TLS_FTPHandler

            cert_file, key_file, der = make_certificate(tls_folder)
            self.fingerprint = "SHA256:" + base64.b64encode(hashlib.sha256(der).digest()).decode().rstrip("=")
            self.hex_fingerprint = ":".join(f"{b:02X}" for b in hashlib.sha256(der).digest())
            ctx = SSL.Context(SSL.TLS_SERVER_METHOD)
            ctx.use_certificate_chain_file(str(cert_file))
            ctx.use_privatekey_file(str(key_file))
            ctx.set_session_id(b"cchc-tests")                 # a server-side session cache,
            ctx.set_session_cache_mode(SSL.SESS_CACHE_SERVER)  # so sessions can be resumed

            class ReuseRequiredDTP(TLS_DTPHandler):
                """vsftpd's require_ssl_reuse=YES: a data connection must resume the session."""

                def handle_ssl_established(self):
                    if not ssl_lib.SSL_session_reused(self.socket._ssl):
                        state.refused_without_reuse += 1
                        self._resp = ("522 SSL connection failed: session reuse required", logging.warning)
                        self.close()
                        return
                    super().handle_ssl_established()

            dtp_base = ReuseRequiredDTP

            class TlsHandler(TLS_FTPHandler):
                ssl_context = ctx
                tls_control_required = True
                tls_data_required = True

            handler_base = TlsHandler

        class CuttingDTP(dtp_base):
            def handle_read_event(self):
                before = self.tot_bytes_received
                super().handle_read_event()
                state.bytes_in += self.tot_bytes_received - before
                if state.cut_after is not None and state.bytes_in >= state.cut_after:
                    state.cut_after = None          # one cut per arming
                    self.cmd_channel.close()        # and the data channel with it

        class Handler(handler_base):
            dtp_handler = CuttingDTP
            banner = "cchc test server"
            auth_failed_timeout = 0.1       # pyftpdlib's 3 s anti-brute-force pause slows the tests

            def ftp_STOR(self, file, mode="w"):
                if state.disk_full:
                    self.respond("552 Requested file action aborted: disk full.")
                    return None
                return super().ftp_STOR(file, mode)

            def on_file_received(self, file):
                state.received.append(Path(file).relative_to(state.root).as_posix())

            def on_file_sent(self, file):
                state.downloaded.append(Path(file).relative_to(state.root).as_posix())

        Handler.authorizer = authorizer
        # An IOLoop of its own: pyftpdlib's default is one per process, and two servers polling
        # it from two threads garble each other's TLS records.
        self.server = FTPServer(("127.0.0.1", 0), Handler, ioloop=IOLoop())
        self.port = self.server.address[1]
        self._stop = False
        self._thread = threading.Thread(target=self._serve, name=f"ftpd:{self.port}", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop:
            self.server.ioloop.loop(timeout=0.02, blocking=False)
        self.server.close_all()

    def reset(self) -> None:
        self.received.clear()
        self.downloaded.clear()
        self.cut_after = None
        self.bytes_in = 0
        self.disk_full = False

    def stop(self) -> None:
        self._stop = True
        self._thread.join(5)


# --- SFTP (OpenSSH) ------------------------------------------------------------------------

class Sshd:
    """/usr/sbin/sshd on a free port, logging in the current user with a throwaway key."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.root = folder / "data"
        self.root.mkdir()
        self.user = getpass.getuser()
        self.host_key = folder / "host_ed25519"
        self.user_key = folder / "user_ed25519"
        self.known_hosts = folder / "known_hosts"
        self.log = folder / "sshd.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        if not os.path.exists(SSHD) or not shutil.which("ssh-keygen"):
            unavailable(f"{SSHD} or ssh-keygen is not installed (apt-get install openssh-server)")
        for key, passphrase in ((self.host_key, ""), (self.user_key, KEY_PASSPHRASE)):
            # -a 2: few KDF rounds, so unlocking the key takes milliseconds, not a second per login
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-a", "2", "-N", passphrase, "-C", "cchc-test",
                            "-f", str(key)], check=True)
        authorized = self.folder / "authorized_keys"
        authorized.write_text(self.user_key.with_suffix(".pub").read_text())
        if os.geteuid() == 0 and not os.path.isdir("/run/sshd"):
            os.makedirs("/run/sshd", mode=0o755, exist_ok=True)   # sshd's privilege-separation dir
        self.port = free_port()
        config = self.folder / "sshd_config"
        config.write_text("\n".join([
            f"Port {self.port}", "ListenAddress 127.0.0.1", f"HostKey {self.host_key}",
            f"AuthorizedKeysFile {authorized}", "PubkeyAuthentication yes",
            "PasswordAuthentication no", "KbdInteractiveAuthentication no", "UsePAM no",
            "PermitRootLogin prohibit-password", f"AllowUsers {self.user}", "StrictModes no",
            "PidFile none", "Subsystem sftp internal-sftp", "LogLevel INFO", ""]))
        log = open(self.log, "wb")
        self.proc = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stdout=log, stderr=log,
                                     stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                unavailable(f"sshd exited at start: {self.log.read_text(errors='replace').strip()[-400:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    if s.recv(64).startswith(b"SSH-"):
                        break
            except OSError:
                time.sleep(0.05)
        else:
            self.stop()
            unavailable("sshd did not answer within 10 s")
        blob = self.host_key.with_suffix(".pub").read_text().split()
        self.host_key_line = f"{blob[0]} {blob[1]}"
        self.fingerprint = "SHA256:" + base64.b64encode(
            hashlib.sha256(base64.b64decode(blob[1])).digest()).decode().rstrip("=")
        self.known_hosts.write_text(f"[127.0.0.1]:{self.port} {self.host_key_line}\n")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


# --- a connection that breaks --------------------------------------------------------------

class CuttingProxy:
    """Relays 127.0.0.1:port to a server and drops the connection after `cut_after` bytes from
    the client, or once `cut_when()` is true: the network cable pulled in the middle of an upload."""

    def __init__(self, server_port: int, cut_after: int | None = None, cut_when=None):
        self.server_port, self.cut_after, self.cut_when = server_port, cut_after, cut_when
        self.sent = 0
        self.cut = False
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.server_port))
            pair = (client, server)
            threading.Thread(target=self._pump, args=(client, server, pair, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, pair, False), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, pair, upstream: bool) -> None:
        try:
            while True:
                data = src.recv(16384)
                if not data:
                    break
                if upstream:
                    self.sent += len(data)
                    if ((self.cut_after is not None and self.sent >= self.cut_after)
                            or (self.cut_when is not None and self.cut_when())):
                        self.cut = True
                        break
                dst.sendall(data)
        except OSError:
            pass
        for s in pair:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def close(self) -> None:
        self.listener.close()


# --- fixtures ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ftp_server(tmp_path_factory):
    server = FtpServer(tmp_path_factory.mktemp("ftp-root"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def ftps_server(tmp_path_factory):
    server = FtpServer(tmp_path_factory.mktemp("ftps-root"), tls_folder=tmp_path_factory.mktemp("ftps-tls"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def sshd(tmp_path_factory):
    server = Sshd(tmp_path_factory.mktemp("sshd"))
    try:
        server.start()
        yield server
    finally:
        server.stop()
