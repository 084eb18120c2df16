"""The search index behind tim-kiem/: whole-syllable, diacritic-folded, sharded so a query fetches little.

Pagefind was measured on a 10,000-article + 2,000-document section and missed the targets
(a 32 MB index, 140-212 s to build, 0.6-3 MB and seconds per query of common syllables): it
treats every word as a prefix, and Vietnamese words are short syllables separated by spaces, so
`thu` drags in thủ, thực, thuế, thường... Matching whole syllables is natural here and cheap.

What the build writes (all links relative, so the section works under any sub-path):

- `tim-kiem/du-lieu/c-<hash>.bin`: the inverted index, split into shards of ~20 KB by a hash
  of the folded syllable (tone marks off, đ -> d, lower case); a common syllable gets a file of
  its own. Per syllable: its most frequent exact spellings (`đà`, `da`, `dạ`...), then per record:
  the id (gaps, or a bit set when denser), a one-byte score (field weight, capped term
  frequency) and a one-byte mask of the spellings the record contains. A folded query finds
  every spelling; a query with diacritics ranks exact spellings first, and one typed with đ
  keeps only đ words (đ is a letter). Neighbouring title words are indexed as pairs
  (`dieu chinh`), so a phrase in a title ranks first without storing positions.
  A document number is one more token, compact and folded (`61/2018/NĐ-CP` -> `612018ndcp`),
  so a number however typed finds its document first (search.js makes the same token).
- `tim-kiem/du-lieu/f-<hash>.bin`: four bytes per record (kind, category, document type,
  year), loaded with the page, so filters apply before ranking.
- `tim-kiem/du-lieu/r-<hash>.json`: what a result shows (title, URL, kind, date or issuer,
  excerpt source in original diacritics), in chunks of CHUNK records, fetched only for the
  results shown.
- `tim-kiem/muc-luc.json`: the entry: filter labels and counts, and the names of the files
  above. It is written last and sorts after `tim-kiem/du-lieu/` in publish order.

File names are content hashes, so an unchanged shard keeps its name and is neither rewritten
nor republished, and a reader holding the previous entry still fetches a consistent index.
Record ids follow publication date, oldest first, so a new article changes the last chunk and
the shards of its own words only. Nothing is written when the records are those of the last
index. The files are not in the output record (they are written after the pages, so a save
in `serve` shows its page before the index is rebuilt); this module removes its own stale ones.
"""
from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .output import atomic_write
from .problems import Problems
from .site import Site
from .vietnamese import fold, short_date

BUNDLE = "tim-kiem/muc-luc.json"      # the entry; the builder re-indexes when it is missing
DATA = "tim-kiem/du-lieu"
FORMAT = "cchc-search-1"              # bump when the files change shape, so every site re-indexes once
SHARD_BYTES = 20_000                  # target shard size; the shard count is a power of two
CHUNK = 8                             # records per metadata chunk
EXCERPT_CHARS = 360                   # text kept per record for the excerpt
MASK_BITS = 7                         # spellings per syllable with their own mask bit (one byte)...
OTHER_D = 0x80                        # ...and one bit for "another spelling with đ" (đ is a letter)
# Kinds a reader filters by (the `loai` filter); the labels are what the page shows.
KIND_ARTICLE, KIND_DOCUMENT, KIND_PAGE = "Tin tức", "Văn bản", "Trang giới thiệu"
KINDS = (KIND_ARTICLE, KIND_DOCUMENT, KIND_PAGE)
# Field weights and term-frequency caps: a title word outweighs a summary word, which
# outweighs a body word; a word repeated twenty times is not twenty times as relevant.
TITLE, LEAD, BODY = (12, 2), (4, 2), (1, 6)
TITLE_PAIR = 24                       # two query words side by side in a title
NUMBER_OWN = 100                      # a document's own number
NUMBER_CITED = {"title": 6, "lead": 3, "body": 1}    # numbers met in text (articles citing it)

# Letters and digits, as search.js splits them (Latin, Latin-1/Extended, Vietnamese block).
_WORD = re.compile(r"[0-9a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0300-\u036f\u1e00-\u1eff]+")
_NUMBER = re.compile(r"\d+(?:[/\-–][0-9A-Za-zĐđ]+)+")
_NOT_ALNUM = re.compile(r"[^0-9a-z]")
_TAGS = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|td|th|blockquote|pre|dd|dt|figcaption)>|<br\s*/?>", re.I)


