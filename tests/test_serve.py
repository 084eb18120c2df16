"""`python build.py serve` as an editor uses it: a real process on a free port, files saved the way
editors save them (in place, temp file + rename, vim's backup dance, bursts, new, deleted, renamed
folders), and what the browser then gets over HTTP and in a real headless Chromium.

One server process is shared by the module (starting one costs a build); each test leaves the
site valid again, so the next test starts from a good build. Nothing waits a fixed time: a test
waits for what it expects (a page's text, a line serve prints) until a generous deadline, and
"no rebuild happened" is shown by a sentinel save that must then be the only change serve
reports (events reach the watcher in order, so anything noticed earlier would be named first).
The debounce itself, with its exact timings, is tested in-process: tests/test_watcher.py.
"""
from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import MINIMAL_SITE_YAML, REPO, SiteFolder
from cchc.commands.serve import EVENTS_URL, PREVIEW_DIR

ARTICLE = "content/articles/2021/bai-dau-tien.md"
ARTICLE_URL = "tin-tuc/bai-dau-tien/"


def article_text(title: str, body: str = "Nội dung bài viết.", category: str = "tin-hoat-dong") -> str:
    return f'---\ntitle: "{title}"\ndate: 2021-01-18\ncategory: {category}\n---\n\n{body}\n'


