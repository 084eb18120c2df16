"""Legal documents: numbers (số ký hiệu), types, citations, relations and status. No I/O.

numbers.py parses a document's number and knows the type names; citations.py finds citations in
running text; index.py turns the index's LegalDocument values into facts the site needs (slug,
computed status, resolved relations and their inverses) and resolves a citation to the one
document it names.

Known gaps, written down on purpose:
- The key folds Đ to D, so `HĐ` (Hợp đồng) and `HD` (Hướng dẫn), `ĐA` (Đề án) and `DA`
  (Dự án) share keys; both pairs never meet in one index in practice.
- A number's letter suffix is one letter (`30c/NQ-CP`, `36a/NQ-CP`); `12ab/…` is refused.
- A number shaped like a Công văn's (`123/UBND-KT`, no type abbreviation) is recognised in
  running text only after type words ("Công văn số", "Văn bản số", "Báo cáo thẩm định số");
  bare, it looks too much like other things.
- A date written away from its number ("… số 908/QĐ-UBND của UBND tỉnh ngày 29/10/2018") is not
  read: only a date right after the number (on the next line at most) belongs to the citation.
"""
from cchc.core.legal.citations import Citation, citation_or_error, find_citations, one_line, parse_citation, parts_concerned
from cchc.core.legal.index import DocumentFacts, LegalIndex, Resolution, build_index
from cchc.core.legal.numbers import (INVERSE, PARTY_ABBREVIATIONS, RELATION_LABELS, RELATIONS, STATUS_LABELS,
                                     STATUSES, SYMBOL_HINT,
                                     TYPE_ABBREVIATIONS, Symbol, SymbolError, document_slug, parse_symbol,
                                     type_fits, type_of)

__all__ = ["Citation", "DocumentFacts", "INVERSE", "LegalIndex", "PARTY_ABBREVIATIONS", "RELATIONS", "RELATION_LABELS",
           "Resolution", "one_line", "parts_concerned",
           "STATUSES", "STATUS_LABELS", "SYMBOL_HINT", "Symbol", "SymbolError", "TYPE_ABBREVIATIONS",
           "build_index", "citation_or_error", "document_slug", "find_citations", "parse_citation",
           "parse_symbol", "type_fits", "type_of"]