@dataclass
class SearchStats:
    records: int
    seconds: float
    skipped: bool          # the previous index was still right
    bytes: int = 0         # size of the index files


@dataclass
class Record:
    """One searchable item: what is indexed, what the result shows, what filters see."""
    url: str
    title: str
    lead: str
    text: str
    kind: int
    meta: str                 # the result's second line: date and category, or issuer, date, status
    order: tuple              # publication order (oldest first): ids stay stable as content grows
    category: str = ""
    doc_type: str = ""
    year: str = ""
    number: str = ""          # a document's own number, compact


def update_index(site: Site, jobs: list, out_dir: Path, cache_dir: Path, problems: Problems) -> SearchStats | None:
    """Write the index under output/tim-kiem/, unless the last one is still right.

    `jobs` are the pages' jobs (plan_jobs): only the text of their bodies is used (a body's
    HTML differs between a page re-rendered and one kept from the last build; its text does not).
    """
    started = time.perf_counter()
    bodies = {j.source: j.context.get("body", "") for j in jobs if j.source}
    recs = records(site, bodies)
    digest = hashlib.sha256(json.dumps([FORMAT, [vars(r) for r in recs]], ensure_ascii=False,
                                       default=list).encode("utf-8")).hexdigest()
    state = cache_dir / f"{_out_key(out_dir)}-search.json"
    entry = out_dir / BUNDLE
    if entry.is_file() and _read_state(state) == digest:
        return SearchStats(len(recs), time.perf_counter() - started, True, _size(out_dir / DATA))
    try:
        files, entry_bytes = index_files(recs)
        _write(out_dir, files, entry_bytes)
    except OSError as exc:   # a full disk or a locked file: the pages are written, search keeps its last index
        problems.warning("site.yaml", None, f"search: the index could not be written ({exc}); "
                         "tim-kiem/ keeps the previous one", "free disk space or close the program holding the file")
        return None
    state.parent.mkdir(parents=True, exist_ok=True)
    state.write_text(json.dumps({"digest": digest}), encoding="utf-8")
    return SearchStats(len(recs), time.perf_counter() - started, False, _size(out_dir / DATA))


# --- records -----------------------------------------------------------------------------

def records(site: Site, bodies: dict[str, str]) -> list[Record]:
    """Every article, document and fixed page, in publication order (their ids in the index)."""
    out: list[Record] = []
    categories = {c.key: c.name for c in site.settings.categories}
    for p in site.pages:
        text = _text(bodies.get(p.source, ""))
        out.append(Record(site.url_of[p.source], p.title, p.summary, text, 2, "", (0, "", site.url_of[p.source])))
    for a in site.articles:
        text = _text(bodies.get(a.source, ""))
        lead = a.summary if a.summary and " ".join(a.summary.split()) not in " ".join(text.split()) else ""
        name = categories.get(a.category, "")
        out.append(Record(site.url_of[a.source], a.title, lead, text, 0,
                          " · ".join(x for x in (short_date(a.date), name) if x),
                          (1, a.date.isoformat(), site.url_of[a.source]), category=name, year=str(a.date.year)))
    for d in site.documents:
        facts = site.legal.facts.get(d.source)
        status = facts.status_label if facts is not None else ""
        lead = f"{d.symbol} {d.title}. {d.issuer}" + (f". Người ký: {d.signer}" if d.signer else "")
        out.append(Record(site.url_of[d.source], f"{d.type} {d.symbol}", lead, _text(bodies.get(d.source, "")), 1,
                          " · ".join(x for x in (d.issuer, f"ban hành {short_date(d.issued)}", status) if x),
                          (1, d.issued.isoformat(), site.url_of[d.source]), doc_type=d.type,
                          year=str(d.issued.year), number=compact_number(d.symbol)))
    out.sort(key=lambda r: r.order)
    return out


def compact_number(text: str) -> str:
    """The one token a document number is searched by: `61/2018/NĐ-CP` -> `612018ndcp`.

    search.js `compact` must stay in step: fold, lower case, letters and digits only, leading
    zeros of the number dropped (as legal.py's key drops them).
    """
    return re.sub(r"^0+(?=\d)", "", _NOT_ALNUM.sub("", fold(text).lower()))


def _text(body: str) -> str:
    """Plain text of a body, one line per block (paragraph, heading, list item, table cell)."""
    return html.unescape(_TAGS.sub(" ", _BLOCK_END.sub("\n", body)))


# --- the index files ---------------------------------------------------------------------

