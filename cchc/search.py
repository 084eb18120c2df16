"""The search index behind tim-kiem/: a Pagefind bundle in output/pagefind/, written after the pages.

Pagefind splits its index into small chunks, so a reader's phone fetches only the words a
query needs, and it already matches Vietnamese tone marks loosely (cai = cải) while ranking
an exact match first. Two things it does not do are done here:

- đ is a letter of its own, not d with a mark, so `dat dai` would never find `đất đai`. Each
  record repeats its words that contain đ, folded (`đất` -> `dat`), after a marker (⁂) and at
  half weight: a folded query finds them, an exact one still ranks first, and search.js cuts
  the content at the marker so readers only ever see the original text.
- A document number is one token to Pagefind only as written (`61/2018/NĐ-CP`); a document
  also gets its number folded and compacted (`612018ndcp`) at full weight, which is what
  search.js turns a typed number into (`61 / 2018 / ND-CP`, `61/2018/nđ-cp` alike).

Records are small synthetic pages built from the model and the text of the bodies (text
only: a body's HTML differs between a page re-rendered and one kept from the last build, its
text does not), with filters and metadata as attributes. Pagefind is fed a
whole folder per call: its Python service answers at most ten requests a second, which
would make one request per page take twenty minutes on a 12,000-page section.

Pagefind 1.5 scores a query in time proportional to (pages matched) x (page-word entries
matched), and Vietnamese syllables are short and common (`thu` is a prefix of thủ, thực, thuế,
thường…), so on a 12,000-page section a query of common words takes seconds: a known limit
(Pagefind PR #1334). Splitting the index into merged bundles was tried and measured: it divides
that time but multiplies the bytes fetched (each bundle has its own chunks), so it was dropped.

The build is skipped when the records are byte-for-byte those of the last index and the
bundle is still there. A new bundle is written aside and swapped in, so a failed or missing
Pagefind leaves the previous search working; either case is a warning, and the rest of the
section is built as usual.
"""
from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from .legal import SymbolError, parse_symbol
from .problems import Problems
from .site import Site
from .vietnamese import fold, short_date

BUNDLE = "pagefind"
MARKER = "\u2042"          # ⁂: where a record's searchable-only words start (search.js cuts there)
FORMAT = "4"               # bump when records change shape, so every site re-indexes once
# Kinds a reader filters by (the `loai` filter); the labels are what the page shows.
KIND_ARTICLE, KIND_DOCUMENT, KIND_PAGE = "Tin tức", "Văn bản", "Trang giới thiệu"
# Pagefind writes its own ready-made interfaces too; search.js uses only the core API.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
INSTALL_HINT = 'install it with: pip install "pagefind[bin]"; or set search: false in site.yaml'

_TAGS = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|td|th|blockquote|pre|dd|dt|figcaption)>|<br\s*/?>", re.I)
_SYMBOL_CHARS = re.compile(r"[^0-9a-z]")


@dataclass
class SearchStats:
    records: int
    seconds: float
    skipped: bool          # the previous index was still right
    bytes: int = 0         # size of output/pagefind/


def update_index(site: Site, jobs: list, out_dir: Path, cache_dir: Path, problems: Problems) -> SearchStats | None:
    """Write output/pagefind/ for the built section, unless the last one is still right.

    `jobs` are the pages' jobs (plan_jobs): only the text of their bodies is used.
    """
    started = time.perf_counter()
    bodies = {j.source: j.context.get("body", "") for j in jobs if j.source}
    pages = records(site, bodies)
    digest = _digest(pages)
    state = cache_dir / f"{_out_key(out_dir)}-search.json"
    target = out_dir / BUNDLE
    if (target / "pagefind-entry.json").is_file() and _read_state(state) == digest:
        return SearchStats(len(pages), time.perf_counter() - started, True, _size(target))
    try:
        from pagefind.service import get_executable
        binary = get_executable()
    except ImportError:
        binary = None
    if binary is None or not Path(binary).is_file():
        problems.warning("site.yaml", None, "search: the Pagefind program is not installed, so tim-kiem/ "
                         "has no index (the rest of the section is built)", INSTALL_HINT)
        return None
    work = cache_dir / "search"
    shutil.rmtree(work, ignore_errors=True)
    try:
        _write_records(work / "pages", pages)
        _run_pagefind(Path(binary), work / "pages", work / BUNDLE)
        _swap(work / BUNDLE, target, work / "old")
    except Exception as exc:  # Pagefind is a separate program: any failure of it is reported, not raised
        problems.warning("site.yaml", None, f"search: Pagefind failed, tim-kiem/ keeps the previous index ({exc})",
                         INSTALL_HINT)
        return None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    state.parent.mkdir(parents=True, exist_ok=True)
    state.write_text(json.dumps({"digest": digest}), encoding="utf-8")
    return SearchStats(len(pages), time.perf_counter() - started, False, _size(target))


# --- records -----------------------------------------------------------------------------

