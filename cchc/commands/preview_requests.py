"""Which requests the preview (`serve`) answers: the Host header names this server (DNS
rebinding: a page elsewhere must not read the preview or its problems stream), and the path
names a file inside output/ (never "..", a drive, a device or a link out of it)."""
from __future__ import annotations

import ipaddress
import re
import socket
from http import HTTPStatus
from pathlib import Path
from urllib.parse import quote, unquote

# Names Windows maps to devices whatever the folder: opening output/CON would read the console.
WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}


def allowed_hosts(bound: str) -> set[str]:
    """The names a request's Host header may give: loopback, the --host serve was started with and,
    when that is every interface (0.0.0.0, ::), this machine's name. Any address literal is
    accepted as well (request_host_allowed). A page on another name whose DNS answer is made to
    point here (DNS rebinding) is refused: it would read the preview and the problems stream."""
    names = set(LOOPBACK_NAMES) | {bound.strip("[]").lower()}
    if bound in ("0.0.0.0", "::", ""):
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    return names


def request_host_allowed(header: str | None, hosts: set[str]) -> bool:
    """Whether a Host header names this server. Absent: not a browser (HTTP/1.0 tools), allowed."""
    if header is None:
        return True
    host = header.strip().lower()
    m = re.fullmatch(r"\[([0-9a-f:.]+)\](?::\d+)?|([^:\[\]]+)(?::\d+)?", host)
    if not m:
        return False
    name = (m.group(1) or m.group(2) or "").rstrip(".")
    if name in hosts or name.endswith(".localhost"):     # *.localhost always means loopback (RFC 6761)
        return True
    try:
        ipaddress.ip_address(name)       # an address, not a name: nothing to rebind
        return True
    except ValueError:
        return False


def resolve_request(out_dir: Path, mount: str, raw: str) -> tuple[int, str | Path | None]:
    """Map a request target to (status, file or redirect location), refusing anything outside output/.

    Returns (200, file), (301/302, location), (400, None) for a malformed or traversing path
    ("..", encoded dots or slashes, backslashes, drive letters) and (404, None) otherwise.
    """
    target = raw.split("#", 1)[0]
    target, __, query = target.partition("?")
    if not target.startswith("/"):
        return HTTPStatus.BAD_REQUEST, None   # absolute-form or garbage
    path = unquote(target, errors="strict") if "%" in target else target
    if "\\" in path or "\0" in path:
        return HTTPStatus.BAD_REQUEST, None
    segments = path.split("/")
    if any(s in (".", "..") or ":" in s for s in segments):
        return HTTPStatus.BAD_REQUEST, None
    if mount != "/" and path in ("/", mount.rstrip("/")):
        return HTTPStatus.FOUND, mount
    if not path.startswith(mount):
        return HTTPStatus.NOT_FOUND, None
    parts = [s for s in path[len(mount):].split("/") if s]
    if any(s.split(".")[0].upper() in WINDOWS_DEVICES or s.endswith((".", " ")) for s in parts):
        return HTTPStatus.NOT_FOUND, None
    root = out_dir.resolve()
    file = root.joinpath(*parts)
    if file.is_dir():
        if not path.endswith("/"):   # relative links in a page need the trailing slash
            return HTTPStatus.MOVED_PERMANENTLY, quote(path + "/") + (f"?{query}" if query else "")
        file = file / "index.html"
    try:
        real = file.resolve()
    except OSError:
        return HTTPStatus.NOT_FOUND, None
    if root not in real.parents or not real.is_file():   # a symlink out of output/ is refused
        return HTTPStatus.NOT_FOUND, None
    return HTTPStatus.OK, real