def index_files(recs: list[Record]) -> tuple[dict[str, bytes], bytes]:
    """The data files (path under output/ -> bytes) and the entry that names them. No I/O.

    Two passes over word counts (made in C by Counter): the first finds every spelling's
    frequency, so each syllable's most frequent spellings get the mask bits; the second makes
    the postings. Per (record, word) the work is a few dictionary operations: 12,000 records
    index in seconds.
    """
    counts = []
    frequency: Counter = Counter()
    for r in recs:
        fields = [Counter(_WORD.findall(t.lower())) if t else {} for t in (r.title, r.lead, r.text)]
        for c in fields:
            frequency.update(c.keys())
        counts.append(fields)
    by_fold: dict[str, list] = {}
    for word, n in frequency.items():
        by_fold.setdefault(fold(word), []).append((-n, word))
    vocab: dict[str, tuple[str, int]] = {}      # spelling -> (folded, its mask bit)
    spellings: dict[str, list[str]] = {}
    for f, words in by_fold.items():
        words.sort()
        spellings[f] = [w for _, w in words[:MASK_BITS]]
        for i, (_, w) in enumerate(words):
            vocab[w] = (f, 1 << i if i < MASK_BITS else (OTHER_D if "đ" in w else 0))

    postings: dict[str, list[tuple[int, int, int]]] = {}     # folded -> [(record id, score, mask)]
    weights = (TITLE, LEAD, BODY)
    for rid, (r, fields) in enumerate(zip(recs, counts)):
        score: dict[str, int] = {}
        mask: dict[str, int] = {}
        for (weight, cap), c in zip(weights, fields):
            for word, tf in c.items():
                f, bit = vocab[word]
                s = weight * (tf if tf < cap else cap)
                if f in score:
                    score[f] += s
                    mask[f] |= bit
                else:
                    score[f] = s
                    mask[f] = bit
        for field, text in (("title", r.title), ("lead", r.lead), ("body", r.text)):
            for number in _NUMBER.findall(text) if "/" in text or "-" in text else ():
                token = compact_number(number)
                if not token.isdigit():   # not a date (29/10/2018) or a range (2018-2020)
                    score[token] = score.get(token, 0) + NUMBER_CITED[field]
                    mask.setdefault(token, 0)
        title = [vocab[w][0] for w in _WORD.findall(r.title.lower())]
        for pair in {f"{a} {b}" for a, b in zip(title, title[1:])}:
            score[pair] = TITLE_PAIR       # word pairs of the title: `dieu chinh` ranks "Điều chỉnh..."
            mask[pair] = 0                 # above a title with điều and chính apart
        if r.number:
            score[r.number] = score.get(r.number, 0) + NUMBER_OWN
            mask.setdefault(r.number, 0)
        for f, s in score.items():
            if f in postings:
                postings[f].append((rid, s if s < 255 else 255, mask[f]))
            else:
                postings[f] = [(rid, s if s < 255 else 255, mask[f])]

    entries = {t: _entry(t, spellings.get(t, []), *zip(*p), len(recs)) for t, p in postings.items()}
    # A common syllable (`thu`, `hanh`: in most records) gets a file of its own, so a query of
    # common syllables fetches just them, not the rare ones that hash beside them.
    own = sorted(t for t, b in entries.items() if len(b) > SHARD_BYTES // 2)
    total = sum(len(b) for t, b in entries.items()) - sum(len(entries[t]) for t in own)
    count = 1
    while total / count > SHARD_BYTES:
        count *= 2
    shards: list[list[str]] = [[] for _ in range(count)]
    for token in set(entries) - set(own):
        shards[shard_of(token, count)].append(token)

    files: dict[str, bytes] = {}

    def add(prefix: str, data: bytes, ext: str) -> str:
        name = f"{prefix}-{hashlib.sha256(data).hexdigest()[:10]}.{ext}"
        files[f"{DATA}/{name}"] = data
        return name

    shard_names = [add("c", b"".join(entries[t] for t in sorted(tokens)), "bin") for tokens in shards]
    own_names = {t: add("c", entries[t], "bin") for t in own}
    chunk_names = [add("r", _chunk(recs[i:i + CHUNK]), "json") for i in range(0, len(recs), CHUNK)]
    labels = {
        "loai": list(KINDS),
        "chuyen_muc": sorted({r.category for r in recs if r.category}),
        "loai_van_ban": sorted({r.doc_type for r in recs if r.doc_type}),
        "nam": sorted({r.year for r in recs if r.year}, reverse=True),
    }
    index = {k: {v: i for i, v in enumerate(vs)} for k, vs in labels.items()}
    facets = bytearray()
    tally = {k: [0] * len(vs) for k, vs in labels.items()}
    for r in recs:
        row = (r.kind, index["chuyen_muc"].get(r.category, -1), index["loai_van_ban"].get(r.doc_type, -1),
               index["nam"].get(r.year, -1))
        for key, i in zip(labels, row):
            if i >= 0:
                tally[key][i] += 1
        facets += bytes(min(i + 1, 255) for i in row)     # 0: none (a 255th value and above share 255)
    entry = {"format": FORMAT, "records": len(recs), "chunk": CHUNK, "facets": add("f", bytes(facets), "bin"),
             "shards": shard_names, "own": own_names, "chunks": chunk_names, "labels": labels,
             "counts": {k: tally[k] for k in labels}}
    return files, json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _entry(token: str, spellings: list[str], ids: list[int], scores: list[int], masks: list[int],
           records: int) -> bytes:
    """One syllable's bytes in its shard (what search.js `readShard` decodes):

        varint length + UTF-8 token; varint count + (varint length + UTF-8) spellings;
        varint postings n; varint length of the id block; id block; n score bytes; n mask bytes

    The id block is either a bit set over all records (flag 1, when that is smaller: the
    common syllables) or varint id gaps (flag 0). A mask has a bit per listed spelling the
    record contains and OTHER_D for any other spelling with đ.
    """
    gaps = [ids[0] + 1] + [b - a for a, b in zip(ids, ids[1:])]
    if (records + 7) // 8 < len(gaps):
        block = bytearray((records + 7) // 8)
        for i in ids:
            block[i >> 3] |= 1 << (i & 7)
        flag = 1
    else:
        block = bytearray(gaps) if max(gaps) < 0x80 else bytearray()
        if not block:
            for g in gaps:
                _varint(block, g)
        flag = 0
    head = bytearray()
    raw = token.encode("utf-8")
    _varint(head, len(raw))
    head += raw
    _varint(head, len(spellings))
    for s in spellings:
        raw = s.encode("utf-8")
        _varint(head, len(raw))
        head += raw
    _varint(head, len(ids))
    _varint(head, len(block) * 2 + flag)
    return bytes(head + block + bytes(scores) + bytes(masks))


def _varint(buf: bytearray, n: int) -> None:
    while n >= 0x80:
        buf.append((n & 0x7F) | 0x80)
        n >>= 7
    buf.append(n)


def shard_of(token: str, count: int) -> int:
    """FNV-1a (32 bit) of the token's UTF-8 bytes, modulo the shard count: search.js `shardOf`."""
    h = 0x811C9DC5
    for byte in token.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h % count


def _chunk(recs: list[Record]) -> bytes:
    rows = [[r.title, r.url, r.kind, r.meta, _excerpt_source(r)] for r in recs]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _excerpt_source(r: Record) -> str:
    """The lead and the start of the text, cut at a word: what a result's excerpt is chosen from."""
    text = " ".join(" ".join((r.lead, r.text)).split())
    if len(text) <= EXCERPT_CHARS:
        return text
    cut = text.rfind(" ", 0, EXCERPT_CHARS)
    return text[:cut if cut > 0 else EXCERPT_CHARS]


# --- writing -----------------------------------------------------------------------------

def _write(out_dir: Path, files: dict[str, bytes], entry: bytes) -> None:
    """Data files first (a name already there holds those bytes: names are hashes), the entry
    last, then the previous index's files; a reader mid-query never sees a mix."""
    for rel, data in files.items():
        target = out_dir / rel
        try:
            if target.stat().st_size == len(data):
                continue
        except OSError:
            pass
        atomic_write(target, data)
    target = out_dir / BUNDLE
    try:
        same = target.read_bytes() == entry
    except OSError:
        same = False
    if not same:
        atomic_write(target, entry)
    folder = out_dir / DATA
    for path in folder.iterdir():
        if path.is_file() and f"{DATA}/{path.name}" not in files:
            path.unlink()
    old = out_dir / "pagefind"     # the bundle earlier versions wrote with Pagefind
    if (old / "pagefind-entry.json").is_file():
        shutil.rmtree(old, ignore_errors=True)


def _out_key(out_dir: Path) -> str:
    return hashlib.sha256(str(out_dir.resolve()).encode("utf-8")).hexdigest()[:12]


def _read_state(path: Path) -> str:
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("digest", "")
    except (OSError, ValueError, AttributeError):
        return ""


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0
