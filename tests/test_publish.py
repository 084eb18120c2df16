"""`publish` against real servers: a folder, FTP, FTPS (session reuse required) and SFTP (sshd).

Each test builds a small output folder in the real layout, publishes it with publish(), and
asserts what a user sees: the files on the server, the lines printed, the exit code. "Sent"
is read off the server's disk: a placed file is a new inode (temp file renamed into place),
so a file that was not sent keeps its inode and time.
"""
from __future__ import annotations

import ftplib
import hashlib
import io
import json
import os
import re
import ssl
from pathlib import Path

import pytest

from cchc.core.config import PublishTarget, Settings, password_variable
from cchc.commands.publish import publish
from cchc.commands.publish.plan import JOURNAL_NAME, MANIFEST_NAME, STAGES, is_safe_path, stage

try:
    from .servers import FTP_PASSWORD, FTP_USER, KEY_PASSPHRASE, CuttingProxy, free_port, ftp_server, ftps_server, sshd  # noqa: F401
except ImportError:
    from servers import FTP_PASSWORD, FTP_USER, KEY_PASSPHRASE, CuttingProxy, free_port, ftp_server, ftps_server, sshd  # noqa: F401

pytestmark = [pytest.mark.timeout(120),
              pytest.mark.filterwarnings("ignore:The asyn:DeprecationWarning")]   # pyftpdlib on 3.11

PROTOCOLS = ["dir", "ftp", "ftps", "sftp"]
BIG = 300_000       # bytes of the attachment, so a cut can land in the middle of the upload


# --- the site and the server's disk -----------------------------------------------------------

SITE = {
    "index.html": "<h1>Trang chủ</h1><a href='tin-tuc/bai-mot/'>Bài một</a>",
    "404.html": "<h1>Không tìm thấy</h1>",
    "tin-tuc/bai-mot/index.html": "<h1>Bài một</h1><link href='../../assets/style.abc123.css'>",
    "tin-tuc/bai-hai/index.html": "<h1>Bài hai</h1>",
    "tin-tuc/bai-ba/index.html": "<h1>Bài ba</h1>",
    "van-ban/index.html": "<h1>Văn bản</h1>",
    "van-ban/61-2018-nd-cp/index.html": "<h1>Nghị định 61/2018/NĐ-CP</h1>",
    "gioi-thieu/index.html": "<h1>Giới thiệu</h1>",
    "chuyen-muc/tin-cchc/index.html": "<h1>Tin CCHC</h1>",
    "chuyen-muc/tin-cchc/trang-2/index.html": "<h1>Tin CCHC, trang 2</h1>",
    "the/mot-cua/index.html": "<h1>Một cửa</h1>",
    "assets/style.abc123.css": "body{font-family:sans-serif}",
    "assets/app.def456.js": "console.log('cchc')",
    "images/logo.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    "files/ke-hoach-2021.pdf": b"%PDF-1.4\n" + os.urandom(BIG),
    "pagefind/pagefind-entry.json": '{"version":"1.3.0"}',
    "feed.xml": "<feed/>",
    "rss.xml": "<rss/>",
    "sitemap.xml": "<urlset/>",
}


def write_site(folder: Path, files: dict = SITE) -> Path:
    for rel, content in files.items():
        p = folder.joinpath(*rel.split("/"))
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return folder


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root (the server's disk) with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def section(root: Path) -> dict[str, bytes]:
    return {k: v for k, v in tree(root).items() if k not in (MANIFEST_NAME, JOURNAL_NAME)}


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(root).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in root.rglob("*") if p.is_file()}


def rewritten(before: dict, after: dict) -> set[str]:
    """Files placed between two snapshots (new, or a new inode/time), bookkeeping left out."""
    return {p for p, v in after.items() if before.get(p) != v} - {MANIFEST_NAME, JOURNAL_NAME}


def local_files(folder: Path) -> dict[str, bytes]:
    return tree(folder)


class Run:
    """One publish() call: exit code and the lines it printed."""

    def __init__(self, code: int, lines: list[str]):
        self.code, self.lines = code, lines
        self.text = "\n".join(lines)

    def __repr__(self):
        return f"Run(code={self.code}):\n{self.text}"


