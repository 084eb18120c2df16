"""`python build.py serve`: build, serve output/, rebuild on every save, reload open pages.

Three parts, each on its own thread, sharing one `LiveState`:
- a watchdog observer that only notes *which* files changed (it never builds);
- one build thread that waits for a burst of saves to settle (debounce), then calls the one
  long-lived `Builder` — the builder alone decides what is stale, serve repeats none of its steps;
- a small HTTP server (standard library) that serves output/ under the base_url's path, so the
  404 page's <base href> and every relative link work as they will on the portal.

The preview shows drafts and scheduled articles, each with a banner, so it is built into its own
folder (.cache/preview/, PREVIEW_DIR) and never into output/, which holds only what `build` made
(and `publish` sends). Live reload exists only here: the script tag is added to HTML responses as
they are sent and is never written to disk. Pages listen on a Server-Sent Events stream; EventSource reconnects
by itself, so a page opened before a restart picks the new server up. A failed build leaves
output/ untouched (the builder guarantees it), so the last good site stays served while open
pages show the problems in an overlay.
"""
from __future__ import annotations

import errno
import json
import mimetypes
import os
import secrets
import socket
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

from cchc.build.builder import CACHE_DIR, Builder
from cchc.build.result import BuildOptions, BuildResult
from cchc.core.messages import Decimal, Message, _
from cchc.core.problems import ERROR, Problem
from cchc.commands.preview_requests import allowed_hosts, request_host_allowed, resolve_request
from cchc.model import routes

DEBOUNCE = 0.2        # seconds of quiet that end a burst of saves
MAX_WAIT = 2.0        # a longer burst (a folder copied in) still builds every 2 s
HEARTBEAT = 15.0      # SSE comment so dead connections are noticed and their threads end
PREVIEW_DIR = Path(CACHE_DIR) / "preview"   # under the site folder; .cache/ is never published
IDLE_TIMEOUT = 60.0   # seconds a connection may send nothing (a keep-alive, a stalled client) before it is closed
EVENTS_URL = "/__cchc/events"
SCRIPT_URL = "/__cchc/livereload.js"

# Explicit, because Windows takes mimetypes from the registry, where .js can be text/plain.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json", ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8", ".pdf": "application/pdf", ".svg": "image/svg+xml",
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
    ".webp": "image/webp", ".ico": "image/x-icon", ".woff2": "font/woff2", ".woff": "font/woff",
    ".wasm": "application/wasm", ".zip": "application/zip",
    ".doc": "application/msword", ".xls": "application/vnd.ms-excel",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
LIVERELOAD_JS = r"""(function () {
  "use strict";
  var me = document.currentScript, loaded = me && me.getAttribute("data-generation");
  var source = null, box = null, heading = __HEADING__;
  function overlay(lines) {
    if (!box) {
      box = document.createElement("div");
      box.id = "cchc-loi";
      box.setAttribute("role", "alert");
      // Monospace fonts that have Vietnamese letters come first: Linux's default monospace may
      // lack them and draws "lỗi" with the marks beside the letters.
      box.style.cssText = "position:fixed;top:0;left:0;right:0;max-height:70vh;z-index:2147483647;overflow:auto;" +
        "margin:0;padding:1em 1.5em;background:#1e1e1e;color:#fff;" +
        "font:15px/1.5 Consolas,'Cascadia Mono','DejaVu Sans Mono','Noto Sans Mono','Liberation Mono'," +
        "'Courier New',monospace;white-space:pre-wrap;border-bottom:4px solid #d32f2f";
      document.body.appendChild(box);
    }
    // textContent, never innerHTML: messages quote what the editor wrote.
    box.textContent = heading + "\n\n" + lines.join("\n");
  }
  function connect() {
    if (source) return;
    source = new EventSource("/__cchc/events");
    source.onmessage = function (e) {
      var state = JSON.parse(e.data);
      if (state.failed) overlay(state.problems);
      else if (state.generation !== loaded || box) location.reload();
    };
  }
  // Browsers allow ~6 connections per host: only visible tabs keep a stream open, and a tab
  // that comes back asks again (the first message says whether it is out of date).
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") connect();
    else if (source) { source.close(); source = null; }
  });
  if (document.visibilityState !== "hidden") connect();
})();
"""

FALLBACK_404 = ("<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Không tìm thấy</title>"
                "</head><body><h1>Không tìm thấy trang</h1></body></html>").encode("utf-8")