def records(site: Site, bodies: dict[str, str]) -> dict[str, str]:
    """One small HTML page per article, document and fixed page, keyed by its output path.

    Pagefind turns the path into the result URL (`tin-tuc/x/index.html` -> `/tin-tuc/x/`).
    """
    out: dict[str, str] = {}
    categories = {c.key: c.name for c in site.settings.categories}
    for a in site.articles:
        body = bodies.get(a.source, "")
        lead = a.summary if a.summary and " ".join(a.summary.split()) not in " ".join(_text(body).split()) else ""
        out[site.url_of[a.source] + "index.html"] = _page(
            a.title, lead, body, filters={"loai": KIND_ARTICLE, "chuyen_muc": categories.get(a.category, ""),
                                          "nam": str(a.date.year)},
            meta={"ngay": short_date(a.date), "chuyen_muc": categories.get(a.category, "")})
    for d in site.documents:
        facts = site.legal.facts.get(d.source)
        status = facts.status_label if facts is not None else ""
        intro = f"{d.title}. {d.issuer}" + (f". Người ký: {d.signer}" if d.signer else "")
        out[site.url_of[d.source] + "index.html"] = _page(
            f"{d.type} {d.symbol}", intro, bodies.get(d.source, ""), numbers=[d.symbol],
            filters={"loai": KIND_DOCUMENT, "loai_van_ban": d.type, "nam": str(d.issued.year)},
            meta={"ngay": short_date(d.issued), "loai_van_ban": d.type, "so_ky_hieu": d.symbol,
                  "co_quan": d.issuer, "tinh_trang": status})
    for p in site.pages:
        out[site.url_of[p.source] + "index.html"] = _page(p.title, "", bodies.get(p.source, ""),
                                                          filters={"loai": KIND_PAGE}, meta={})
    return out


def _page(title: str, lead: str, body: str, filters: dict[str, str], meta: dict[str, str],
          numbers: list[str] = ()) -> str:
    e = html.escape
    paragraphs = [line.strip() for line in _text(body).split("\n") if line.strip()]
    text = " ".join([title, lead, *paragraphs])
    folded = " ".join(fold(w).lower() for w in text.split() if "đ" in w or "Đ" in w)
    compact = " ".join(n for n in (search_number(x) for x in numbers) if n)
    hidden = "".join(f'<span data-pagefind-filter="{k}">{e(v)}</span>' for k, v in filters.items() if v)
    hidden += "".join(f'<span data-pagefind-meta="{k}">{e(v)}</span>' for k, v in meta.items() if v)
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{e(title)}</title></head><body>\n'
            f"<h1>{e(title)}</h1>\n" + (f"<p>{e(lead)}</p>\n" if lead else "") +
            "".join(f"<p>{e(line)}</p>\n" for line in paragraphs) +
            f'\n<p>{MARKER} <span data-pagefind-weight="10">{e(compact)}</span> '
            f'<span data-pagefind-weight="0.5">{e(folded)}</span></p>\n'
            f"<div data-pagefind-ignore>{hidden}</div>\n</body></html>\n")


def search_number(symbol: str) -> str:
    """The one token a document number is searched by: `61/2018/NĐ-CP` -> `612018ndcp`.

    search.js makes the same token from what a reader types, so it must stay in step with
    `numberToken` there: fold, lower case, keep letters and digits (leading zeros dropped,
    as legal.py's key does).
    """
    try:
        key = parse_symbol(symbol).key
    except SymbolError:
        key = fold(symbol)
    return _SYMBOL_CHARS.sub("", key.lower())


def _text(body: str) -> str:
    """Plain text of a body, one line per block (paragraph, heading, list item, table cell)."""
    return html.unescape(_TAGS.sub(" ", _BLOCK_END.sub("\n", body)))


# --- running Pagefind --------------------------------------------------------------------

def _write_records(folder: Path, pages: dict[str, str]) -> None:
    for rel, text in pages.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)


def _run_pagefind(binary: Path, pages: Path, bundle: Path) -> None:
    """The command line, not the Python service: the service answers a write before the files
    are on disk, and closing it then can leave an empty wasm file."""
    run = subprocess.run([str(binary), "--site", str(pages.resolve()), "--output-path", str(bundle.resolve()),
                          "--force-language", "vi", "--silent"],
                         capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=3600)
    if run.returncode != 0:
        lines = (run.stderr or run.stdout).strip().splitlines()
        raise RuntimeError(lines[-1] if lines else f"pagefind exited with {run.returncode}")
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)


def _swap(new: Path, target: Path, old: Path) -> None:
    """Replace target with new as nearly atomically as folders allow (two renames)."""
    if target.exists():
        shutil.move(str(target), str(old))
    shutil.move(str(new), str(target))
    shutil.rmtree(old, ignore_errors=True)


def _digest(pages: dict[str, str]) -> str:
    h = hashlib.sha256(f"{FORMAT}|{_pagefind_version()}\0".encode())
    for rel in sorted(pages):
        h.update(rel.encode("utf-8") + b"\0" + pages[rel].encode("utf-8") + b"\0")
    return h.hexdigest()


def _pagefind_version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("pagefind_bin")
    except PackageNotFoundError:
        return "?"


def _out_key(out_dir: Path) -> str:
    return hashlib.sha256(str(out_dir.resolve()).encode("utf-8")).hexdigest()[:12]


def _read_state(path: Path) -> str:
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("digest", "")
    except (OSError, ValueError, AttributeError):
        return ""


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