@pytest.fixture
def settings(tmp_path):
    return Settings(site_dir=tmp_path, title="CCHC", base_url="https://socongthuong.example.gov.vn/cchc/")


@pytest.fixture
def site(tmp_path):
    return write_site(tmp_path / "output")


@pytest.fixture
def endpoint(request, tmp_path, monkeypatch):
    """make(protocol, **target fields) -> (PublishTarget, the server folder it maps to)."""
    counter = iter(range(1000))

    def make(protocol: str, **fields):
        sub = re.sub(r"\W+", "-", request.node.name).strip("-")[:60] + f"-{next(counter)}"
        if protocol == "dir":
            root = tmp_path / "www" / sub
            root.parent.mkdir(exist_ok=True)
            base = dict(path=str(root))
        elif protocol in ("ftp", "ftps"):
            server = request.getfixturevalue(f"{protocol}_server")
            server.reset()
            root = server.root / sub
            base = dict(host="127.0.0.1", port=server.port, user=FTP_USER, path="/" + sub,
                        fingerprint=server.fingerprint)
            monkeypatch.setenv(password_variable(fields.get("name", "portal")), FTP_PASSWORD)
        else:
            server = request.getfixturevalue("sshd")
            root = server.root / sub
            base = dict(host="127.0.0.1", port=server.port, user=server.user, path=str(root),
                        key_file=str(server.user_key), known_hosts=str(server.known_hosts))
            monkeypatch.setenv(password_variable(fields.get("name", "portal")), KEY_PASSPHRASE)
        base.update(fields)
        base.setdefault("name", "portal")
        return PublishTarget(protocol=protocol, **base), root

    return make


def run(settings, target, output, **kwargs) -> Run:
    lines: list[str] = []
    code = publish(settings, target, output, out=lines.append, **kwargs)
    return Run(code, lines)


def assert_one_clean_error(result: Run, *needles: str):
    assert result.code == 1, result
    errors = [line for line in result.lines if ": error: " in line]
    assert len(errors) == 1, result
    assert "Traceback" not in result.text
    for needle in needles:
        assert needle in errors[0], result
    return errors[0]


# --- the whole life of a section, on every protocol ------------------------------------------

@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_publish_cycle(protocol, endpoint, settings, site, capfd):
    target, root = endpoint(protocol)
    # The portal's own files, already on the server, some with names the section also uses.
    foreign = {"portal.php": b"<?php // portal", "tin-tuc/ghi-chu.txt": b"portal note",
               "assets/portal.css": b"/* portal */", "chuyen-muc/index.html.bak": b"old"}
    write_site(root, foreign)
    foreign_stat = snapshot(root)

    # First publish: everything arrives, nothing foreign is touched.
    first = run(settings, target, site)
    assert first.code == 0, first
    assert section(root) == {**local_files(site), **foreign}
    assert f"done: sent {len(SITE)} files" in first.text
    manifest = json.loads((root / MANIFEST_NAME).read_text())
    assert set(manifest["files"]) == set(SITE)
    assert not (root / JOURNAL_NAME).exists()
    assert not [p for p in tree(root) if p.endswith(".cchc-tmp")]

    # No change: nothing sent, not even the manifest.
    before = snapshot(root)
    again = run(settings, target, site)
    assert again.code == 0, again
    assert snapshot(root) == before
    assert "nothing to send" in again.text

    # One article edited (its page and the feed change): only those two are sent.
    (site / "tin-tuc/bai-mot/index.html").write_text("<h1>Bài một (sửa)</h1>", encoding="utf-8")
    (site / "feed.xml").write_text("<feed>sửa</feed>", encoding="utf-8")
    before = snapshot(root)
    edit = run(settings, target, site)
    assert edit.code == 0, edit
    assert rewritten(before, snapshot(root)) == {"tin-tuc/bai-mot/index.html", "feed.xml"}
    assert "sent 2 files" in edit.text and "skipped 17 unchanged" in edit.text
    assert section(root) == {**local_files(site), **foreign}

    # An article removed: its page goes, and its now empty folder; foreign files stay.
    (site / "tin-tuc/bai-hai/index.html").unlink()
    (site / "tin-tuc/bai-hai").rmdir()
    removed = run(settings, target, site)
    assert removed.code == 0, removed
    assert "deleted 1" in removed.text
    assert not (root / "tin-tuc/bai-hai").exists()
    assert section(root) == {**local_files(site), **foreign}
    assert {p: v for p, v in snapshot(root).items() if p in foreign} == {p: foreign_stat[p] for p in foreign}

    # No password or passphrase ever printed; no library noise on the terminal.
    out, err = capfd.readouterr()
    for text in (first.text, again.text, edit.text, removed.text, out, err):
        assert FTP_PASSWORD not in text and KEY_PASSPHRASE not in text
    assert "Traceback" not in err