def serve(site_dir: Path, host: str = "127.0.0.1", port: int = 8000, poll: bool = False, drafts: bool = True,
          future: bool = True, out_dir: Path | None = None) -> int:
    """Run until Ctrl-C. Returns 1 when the port cannot be had, 0 when stopped. Drafts and
    scheduled articles are shown (with a banner) unless drafts/future say otherwise."""
    site_dir = Path(site_dir)
    if not (site_dir / "site.yaml").is_file():
        print(Problem("", None, ERROR, _("{file} not found", file=site_dir / "site.yaml"),
                      _("run serve in the section's folder, or give --site DIR")), file=sys.stderr)
        return 1
    builder = Builder(site_dir, BuildOptions(out_dir=out_dir or site_dir / PREVIEW_DIR, drafts=drafts, future=future))
    live = LiveState(builder.out_dir)
    try:
        server = DevServer(host, port, live)
    except OSError as exc:
        print(_bind_error(host, port, exc), file=sys.stderr)
        return 1
    bound_host, bound_port = server.server_address[:2]
    live.address = f"http://[{bound_host}]:{bound_port}" if ":" in bound_host else f"http://{bound_host}:{bound_port}"
    watcher = Watcher(site_dir, builder.out_dir, live, poll)
    first_build = threading.Event()
    rebuilder = threading.Thread(target=watcher.rebuild_forever, args=(builder, first_build), name="cchc-build",
                                 daemon=True)
    http = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.3}, name="cchc-http",
                            daemon=True)
    try:
        watcher.start()       # before the first build, so a save during it is not missed
        rebuilder.start()     # every build on this one thread: the builder's caches belong to it
        while not first_build.wait(0.5):
            pass
        http.start()
        print(_("Serving {address} (Ctrl-C to stop); watching content/, layouts/ and site.yaml by polling.",
                address=live.address + live.mount) if poll else
              _("Serving {address} (Ctrl-C to stop); watching content/, layouts/ and site.yaml.",
                address=live.address + live.mount), flush=True)
        if drafts or future:
            print(_("Drafts and scheduled articles are shown, each with a banner; build and publish leave them out."),
                  flush=True)
        while True:
            time.sleep(0.5)   # time.sleep lets Ctrl-C through on Windows too; a blocking join would not
    except KeyboardInterrupt:
        print(_("Stopped."), flush=True)
        return 0
    finally:
        live.close()
        watcher.stop()
        if http.is_alive():
            server.shutdown()
        server.server_close()


def _bind_error(host: str, port: int, exc: OSError) -> Problem:
    if exc.errno in (errno.EADDRINUSE, 10048):   # 10048: WSAEADDRINUSE
        return Problem("", None, ERROR, _("port {port} is in use; try --port {free}", port=port,
                                          free=_free_port(host, port)))
    if exc.errno in (errno.EACCES, 10013):       # Windows reserves some ranges (Hyper-V)
        return Problem("", None, ERROR, _("port {port} cannot be used here; try --port {free}", port=port,
                                          free=_free_port(host, port)))
    return Problem("", None, ERROR, _("cannot listen on {host}:{port}: {why}", host=host, port=port,
                                      why=exc.strerror or str(exc)), _("check --host"))


def _free_port(host: str, port: int) -> int:
    """The next port after `port` that can be bound now, so the suggestion works when followed."""
    for candidate in range(port + 1, min(port + 50, 65536)):
        try:
            DevServer.probe(host, candidate)
            return candidate
        except OSError:
            continue
    return 8765


