"""The index itself, kept so that a few changed records update it in place instead of anew.

Tokens and scores come from tokens.py, bytes from encoding.py; this module keeps what they are
computed from (postings, spelling tables, shard membership) and decides what a change touches.
The files are byte for byte those of a full index of the same records, however they were
reached (tests/test_search_incremental.py).
"""
from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import Counter

from cchc.search import encoding
from cchc.search.encoding import (BUNDLE, CHUNK, DATA, MASK_BITS, OTHER_D, SHARD_BYTES, chunk, fnv, named,
                                  token_entry)
from cchc.search.records import SearchRecord
from cchc.search import tokens


class Index:
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

    def __init__(self, recs: list[SearchRecord]):
        """A full index: first every spelling's frequency (which decides the mask bits), then the postings."""
        self.recs = list(recs)
        self.fold_of: dict[str, str] = {}           # spelling -> folded (fold() is slow)
        fields = [self._spellings(r) for r in self.recs]
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
            score, mask = self._postings(r, c)
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
        self.entries = {t: token_entry(t, self.spellings.get(t, []), *p, n) for t, p in self.post.items()}
        self.hashes: dict[str, int] = {}            # token -> FNV-1a (its shard, whatever the count)
        self.own: dict[str, tuple[str, bytes]] = {}
        self.shards: list[tuple[str, bytes]] = []
        self.members: list[set[str]] = []
        self._place(None)
        self.chunks = [named("r", chunk(self.recs[i:i + CHUNK])) for i in range(0, n, CHUNK)]

    def change(self, recs: list[SearchRecord]) -> bool:
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
        gone = {i: self._spellings(old[i]) for i in gone}
        came = {i: self._spellings(recs[i]) for i in came}
        gone_scores = {i: self._postings(old[i], c)[0] for i, c in gone.items()}   # before its spellings go

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
        came_scores = {i: self._postings(recs[i], c) for i, c in came.items()}
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
                self.entries[t] = token_entry(t, self.spellings.get(t, []), *p, n1)
        self._place(touched)
        del self.chunks[(n1 + CHUNK - 1) // CHUNK:]
        first = min([*gone, *came], default=n1)       # the first id whose record differs
        for k in range(first // CHUNK, (n1 + CHUNK - 1) // CHUNK):
            part = recs[k * CHUNK:(k + 1) * CHUNK]
            if k == len(self.chunks):
                self.chunks.append(named("r", chunk(part)))
            elif part != old[k * CHUNK:(k + 1) * CHUNK]:
                self.chunks[k] = named("r", chunk(part))
        self.recs = list(recs)
        if len(self.fold_of) > 2 * len(freq) + 1000:      # forget spellings edited away (long serve sessions)
            self.fold_of = {w: self.fold_of[w] for w in freq}
        return True

    def _spellings(self, r: SearchRecord) -> list:
        return tokens.spellings(r, self.fold_of)

    def _postings(self, r: SearchRecord, fields: list) -> tuple[dict[str, int], dict[str, int]]:
        return tokens.postings(r, fields, self.fold_of, self.bits)

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
            self.shards[k] = named("c", b"".join(self.entries[t] for t in sorted(self.members[k])), "bin")
        for t in self.own.keys() - own:
            del self.own[t]
        for t in own:
            if t not in self.own or touched is None or t in touched:
                self.own[t] = named("c", self.entries[t], "bin")
        if len(self.hashes) > 2 * len(self.entries) + 100:     # forget tokens edited away (long serve sessions)
            self.hashes = {t: self.hashes[t] for t in self.entries if t in self.hashes}

    def _hash(self, token: str) -> int:
        h = self.hashes.get(token)
        if h is None:
            h = self.hashes[token] = fnv(token)
        return h

    def files(self) -> dict[str, bytes]:
        """The index files: output path -> bytes, the entry last (it names the others)."""
        out: dict[str, bytes] = {}
        for name, data in [*self.shards, *(self.own[t] for t in sorted(self.own)), *self.chunks]:
            out[f"{DATA}/{name}"] = data
        (name, data), doc = encoding.entry(self.recs, [n for n, _ in self.shards],
                                           {t: self.own[t][0] for t in sorted(self.own)}, [n for n, _ in self.chunks])
        out[f"{DATA}/{name}"] = data
        out[BUNDLE] = doc
        return out


def _move(ids: array, start: int, renumber: list[int]) -> bool:
    """Renumber the sorted ids from `start` on (the records after one added or removed)."""
    k = bisect_left(ids, start)
    if k == len(ids):
        return False
    ids[k:] = array("i", [renumber[i] for i in ids[k:]])
    return True


def _top(freq: Counter, spellings: set[str]) -> list[str]:
    """A syllable's spellings that get a mask bit: the most frequent, ties by spelling."""
    return [w for _, w in sorted((-freq[w], w) for w in spellings)[:MASK_BITS]]
