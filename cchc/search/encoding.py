"""The bytes of the index files, as search.js reads them: shard entries, result chunks, facets, entry.

Pure functions, no state: index.py decides what changed and calls these for the parts that did.
Every layout here has a reader in layouts/assets/search.js (`readShard`, `shardOf`, the chunk and
facet readers); change both together and bump FORMAT, so that every site re-indexes once.
"""
from __future__ import annotations

import hashlib
import json

from cchc.model import routes
from cchc.search.records import KIND_LABELS, SearchRecord

BUNDLE = routes.SEARCH_ENTRY          # the entry: names every other file; written last
DATA = routes.SEARCH_DATA             # the data files, named by a hash of their bytes
FORMAT = "cchc-search-2"              # bump when the files change shape, so every site re-indexes once
SHARD_BYTES = 20_000                  # target shard size; the shard count is a power of two
CHUNK = 8                             # records per result chunk
EXCERPT_CHARS = 360                   # text kept per record for the excerpt
MASK_BITS = 7                         # spellings per syllable with their own mask bit (one byte)...
OTHER_D = 0x80                        # ...and one bit for "another spelling with đ" (đ is a letter)


def is_index_file(rel: str) -> bool:
    """True for the output paths the search index writes (the entry and its data files)."""
    return rel == BUNDLE or rel.startswith(DATA + "/")


def named(prefix: str, data: bytes, ext: str = "json") -> tuple[str, bytes]:
    """A file's name is a hash of its bytes: an unchanged file keeps its name, so it is neither
    rewritten nor republished, and a reader holding the previous entry still finds its files."""
    return f"{prefix}-{hashlib.sha256(data).hexdigest()[:10]}.{ext}", data


def token_entry(token: str, spellings: list[str], ids, scores, masks, records: int) -> bytes:
    """One token's bytes in its shard (what search.js `readShard` decodes):

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
                varint(block, g)
        flag = 0
    head = bytearray()
    raw = token.encode("utf-8")
    varint(head, len(raw))
    head += raw
    varint(head, len(spellings))
    for s in spellings:
        raw = s.encode("utf-8")
        varint(head, len(raw))
        head += raw
    varint(head, len(ids))
    varint(head, len(block) * 2 + flag)
    return bytes(head + block + bytes(scores) + bytes(masks))


def varint(buf: bytearray, n: int) -> None:
    """Seven bits a byte, low first; the high bit says another byte follows."""
    while n >= 0x80:
        buf.append((n & 0x7F) | 0x80)
        n >>= 7
    buf.append(n)


def fnv(token: str) -> int:
    """FNV-1a (32 bit) of the token's UTF-8 bytes: its shard is this modulo the shard count,
    as search.js `shardOf` computes it."""
    h = 0x811C9DC5
    for byte in token.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def chunk(recs: list[SearchRecord]) -> bytes:
    """A result chunk: per record what a result shows (title, URL, kind, meta, excerpt source)."""
    rows = [[r.title, r.url, r.kind, r.meta, excerpt_source(r)] for r in recs]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def excerpt_source(r: SearchRecord) -> str:
    """The lead and the start of the text, cut at a word: what a result's excerpt is chosen from.

    Spaces collapsed in the start of the text are a prefix of those collapsed in the whole, so
    the start does when it is long enough (a body is thousands of characters).
    """
    start = r.text[:4 * EXCERPT_CHARS]
    text = " ".join(" ".join((r.lead, start)).split())
    if len(text) <= EXCERPT_CHARS:
        if len(start) == len(r.text):
            return text
        text = " ".join(" ".join((r.lead, r.text)).split())
        if len(text) <= EXCERPT_CHARS:
            return text
    cut = text.rfind(" ", 0, EXCERPT_CHARS)
    return text[:cut if cut > 0 else EXCERPT_CHARS]


def entry(recs: list[SearchRecord], shards: list[str], own: dict[str, str],
          chunks: list[str]) -> tuple[tuple[str, bytes], bytes]:
    """The facets file (four bytes a record: kind, category, document type, year; 0 for none,
    so filters apply before ranking) and the entry naming every file, with the filters' labels
    and counts. -> ((facets name, facets bytes), entry bytes)."""
    labels = {
        "loai": KIND_LABELS,
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
    name, data = named("f", bytes(facets), "bin")
    doc = {"format": FORMAT, "records": len(recs), "chunk": CHUNK, "facets": name, "shards": shards,
           "own": own, "chunks": chunks, "labels": labels, "counts": {k: tally[k] for k in labels}}
    return (name, data), json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