class LiveState:
    """What the pages and the terminal must know about the latest build, guarded by one condition."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.address = ""                  # http://host:port, once the server is bound
        self.mount = "/"                   # the base_url's path; known after the first build reads site.yaml
        self.boot = secrets.token_hex(4)   # a page from before a restart sees a new generation and reloads
        self.good_builds = 0
        self.version = 0                   # changes with every build, good or failed
        self.failed = False
        self.problems: list[str] = []
        self.closing = False
        self.idle = threading.Event()      # set while no build is writing output/
        self.idle.set()
        self.cond = threading.Condition()

    @property
    def generation(self) -> str:
        return f"{self.boot}-{self.good_builds}"

    def publish(self, result: BuildResult) -> None:
        with self.cond:
            if result.settings is not None:
                self.mount = result.settings.base_path
            self.failed = not result.ok
            self.problems = [str(p) for p in result.problems.sorted()] if self.failed else []
            self.good_builds += not self.failed
            self.version += 1
            self.cond.notify_all()

    def publish_crash(self, exc: BaseException) -> None:
        with self.cond:
            self.failed = True
            self.problems = [str(Problem("", None, ERROR, _("internal error while building: {error}", error=repr(exc)),
                                         _("please report this to the developers")))]
            self.version += 1
            self.cond.notify_all()

    def message(self) -> bytes:
        data = {"generation": self.generation, "failed": self.failed, "problems": self.problems}
        return f"data: {json.dumps(data, ensure_ascii=False)}\n\n".encode("utf-8")

    def close(self) -> None:
        with self.cond:
            self.closing = True
            self.cond.notify_all()


def is_temp_file(name: str) -> bool:
    """Editors' swap, lock and backup files (vim's 4913 probe, Emacs .#x, Word ~$x, LibreOffice .~lock)."""
    low = name.lower()
    return (low.endswith(("~", ".swp", ".swx", ".swo", ".tmp", ".temp", ".bak", ".crdownload", ".part"))
            or low.startswith((".#", "~$", ".~lock.", "#")) or low in {"4913", ".ds_store", "thumbs.db"})


def _wait(cond: threading.Condition, timeout: float | None) -> bool:
    return cond.wait(timeout)


