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

The index is updated, not rebuilt: a SearchIndex keeps the last one (records, postings, encoded
entries and files) and reads again only the records that changed, so a save in `serve` costs
about 0.3 s instead of 7 s on 10,000 articles + 2,000 documents. The last index is also saved
under .cache/, so a new process (`python build.py` after an edit) starts from it. Either way
the files are byte for byte those of a full index of the same records.
"""
from __future__ import annotations

import gc
import hashlib
import html
import json
import pickle
import re
import shutil
import sys
import time
from array import array
from bisect import bisect_left
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cchc.core.files import atomic_write
from cchc.core.problems import Problems
from cchc.model import routes
from cchc.model.site import Site
from cchc.core import vietnamese
from cchc.core.fingerprint import source_digest
from cchc.core.vietnamese import fold, short_date

BUNDLE = routes.SEARCH_ENTRY          # the entry; the builder re-indexes when it is missing
INDEX_CACHE = "search-index.pickle"   # under .cache/: the last index, for the next process
DATA = routes.SEARCH_DATA
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
    incremental: bool = False   # the last index was updated (only the changed records read), not made anew


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
    """Write the index under output/tim-kiem/, unless the last one is still right: for callers
    that keep nothing between builds (a `build` process). `serve` keeps a SearchIndex instead."""
    return SearchIndex().update(site, jobs, out_dir, cache_dir, problems)


class SearchIndex:
    """The index of the last update, kept in memory so that a save in `serve` re-indexes only
    the records it changed. Measured on 10,000 articles + 2,000 documents (2 cores): a full
    index 7-8 s of CPU, a body or title edited or a new article 0.3 s (most of it making the
    records and comparing them), an old article deleted or an old document added 1.6 s (every
    later id moves). It holds about 165 MB there, two thirds of it the records' text.

    The files an update writes are byte for byte those a full index of the same records writes
    (tests/test_search_incremental.py); only how they are computed differs. See `_Index.change`
    for what is updated in place and when the whole index is made again instead. Keep one per
    Builder: `update` has update_index's contract.
    """

    def __init__(self) -> None:
        self._texts: dict[str, tuple] = {}      # source -> (body, summary, text, lead): bodies not re-scanned
        self._digests: dict[str, tuple[Record, bytes]] = {}    # url -> (record, digest of the record)
        self._index: _Index | None = None

    def update(self, site: Site, jobs: list, out_dir: Path, cache_dir: Path, problems: Problems) -> SearchStats | None:
        """Write the index under output/tim-kiem/, unless the last one is still right.

        `jobs` are the pages' jobs (plan_jobs): only the text of their bodies is used (a body's
        HTML differs between a page re-rendered and one kept from the last build; its text does not).
        On OSError a warning: the pages are written, search keeps its last index.
        """
        with _gc_paused():
            return self._update(site, jobs, out_dir, cache_dir, problems)

    def _update(self, site: Site, jobs: list, out_dir: Path, cache_dir: Path, problems: Problems) -> SearchStats | None:
        started = time.perf_counter()
        bodies = {j.source: j.context.get("body", "") for j in jobs if j.source}
        recs = records(site, bodies, self._texts)
        digest = self._digest(recs)
        state = cache_dir / f"{_out_key(out_dir)}-search.json"
        if (out_dir / BUNDLE).is_file() and _read_state(state) == digest:
            return SearchStats(len(recs), time.perf_counter() - started, True, _size(out_dir / DATA))
        index, self._index = self._index, None     # a bug half way through must not leave a wrong index behind
        first = index is None
        if first:
            index = _load(cache_dir)
        incremental = index is not None and index.change(recs)
        if not incremental:
            index = _Index(recs)
        self._index = index
        files, entry = index.files()
        try:
            _write(out_dir, files, entry)
        except OSError as exc:   # a full disk or a locked file: the pages are written, search keeps its last index
            problems.warning("site.yaml", None, f"search: the index could not be written ({exc}); "
                             "tim-kiem/ keeps the previous one", "free disk space or close the program holding the file")
            return None
        state.parent.mkdir(parents=True, exist_ok=True)
        state.write_text(json.dumps({"digest": digest}), encoding="utf-8")
        if first:       # a `build` process, or the first save in `serve`: later ones stay in memory
            _save(cache_dir, index)
        return SearchStats(len(recs), time.perf_counter() - started, False, sum(map(len, files.values())), incremental)

    def _digest(self, recs: list[Record]) -> str:
        """What the index is made of, so a later build (another process too) can skip it; per
        record, so a record unchanged since the last update is not serialised again."""
        known, self._digests = self._digests, {}
        h = hashlib.sha256(FORMAT.encode("utf-8"))
        for r in recs:
            k = known.get(r.url)
            if k is None or k[0] != r:
                k = (r, hashlib.sha256(json.dumps(vars(r), ensure_ascii=False, default=list).encode("utf-8")).digest())
            self._digests[r.url] = k
            h.update(k[1])
        return h.hexdigest()


# --- records -----------------------------------------------------------------------------

def records(site: Site, bodies: dict[str, str], texts: dict[str, tuple] | None = None) -> list[Record]:
    """Every article, document and fixed page, in publication order (their ids in the index).

    `texts` keeps each body's text between calls (source -> (body, summary, text, lead)): taking
    the text out of 10,000 bodies is most of the cost of the records.
    """
    texts = {} if texts is None else texts

    def text_of(source: str, summary: str | None) -> tuple[str, str]:
        body = bodies.get(source, "")
        known = texts.get(source)
        if known is not None and (known[0] is body or known[0] == body) and known[1] == summary:
            return known[2], known[3]
        text = _text(body)
        # An article's summary taken from its first paragraph is in the text already.
        lead = summary if summary and " ".join(summary.split()) not in " ".join(text.split()) else ""
        texts[source] = (body, summary, text, lead)
        return text, lead

    out: list[Record] = []
    categories = {c.key: c.name for c in site.settings.categories}
    for p in site.pages:
        text, _ = text_of(p.source, None)
        out.append(Record(site.url_of[p.source], p.title, p.summary, text, 2, "", (0, "", site.url_of[p.source])))
    for a in site.articles:
        text, lead = text_of(a.source, a.summary)
        name = categories.get(a.category, "")
        out.append(Record(site.url_of[a.source], a.title, lead, text, 0,
                          " · ".join(x for x in (short_date(a.date), name) if x),
                          (1, a.date.isoformat(), site.url_of[a.source]), category=name, year=str(a.date.year)))
    for d in site.documents:
        facts = site.legal.facts.get(d.source)
        status = facts.status_label if facts is not None else ""
        lead = f"{d.symbol} {d.title}. {d.issuer}" + (f". Người ký: {d.signer}" if d.signer else "")
        text, _ = text_of(d.source, None)
        out.append(Record(site.url_of[d.source], f"{d.type} {d.symbol}", lead, text, 1,
                          " · ".join(x for x in (d.issuer, f"ban hành {short_date(d.issued)}", status) if x),
                          (1, d.issued.isoformat(), site.url_of[d.source]), doc_type=d.type,
                          year=str(d.issued.year), number=compact_number(d.symbol)))
    out.sort(key=lambda r: r.order)
    if len(texts) > len(bodies):
        for source in texts.keys() - bodies.keys():     # deleted files
            del texts[source]
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


# --- the index -----------------------------------------------------------------------------

def index_files(recs: list[Record]) -> tuple[dict[str, bytes], bytes]:
    """The data files (path under output/ -> bytes) and the entry that names them. No I/O."""
    with _gc_paused():
        return _Index(recs).files()


class _Index:
    """Everything an index is computed from, kept so that a few changed records update it in place.

    Per token (folded syllable, title word pair, compact number): its postings in record order,
    as arrays (ids, one score byte, one mask byte) and its encoded entry; per spelling: how many
    record fields hold it and which records do (to re-make a syllable's masks when its most
    frequent spellings change); the shards, own files and metadata chunks with their names.

    A mask bit's meaning is global (a syllable's MASK_BITS most frequent spellings), everything
    else in a posting is the record's own, which is what makes an update local: a changed record
    takes its old postings out and puts its new ones in, and a syllable whose spelling table
    changed gets its masks re-made from the spellings' record lists.
    """

    def __init__(self, recs: list[Record]):
        """A full index: first every spelling's frequency (which decides the mask bits), then the postings."""
        self.recs = list(recs)
        self.fold_of: dict[str, str] = {}           # spelling -> folded (fold() is slow)
        fields = [self._fields(r) for r in self.recs]
        self.freq: Counter = Counter()              # spelling -> number of record fields holding it
        for c in fields:
            for field in c:
                self.freq.update(field.keys())
        self.forms: dict[str, set[str]] = {}        # folded -> its spellings
        for w in self.freq:
            self.forms.setdefault(self.fold_of[w], set()).add(w)
        self.spellings = {f: _top(self.freq, ws) for f, ws in self.forms.items()}
        self.bits = {w: OTHER_D if "đ" in w else 0 for w in self.freq}
        for top in self.spellings.values():
            for i, w in enumerate(top):
                self.bits[w] = 1 << i
        # Postings packed one integer each (id, score byte, mask byte) until they are complete:
        # a tuple each would be millions of objects (hundreds of MB at 12,000 records).
        postings: dict[str, array] = {}
        self.holders: dict[str, array] = {}         # spelling -> ids of the records holding it
        holders = self.holders
        for rid, (r, c) in enumerate(zip(self.recs, fields)):
            score, mask = self._scores(r, c)
            packed = rid << 16
            for t, s in score.items():
                if t in postings:
                    postings[t].append(packed | s << 8 | mask[t])
                else:
                    postings[t] = array("q", [packed | s << 8 | mask[t]])
            for w in c[0].keys() | c[1].keys() | c[2].keys():
                if w in holders:
                    holders[w].append(rid)
                else:
                    holders[w] = array("i", [rid])
            fields[rid] = None
        self.post: dict[str, list] = {}             # token -> [ids, scores, masks]
        for t, p in postings.items():
            self.post[t] = [array("i", [x >> 16 for x in p]), bytearray([x >> 8 & 255 for x in p]),
                            bytearray([x & 255 for x in p])]
        n = len(self.recs)
        self.entries = {t: _entry(t, self.spellings.get(t, []), *p, n) for t, p in self.post.items()}
        self.hashes: dict[str, int] = {}            # token -> FNV-1a (its shard, whatever the count)
        self.own: dict[str, tuple[str, bytes]] = {}
        self.shards: list[tuple[str, bytes]] = []
        self.members: list[set[str]] = []
        self._place(None)
        self.chunks = [_named("r", _chunk(self.recs[i:i + CHUNK])) for i in range(0, n, CHUNK)]

    def change(self, recs: list[Record]) -> bool:
        """Update the index to `recs` in place; False (nothing changed) when a full index is cheaper.

        Both lists are in publication order (ids), so one merge pairs the records of both: a
        record edited is read again, its old postings taken out and its new ones put in; a record
        added or removed moves the ids of the later ones, whose postings are renumbered as they
        are, without reading those records again (a document added with an old issue date; an
        old article deleted). Past an eighth of the records to read again, the full index is the
        faster way. Everything else is local: spellings new or gone, a syllable's spelling table
        (its mask bits), a record count that changes the bit sets' size, a shard count that
        regroups the shards (from the kept entries), the facets and the entry (remade every
        time; they are small).
        """
        old, n0, n1 = self.recs, len(self.recs), len(recs)
        renumber = list(range(n0))       # old id -> new id, for the records in both lists
        gone, came = [], []              # old ids read again, new ids read again
        i = j = 0
        while i < n0 or j < n1:
            if j == n1 or (i < n0 and old[i].order < recs[j].order):
                gone.append(i)
                i += 1
            elif i == n0 or recs[j].order < old[i].order:
                came.append(j)
                j += 1
            else:
                if old[i] != recs[j]:
                    gone.append(i)
                    came.append(j)
                renumber[i] = j
                i += 1
                j += 1
        if (len(gone) + len(came)) * 8 > n1:
            return False
        moved = next((i for i in range(n0) if renumber[i] != i), n0)    # the first old id that moves
        gone = {i: self._fields(old[i]) for i in gone}
        came = {i: self._fields(recs[i]) for i in came}
        gone_scores = {i: self._scores(old[i], c)[0] for i, c in gone.items()}   # before its spellings go

        freq, holders = self.freq, self.holders
        words: set[str] = set()
        for i, c in gone.items():
            for field in c:
                freq.subtract(field.keys())
            held = c[0].keys() | c[1].keys() | c[2].keys()
            for w in held:
                h = holders[w]
                del h[bisect_left(h, i)]
            words |= held
        if moved < n0:
            for h in holders.values():
                _move(h, moved, renumber)
        for i, c in came.items():
            for field in c:
                freq.update(field.keys())
            held = c[0].keys() | c[1].keys() | c[2].keys()
            for w in held:
                h = holders.get(w)
                if h is None:
                    holders[w] = array("i", [i])
                else:
                    h.insert(bisect_left(h, i), i)
            words |= held
        folds = set()
        for w in words:
            f = self.fold_of[w]
            folds.add(f)
            if freq[w] <= 0:
                del freq[w], holders[w], self.bits[w]
                self.forms[f].discard(w)
            elif w not in self.bits:
                self.forms.setdefault(f, set()).add(w)
                self.bits[w] = OTHER_D if "đ" in w else 0
        touched: set[str] = set()
        remask = []
        for f in folds:
            ws = self.forms.get(f)
            top = _top(freq, ws) if ws else []
            before = self.spellings.get(f, [])
            if top == before:
                continue
            for w in before:
                if w in self.bits:
                    self.bits[w] = OTHER_D if "đ" in w else 0
            for i, w in enumerate(top):
                self.bits[w] = 1 << i
            if top:
                self.spellings[f] = top
            else:
                del self.spellings[f]
                self.forms.pop(f, None)
            remask.append(f)
            touched.add(f)              # its spellings are part of its entry

        post = self.post
        came_scores = {i: self._scores(recs[i], c) for i, c in came.items()}
        for i, before in gone_scores.items():
            after = came_scores[i][0] if i < moved and i in came_scores else {}    # edited, same id
            for t in before.keys() - after.keys():
                ids, scores, masks = post[t]
                k = bisect_left(ids, i)
                del ids[k], scores[k], masks[k]
                touched.add(t)
        if moved < n0:
            for t, p in post.items():
                if _move(p[0], moved, renumber):
                    touched.add(t)
        for i, (after, mask) in came_scores.items():
            for t, s in after.items():
                m = mask[t]
                p = post.get(t)
                if p is None:
                    post[t] = [array("i", [i]), bytearray([s]), bytearray([m])]
                    touched.add(t)
                    continue
                ids, scores, masks = p
                k = bisect_left(ids, i)
                if k < len(ids) and ids[k] == i:      # the same record id, edited
                    if scores[k] != s or masks[k] != m:
                        scores[k], masks[k] = s, m
                        touched.add(t)
                else:
                    ids.insert(k, i)
                    scores.insert(k, s)
                    masks.insert(k, m)
                    touched.add(t)
        for f in remask:
            p = post.get(f)
            if p is not None:
                held: dict[int, int] = {}
                for w in self.forms.get(f, ()):
                    b = self.bits[w]
                    if b:
                        for rid in holders[w]:
                            held[rid] = held.get(rid, 0) | b
                p[2] = bytearray(held.get(rid, 0) for rid in p[0])

        # An id block is a bit set of (records + 7) // 8 bytes when that is smaller than the gaps.
        size0, size1 = (n0 + 7) // 8, (n1 + 7) // 8
        if size0 != size1:
            touched |= {t for t, p in post.items() if len(p[0]) > min(size0, size1)}
        for t in touched:
            p = post.get(t)
            if p is None or not p[0]:
                post.pop(t, None)
                self.entries.pop(t, None)
            else:
                self.entries[t] = _entry(t, self.spellings.get(t, []), *p, n1)
        self._place(touched)
        del self.chunks[(n1 + CHUNK - 1) // CHUNK:]
        first = min([*gone, *came], default=n1)       # the first id whose record differs
        for k in range(first // CHUNK, (n1 + CHUNK - 1) // CHUNK):
            part = recs[k * CHUNK:(k + 1) * CHUNK]
            if k == len(self.chunks):
                self.chunks.append(_named("r", _chunk(part)))
            elif part != old[k * CHUNK:(k + 1) * CHUNK]:
                self.chunks[k] = _named("r", _chunk(part))
        self.recs = list(recs)
        if len(self.fold_of) > 2 * len(freq) + 1000:      # forget spellings edited away (long serve sessions)
            self.fold_of = {w: self.fold_of[w] for w in freq}
        return True

    def _fields(self, r: Record) -> list:
        """The record's spellings with their counts, per field (title, lead, text)."""
        fields = [Counter(_WORD.findall(t.lower())) if t else {} for t in (r.title, r.lead, r.text)]
        fold_of = self.fold_of
        for field in fields:
            for w in field:
                if w not in fold_of:
                    fold_of[w] = fold(w)
        return fields

    def _scores(self, r: Record, fields: list) -> tuple[dict[str, int], dict[str, int]]:
        """The record's postings: token -> score (field weight, capped term frequency) and
        token -> mask (the spellings it holds, by the current spelling tables)."""
        fold_of, bits = self.fold_of, self.bits
        score: dict[str, int] = {}
        mask: dict[str, int] = {}
        for (weight, cap), c in zip((TITLE, LEAD, BODY), fields):
            for word, tf in c.items():
                f = fold_of[word]
                s = weight * (tf if tf < cap else cap)
                if f in score:
                    score[f] += s
                    mask[f] |= bits[word]
                else:
                    score[f] = s
                    mask[f] = bits[word]
        for field, text in (("title", r.title), ("lead", r.lead), ("body", r.text)):
            for number in _NUMBER.findall(text) if "/" in text or "-" in text else ():
                token = compact_number(number)
                if not token.isdigit():   # not a date (29/10/2018) or a range (2018-2020)
                    score[token] = score.get(token, 0) + NUMBER_CITED[field]
                    mask.setdefault(token, 0)
        title = [fold_of[w] for w in _WORD.findall(r.title.lower())]
        for pair in {f"{a} {b}" for a, b in zip(title, title[1:])}:
            score[pair] = TITLE_PAIR       # word pairs of the title: `dieu chinh` ranks "Điều chỉnh..."
            mask[pair] = 0                 # above a title with điều and chính apart
        if r.number:
            score[r.number] = score.get(r.number, 0) + NUMBER_OWN
            mask.setdefault(r.number, 0)
        return {t: s if s < 255 else 255 for t, s in score.items()}, mask

    def _place(self, touched: set[str] | None) -> None:
        """Shards and own files from the entries: all of them (touched None, or when the shard
        count changes), else only the shards of touched tokens.

        A common syllable (`thu`, `hanh`: in most records) gets a file of its own, so a query of
        common syllables fetches just them, not the rare ones that hash beside them.
        """
        half = SHARD_BYTES // 2
        own = {t for t, b in self.entries.items() if len(b) > half}
        total = sum(len(b) for t, b in self.entries.items() if t not in own)
        count = 1
        while total / count > SHARD_BYTES:
            count *= 2
        if touched is None or count != len(self.shards):
            self.members = [set() for _ in range(count)]
            for t in self.entries.keys() - own:
                self.members[self._hash(t) % count].add(t)
            dirty = range(count)
            self.shards = [("", b"")] * count
            self.own = {}
        else:
            dirty = set()
            for t in touched | (own ^ self.own.keys()):
                k = self._hash(t) % count
                self.members[k].discard(t)
                if t in self.entries and t not in own:
                    self.members[k].add(t)
                dirty.add(k)
        for k in dirty:
            self.shards[k] = _named("c", b"".join(self.entries[t] for t in sorted(self.members[k])), "bin")
        for t in self.own.keys() - own:
            del self.own[t]
        for t in own:
            if t not in self.own or touched is None or t in touched:
                self.own[t] = _named("c", self.entries[t], "bin")
        if len(self.hashes) > 2 * len(self.entries) + 100:     # forget tokens edited away (long serve sessions)
            self.hashes = {t: self.hashes[t] for t in self.entries if t in self.hashes}

    def _hash(self, token: str) -> int:
        h = self.hashes.get(token)
        if h is None:
            h = self.hashes[token] = _fnv(token)
        return h

    def files(self) -> tuple[dict[str, bytes], bytes]:
        """The data files (path under output/ -> bytes) and the entry that names them."""
        recs = self.recs
        files: dict[str, bytes] = {}
        for name, data in [*self.shards, *(self.own[t] for t in sorted(self.own)), *self.chunks]:
            files[f"{DATA}/{name}"] = data
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
        name, data = _named("f", bytes(facets), "bin")
        files[f"{DATA}/{name}"] = data
        entry = {"format": FORMAT, "records": len(recs), "chunk": CHUNK, "facets": name,
                 "shards": [n for n, _ in self.shards], "own": {t: self.own[t][0] for t in sorted(self.own)},
                 "chunks": [n for n, _ in self.chunks], "labels": labels, "counts": {k: tally[k] for k in labels}}
        return files, json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _move(ids: array, start: int, renumber: list[int]) -> bool:
    """Renumber the sorted ids from `start` on (the records after one added or removed)."""
    k = bisect_left(ids, start)
    if k == len(ids):
        return False
    ids[k:] = array("i", [renumber[i] for i in ids[k:]])
    return True


def _load(cache_dir: Path) -> _Index | None:
    """The index a previous process saved, if this very module saved it (None otherwise).

    Whatever records it holds, `change` turns it into the index of the current ones: loading it
    (0.2 s at 12,000 records) replaces a full index (6 s) in a `build` after a few edits and at
    the first save in `serve`.
    """
    try:
        with open(cache_dir / INDEX_CACHE, "rb") as f:
            if f.read(len(_identity())) != _identity():
                return None
            index = pickle.load(f)
    except Exception:     # a missing, partial or foreign cache file is no cache; never an error
        return None
    return index if isinstance(index, _Index) else None


def _save(cache_dir: Path, index: _Index) -> None:
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        atomic_write(cache_dir / INDEX_CACHE, _identity() + pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:       # only a cache: the next process indexes in full
        pass


_IDENTITY: bytes | None = None


def _identity() -> bytes:
    """The first bytes of the saved index: a digest of the code it was made with (this module,
    and vietnamese.py for fold()), so an index saved by another version is never loaded."""
    global _IDENTITY
    if _IDENTITY is None:
        h = hashlib.sha256(FORMAT.encode("utf-8"))
        h.update(source_digest(sys.modules[__name__], vietnamese).encode("ascii"))
        _IDENTITY = h.hexdigest().encode("ascii") + b"\n"
    return _IDENTITY


def _top(freq: Counter, spellings: set[str]) -> list[str]:
    """A syllable's spellings that get a mask bit: the most frequent, ties by spelling."""
    return [w for _, w in sorted((-freq[w], w) for w in spellings)[:MASK_BITS]]


def _named(prefix: str, data: bytes, ext: str = "json") -> tuple[str, bytes]:
    """A file's name is a hash of its bytes: an unchanged file keeps its name."""
    return f"{prefix}-{hashlib.sha256(data).hexdigest()[:10]}.{ext}", data


@contextmanager
def _gc_paused():
    """Indexing makes and keeps a few million small objects; the collector's passes over them
    would otherwise take longer than the indexing (measured: 18 s against 5 s at 12,000 records)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _entry(token: str, spellings: list[str], ids, scores, masks, records: int) -> bytes:
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
    return _fnv(token) % count


def _fnv(token: str) -> int:
    h = 0x811C9DC5
    for byte in token.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def _chunk(recs: list[Record]) -> bytes:
    rows = [[r.title, r.url, r.kind, r.meta, _excerpt_source(r)] for r in recs]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _excerpt_source(r: Record) -> str:
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