# --- interruptions ---------------------------------------------------------------------------

@pytest.mark.parametrize("protocol", ["ftp", "ftps", "sftp"])
def test_interrupted_publish_resumes_without_resending(protocol, endpoint, settings, site, request, capfd):
    target, root = endpoint(protocol)
    assert run(settings, target, site).code == 0
    v1 = section(root)

    # A new version changes every file; the connection dies in the middle of the attachment.
    v2 = {p: (c + b"v2" if isinstance(c, bytes) else c + "<!-- v2 -->") for p, c in SITE.items()}
    write_site(site, v2)
    cut_at = 60_000
    if protocol == "sftp":
        proxy = CuttingProxy(target.port, cut_after=cut_at + 40_000)   # + handshake and login
        request.addfinalizer(proxy.close)
        pin = request.getfixturevalue("sshd").fingerprint     # known_hosts names the real port
        cut_target = PublishTarget(**{**target.__dict__, "port": proxy.port, "fingerprint": pin})
    else:
        server = request.getfixturevalue(f"{protocol}_server")
        before = server.bytes_in
        server.cut_after = before + cut_at
        cut_target = target
    cut = run(settings, cut_target, site)
    assert cut.code == 1, cut
    error = assert_one_clean_error(cut, "uploading files/ke-hoach-2021.pdf", "run publish again to finish")
    assert "Traceback" not in error

    # The live section still works: every file is whole, old or new, never half.
    now = section(root)
    for path, content in now.items():
        if path.endswith(".cchc-tmp"):
            continue
        assert content in (v1[path], local_files(site)[path]), path
    assert now["files/ke-hoach-2021.pdf"] == v1["files/ke-hoach-2021.pdf"]
    assert now["index.html"] == v1["index.html"]       # the home page comes last
    arrived = {p for p in now if p in v1 and now[p] != v1[p]}
    assert arrived, "the cut should come after some files arrived"

    # Resume: the files that arrived are not sent again; the rest are.
    before = snapshot(root)
    resumed = run(settings, target, site)
    assert resumed.code == 0, resumed
    sent = rewritten(before, snapshot(root))
    assert sent == set(SITE) - arrived
    assert section(root) == local_files(site)
    assert not [p for p in tree(root) if p.endswith(".cchc-tmp")]
    assert not (root / JOURNAL_NAME).exists()
    assert "Traceback" not in "".join(capfd.readouterr())


@pytest.mark.parametrize("protocol", ["ftp", "sftp"])
def test_resume_trusts_the_journal_and_downloads_nothing_back(protocol, endpoint, settings, tmp_path,
                                                              monkeypatch, request):
    """Files recorded in the journal before a cut count as published: the next publish neither
    sends them again nor downloads them to check."""
    import cchc.commands.publish as pub
    monkeypatch.setattr(pub, "JOURNAL_EVERY_FILES", 3)
    target, root = endpoint(protocol)
    pages = {f"tin-tuc/bai-{i:02}/index.html": f"<h1>{i}</h1>" + "x" * 1000 for i in range(12)}
    out = write_site(tmp_path / "out", {**pages, "index.html": "home"})
    assert run(settings, target, out).code == 0
    write_site(out, {p: c + " v2" for p, c in {**pages, "index.html": "home"}.items()})

    def journaled() -> set[str]:
        try:
            text = (root / JOURNAL_NAME).read_text()
        except FileNotFoundError:
            return set()
        return {json.loads(line)["path"] for line in text.splitlines() if line.endswith("}")}

    if protocol == "ftp":
        server = request.getfixturevalue("ftp_server")
        server.cut_after = server.bytes_in + 8_500           # in the 8th or 9th page
        cut_target = target
    else:
        proxy = CuttingProxy(target.port, cut_when=lambda: len(journaled()) >= 6)
        request.addfinalizer(proxy.close)
        pin = request.getfixturevalue("sshd").fingerprint
        cut_target = PublishTarget(**{**target.__dict__, "port": proxy.port, "fingerprint": pin})
    cut = run(settings, cut_target, out)
    assert_one_clean_error(cut, "uploading tin-tuc/bai-", "run publish again to finish")
    done = journaled()
    assert len(done) >= 6

    if protocol == "ftp":
        server.downloaded.clear()
    before = snapshot(root)
    resumed = run(settings, target, out)
    assert resumed.code == 0, resumed
    assert f"resuming an interrupted publish: {len(done)} files had already arrived" in resumed.text
    assert not rewritten(before, snapshot(root)) & done
    if protocol == "ftp":
        assert not set(server.downloaded) & done
    assert section(root) == local_files(out)
    assert not (root / JOURNAL_NAME).exists()