class Watcher:
    """Watches folders, not files: an editor that saves by rename replaces the file a watch held.

    content/ and layouts/ recursively, the site folder itself only one level deep for site.yaml
    (recursively it would also watch output/, thousands of folders written by every build).
    Only creations, deletions, moves and writes are asked for: opened/read events would make the
    build's own reads trigger the next build.

    The debounce reads time from `clock` and waits with `wait(cond, seconds or None)`, the
    observer is `observer`: by default time.monotonic, Condition.wait and watchdog's observer;
    tests/test_watcher.py passes a clock that moves only when the watcher waits and feeds events
    itself, so every build and what it is told is checked without sleeping.
    """

    def __init__(self, site_dir: Path, out_dir: Path, live: LiveState, poll: bool, *,
                 clock: Callable[[], float] = time.monotonic,
                 wait: Callable[[threading.Condition, float | None], bool] = _wait, observer=None):
        self.site_dir = site_dir.resolve()
        self.ignored = [out_dir.resolve(), self.site_dir / ".cache"]
        self.live = live
        if observer is None:
            from watchdog.observers import Observer
            from watchdog.observers.polling import PollingObserver
            observer = PollingObserver(timeout=1.0) if poll else Observer()
        self.observer = observer
        self.clock, self.wait = clock, wait
        self.cond = threading.Condition()
        self.changed: set[str] = set()
        self.first_event = self.last_event = 0.0
        self.rearm = False

    def start(self) -> None:
        self._schedule()
        self.observer.start()

    def stop(self) -> None:
        try:
            self.observer.stop()
            self.observer.join(timeout=3)
        except RuntimeError:   # never started
            pass

    def _schedule(self) -> None:
        from watchdog.events import (DirCreatedEvent, DirDeletedEvent, DirMovedEvent, FileCreatedEvent,
                                     FileDeletedEvent, FileModifiedEvent, FileMovedEvent)
        wanted = [FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent,
                  DirCreatedEvent, DirDeletedEvent, DirMovedEvent]
        handler = _Handler(self)
        self.observer.schedule(handler, str(self.site_dir), recursive=False, event_filter=wanted)
        for name in ("content", "layouts"):
            if (self.site_dir / name).is_dir():
                self.observer.schedule(handler, str(self.site_dir / name), recursive=True, event_filter=wanted)

    def note(self, event) -> None:
        """Called on watchdog's thread: remember what changed, wake the build thread."""
        paths = [event.src_path, getattr(event, "dest_path", "")]
        relevant = []
        for raw in paths:
            if not raw:
                continue
            path = Path(os.fsdecode(raw)).absolute()
            rel = self._relevant(path, event.is_directory)
            if rel:
                relevant.append(rel)
                if rel in ("content", "layouts"):
                    self.rearm = True
        if not relevant:
            return
        with self.cond:
            now = self.clock()
            if not self.changed:
                self.first_event = now
            self.last_event = now
            self.changed.update(relevant)
            self.cond.notify_all()

    def _relevant(self, path: Path, is_dir: bool) -> str | None:
        try:
            rel = path.relative_to(self.site_dir)
        except ValueError:
            return None
        if any(path == d or d in path.parents for d in self.ignored):
            return None
        if not rel.parts or any(is_temp_file(part) for part in rel.parts):
            return None
        top = rel.parts[0]
        if len(rel.parts) == 1 and not (top == "site.yaml" or (top in ("content", "layouts") and is_dir)):
            return None   # README.md, build.py, .git … beside site.yaml
        if top not in ("site.yaml", "content", "layouts"):
            return None
        return rel.as_posix()

    def rebuild_forever(self, builder: Builder, first_build: threading.Event) -> None:
        try:
            self.build(builder, None)
        finally:
            first_build.set()
        while (changed := self.next_burst()) is not None:
            if self.rearm:
                self.rearm = False
                self.observer.unschedule_all()
                self._schedule()
            stamp = time.strftime("%H:%M:%S")
            print(_("{time} changed: {files} and {count} more", time=stamp, files=changed[:3], count=len(changed) - 3)
                  if len(changed) > 3 else _("{time} changed: {files}", time=stamp, files=changed), flush=True)
            self.build(builder, changed)

    def next_burst(self) -> list[str] | None:
        """The paths of the next burst of changes, sorted, once it has settled; None when serve stops.

        Debounce: a burst (an editor's temp file + rename, "save all") ends after DEBOUNCE of
        quiet, or MAX_WAIT after its first change however long it goes on (a folder copied in).
        """
        with self.cond:
            while not self.changed and not self.live.closing:
                self.wait(self.cond, None)
            while not self.live.closing:
                left = min(self.last_event + DEBOUNCE, self.first_event + MAX_WAIT) - self.clock()
                if left <= 0:
                    break
                self.wait(self.cond, left)
            if self.live.closing:
                return None
            changed, self.changed = sorted(self.changed), set()
            return changed

    def build(self, builder: Builder, changed: list[str] | None) -> None:
        """One build (changed: paths relative to the site folder; None for the first, full one).

        Whatever happens, the server keeps running and the pages hear about it.
        """
        live = self.live
        live.idle.clear()
        try:
            # build(changed): the builder then looks at just those files. The pages are told as
            # soon as they are written, before the search index (seconds on a large site).
            told: list[int] = []

            def pages_written(partial: BuildResult) -> None:
                live.publish(partial)
                told.append(len(partial.problems.items))

            result = builder.build(None if changed is None else set(changed), pages_written=pages_written)
            if not told or told[-1] != len(result.problems.items):
                live.publish(result)   # before the lines below, so whoever reads them finds the pages told
            for line in result.problems.sorted():
                print(line, file=sys.stderr)
            sys.stderr.flush()
            stamp = time.strftime("%H:%M:%S")
            if not result.ok:
                print(_("{time} Build failed: {count} error(s) to fix; still serving the last good pages.", time=stamp,
                        count=len(result.problems.errors)), flush=True)
            elif result.stats is not None:
                st = result.stats
                counts = dict(time=stamp, seconds=Decimal(result.seconds), written=len(st.written),
                              removed=len(st.removed))
                print(_("{time} Built in {seconds} s: {written} written, {removed} removed.", **counts)
                      if changed is None else
                      _("{time} Rebuilt in {seconds} s: {written} written, {removed} removed; reloading open pages.",
                        **counts), flush=True)
                for line in self.addresses(result, changed or []):
                    print(f"  {line}", flush=True)
        except Exception as exc:  # a bug in the engine must not stop the editor's preview
            live.publish_crash(exc)
            print(live.problems[0], file=sys.stderr, flush=True)
        finally:
            live.idle.set()


    def addresses(self, result: BuildResult, changed: list[str]) -> list[Message | str]:
        """Where to see each changed article, page or document (a new one included), with what
        the preview shows that readers will not see yet."""
        site = result.site
        if site is None:
            return []
        lines = []
        for rel in changed:
            url = site.url_of.get(rel)
            if url is None:
                continue
            item = site.by_source[rel]
            address = self.live.address + self.live.mount + url
            if getattr(item, "draft", False):
                lines.append(_("{address} (draft: readers will not see it until 'draft: false')", address=address))
            elif getattr(item, "date", None) is not None and hasattr(item, "category") and item.date > site.now:
                when = f"{item.date:%d/%m/%Y %H:%M}"
                lines.append(_("{address} (scheduled: readers will see it from {date} on the next publish)",
                               address=address, date=when))
            else:
                lines.append(address)
        return lines


OVERLAY_HEADING = _("The page could not be built: correct the lines below and save; the page reloads by itself. "
                    "(Below is the last good version.)")


