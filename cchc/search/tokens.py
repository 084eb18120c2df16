"""A record's tokens and their scores: whole syllables, folded; title word pairs; document numbers.

Vietnamese words are syllables separated by spaces, so the unit is the whole syllable, folded
(tone marks off, đ -> d, lower case) so that a query typed without marks finds it; the exact
spellings a record holds are kept beside it (a mask, index.py) so that one typed with marks ranks
them first. Neighbouring title syllables are one more token (`dieu chinh`), so a phrase in a
title ranks first without storing positions. A document number is one compact token
(`61/2018/NĐ-CP` -> `612018ndcp`), however it is typed. search.js splits and folds queries the
same way: change both together (and bump encoding.FORMAT).
"""
from __future__ import annotations

import re
from collections import Counter

from cchc.core.vietnamese import fold

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


def compact_number(text: str) -> str:
    """The one token a document number is searched by: `61/2018/NĐ-CP` -> `612018ndcp`.

    search.js `compact` must stay in step: fold, lower case, letters and digits only, leading
    zeros of the number dropped (as legal.py's key drops them).
    """
    return re.sub(r"^0+(?=\d)", "", _NOT_ALNUM.sub("", fold(text).lower()))


def spellings(record, fold_of: dict[str, str]) -> list:
    """The record's spellings with their counts, per field (title, lead, text). `fold_of`
    caches fold() (slow) per spelling, and learns the new ones."""
    fields = [Counter(_WORD.findall(t.lower())) if t else {} for t in (record.title, record.lead, record.text)]
    for field in fields:
        for w in field:
            if w not in fold_of:
                fold_of[w] = fold(w)
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
    for field, text in (("title", record.title), ("lead", record.lead), ("body", record.text)):
        for number in _NUMBER.findall(text) if "/" in text or "-" in text else ():
            token = compact_number(number)
            if not token.isdigit():   # not a date (29/10/2018) or a range (2018-2020)
                score[token] = score.get(token, 0) + NUMBER_CITED[field]
                mask.setdefault(token, 0)
    title = [fold_of[w] for w in _WORD.findall(record.title.lower())]
    for pair in {f"{a} {b}" for a, b in zip(title, title[1:])}:
        score[pair] = TITLE_PAIR       # word pairs of the title: `dieu chinh` ranks "Điều chỉnh..."
        mask[pair] = 0                 # above a title with điều and chính apart
    if record.number:
        score[record.number] = score.get(record.number, 0) + NUMBER_OWN
        mask.setdefault(record.number, 0)
    return {t: s if s < 255 else 255 for t, s in score.items()}, mask
