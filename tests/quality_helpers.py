"""Checkers for what a government portal's readers and auditors see in output/.

Each returns plain findings (lists of strings), so a test can print every one of them at once
instead of stopping at the first. Kept apart from test_quality.py because the checks are
reusable (e.g. by a future `check --output` command) and worth reading on their own.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import functools
import http.server
import json
import re
import shutil
import subprocess
import threading
import urllib.parse
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


# --- W3C Nu HTML checker ------------------------------------------------------------------------

def vnu(files: list[Path]) -> dict[Path, list[str]]:
    """Errors per file from one vnu.jar run over all files (one JVM: ~8 s instead of ~2 s a page)."""
    java = shutil.which("java")
    proc = subprocess.run([java, "-Xss4m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json",
                           *map(str, files)], capture_output=True, text=True, encoding="utf-8", timeout=900)
    report = json.loads(proc.stderr or proc.stdout)
    found: dict[Path, list[str]] = {}
    for m in report["messages"]:
        path = Path(urllib.parse.unquote(urllib.parse.urlparse(m.get("url", "")).path))
        found.setdefault(path, []).append(f'{m.get("lastLine", "?")}: {m["type"]}: {m["message"]}')
    return found


# --- links and asset references -----------------------------------------------------------------

class _Refs(HTMLParser):
    """Every URL a page references (links, images, scripts, styles, forms) and every id it defines."""

    ATTRS = {"href", "src", "action", "poster", "data"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.ids: set[str] = set()
        self.base: str | None = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name") and (name == "id" or tag == "a"):
                self.ids.add(value)
            elif tag == "base" and name == "href":
                self.base = value
            elif name in self.ATTRS and not (tag == "form" and name == "action" and value == ""):
                self.urls.append(value)
            elif name == "srcset":
                self.urls += [part.split()[0] for part in value.split(",") if part.strip()]


def crawl(out: Path, base_url: str) -> tuple[int, list[str]]:
    """Check every internal link and asset reference of every HTML page under out/.

    Resolves each URL as a browser would (from the page's own URL under base_url, honouring
    <base href>), maps it back into out/ (a folder means its index.html) and checks that the
    file exists and that a #fragment names an id on the target page. External URLs (other
    hosts, mailto:) are counted out: the portal's network policy is checked in the browser.
    Returns (internal references checked, broken ones as "page: url -> why").
    """
    root = urllib.parse.urlparse(base_url)
    pages: dict[Path, _Refs] = {}
    for page in sorted(out.rglob("*.html")):
        parser = _Refs()
        parser.feed(page.read_text(encoding="utf-8"))
        pages[page] = parser

    def target_of(url_path: str) -> Path | None:
        if not url_path.startswith(root.path):
            return None
        rel = urllib.parse.unquote(url_path[len(root.path):])
        path = out / rel
        return path / "index.html" if rel == "" or rel.endswith("/") or path.is_dir() else path

    checked, broken = 0, []
    for page, refs in pages.items():
        page_rel = page.relative_to(out).as_posix()
        page_url = urllib.parse.urljoin(base_url, page_rel.removesuffix("index.html"))
        base = urllib.parse.urljoin(page_url, refs.base) if refs.base else page_url
        for raw in refs.urls:
            url = urllib.parse.urlparse(urllib.parse.urljoin(base, raw))
            written_relative = not urllib.parse.urlparse(raw).scheme and not raw.startswith("//")
            if url.scheme not in ("http", "https") or url.netloc != root.netloc or (
                    not written_relative and not url.path.startswith(root.path)):
                continue  # another site, or the portal around the section: not ours to check
            checked += 1
            target = target_of(url.path)
            if target is None:
                broken.append(f"{page_rel}: {raw} -> above the section's root ({url.path})")
            elif not target.is_file():
                broken.append(f"{page_rel}: {raw} -> no file {target.relative_to(out).as_posix()}")
            elif url.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else set()
                if urllib.parse.unquote(url.fragment) not in ids:
                    broken.append(f"{page_rel}: {raw} -> no id \"{url.fragment}\" on the target page")
    return checked, broken


def absolute_urls_resolve(out: Path, base_url: str, urls: list[str]) -> list[str]:
    """Absolute URLs from feeds and the sitemap that do not start with base_url or name no file."""
    bad = []
    for u in urls:
        if not u.startswith(base_url):
            bad.append(f"{u}: not under base_url {base_url}")
            continue
        rel = urllib.parse.unquote(u[len(base_url):].split("#")[0])
        path = out / rel
        if not (path / "index.html" if rel == "" or rel.endswith("/") else path).is_file():
            bad.append(f"{u}: no file in output/")
    return bad


# --- feeds and sitemap --------------------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def _absolute(u: str | None) -> bool:
    p = urllib.parse.urlparse(u or "")
    return p.scheme in ("http", "https") and bool(p.netloc)


def check_atom(path: Path) -> tuple[list[str], list[str]]:
    """RFC 4287's MUST rules for a feed document (section 4.1, 3.3, 4.2.6, 4.2.7).

    There is no normative XSD for Atom and the RFC's RELAX NG is informative, so the rules are
    written out here; each message quotes the section it comes from. Returns (problems, every
    absolute URL found) so the caller can check that they resolve.
    """
    problems, urls = [], []
    feed = etree.parse(str(path)).getroot()
    if feed.tag != ATOM + "feed":
        return [f"root is {feed.tag}, not atom:feed (4.1.1)"], urls

    def one(parent, name: str, where: str, required: bool = True):
        found = parent.findall(ATOM + name)
        if len(found) > 1 or (required and not found):
            problems.append(f"{where}: {len(found)} atom:{name}, must be exactly one (4.1)")
        return found[0] if found else None

    def dates(parent, where: str):
        for name in ("updated", "published"):
            el = parent.find(ATOM + name)
            if el is not None and not RFC3339.match((el.text or "").strip()):
                problems.append(f"{where}: atom:{name} {el.text!r} is not an RFC 3339 date-time (3.3)")

    def ids_and_links(parent, where: str):
        ident = parent.find(ATOM + "id")
        if ident is not None:
            if not _absolute(ident.text):
                problems.append(f"{where}: atom:id {ident.text!r} is not an absolute IRI (4.2.6)")
            urls.append((ident.text or "").strip())
        for link in parent.findall(ATOM + "link"):
            if not _absolute(link.get("href")):
                problems.append(f"{where}: link href {link.get('href')!r} is not absolute")
            urls.append(link.get("href") or "")
        alternates = [(l.get("type"), l.get("hreflang")) for l in parent.findall(ATOM + "link")
                      if l.get("rel", "alternate") == "alternate"]
        if len(alternates) != len(set(alternates)):
            problems.append(f"{where}: two alternate links with the same type and hreflang (4.1.1)")

    for name in ("id", "title", "updated"):
        one(feed, name, "feed")
    dates(feed, "feed")
    ids_and_links(feed, "feed")
    if not [l for l in feed.findall(ATOM + "link") if l.get("rel") == "self"]:
        problems.append("feed: no atom:link rel=self (4.1.1 SHOULD; feed readers need it)")
    feed_author = feed.find(ATOM + "author") is not None
    seen_ids = set()
    for n, entry in enumerate(feed.findall(ATOM + "entry"), start=1):
        where = f"entry {n}"
        for name in ("id", "title", "updated"):
            one(entry, name, where)
        dates(entry, where)
        ids_and_links(entry, where)
        ident = (entry.findtext(ATOM + "id") or "").strip()
        if ident in seen_ids:
            problems.append(f"{where}: atom:id {ident} repeats an earlier entry's")
        seen_ids.add(ident)
        if not feed_author and entry.find(ATOM + "author") is None:
            problems.append(f"{where}: no atom:author, and the feed has none (4.1.1)")
        if entry.find(ATOM + "content") is None and not [l for l in entry.findall(ATOM + "link")
                                                         if l.get("rel", "alternate") == "alternate"]:
            problems.append(f"{where}: neither atom:content nor an alternate link (4.1.2)")
        if entry.find(ATOM + "summary") is None and entry.find(ATOM + "content") is None:
            problems.append(f"{where}: no atom:summary (4.1.2 requires one when there is no inline content)")
    return problems, urls


def check_rss(path: Path) -> tuple[list[str], list[str]]:
    """The RSS 2.0 specification's required elements and formats (RSS Advisory Board, 2.0.11)."""
    problems, urls = [], []
    rss = etree.parse(str(path)).getroot()
    if rss.tag != "rss" or rss.get("version") != "2.0":
        return [f'root is <{rss.tag} version="{rss.get("version")}">, not <rss version="2.0">'], urls
    channels = rss.findall("channel")
    if len(channels) != 1:
        return [f"{len(channels)} channel elements, must be exactly one"], urls
    channel = channels[0]
    for name in ("title", "link", "description"):
        if not (channel.findtext(name) or "").strip():
            problems.append(f"channel: required <{name}> is missing or empty")
    urls.append((channel.findtext("link") or "").strip())
    for name in ("pubDate", "lastBuildDate"):
        text = channel.findtext(name)
        if text is not None and _rfc822(text) is None:
            problems.append(f"channel: <{name}> {text!r} is not an RFC 822 date")
    for link in channel.findall("{http://www.w3.org/2005/Atom}link"):
        urls.append(link.get("href") or "")
    for n, item in enumerate(channel.findall("item"), start=1):
        where = f"item {n}"
        if item.find("title") is None and item.find("description") is None:
            problems.append(f"{where}: needs a <title> or a <description>")
        link = item.findtext("link")
        if link is not None:
            if not _absolute(link.strip()):
                problems.append(f"{where}: <link> {link!r} is not an absolute URL")
            urls.append(link.strip())
        guid = item.find("guid")
        if guid is not None and guid.get("isPermaLink", "true") == "true":
            if not _absolute((guid.text or "").strip()):
                problems.append(f"{where}: permalink <guid> {guid.text!r} is not an absolute URL")
            urls.append((guid.text or "").strip())
        text = item.findtext("pubDate")
        if text is not None and _rfc822(text) is None:
            problems.append(f"{where}: <pubDate> {text!r} is not an RFC 822 date")
    return problems, urls