class _Handler:
    """watchdog calls dispatch(event); the filter in Watcher.note does the rest."""

    def __init__(self, watcher: Watcher):
        self.watcher = watcher

    def dispatch(self, event) -> None:
        if event.event_type == "modified" and event.is_directory:
            return   # a folder's "modified" only repeats the create/delete events of its entries
        self.watcher.note(event)


class DevServer(ThreadingHTTPServer):
    daemon_threads = True                    # open event streams must not keep Ctrl-C waiting
    allow_reuse_address = os.name != "nt"    # on Windows SO_REUSEADDR lets two servers share one port
    request_queue_size = 64                  # a page opens a dozen connections at once; the default 5 drops some

    def __init__(self, host: str, port: int, live: LiveState):
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.live = live
        self.hosts = allowed_hosts(host)
        super().__init__((host, port), DevRequestHandler)

    @classmethod
    def probe(cls, host: str, port: int) -> None:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
            if cls.allow_reuse_address:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((host, port))


def content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    return CONTENT_TYPES.get(suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


class DevRequestHandler(BaseHTTPRequestHandler):
    server: DevServer
    server_version = "cchc-serve"

    def log_message(self, format, *args) -> None:
        """Quiet: the terminal is for the editor's problems, not for every request."""

    def do_HEAD(self) -> None:
        self.do_GET(head=True)

    def setup(self) -> None:
        self.timeout = IDLE_TIMEOUT      # read at each connection, so a test can shorten it
        super().setup()

    def do_GET(self, head: bool = False) -> None:
        live = self.server.live
        if not request_host_allowed(self.headers.get("Host"), self.server.hosts):
            return self._send(HTTPStatus.FORBIDDEN, b"403 Forbidden: this preview answers only on the address serve "
                                                    b"printed (http://127.0.0.1:PORT/ or localhost)\n",
                              "text/plain; charset=utf-8", head)
        if self.path == EVENTS_URL:
            return self._events()
        if self.path == SCRIPT_URL:
            script = LIVERELOAD_JS.replace("__HEADING__", json.dumps(str(OVERLAY_HEADING), ensure_ascii=False))
            return self._send(HTTPStatus.OK, script.encode("utf-8"), "text/javascript; charset=utf-8", head)
        try:
            status, where = resolve_request(live.out_dir, live.mount, self.path)
        except UnicodeDecodeError:
            status, where = HTTPStatus.BAD_REQUEST, None
        if status in (HTTPStatus.MOVED_PERMANENTLY, HTTPStatus.FOUND):
            self.send_response(status)
            self.send_header("Location", str(where))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if status == HTTPStatus.BAD_REQUEST:
            return self._send(status, b"400 Bad Request: path not allowed\n", "text/plain; charset=utf-8", head)
        live.idle.wait(timeout=60)   # while a build writes, wait for the whole new site rather than half of it
        data = None
        if status == HTTPStatus.OK:
            try:
                data = Path(where).read_bytes()
                kind = content_type(Path(where))
            except OSError:   # removed by a build between the check and now
                status = HTTPStatus.NOT_FOUND
        if status == HTTPStatus.NOT_FOUND:
            try:
                data = (live.out_dir / routes.NOT_FOUND).read_bytes()
            except OSError:
                data = FALLBACK_404
            kind = CONTENT_TYPES[".html"]
        if kind.startswith("text/html"):
            data = self._inject(data, live.generation)
        self._send(status, data, kind, head)

    def _inject(self, html: bytes, generation: str) -> bytes:
        tag = f'<script src="{SCRIPT_URL}" data-generation="{generation}"></script>'.encode("ascii")
        at = html.lower().rfind(b"</body>")
        return html[:at] + tag + html[at:] if at >= 0 else html + tag

    def _send(self, status: int, data: bytes, kind: str, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")   # a reload must show the new build, never a cached page
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _events(self) -> None:
        """Server-Sent Events: the state now, then one message per build, until the page goes away."""
        live = self.server.live
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        try:
            with live.cond:
                seen, message = live.version, live.message()
            self.wfile.write(b"retry: 1000\n" + message)
            self.wfile.flush()
            while True:
                with live.cond:
                    live.cond.wait_for(lambda: live.version != seen or live.closing, timeout=HEARTBEAT)
                    if live.closing:
                        return
                    fresh = live.version != seen
                    seen, message = live.version, live.message()
                self.wfile.write(message if fresh else b": ping\n\n")
                self.wfile.flush()
        except (ConnectionError, OSError):
            return