# --- safety ---------------------------------------------------------------------------------

@pytest.mark.parametrize("protocol", ["dir", "sftp"])
def test_too_many_deletions_need_allow_deletes(protocol, endpoint, settings, site):
    target, root = endpoint(protocol)
    assert run(settings, target, site).code == 0
    gone = ["tin-tuc/bai-hai/index.html", "tin-tuc/bai-ba/index.html", "the/mot-cua/index.html",
            "van-ban/61-2018-nd-cp/index.html", "gioi-thieu/index.html", "404.html"]
    for rel in gone:
        (site / rel).unlink()
    before = snapshot(root)
    refused = run(settings, target, site)
    assert_one_clean_error(refused, "would delete 6 files", "safe limit of 4", "--allow-deletes 6")
    assert snapshot(root) == before
    assert run(settings, target, site, allow_deletes=5).code == 1
    dry = run(settings, target, site, dry_run=True)
    assert "plan: 0 new (0 B), 0 changed (0 B), 6 to delete" in dry.text
    assert_one_clean_error(dry, "--allow-deletes 6")
    assert snapshot(root) == before
    allowed = run(settings, target, site, allow_deletes=6)
    assert allowed.code == 0, allowed
    assert section(root) == local_files(site)


@pytest.mark.parametrize("protocol", ["dir", "ftp", "sftp"])
def test_dry_run_sends_nothing(protocol, endpoint, settings, site):
    target, root = endpoint(protocol)
    dry = run(settings, target, site, dry_run=True)
    assert dry.code == 0, dry
    assert not root.exists() or tree(root) == {}
    assert f"plan: {len(SITE)} new" in dry.text
    assert "new      assets/app.def456.js" in dry.text   # assets are listed first
    assert "… and 9 more" in dry.text
    assert "nothing sent" in dry.text

    assert run(settings, target, site).code == 0
    (site / "index.html").write_text("changed", encoding="utf-8")
    (site / "rss.xml").unlink()
    before = snapshot(root)
    dry = run(settings, target, site, dry_run=True)
    assert dry.code == 0, dry
    assert snapshot(root) == before
    assert "plan: 0 new (0 B), 1 changed (7 B), 1 to delete" in dry.text
    assert "changed  index.html" in dry.text and "delete   rss.xml" in dry.text


@pytest.mark.parametrize("protocol", ["dir", "ftp", "sftp"])
def test_file_edited_on_server_is_not_overwritten_without_force(protocol, endpoint, settings, site):
    target, root = endpoint(protocol)
    assert run(settings, target, site).code == 0
    (root / "gioi-thieu/index.html").write_text("<h1>Sửa trực tiếp trên máy chủ</h1>", encoding="utf-8")
    (site / "gioi-thieu/index.html").write_text("<h1>Giới thiệu mới</h1>", encoding="utf-8")
    (site / "assets/app.def456.js").write_text("console.log('new')", encoding="utf-8")
    before = snapshot(root)
    refused = run(settings, target, site)
    assert refused.code == 1, refused
    assert any("error: gioi-thieu/index.html was changed on the server" in line for line in refused.lines)
    assert "--force" in refused.lines[-1]
    assert snapshot(root) == before                     # nothing at all was sent
    forced = run(settings, target, site, force=True)
    assert forced.code == 0, forced
    assert section(root) == local_files(site)

    # --force also repairs files the plan would otherwise not look at.
    (root / "rss.xml").unlink()
    (root / "van-ban/index.html").write_text("hỏng", encoding="utf-8")
    assert "nothing to send" in run(settings, target, site).text
    repaired = run(settings, target, site, force=True)
    assert "sent 2 files" in repaired.text, repaired
    assert section(root) == local_files(site)