def _rfc822(text: str) -> dt.datetime | None:
    try:
        value = email.utils.parsedate_to_datetime(text.strip())
    except (TypeError, ValueError):
        return None
    # parsedate accepts a lot; the spec's form has an English day and month and a zone.
    if not re.match(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                    r"\d{4} \d{2}:\d{2}(:\d{2})? ([+-]\d{4}|GMT|UT|[A-Z]{3})$", text.strip()):
        return None
    return value


def check_sitemap(path: Path) -> tuple[list[str], list[str]]:
    """Validate against the sitemaps.org 0.9 XSD shipped in tests/data; returns (problems, locs)."""
    schema = etree.XMLSchema(etree.parse(str(DATA / "sitemap.xsd")))
    doc = etree.parse(str(path))
    problems = [] if schema.validate(doc) else [f"line {e.line}: {e.message}" for e in schema.error_log]
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    return problems, [(loc.text or "").strip() for loc in doc.iter(ns + "loc")]


# --- serving output/ as the portal would ----------------------------------------------------------

class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves output/ under the base_url's path, with 404.html for a missing page, like the portal."""

    prefix = "/"

    def log_message(self, *args):  # keep test output quiet
        pass

    def translate_path(self, path):
        path = urllib.parse.urlsplit(path).path
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_the_section__" / "missing")
        return super().translate_path("/" + path[len(self.prefix):])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextmanager
def serve(out: Path, base_path: str = "/"):
    """output/ over HTTP on 127.0.0.1 (a free port), mounted at base_path; yields the root URL."""
    handler = type("Handler", (_Handler,), {"prefix": base_path})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{base_path}"
    finally:
        server.shutdown()
        server.server_close()


def run_axe(page) -> list[dict]:
    """axe-core's WCAG 2.1 A + AA violations on the loaded page, injected from node_modules."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate("""async (tags) => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)}));
    }""", WCAG_AA)


def describe_violations(violations: list[dict]) -> str:
    return "\n".join(f"  {v['id']} ({v['impact']}): {v['help']}\n" + "\n".join(f"      {n}" for n in v["nodes"][:5])
                     for v in violations)