class Served:
    """A `python build.py serve` process; every line it prints is kept, so tests can wait for one."""

    def __init__(self, root: Path, *args: str, port: int = 0):
        self.root = root
        self.lines: list[str] = []
        self.cond = threading.Condition()
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"}
        self.proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--port", str(port), *args],
                                     cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                                     text=True, encoding="utf-8")
        threading.Thread(target=self._read, daemon=True).start()
        line = self.wait_line(r"^Serving http://", since=0, timeout=60)
        self.base = line.split()[1]                              # http://127.0.0.1:PORT/cchc/
        self.port = int(re.match(r"http://[^:]+:(\d+)/", self.base).group(1))
        self.mount = "/" + self.base.split("/", 3)[3]

    def _read(self) -> None:
        for line in self.proc.stdout:
            with self.cond:
                self.lines.append(line.rstrip("\n"))
                self.cond.notify_all()

    def mark(self) -> int:
        with self.cond:
            return len(self.lines)

    def since(self, mark: int) -> list[str]:
        with self.cond:
            return self.lines[mark:]

    def wait_line(self, pattern: str, since: int, timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for line in self.lines[since:]:
                    if re.search(pattern, line):
                        return line
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    pytest.fail(f"no line matching {pattern!r}; serve printed:\n" + "\n".join(self.lines))
                self.cond.wait(min(left, 0.2))

    def get(self, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
        """A raw request: http.client sends the path exactly as given (no dot removal, no re-encoding)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path)
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()

    def page(self, rel: str) -> tuple[int, str]:
        status, _, body = self.get(self.mount + rel)
        return status, body.decode("utf-8")

    def wait_page(self, rel: str, text: str, present: bool = True, status: int | None = None,
                  timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        while True:
            code, body = self.page(rel)
            if (text in body) == present and (status is None or code == status):
                return body
            if time.monotonic() > deadline:
                pytest.fail(f"{rel}: {text!r} {'never appeared' if present else 'never went away'} "
                            f"(status {code}); serve printed:\n" + "\n".join(self.lines))
            time.sleep(0.1)

    def events(self) -> dict:
        """The first message of the live-reload stream: the state a page sees when it opens."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("GET", "/__cchc/events")
            r = conn.getresponse()
            assert r.status == 200 and r.getheader("Content-Type").startswith("text/event-stream")
            while True:
                line = r.fp.readline().decode("utf-8")
                if line.startswith("data: "):
                    return json.loads(line[6:])
        finally:
            conn.close()

    def stop(self) -> int:
        """Ctrl-C, as an editor stops it."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def make_site(root: Path) -> SiteFolder:
    root.mkdir(parents=True)
    shutil.copytree(REPO / "layouts", root / "layouts")
    s = SiteFolder(root)
    s.write("site.yaml", MINIMAL_SITE_YAML)
    s.write(ARTICLE, article_text("Bài đầu tiên"))
    s.write("content/files/ke-hoach.pdf", "%PDF-1.4\n%%EOF\n")
    s.document("nd-61", "61/2018/NĐ-CP", "Nghị định", "2018-04-23", attachments="[files/ke-hoach.pdf]")
    return s


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    s = make_site(tmp_path_factory.mktemp("serve") / "site")
    server = Served(s.root)
    server.site = s
    yield server
    server.stop()


SENTINEL = "content/kiem-tra-serve.txt"    # under content/, so it is watched; no page reads it


def settle(server: Served) -> None:
    """Save the sentinel and wait until serve has rebuilt for it: every event before it has been
    handled by then."""
    mark = server.mark()
    server.site.write(SENTINEL, f"{time.monotonic_ns()}\n")
    line = server.wait_line(rf"changed: .*{re.escape(SENTINEL)}", since=mark)
    server.wait_line(r"Rebuilt in|Build failed", since=server.lines.index(line, mark) + 1)


def changes(lines: list[str]) -> list[str]:
    """What each "changed:" line names, as serve printed it."""
    return [line.split(" changed: ", 1)[1] for line in lines if " changed: " in line]


def assert_no_rebuild_since(server: Served, mark: int) -> None:
    """Nothing done since `mark` was noticed: after a sentinel save, serve names that file alone."""
    settle(server)
    assert changes(server.since(mark)) == [SENTINEL], server.since(mark)


# --- HTTP: what is served, where, and what is refused --------------------------------------------

def test_serves_the_section_under_its_base_url_path(served):
    assert served.base.startswith("http://127.0.0.1:") and served.mount == "/cchc/"
    status, headers, _ = served.get("/")
    assert (status, headers["location"]) == (302, "/cchc/")
    status, headers, body = served.get("/cchc/")
    html = body.decode("utf-8")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert "Bài đầu tiên" in html and '<script src="/__cchc/livereload.js"' in html
    assert html.index("/__cchc/livereload.js") < html.rindex("</body>")
    status, headers, _ = served.get("/cchc/van-ban")
    assert (status, headers["location"]) == (301, "/cchc/van-ban/")

    css = re.search(r'href="([^"]*assets/style\.[^"]*\.css)"', html).group(1)
    kinds = {css: "text/css; charset=utf-8", "feed.xml": "application/xml; charset=utf-8",
             "sitemap.xml": "application/xml; charset=utf-8", "files/ke-hoach.pdf": "application/pdf",
             "tin-moi.json": "application/json"}
    for rel, kind in kinds.items():
        status, headers, body = served.get("/cchc/" + rel.lstrip("./"))
        assert (rel, status, headers["content-type"]) == (rel, 200, kind)
    status, headers, body = served.get("/__cchc/livereload.js")
    assert status == 200 and headers["content-type"] == "text/javascript; charset=utf-8" and b"EventSource" in body


def test_live_reload_never_reaches_the_files_on_disk(served):
    out = served.root / PREVIEW_DIR      # the preview's own folder: output/ is only what `build` made
    pages = list(out.rglob("*.html"))
    assert len(pages) > 10
    assert [p for p in pages if "__cchc" in p.read_text(encoding="utf-8")] == []
    assert not (served.root / "output").exists()


def test_nothing_outside_output_is_served(served):
    secret = b"base_url"   # in site.yaml, beside the preview folder
    (served.root / PREVIEW_DIR / "lien-ket.yaml").symlink_to(served.root / "site.yaml")
    attempts = ["/cchc/../site.yaml", "/../site.yaml", "/cchc/../../site.yaml", "/cchc/%2e%2e/site.yaml",
                "/cchc/%2E%2E%2Fsite.yaml", "/cchc/..%2fsite.yaml", "/cchc/..%5csite.yaml", "/cchc/..\\site.yaml",
                "/%2e%2e/site.yaml", "/cchc/%252e%252e/site.yaml", "//site.yaml", "/cchc//site.yaml",
                "/cchc/" + str(served.root / "site.yaml"), "/cchc/C:/Windows/win.ini", "/cchc/%00",
                "/cchc/lien-ket.yaml", "/cchc/NUL", "/cchc/%c0%ae%c0%ae/site.yaml", "/site.yaml",
                "http://127.0.0.1/../site.yaml"]
    for path in attempts:
        status, _, body = served.get(path)
        assert status in (400, 404) and secret not in body, (path, status)


def test_missing_page_is_the_sections_404_page(served):
    status, headers, body = served.get("/cchc/khong-co-trang-nay/")
    html = body.decode("utf-8")
    assert status == 404 and headers["content-type"] == "text/html; charset=utf-8"
    assert "<title>Không tìm thấy trang" in html and '<base href="/cchc/">' in html
    assert "/__cchc/livereload.js" in html
    assert served.get("/khac/")[0] == 404


def test_binds_to_loopback_only_by_default(served):
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.2", served.port), timeout=3).close()


# --- Saves, the way editors make them -------------------------------------------------------------

def test_saving_in_place_rebuilds_the_page(served):
    mark = served.mark()
    served.site.write(ARTICLE, article_text("Bài đầu tiên", "Đoạn đã sửa tại chỗ."))
    served.wait_page(ARTICLE_URL, "Đoạn đã sửa tại chỗ.")
    served.wait_line(r"changed: content/articles/2021/bai-dau-tien\.md", since=mark)
    served.wait_line(r"Rebuilt in", since=mark)


def test_temp_file_renamed_over_the_article_is_seen(served):
    path = served.root / ARTICLE
    tmp = path.with_name("bai-dau-tien.md.tmp")          # VS Code, Notepad++, many Windows editors
    tmp.write_text(article_text("Bài đầu tiên", "Lưu bằng đổi tên tệp tạm."), encoding="utf-8")
    os.replace(tmp, path)
    served.wait_page(ARTICLE_URL, "Lưu bằng đổi tên tệp tạm.")

    # vim: probe file 4913, original renamed to a backup~, new file written, backup removed
    probe = path.with_name("4913")
    probe.write_text("", encoding="utf-8")
    probe.unlink()
    backup = path.with_name("bai-dau-tien.md~")
    os.replace(path, backup)
    path.write_text(article_text("Bài đầu tiên", "Lưu kiểu vim."), encoding="utf-8")
    backup.unlink()
    served.wait_page(ARTICLE_URL, "Lưu kiểu vim.")
    assert_no_rebuild_since(served, served.mark())      # the backup's removal is no change


def test_a_burst_of_saves_is_one_rebuild_with_the_last_text(served):
    settle(served)
    mark = served.mark()
    for i in range(12):                                   # "save all", an autosaving editor
        served.site.write(ARTICLE, article_text("Bài đầu tiên", f"Lần lưu số {i}."))
        served.site.write("content/articles/2021/bai-phu.md", article_text("Bài phụ", f"Bản {i}."))
        time.sleep(0.01)                                  # the editor's pace, not a wait for serve
    served.wait_page(ARTICLE_URL, "Lần lưu số 11.")
    served.wait_page("tin-tuc/bai-phu/", "Bản 11.")
    settle(served)           # a rebuild the burst still caused would be reported before the sentinel's
    lines = served.since(mark)
    assert changes(lines) == ["content/articles/2021/bai-dau-tien.md, content/articles/2021/bai-phu.md", SENTINEL], lines
    assert len([line for line in lines if "Rebuilt in" in line]) == 2, lines


def test_new_and_deleted_files_appear_and_disappear(served):
    new = served.site.write("content/articles/2021/bai-moi.md", article_text("Bài mới toanh", "Mới viết."))
    served.wait_page("tin-tuc/bai-moi-toanh/", "Mới viết.", status=200)
    served.wait_page("", "Bài mới toanh")
    new.unlink()
    served.wait_page("tin-tuc/bai-moi-toanh/", "Không tìm thấy trang", status=404)
    served.wait_page("", "Bài mới toanh", present=False)


def test_a_renamed_folder_is_still_watched(served):
    old, new = served.root / "content/articles/2021", served.root / "content/articles/nam-2021"
    mark = served.mark()
    old.rename(new)
    served.wait_line(r"changed: .*content/articles/(2021|nam-2021)", since=mark)
    served.wait_line(r"Rebuilt in", since=mark)
    settle(served)
    mark = served.mark()
    (new / "bai-dau-tien.md").write_text(article_text("Bài đầu tiên", "Sửa trong thư mục đã đổi tên."),
                                         encoding="utf-8")
    served.wait_page(ARTICLE_URL, "Sửa trong thư mục đã đổi tên.")
    served.wait_line(r"Rebuilt in", since=mark)
    mark = served.mark()
    new.rename(old)
    served.wait_line(r"Rebuilt in", since=mark)
    assert "Sửa trong thư mục đã đổi tên." in served.page(ARTICLE_URL)[1]
    settle(served)


def test_editor_temp_files_and_the_builds_own_reads_cause_no_rebuild(served):
    settle(served)
    mark = served.mark()
    folder = served.root / "content/articles/2021"
    for name in (".#bai-dau-tien.md", "~$bai-dau-tien.md", ".bai-dau-tien.md.swp", "bai-dau-tien.md~", "4913",
                 "~WRL0001.tmp"):
        (folder / name).write_text("x", encoding="utf-8")
        (folder / name).unlink()
    (served.root / "README.md").write_text("không thuộc chuyên mục", encoding="utf-8")
    (served.root / ARTICLE).read_text(encoding="utf-8")
    assert_no_rebuild_since(served, mark)


def test_layout_and_site_yaml_changes_rebuild(served):
    css = served.root / "layouts/assets/style.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.cchc-serve-test{color:#123456}\n", encoding="utf-8")
    home = served.wait_page("", "assets/style.")
    href = re.search(r'href="([^"]*assets/style\.[^"]*\.css)"', home).group(1)
    deadline = time.monotonic() + 15
    while b"cchc-serve-test" not in served.get("/cchc/" + href.lstrip("./"))[2]:
        assert time.monotonic() < deadline, "the new stylesheet was never served"
        home = served.page("")[1]
        href = re.search(r'href="([^"]*assets/style\.[^"]*\.css)"', home).group(1)
        time.sleep(0.1)
    yaml = served.root / "site.yaml"
    tmp = served.root / "site.yaml.tmp"
    tmp.write_text(MINIMAL_SITE_YAML.replace("Sở Thử nghiệm", "Sở Đổi tên"), encoding="utf-8")
    os.replace(tmp, yaml)                                   # replaced by rename: the folder watch sees it
    served.wait_page("", "Sở Đổi tên")
    yaml.write_text(MINIMAL_SITE_YAML, encoding="utf-8")
    served.wait_page("", "Sở Đổi tên", present=False)


# --- Errors: the server survives, shows them, keeps the last good pages --------------------------

def test_errors_keep_the_last_good_site_and_are_shown_like_the_terminal(served):
    good = served.wait_page(ARTICLE_URL, "Bài đầu tiên")
    mark = served.mark()
    (served.root / "site.yaml").write_text(MINIMAL_SITE_YAML + "per_page: [hai\n", encoding="utf-8")
    line = served.wait_line(r"^site\.yaml:\d+: error: ", since=mark)
    served.wait_line(r"Build failed", since=mark)
    state = served.events()
    assert state["failed"] and line in state["problems"]
    status, body = served.page(ARTICLE_URL)
    assert status == 200 and body.split("<script src=\"/__cchc")[0] == good.split("<script src=\"/__cchc")[0]

    mark = served.mark()
    (served.root / "site.yaml").write_text(MINIMAL_SITE_YAML, encoding="utf-8")
    template = served.root / "layouts/article.html"
    original = template.read_text(encoding="utf-8")
    template.write_text(original.replace("{% block content %}", "{% block content %}{% if %}", 1), encoding="utf-8")
    line = served.wait_line(r"layouts/article\.html:\d+: error: ", since=mark)
    assert line in served.events()["problems"]
    assert served.page(ARTICLE_URL)[0] == 200

    mark = served.mark()
    template.write_text(original, encoding="utf-8")
    served.wait_line(r"Rebuilt in", since=mark)
    state = served.events()
    assert (state["failed"], state["problems"]) == (False, [])


# --- A real browser ------------------------------------------------------------------------------


def test_browser_reloads_after_a_save_and_shows_errors_in_an_overlay(served, browser):
    page = browser.new_page()
    try:
        with page.expect_response(lambda r: r.url.endswith(EVENTS_URL), timeout=15000):
            page.goto(served.base + ARTICLE_URL)     # returns once the live-reload stream is open
        page.wait_for_function("() => window.__cchcTest === undefined")
        page.evaluate("window.__cchcTest = 'chưa tải lại'")

        served.site.write(ARTICLE, article_text("Bài đầu tiên", "Trình duyệt thấy bản mới."))
        page.wait_for_function("() => window.__cchcTest === undefined && "
                               "document.body.innerText.includes('Trình duyệt thấy bản mới.')", timeout=15000)

        page.evaluate("window.__cchcTest = 'chưa tải lại'")
        mark = served.mark()
        served.site.write(ARTICLE, article_text("Bài đầu tiên", category='"<img src=x id=chen>"'))
        line = served.wait_line(r"bai-dau-tien\.md:\d+: error: ", since=mark)
        overlay = page.locator("#cchc-loi")
        overlay.wait_for(state="visible", timeout=15000)
        assert line in overlay.inner_text()                     # the terminal's line, as text
        assert page.locator("#chen").count() == 0               # escaped, not HTML
        assert page.evaluate("window.__cchcTest") == "chưa tải lại"   # no reload: the last good page stays
        assert "Trình duyệt thấy bản mới." in page.inner_text("main")

        served.site.write(ARTICLE, article_text("Bài đầu tiên", "Đã sửa lỗi."))
        page.wait_for_function("() => window.__cchcTest === undefined && "
                               "document.body.innerText.includes('Đã sửa lỗi.')", timeout=15000)
        assert page.locator("#cchc-loi").count() == 0
    finally:
        page.close()


def test_an_open_page_reconnects_after_the_server_restarts(tmp_path, browser):
    s = make_site(tmp_path / "site")
    first = Served(s.root, "--poll")
    page = browser.new_page()
    try:
        page.goto(first.base + ARTICLE_URL)
        page.evaluate("window.__cchcTest = 'trước khi khởi động lại'")
        assert first.stop() == 0
        assert first.lines[-1] == "Stopped."                  # Ctrl-C ends it cleanly
        s.write(ARTICLE, article_text("Bài đầu tiên", "Sửa khi máy chủ đang tắt."))
        second = Served(s.root, "--poll", port=first.port)
        try:
            page.wait_for_function("() => window.__cchcTest === undefined && "
                                   "document.body.innerText.includes('Sửa khi máy chủ đang tắt.')", timeout=20000)
            # --poll: changes are found by polling (network folders, virtual machines)
            page.evaluate("window.__cchcTest = 'sau khi khởi động lại'")
            s.write(ARTICLE, article_text("Bài đầu tiên", "Thấy nhờ thăm dò."))
            page.wait_for_function("() => window.__cchcTest === undefined && "
                                   "document.body.innerText.includes('Thấy nhờ thăm dò.')", timeout=20000)
        finally:
            second.stop()
    finally:
        page.close()


# --- Starting -------------------------------------------------------------------------------------

def test_a_busy_port_is_one_clear_line_and_exit_1(tmp_path):
    s = make_site(tmp_path / "site")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        p = subprocess.run([sys.executable, str(REPO / "build.py"), "serve", "--port", str(port)], cwd=s.root,
                           capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert p.returncode == 1 and p.stdout == ""
    m = re.fullmatch(rf"error: port {port} is in use; try --port (\d+)\n", p.stderr)
    assert m, p.stderr
    with socket.socket() as suggested:
        suggested.bind(("127.0.0.1", int(m.group(1))))     # the suggestion is a port that is free


# --- who may ask, and for how long (issue 19, item 8): in-process, one server a test ------------

@pytest.fixture
def dev_server(tmp_path, monkeypatch):
    """serve's HTTP server over a built section, on a free loopback port, without the watcher."""
    from cchc.commands import serve as serve_module
    site = make_site(tmp_path / "site")
    assert site.build().code == 0
    started: list = []

    def start(host: str = "127.0.0.1", idle: float | None = None):
        if idle is not None:
            monkeypatch.setattr(serve_module, "IDLE_TIMEOUT", idle, raising=False)
        live = serve_module.LiveState(site.root / "output")
        live.mount = "/cchc/"
        server = serve_module.DevServer(host, 0, live)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.shutdown()
        server.server_close()


def ask(port: int, path: str, host: str | None) -> tuple[int, bytes]:
    """A request with the Host header a browser on that address would send (None: no Host at all)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        head = f"GET {path} HTTP/1.1\r\n" + (f"Host: {host}\r\n" if host is not None else "") + "Connection: close\r\n\r\n"
        s.sendall(head.encode("ascii"))
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data.split(b"\r\n\r\n", 1)[1]


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST", "[::1]:{port}", "127.0.0.1"])
def test_the_preview_answers_its_own_addresses(dev_server, host):
    server = dev_server()
    port = server.server_address[1]
    status, body = ask(port, "/cchc/", host.format(port=port))
    assert status == 200 and "Bài đầu tiên".encode() in body


@pytest.mark.parametrize("host", ["evil.example:{port}", "evil.example", "127.0.0.1.evil.example:{port}",
                                  "localhost.evil.example", "", "attacker.example:80"])
def test_any_other_host_gets_nothing_dns_rebinding(dev_server, host):
    """A page on evil.example whose name is made to point at 127.0.0.1 (DNS rebinding) reads
    nothing: not a page, not the problems stream, not the live-reload script."""
    server = dev_server()
    port = server.server_address[1]
    for path in ("/cchc/", "/cchc/tin-tuc/bai-dau-tien/", EVENTS_URL, "/__cchc/livereload.js", "/"):
        status, body = ask(port, path, host.format(port=port))
        assert status == 403, (path, status)
        assert "Bài đầu tiên".encode() not in body


def test_a_host_given_to_serve_is_answered_too(dev_server):
    server = dev_server("0.0.0.0")
    port = server.server_address[1]
    assert ask(port, "/cchc/", f"{socket.gethostname()}:{port}")[0] == 200     # a colleague on the network
    assert ask(port, "/cchc/", f"192.168.1.20:{port}")[0] == 200               # an address, never rebound
    assert ask(port, "/cchc/", f"evil.example:{port}")[0] == 403


def test_an_idle_connection_is_closed(dev_server):
    """A client that connects and says nothing does not keep a thread of serve forever."""
    server = dev_server(idle=0.5)
    with socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=10) as s:
        assert s.recv(1024) == b""          # closed by the server, long before the client's 10 s


def test_the_listen_backlog_holds_a_browsers_burst(dev_server):
    """A page opens a dozen connections at once (styles, scripts, pictures, the event stream),
    several tabs more: the standard library's default queue of 5 drops some of them."""
    from cchc.commands.serve import DevServer
    assert DevServer.request_queue_size >= 64