def test_foreign_file_where_the_section_writes_is_refused(endpoint, settings, site):
    target, root = endpoint("dir")
    write_site(root, {"gioi-thieu/index.html": "the portal's own page"})
    refused = run(settings, target, site)
    assert refused.code == 1, refused
    assert "gioi-thieu/index.html is on the server" in refused.text
    assert "not published by this section" in refused.text
    assert tree(root) == {"gioi-thieu/index.html": b"the portal's own page"}


# --- a shared folder others can write to (issue 19, items 1 and 10) -----------------------------

@pytest.fixture(params=["dir_fd", "paths"])
def folder_calls(request, monkeypatch):
    """The folder target both ways: relative to open folders with O_NOFOLLOW (POSIX), and by
    path with a check of every component first (what Windows has), forced here."""
    import cchc.commands.publish.folder as folder
    if request.param == "paths":
        monkeypatch.setattr(folder, "DIR_FD", False, raising=False)
    return request.param


def symlink(link: Path, to: Path) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    try:
        link.symlink_to(to)
    except OSError:
        pytest.skip("this system cannot create symbolic links")


def manifest_with(root: Path, extra: dict) -> None:
    doc = json.loads((root / MANIFEST_NAME).read_text(encoding="utf-8"))
    doc["files"].update(extra)
    (root / MANIFEST_NAME).write_text(json.dumps(doc), encoding="utf-8")


@pytest.mark.parametrize("name", [JOURNAL_NAME, MANIFEST_NAME])
def test_a_symlinked_record_is_neither_read_nor_written(name, folder_calls, endpoint, settings, site, tmp_path):
    """A link planted at the journal would make publish append JSON lines to the file it points
    to (and read it); at the manifest, read it."""
    target, root = endpoint("dir")
    assert run(settings, target, site).code == 0
    outside = tmp_path / "elsewhere" / "notes.txt"
    outside.parent.mkdir()
    outside.write_bytes(b"the owner's notes\n")
    if name == MANIFEST_NAME:
        (root / MANIFEST_NAME).unlink()
    symlink(root / name, outside)
    (site / "tin-tuc/bai-mot/index.html").write_text("<h1>Bài một (sửa)</h1>", encoding="utf-8")
    before = snapshot(root)
    result = run(settings, target, site)
    error = assert_one_clean_error(result, name, "symbolic link")
    assert outside.read_bytes() == b"the owner's notes\n", error
    assert (root / name).is_symlink() and snapshot(root) == before


def test_a_symlinked_folder_never_leads_a_deletion_outside(folder_calls, endpoint, settings, site, tmp_path):
    """A forged manifest entry under a symlinked folder, even with the right size and hash, must
    not delete the file the link leads to."""
    target, root = endpoint("dir")
    assert run(settings, target, site).code == 0
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "keep.txt").write_bytes(b"keep me safe")
    symlink(root / "lien-ket", outside)
    manifest_with(root, {"lien-ket/keep.txt": {"size": 12, "sha256": hashlib.sha256(b"keep me safe").hexdigest()}})
    result = run(settings, target, site)
    assert (outside / "keep.txt").read_bytes() == b"keep me safe", result
    assert result.code == 1, result
    assert any("lien-ket" in line and "symbolic link" in line for line in result.lines), result


