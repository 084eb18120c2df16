#!/usr/bin/env python3
"""Search quality on labelled Vietnamese queries: precision at 3 and the share whose first result is right.

    python3 benchmarks/search_quality.py                      # this repository's engine
    python3 benchmarks/search_quality.py --engine ab20cf8     # the engine (and layouts) of a git revision
    python3 benchmarks/search_quality.py --show               # every query, its first results and verdict

The queries and what must come first are tests/data/search-queries.yaml. Each is typed the way
a reader types it, in Debian's Chromium through Playwright, into the built section served over
HTTP: tim-kiem/ (search.js) or the filter of van-ban/ (documents.js). What is read is what the
reader sees, in order: the results, then the looser matches the page shows below them. For a
`none` query (no page holds the words together) the page is right when it says so before
showing anything.

Precision at 3: for a query with a list of pages that must come first, the share of its first
min(3, len(list)) results that are in the list; for a `contains` query, the share of the first
three results whose source holds the phrase (and not `lacks`); for a `none` query, 1 when the
page says nothing was found for the words together, else 0. First right: the first result is
right (for `none`: the same as its precision). Both are averaged over the queries.

Sites: the repository's sample (content/, site.yaml) and a generated section (benchmarks/corpus.py
with the size the file gives, plus its `extra` files), built with the engine measured (its own
layouts), with search on, under --work (default benchmarks/work/quality/).
"""
from __future__ import annotations

import argparse
import functools
import http.server
import io
import re
import shutil
import subprocess
import sys
import tarfile
import threading
import unicodedata
import urllib.parse
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
QUERIES = REPO / "tests" / "data" / "search-queries.yaml"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]

sys.path.insert(0, str(BENCH))
import corpus as corpus_generator  # noqa: E402  (benchmarks/corpus.py)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def engine_dir(work: Path, rev: str | None) -> Path:
    """The engine measured: this repository (copied), or a git revision's cchc/, build.py, layouts/."""
    dest = work / f"engine-{rev or 'here'}"
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    if rev is None:
        shutil.copytree(REPO / "cchc", dest / "cchc", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(REPO / "build.py", dest / "build.py")
        shutil.copytree(REPO / "layouts", dest / "layouts")
        return dest
    tar = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", rev, "cchc", "build.py", "layouts"],
                         capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(tar)) as t:
        t.extractall(dest, filter="data") if hasattr(tarfile, "data_filter") else t.extractall(dest)
    return dest


def make_sites(work: Path, engine: Path, spec: dict) -> dict[str, Path]:
    """The two sections, built with `engine` and its layouts, search on."""
    sites = {}
    sample = work / "sample"
    shutil.rmtree(sample, ignore_errors=True)
    shutil.copytree(REPO / "content", sample / "content")
    shutil.copy(REPO / "site.yaml", sample / "site.yaml")
    sites["sample"] = sample
    gen = spec["sites"]["generated"]
    generated = work / f"generated-{gen['articles']}-{gen['documents']}"
    shutil.rmtree(generated, ignore_errors=True)
    corpus_generator.write_corpus(generated / "corpus", gen["articles"], gen["documents"], "project")
    (generated / "content").mkdir(parents=True)
    for name in ("articles", "documents"):
        (generated / "corpus" / name).rename(generated / "content" / name)
    for rel, text in gen.get("extra", {}).items():
        path = generated / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (generated / "site.yaml").write_text('title: "Cải cách hành chính"\nbase_url: "https://example.gov.vn/cchc/"\n'
                                         "per_page: 20\n"
                                         + (generated / "corpus" / "site-fragment.yaml").read_text(encoding="utf-8"),
                                         encoding="utf-8")
    sites["generated"] = generated
    for root in sites.values():
        shutil.rmtree(root / "layouts", ignore_errors=True)
        shutil.copytree(engine / "layouts", root / "layouts")
        text = (root / "site.yaml").read_text(encoding="utf-8")
        text = re.sub(r"(?m)^search:.*\n", "", text) + "search: true\n"
        (root / "site.yaml").write_text(text, encoding="utf-8")
        subprocess.run([sys.executable, str(engine / "build.py"), "--site", str(root), "--quiet", "--no-cache"],
                       check=True, capture_output=True)
    return sites


def sources(root: Path) -> dict[str, str]:
    """URL -> the source text a result is judged on (front matter and body, NFC, lower case)."""
    out = {}
    for kind, prefix in (("articles", "tin-tuc/"), ("documents", "van-ban/"), ("pages", "")):
        for path in (root / "content" / kind).rglob("*.md"):
            text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8")).lower()
            m = re.search(r"(?m)^slug:\s*\"?([^\"\n]+)\"?\s*$", text) if kind == "articles" else None
            slug = m.group(1).strip() if m else path.stem
            if kind == "articles" and not m:
                title = re.search(r"(?m)^title:\s*\"?(.*?)\"?\s*$", text)
                slug = _slug(title.group(1)) if title else path.stem
            out[f"{prefix}{slug}/"] = text
    return out


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


