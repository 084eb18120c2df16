"""The search index behind tim-kiem/: whole-syllable, diacritic-folded, sharded so a query fetches little.

Pagefind was measured on a 10,000-article + 2,000-document section and missed the targets
(a 32 MB index, 140-212 s to build, 0.6-3 MB and seconds per query of common syllables): it
treats every word as a prefix, and Vietnamese words are short syllables separated by spaces, so
`thu` drags in thủ, thực, thuế, thường... Matching whole syllables is natural here and cheap.

The modules, in the order data flows through them:
  records.py   the model -> SearchRecord per article, document and fixed page (Kind says which)
  tokens.py    a record -> its tokens (folded syllables, title pairs, document numbers) and scores
  index.py     the incremental Index: postings, spelling tables, shards; updated in place
  encoding.py  the bytes and names of the files (what layouts/assets/search.js reads)
  storage.py   the last Index saved under .cache/ for the next process
  indexer.py   SearchIndex, what the builder keeps and calls: records -> the files to write

The files (all links relative, so the section works under any sub-path):

- `tim-kiem/du-lieu/c-<hash>.bin`: the inverted index, split into shards of ~20 KB by a hash
  of the folded syllable (tone marks off, đ -> d, lower case); a common syllable gets a file of
  its own. Per syllable: its most frequent exact spellings (`đà`, `da`, `dạ`...), then per record:
  the id (gaps, or a bit set when denser), a one-byte score (field weight, capped term
  frequency) and a one-byte mask of the spellings the record contains. A folded query finds
  every spelling; a query with diacritics ranks exact spellings first, and one typed with đ
  keeps only đ words (đ is a letter).
- `tim-kiem/du-lieu/f-<hash>.bin`: four bytes per record (kind, category, document type,
  year), loaded with the page, so filters apply before ranking.
- `tim-kiem/du-lieu/r-<hash>.json`: what a result shows (title, URL, kind, date or issuer,
  excerpt source in original diacritics), in chunks of encoding.CHUNK records, fetched only
  for the results shown.
- `tim-kiem/muc-luc.json`: the entry: filter labels and counts, and the names of the files
  above. It is written last and sorts after `tim-kiem/du-lieu/` in publish order.

File names are content hashes, so an unchanged shard keeps its name and is neither rewritten
nor republished, and a reader holding the previous entry still fetches a consistent index.
Record ids follow publication date, oldest first, so a new article changes the last chunk and
the shards of its own words only. The builder writes the files through the output record like
pages, after them (build/builder.py); nothing here writes into output/.
"""