def test_a_symlink_at_a_temporary_name_is_never_written_through(folder_calls, endpoint, settings, site, tmp_path):
    """Temporary names are created exclusively: a link planted there is reported, not followed, and
    the live page stays a file."""
    target, root = endpoint("dir")
    assert run(settings, target, site).code == 0
    outside = tmp_path / "elsewhere" / "important.conf"
    outside.parent.mkdir()
    outside.write_bytes(b"important = yes\n")
    symlink(root / "tin-tuc/bai-mot/.index.html.cchc-tmp", outside)
    (site / "tin-tuc/bai-mot/index.html").write_text("<h1>Bài một (sửa)</h1>", encoding="utf-8")
    result = run(settings, target, site)
    assert outside.read_bytes() == b"important = yes\n", result
    page = root / "tin-tuc/bai-mot/index.html"
    assert not page.is_symlink() and page.read_text(encoding="utf-8") == SITE["tin-tuc/bai-mot/index.html"]
    assert_one_clean_error(result, ".index.html.cchc-tmp", "symbolic link")


def test_a_leftover_temporary_file_is_replaced(folder_calls, endpoint, settings, site):
    """A temporary file left by an interrupted publish (a regular file) does not stop the next one."""
    target, root = endpoint("dir")
    assert run(settings, target, site).code == 0
    (root / "tin-tuc/bai-mot/.index.html.cchc-tmp").write_bytes(b"half a pa")
    (site / "tin-tuc/bai-mot/index.html").write_text("<h1>Bài một (sửa)</h1>", encoding="utf-8")
    result = run(settings, target, site)
    assert result.code == 0, result
    assert section(root) == local_files(site)


@pytest.mark.parametrize("protocol", ["dir", "ftp", "sftp"])
@pytest.mark.parametrize("record", ["manifest", "journal"])
def test_a_forged_entry_whose_size_matches_deletes_nothing(record, protocol, endpoint, settings, site):
    """Size (and time) say a file may be the section's; only its hash says it is."""
    target, root = endpoint(protocol)
    assert run(settings, target, site).code == 0
    (root / "portal.php").write_bytes(b"<?php // the portal's own code")
    forged = {"size": 30, "sha256": "0" * 64}
    if record == "manifest":
        manifest_with(root, {"portal.php": forged})
    else:
        (root / JOURNAL_NAME).write_text(json.dumps({"run": "forged", "path": "portal.php", **forged}) + "\n",
                                         encoding="utf-8")
    result = run(settings, target, site)
    assert (root / "portal.php").read_bytes() == b"<?php // the portal's own code", result
    assert any("portal.php" in line and "not what the section published" in line for line in result.lines), result
    forced = run(settings, target, site, force=True)
    assert (root / "portal.php").read_bytes() == b"<?php // the portal's own code", forced


@pytest.mark.parametrize("name", [MANIFEST_NAME, JOURNAL_NAME])
def test_a_deeply_nested_record_is_one_line(name, endpoint, settings, site):
    target, root = endpoint("dir")
    assert run(settings, target, site).code == 0
    (root / name).write_bytes(b"[" * 100_000)
    result = run(settings, target, site)
    assert "Traceback" not in result.text and "RecursionError" not in result.text
    if name == MANIFEST_NAME:
        assert_one_clean_error(result, MANIFEST_NAME, "cannot be used")
        from cchc.commands.publish.due import RESUME, last_publish
        assert last_publish(settings, target) == RESUME      # --due: an undatable manifest means publish
    else:       # a damaged journal line is skipped, as one cut short by a crash
        assert result.code == 0, result


@pytest.mark.parametrize("path", ["x/C:/Users/a/file.txt", "C:/Windows/x", "C:x", "a/.. /b", "a/../b", "a/b./c",
                                  "a/b /c", "a/ /b", "a\\b", "a/CON/b", "a/con.txt", "a/LPT1", "a/b:c", "/etc/x", "",
                                  "a//b", "a/./b", "a/\x1b[31m/b", "a/\u202eb"])
def test_unsafe_server_paths_are_refused(path):
    """A manifest is server data: a name Windows would read as a drive, a device or a trailing
    dot or space (which Windows drops: "a. " is "a") never names a file to touch."""
    assert not is_safe_path(path)


@pytest.mark.parametrize("path", ["index.html", "tin-tuc/bai-mot/index.html", "files/kế-hoạch 2021.pdf",
                                  "assets/style.abc123.css", ".well-known/x", "a..b/c"])
def test_safe_server_paths_are_accepted(path):
    assert is_safe_path(path)


# --- connecting and logging in ------------------------------------------------------------