# What the page shows, in order: the results, then the looser matches below them (the lists
# search.js and documents.js fill; earlier versions had the first list only).
READ_SEARCH = """() => ({
  status: document.getElementById('so-ket-qua').textContent,
  strict: Array.from(document.querySelectorAll('#ket-qua li h2 a')).map(a => a.href),
  loose: Array.from(document.querySelectorAll('#ket-qua-gan-dung li h2 a')).map(a => a.href)})"""
READ_DOCUMENTS = """() => ({
  status: document.getElementById('so-van-ban').textContent,
  strict: Array.from(document.querySelectorAll('#bang-van-ban tbody:not(.gan-dung) tr td:first-child a')).map(a => a.href),
  loose: Array.from(document.querySelectorAll('#bang-van-ban tbody.gan-dung tr td:first-child a')).map(a => a.href)})"""


def ask(browser, base: str, page_kind: str, query: str) -> dict:
    context = browser.new_context()
    page = context.new_page()
    try:
        if page_kind == "search":
            page.goto(base + "tim-kiem/?q=" + urllib.parse.quote(query))
            page.wait_for_function("(() => { const s = document.getElementById('so-ket-qua').textContent;"
                                   " return s && !/Đang tìm/.test(s); })()", timeout=60000)
            seen = page.evaluate(READ_SEARCH)
        else:
            page.goto(base + "van-ban/")
            page.fill("#loc-chu", query)
            page.wait_for_function("(() => { const s = document.getElementById('so-van-ban').textContent;"
                                   " return /tìm thấy/i.test(s) && !/Đang tải/.test(s); })()", timeout=60000)
            seen = page.evaluate(READ_DOCUMENTS)
    finally:
        context.close()
    strip = lambda href: urllib.parse.urlsplit(href).path.lstrip("/")
    seen["strict"] = [strip(h) for h in seen["strict"]]
    seen["loose"] = [strip(h) for h in seen["loose"]]
    return seen


def judge(item: dict, seen: dict, texts: dict[str, str]) -> tuple[float, float]:
    """(precision at 3, first right) of one query."""
    if item.get("none"):
        honest = not seen["strict"] and seen["status"].strip().startswith("Không tìm thấy")
        return float(honest), float(honest)
    shown = seen["strict"] + seen["loose"]
    if "first" in item:
        wanted = set(item["first"])
        k = min(3, len(wanted))
        right = [u in wanted for u in shown[:k]]
    else:
        phrase, lacks = item["contains"].lower(), (item.get("lacks") or "").lower()
        k = 3
        right = [phrase in texts.get(u, "") and not (lacks and lacks in texts.get(u, "")) for u in shown[:k]]
    return sum(right) / k, float(bool(right) and right[0])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--engine", metavar="REV", help="a git revision's engine and layouts (default: this repository)")
    ap.add_argument("--work", type=Path, default=BENCH / "work" / "quality")
    ap.add_argument("--show", action="store_true", help="print every query with its first results")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright
    spec = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    work = args.work.resolve() / (args.engine or "here")
    engine = engine_dir(work, args.engine)
    sites = make_sites(work, engine, spec)
    texts = {name: sources(root) for name, root in sites.items()}
    for item in spec["queries"]:
        missing = [u for u in item.get("first", []) if u not in texts[item["site"]]]
        if missing:
            sys.exit(f"{QUERIES.name}: {item['q']!r}: no such page in the {item['site']} site: {missing}")
    servers, rows = {}, []
    for name, root in sites.items():
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root / "output")))
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers[name] = httpd
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for item in spec["queries"]:
                base = f"http://127.0.0.1:{servers[item['site']].server_address[1]}/"
                seen = ask(browser, base, item["page"], item["q"])
                p3, first = judge(item, seen, texts[item["site"]])
                rows.append((item, p3, first, seen))
                if args.show:
                    print(f"{p3:.2f} {first:.0f}  [{item['site']}/{item['page']}] {item['q']!r}: {seen['status'].strip()[:90]}")
                    for u in (seen["strict"] + ["--"] + seen["loose"])[:5]:
                        print(f"        {u}")
            browser.close()
    finally:
        for httpd in servers.values():
            httpd.shutdown()
    print(f"\n| engine | queries | precision at 3 | first result right |\n|---|---|---|---|")
    for label, subset in (("all", rows), *((f"{s}/{p}", [r for r in rows if (r[0]["site"], r[0]["page"]) == (s, p)])
                                           for s in ("sample", "generated") for p in ("search", "documents"))):
        if subset:
            print(f"| {args.engine or 'this tree'} ({label}) | {len(subset)} | {sum(r[1] for r in subset) / len(subset):.2f} | "
                  f"{sum(r[2] for r in subset) / len(subset):.2f} |")


if __name__ == "__main__":
    main()
