"""A record's tokens and their scores: folded syllables, neighbouring syllables, document numbers.

Vietnamese words are syllables separated by spaces (đất đai, một cửa, cải cách), so the unit is
the whole syllable, folded (tone marks off, đ -> d, lower case) so that a query typed without
marks finds it; the exact spellings a record holds are kept beside it (a mask, index.py) so that
one typed with marks ranks them first. A word of two syllables is found by its pair: every two
neighbouring syllables are one more token (`dat dai`, folded only: the syllables' own masks
say how it is spelled), in every field, so `dat dai` finds "đất đai" and not "đạt … đại"
without storing positions (a pair costs a query one more small file; positions would cost it
the postings of every syllable it holds). A sentence end or a new block (paragraph, heading,
cell) ends a run of neighbours; a comma does not, since readers type no commas.

A document number is one compact token (`61/2018/NĐ-CP` -> `612018ndcp`), plus its number and
year (`#61-2018`, the issue year when the number has none: `908/QĐ-UBND` of 2018 -> `#908-2018`),
so `61/2018`, `nd 61 2018` and `61-2018-nd-cp` all find it. layouts/assets/query.js reads queries
the same way: change both together (and bump encoding.FORMAT).
"""
from __future__ import annotations

import re
from collections import Counter
from itertools import chain

from cchc.core.legal import SymbolError, parse_symbol
from cchc.core.vietnamese import fold

# Field weights and term-frequency caps: a title word outweighs a summary word, which
# outweighs a body word; a word repeated twenty times is not twenty times as relevant.
# A pair of neighbours is weighed as a syllable of its field.
TITLE, LEAD, BODY = (12, 2), (4, 2), (1, 6)
NUMBER_OWN = 100                      # a document's own number
NUMBER_CITED = {"title": 6, "lead": 3, "body": 1}    # numbers met in text (articles citing it)

# Letters and digits, as query.js splits them (Latin, Latin-1/Extended, Vietnamese block).
_WORD = re.compile(r"[0-9a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0300-\u036f\u1e00-\u1eff]+")
# What ends a run of neighbouring syllables (query.js BREAK): a sentence's end, a new block.
_BREAK = re.compile(r"[.!?;:…\n]+")
_NUMBER = re.compile(r"\d+(?:[/\-–][0-9A-Za-zĐđ]+)+")
_NUMBER_YEAR = re.compile(r"(\d{1,5})[/\-–]((?:19|20)\d\d)(?![0-9])")
_NOT_ALNUM = re.compile(r"[^0-9a-z]")


def compact_number(text: str) -> str:
    """The one token a document number is searched by: `61/2018/NĐ-CP` -> `612018ndcp`.

    query.js `compact` must stay in step: fold, lower case, letters and digits only, leading
    zeros of the number dropped (as legal.py's key drops them).
    """
    return re.sub(r"^0+(?=\d)", "", _NOT_ALNUM.sub("", fold(text).lower()))


def number_key(number: str | int, year: str | int) -> str:
    """A number and its year, however typed: `#61-2018` (query.js numberKey)."""
    return f"#{int(number)}-{year}"


def own_number_key(symbol: str, issued_year: int) -> str:
    """A document's number and year: the year inside the number, else the year it was issued
    (as its URL has it: `908/QĐ-UBND` of 2018 is van-ban/908-qd-ubnd-2018/)."""
    try:
        parsed = parse_symbol(symbol)
    except SymbolError:
        return ""
    return number_key(parsed.number, parsed.year or issued_year)


class Fields(list):
    """A record's syllable spellings with their counts, per field (title, lead, text), and
    `pairs`: per field, the folded pairs of neighbouring syllables with theirs."""
    pairs: tuple = ({}, {}, {})


def spellings(record, fold_of: dict[str, str]) -> Fields:
    """The record's spellings and pairs (Fields). `fold_of` caches the folded form of each
    spelling (fold() is slow), and learns the new ones.

    A pair is kept folded only, with no spelling table or mask (measured: a table per pair
    spelling cost the index as much again as the pairs themselves); its syllables' masks say
    which spellings a record holds, and query.js reads a pair's exact spelling from them.
    """
    fields, pairs = Fields(), []
    for text in (record.title, record.lead, record.text):
        if not text:
            fields.append({})
            pairs.append({})
            continue
        runs = [ws for ws in map(_WORD.findall, _BREAK.split(text.lower())) if ws]
        field = Counter(chain.from_iterable(runs))
        for w in field:
            if w not in fold_of:
                fold_of[w] = fold(w)
        found: list[str] = []
        folded = fold_of.__getitem__
        for ws in runs:
            if len(ws) > 1:
                fs = list(map(folded, ws))
                found += map(" ".join, zip(fs, fs[1:]))
        fields.append(field)
        pairs.append(Counter(found))
    fields.pairs = tuple(pairs)
    return fields


def postings(record, fields: list, fold_of: dict[str, str], bits: dict[str, int]) -> tuple[dict[str, int], dict[str, int]]:
    """The record's postings: token -> score (field weight, capped term frequency, at most 255)
    and token -> mask (the spellings it holds, by `bits`: spelling -> its mask bit)."""
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
    for (weight, cap), c in zip((TITLE, LEAD, BODY), fields.pairs):
        for pair, tf in c.items():
            score[pair] = score.get(pair, 0) + weight * (tf if tf < cap else cap)
            mask[pair] = 0
    for field, text in (("title", record.title), ("lead", record.lead), ("body", record.text)):
        for number in _NUMBER.findall(text) if "/" in text or "-" in text else ():
            token = compact_number(number)
            if not token.isdigit():   # not a date (29/10/2018) or a range (2018-2020)
                score[token] = score.get(token, 0) + NUMBER_CITED[field]
                mask.setdefault(token, 0)
                m = _NUMBER_YEAR.match(number)
                if m:
                    key = number_key(*m.groups())
                    score[key] = score.get(key, 0) + NUMBER_CITED[field]
                    mask.setdefault(key, 0)
    for token in (record.number, record.number_key):
        if token:
            score[token] = score.get(token, 0) + NUMBER_OWN
            mask.setdefault(token, 0)
    for t, s in score.items():     # a word scores at most 2 * 12 + 2 * 4 + 6; a number cited often, more
        if s > 255:
            score[t] = 255
    return score, mask