def test_sftp_unknown_host_key_is_refused_with_its_fingerprint(endpoint, settings, site, sshd, tmp_path):
    empty = tmp_path / "known_hosts_empty"
    empty.write_text("")
    target, root = endpoint("sftp", known_hosts=str(empty))
    result = run(settings, target, site)
    assert_one_clean_error(result, f"host key of 127.0.0.1:{sshd.port} is not known",
                           f"ssh-ed25519 {sshd.fingerprint}", "fingerprint:")
    assert not root.exists()


def test_sftp_changed_host_key_is_refused(endpoint, settings, site, sshd, tmp_path):
    import subprocess
    other = tmp_path / "other"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(other)], check=True)
    known = tmp_path / "known_hosts_changed"
    known.write_text(f"[127.0.0.1]:{sshd.port} {' '.join(other.with_suffix('.pub').read_text().split()[:2])}\n")
    target, root = endpoint("sftp", known_hosts=str(known))
    result = run(settings, target, site)
    assert_one_clean_error(result, "has CHANGED", sshd.fingerprint)
    assert not root.exists()

    wrong_pin = run(settings, endpoint("sftp", fingerprint="SHA256:" + "A" * 43)[0], site)
    assert_one_clean_error(wrong_pin, "does not match fingerprint", sshd.fingerprint)


def test_sftp_fingerprint_instead_of_known_hosts(endpoint, settings, site, sshd, tmp_path):
    target, root = endpoint("sftp", known_hosts=str(tmp_path / "missing"), fingerprint=sshd.fingerprint)
    result = run(settings, target, site)
    assert result.code == 0, result
    assert section(root) == local_files(site)


def test_sftp_wrong_passphrase_fails_cleanly(endpoint, settings, site, monkeypatch, capfd):
    target, root = endpoint("sftp")
    monkeypatch.setenv(password_variable("portal"), "not the passphrase")
    line = assert_one_clean_error(run(settings, target, site), "cannot unlock key_file", "CCHC_PASSWORD_PORTAL")
    assert "not the passphrase" not in line
    assert "Traceback" not in "".join(capfd.readouterr())


@pytest.mark.parametrize("protocol", ["ftp", "ftps"])
def test_ftp_wrong_password_fails_cleanly(protocol, endpoint, settings, site, monkeypatch, capfd):
    target, root = endpoint(protocol)
    monkeypatch.setenv(password_variable("portal"), "wrong-Pa55word")
    line = assert_one_clean_error(run(settings, target, site), f"login as {FTP_USER}", "refused",
                                  "CCHC_PASSWORD_PORTAL")
    assert "wrong-Pa55word" not in line
    assert "Traceback" not in "".join(capfd.readouterr())


def test_ftp_without_password_says_where_to_put_it(endpoint, settings, site, monkeypatch):
    target, root = endpoint("ftp")
    monkeypatch.delenv(password_variable("portal"))
    assert_one_clean_error(run(settings, target, site), "no password", "CCHC_PASSWORD_PORTAL")


def test_ftp_disk_full_is_one_line(ftp_server, endpoint, settings, site):
    target, root = endpoint("ftp")
    ftp_server.disk_full = True
    assert_one_clean_error(run(settings, target, site), "uploading assets/app.def456.js",
                           "552 Requested file action aborted: disk full.", "run publish again to finish")
    ftp_server.disk_full = False
    assert run(settings, target, site).code == 0
    assert section(root) == local_files(site)


def test_connection_refused_is_one_line(settings, site):
    for protocol in ("ftp", "sftp"):
        target = PublishTarget(name="portal", protocol=protocol, host="127.0.0.1", port=free_port(), path="/x")
        assert_one_clean_error(run(settings, target, site), "connection refused")


def test_ftps_reuses_the_tls_session_where_plain_ftplib_is_refused(ftps_server, endpoint, settings, site):
    # Plain ftplib: the data connection starts a new TLS session, and this server (like
    # vsftpd with require_ssl_reuse=YES) refuses it.
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    plain = ftplib.FTP_TLS(context=ctx, timeout=10)
    plain.connect("127.0.0.1", ftps_server.port)
    plain.login(FTP_USER, FTP_PASSWORD)
    plain.prot_p()
    refused_before = ftps_server.refused_without_reuse
    with pytest.raises((ftplib.Error, OSError, EOFError)):
        plain.storbinary("STOR /probe.txt", io.BytesIO(b"probe"))
    plain.close()
    assert ftps_server.refused_without_reuse == refused_before + 1
    probe = ftps_server.root / "probe.txt"
    assert not probe.exists() or probe.read_bytes() == b""      # opened by STOR, never written

    target, root = endpoint("ftps")
    result = run(settings, target, site)
    assert result.code == 0, result
    assert section(root) == local_files(site)
    assert ftps_server.refused_without_reuse == refused_before + 1


def test_ftps_untrusted_certificate_is_refused_with_its_fingerprint(ftps_server, endpoint, settings, site):
    target, root = endpoint("ftps", fingerprint="")
    assert_one_clean_error(run(settings, target, site), "TLS certificate of", "is not trusted",
                           ftps_server.hex_fingerprint, "fingerprint:")
    target, root = endpoint("ftps", fingerprint="SHA256:" + "B" * 43)
    assert_one_clean_error(run(settings, target, site), "does not match", ftps_server.hex_fingerprint)
    assert not root.exists()


# --- the folder target, and the plan's order ---------------------------------------------------

def test_dir_target_relative_to_site_and_unmounted_share(settings, site, tmp_path):
    target = PublishTarget(name="share", protocol="dir", path="www/cchc")
    (tmp_path / "www").mkdir()
    result = run(settings, target, site)
    assert result.code == 0, result
    assert section(tmp_path / "www/cchc") == local_files(site)

    missing = PublishTarget(name="share", protocol="dir", path=str(tmp_path / "not-mounted" / "cchc"))
    assert_one_clean_error(run(settings, missing, site), "does not exist (is the share mounted?)")
    inside = PublishTarget(name="share", protocol="dir", path=str(site / "copy"))
    assert_one_clean_error(run(settings, inside, site), "overlap")


def test_quiet_prints_nothing_on_success(endpoint, settings, site):
    target, root = endpoint("dir")
    result = run(settings, target, site, quiet=True)
    assert result.code == 0 and result.lines == []


@pytest.mark.parametrize("path, expected", [
    ("assets/style.abc123.css", "assets"), ("files/ke-hoach.pdf", "assets"), ("images/a.png", "assets"),
    ("pagefind/index/vi_1.pf_index", "assets"), ("tim-kiem/muc-luc.json", "lists"),
    ("tin-tuc/bai-mot/index.html", "pages"), ("van-ban/61-2018-nd-cp/index.html", "pages"),
    ("gioi-thieu/index.html", "pages"), ("404.html", "pages"),
    ("chuyen-muc/tin-cchc/index.html", "lists"), ("the/mot-cua/index.html", "lists"),
    ("luu-tru/2021/index.html", "lists"), ("van-ban/index.html", "lists"), ("tim-kiem/index.html", "lists"),
    ("so-do-trang/index.html", "lists"), ("tin-tuc/trang-2/index.html", "lists"),
    ("feed.xml", "feeds"), ("rss.xml", "feeds"), ("sitemap.xml", "feeds"), ("widget.js", "feeds"),
    ("tin-moi.html", "feeds"), ("tin-moi.json", "feeds"), ("van-ban/danh-muc.72e52a1d60.js", "assets"),
    ("index.html", "home"),
])
def test_upload_stage(path, expected):
    assert STAGES[stage(path)] == expected


def test_progress_only_on_a_terminal(endpoint, settings, site, monkeypatch):
    import io
    import sys

    import cchc.commands.publish.progress as progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(progress, "SHOW_AFTER", 0.0)
    monkeypatch.setattr(progress, "EVERY", 0.0)
    target, root = endpoint("dir")
    terminal = Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    assert run(settings, target, site).code == 0
    assert f"\r  {len(SITE)}/{len(SITE)} files" in terminal.getvalue()

    piped = io.StringIO()
    monkeypatch.setattr(sys, "stdout", piped)
    (site / "files/ke-hoach-2021.pdf").write_bytes(os.urandom(BIG))
    assert run(settings, target, site).code == 0
    assert piped.getvalue() == ""
