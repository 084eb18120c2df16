"""The legal-document pages (issue 3): van-ban/ and van-ban/<slug>/, as readers and editors see them.

One section of 247 documents is built once for the module: seven written by hand with every
relation, attachments, statuses and an article citing one, and 240 plain decisions so that
the index needs three pages. Tests read the built files (tables, links, JSON-LD, the filters'
data file) and drive the filters in Debian's Chromium; the editor's side is `new document`
and the error for a missing attachment.
"""
from __future__ import annotations

import json
import re
import shutil
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import MINIMAL_SITE_YAML, REPO, SiteFolder, cli, cli_process

FILLERS = {2015: 80, 2016: 80, 2017: 80}   # plain decisions of the Sở, oldest in the index but one
TOTAL = 7 + sum(FILLERS.values())
PDF_SIZE, DOCX_SIZE = 1_300_000, 350 * 1024


# --- reading the output ------------------------------------------------------------------

class Page(HTMLParser):
    """What a reader gets from a page: the rows of the document table (cells' text and first
    link), the facts table (th -> td), the relation lists (dt -> [(href, link text)]), every
    link, every JSON-LD block, and the attributes of each element with an id."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.rows: list[dict] = []
        self.facts: dict[str, str] = {}
        self.relations: dict[str, list[tuple[str, str]]] = {}
        self.links: list[tuple[str, str]] = []
        self.jsonld: list[dict] = []
        self.ids: dict[str, dict] = {}
        self._table = ""                  # "documents", "facts" or ""
        self._row: dict | None = None
        self._text: list[str] | None = None     # text of the open td/th/dt/script
        self._th: str | None = None
        self._a: list | None = None
        self._dt: str | None = None
        self._in_dd = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids[a["id"]] = a
        if tag == "table":
            self._table = "documents" if a.get("id") == "bang-van-ban" else \
                "facts" if "facts" in (a.get("class") or "") else ""
        elif tag == "tr" and self._table == "documents":
            self._row = {"cells": [], "href": None}
        elif tag in ("td", "th", "dt") or (tag == "script" and a.get("type") == "application/ld+json"):
            self._text = []
        elif tag == "dd":
            self._in_dd = True
        elif tag == "a":
            self._a = [a.get("href", ""), []]
            if self._row is not None and self._row["href"] is None:
                self._row["href"] = a.get("href")

    def handle_endtag(self, tag):
        text = " ".join("".join(self._text or []).split())
        if tag == "table":
            self._table = ""
        elif tag == "td" and self._row is not None:
            self._row["cells"].append(text)
        elif tag == "th" and self._table == "facts":
            self._th = text
        elif tag == "td" and self._table == "facts" and self._th is not None:
            self.facts[self._th], self._th = text, None
        elif tag == "tr" and self._row is not None:
            if self._row["cells"]:
                self.rows.append(self._row)
            self._row = None
        elif tag == "dt":
            self._dt = text
            self.relations[text] = []
        elif tag == "dd":
            self._in_dd = False
        elif tag == "script" and self._text is not None:
            self.jsonld.append(json.loads("".join(self._text)))
        elif tag == "a" and self._a is not None:
            link = (self._a[0], " ".join("".join(self._a[1]).split()))
            self.links.append(link)
            if self._in_dd and self._dt is not None:
                self.relations[self._dt].append(link)
            self._a = None
            return
        if tag in ("td", "th", "dt", "script"):
            self._text = None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)
        if self._a is not None:
            self._a[1].append(data)


def read(out: Path, rel: str) -> Page:
    return Page((out / rel).read_text(encoding="utf-8"))


def target(page_file: Path, href: str) -> Path:
    """The file a relative link on page_file leads to (directory links mean index.html)."""
    path = (page_file.parent / urllib.parse.unquote(href.split("#")[0].split("?")[0])).resolve()
    return path / "index.html" if path.is_dir() else path


def documents_data(out: Path) -> dict:
    """The filters' data file that van-ban/ points to, as the browser would load it."""
    form = read(out, "van-ban/index.html").ids["loc-van-ban"]
    script = target(out / "van-ban" / "index.html", form["data-src"])
    text = script.read_text(encoding="utf-8")
    assert text.startswith("window.cchcVanBan=")
    return {"bytes": len(text.encode("utf-8")), **json.loads(text[len("window.cchcVanBan="):].rstrip().rstrip(";"))}


# --- the section ---------------------------------------------------------------------------

def write_section(root: Path) -> SiteFolder:
    shutil.copytree(REPO / "layouts", root / "layouts")
    s = SiteFolder(root)
    s.write("site.yaml", MINIMAL_SITE_YAML)
    s.document("luat-76-2015", "76/2015/QH13", "Luật", "2015-06-19", title="Tổ chức Chính phủ", issuer="Quốc hội",
               effective="2016-01-01", signer='"Nguyễn Sinh Hùng"')
    s.write("content/documents/nd-61-2018.md", """\
        ---
        symbol: "61/2018/NĐ-CP"
        type: Nghị định
        title: "Về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính"
        issuer: "Chính phủ"
        issued: 2018-04-23
        effective: 2018-06-21
        status: het-hieu-luc-mot-phan
        signer: "Nguyễn Xuân Phúc"
        fields: [Cải cách hành chính, Thủ tục hành chính]
        based_on: ["Luật Tổ chức Chính phủ số 76/2015/QH13"]
        attachments: [files/nd-61-2018.pdf]
        source: "https://vbpl.vn/TW/Pages/vbpq-toanvan.aspx?ItemID=129233"
        ---

        Một số điều được sửa đổi bởi Nghị định số 107/2021/NĐ-CP.
        """)
    s.document("nd-107-2021", "107/2021/NĐ-CP", "Nghị định", "2021-12-06", effective="2022-02-01",
               title="Sửa đổi, bổ sung một số điều của Nghị định số 61/2018/NĐ-CP", signer='"Phạm Minh Chính"',
               amends='["Nghị định số 61/2018/NĐ-CP"]',
               attachments='[files/nd-107-2021.docx, "https://example.gov.vn/tep/nd%20107.pdf"]')
    s.document("tt-01-2018", "01/2018/TT-VPCP", "Thông tư", "2018-11-23", issuer="Văn phòng Chính phủ",
               title="Hướng dẫn thi hành một số quy định của Nghị định số 61/2018/NĐ-CP", effective="2019-01-01",
               guides='["61/2018/NĐ-CP"]')
    s.document("qd-908-2018", "908/QĐ-UBND", "Quyết định", "2018-10-29", issuer="UBND tỉnh Quảng Ngãi",
               title="Ban hành Kế hoạch cải cách hành chính", effective="2018-10-29")
    s.document("qd-1000-2020", "1000/QĐ-UBND", "Quyết định", "2020-03-01", issuer="UBND tỉnh Quảng Ngãi",
               title="Ban hành Kế hoạch cải cách hành chính giai đoạn 2020-2025", effective="2020-03-15",
               replaces='["Quyết định số 908/QĐ-UBND ngày 29/10/2018"]')
    # The oldest document: last row of the last page, with an issuer and a field no other has.
    s.document("kh-12-2014", "12/KH-VP", "Kế hoạch", "2014-02-03", issuer="Văn phòng UBND tỉnh",
               title="Kế hoạch số hóa hồ sơ lưu trữ", fields="[Lưu trữ]")
    for year, count in FILLERS.items():
        for n in range(1, count + 1):
            s.document(f"qd-sct-{year}-{n}", f"{n}/QĐ-SCT", "Quyết định", f"{year}-{1 + n % 12:02d}-{1 + n % 28:02d}",
                       issuer="Sở Công Thương", title=f"Về công tác văn thư năm {year}, đợt {n}")
    s.article("2021/mot-cua", title="Triển khai cơ chế một cửa tại Sở", date="2021-03-01",
              body="Sở thực hiện Nghị định số 61/2018/NĐ-CP của Chính phủ từ năm 2018.")
    files = root / "content" / "files"
    files.mkdir(parents=True)
    (files / "nd-61-2018.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * (PDF_SIZE - 9))
    (files / "nd-107-2021.docx").write_bytes(b"P" * DOCX_SIZE)
    return s


@pytest.fixture(scope="module")
def section(tmp_path_factory) -> SiteFolder:
    s = write_section(tmp_path_factory.mktemp("documents") / "site")
    run = s.build()
    assert run.code == 0, run.out + run.err
    assert not [line for line in run.lines if ": error:" in line]
    return s


@pytest.fixture(scope="module")
def out(section) -> Path:
    return section.root / "output"


def index_pages(out: Path) -> list[Path]:
    pages = [out / "van-ban" / "index.html"]
    n = 2
    while (out / "van-ban" / f"trang-{n}" / "index.html").exists():
        pages.append(out / "van-ban" / f"trang-{n}" / "index.html")
        n += 1
    return pages


# --- van-ban/: the index -----------------------------------------------------------------

def test_the_index_lists_every_document_newest_first_on_light_pages_without_javascript(out):
    pages = index_pages(out)
    assert len(pages) == 3
    listed, dates = [], []
    for page in pages:
        assert page.stat().st_size < 150_000, f"{page} is {page.stat().st_size} bytes"
        html = Page(page.read_text(encoding="utf-8"))
        assert "hidden" in html.ids["loc-van-ban"], "the filters need JavaScript: hidden without it"
        for row in html.rows:
            number, date, title, issuer, status = row["cells"]
            assert number and title and issuer and status, row
            listed.append(target(page, row["href"]))
            dates.append(tuple(reversed(date.split("/"))))
        broken = [h for h, _ in html.links if not h.startswith(("http", "mailto:", "#")) and not target(page, h).exists()]
        assert not broken, (page, broken)
    documents = {p for p in (out / "van-ban").glob("*/index.html") if not p.parent.name.startswith("trang-")}
    assert len(listed) == TOTAL and set(listed) == documents
    assert dates == sorted(dates, reverse=True)
    first = read(out, "van-ban/index.html")
    assert first.rows[0]["cells"][:2] == ["107/2021/NĐ-CP", "06/12/2021"]
    assert f"{TOTAL} văn bản, mới nhất trước; trang 3/3: văn bản 201–{TOTAL}" in \
        " ".join((out / "van-ban/trang-3/index.html").read_text(encoding="utf-8").split())
    last = read(out, "van-ban/trang-3/index.html")
    assert last.rows[-1]["cells"] == ["12/KH-VP", "03/02/2014", "Kế hoạch số hóa hồ sơ lưu trữ",
                                      "Văn phòng UBND tỉnh", "Chưa xác định"]
    # The first page links to the others.
    assert set(pages[1:]) <= {target(pages[0], h) for h, _ in first.links}


def test_the_filters_data_holds_every_document_in_the_tables_order_and_choices_come_from_all(out):
    data = documents_data(out)
    rows = data["documents"]
    assert len(rows) == TOTAL
    assert data["bytes"] < 200 * TOTAL, "at ~200 bytes a document, 5,000 documents stay under 1 MB"
    listed = [target(p, r["href"]).parent.name for p in index_pages(out)
              for r in Page(p.read_text(encoding="utf-8")).rows]
    assert [r[0] for r in rows] == listed
    by_slug = {r[0]: r for r in rows}
    nd61 = by_slug["61-2018-nd-cp"]
    assert nd61[1:4] == ["61/2018/NĐ-CP", "2018-04-23",
                         "Nghị định về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính"]
    assert data["types"][nd61[4]] == "Nghị định" and data["issuers"][nd61[5]] == "Chính phủ"
    assert data["statuses"][nd61[6]] == ["het-hieu-luc-mot-phan", "Hết hiệu lực một phần"]
    assert [data["fields"][f] for f in nd61[7]] == ["Cải cách hành chính", "Thủ tục hành chính"]
    assert data["statuses"][by_slug["908-qd-ubnd-2018"][6]][0] == "het-hieu-luc"   # replaced by 1000/QĐ-UBND
    assert data["statuses"][by_slug["12-kh-vp-2014"][6]][0] == "unknown"
    # The selects on page 1 offer what only the last page shows.
    html = (out / "van-ban" / "index.html").read_text(encoding="utf-8")
    for select, option in (("loc-co-quan", "Văn phòng UBND tỉnh"), ("loc-nam", "2014"), ("loc-linh-vuc", "Lưu trữ")):
        block = html[html.index(f'id="{select}"'):]
        assert f"<option>{option}</option>" in block[:block.index("</select>")]


# --- van-ban/<slug>/: one document ---------------------------------------------------------

def test_document_page_shows_the_facts_relations_both_ways_attachments_note_and_citing_articles(out):
    page = out / "van-ban" / "61-2018-nd-cp" / "index.html"
    html = Page(page.read_text(encoding="utf-8"))
    assert html.facts == {
        "Số ký hiệu": "61/2018/NĐ-CP", "Loại văn bản": "Nghị định", "Cơ quan ban hành": "Chính phủ",
        "Người ký": "Nguyễn Xuân Phúc", "Ngày ban hành": "23/04/2018", "Ngày hiệu lực": "21/06/2018",
        "Tình trạng hiệu lực": "Hết hiệu lực một phần", "Lĩnh vực": "Cải cách hành chính, Thủ tục hành chính",
        "Nguồn": "https://vbpl.vn/TW/Pages/vbpq-toanvan.aspx?ItemID=129233"}
    relations = {k: [(target(page, h).parent.name, t) for h, t in v] for k, v in html.relations.items()}
    assert relations == {"Căn cứ": [("76-2015-qh13", "Luật 76/2015/QH13")],
                         "Được sửa đổi, bổ sung bởi": [("107-2021-nd-cp", "Nghị định 107/2021/NĐ-CP")],
                         "Được hướng dẫn, quy định chi tiết bởi": [("01-2018-tt-vpcp", "Thông tư 01/2018/TT-VPCP")]}
    assert all(target(page, h).exists() for v in html.relations.values() for h, _ in v)
    text = " ".join(page.read_text(encoding="utf-8").split())
    # The attachment: name, type, Vietnamese size, and a link to the copied file.
    pdf = [h for h, t in html.links if t == "nd-61-2018.pdf"]
    assert len(pdf) == 1 and "nd-61-2018.pdf</a> <span class=\"count\">(PDF, 1,2 MB)</span>" in text
    assert target(page, pdf[0]).read_bytes() == (out.parent / "content/files/nd-61-2018.pdf").read_bytes()
    # The note, with its citation linked, and the article that cites the document.
    note = text[text.index('id="ghi-chu"'):]
    cite = re.search(r'<a class="cite" href="([^"]+)">Nghị định số 107/2021/NĐ-CP</a>', note)
    assert cite and target(page, cite.group(1)) == out / "van-ban" / "107-2021-nd-cp" / "index.html"
    citing = [h for h, t in html.links if t == "Triển khai cơ chế một cửa tại Sở"]
    assert citing and target(page, citing[0]) == out / "tin-tuc" / "trien-khai-co-che-mot-cua-tai-so" / "index.html"

    other = out / "van-ban" / "107-2021-nd-cp" / "index.html"
    html = Page(other.read_text(encoding="utf-8"))
    assert [target(other, h).parent.name for h, _ in html.relations["Sửa đổi, bổ sung"]] == ["61-2018-nd-cp"]
    text = " ".join(other.read_text(encoding="utf-8").split())
    assert "nd-107-2021.docx</a> <span class=\"count\">(DOCX, 350 KB)</span>" in text
    assert 'href="https://example.gov.vn/tep/nd%20107.pdf">nd 107.pdf</a> <span class="count">(PDF)</span>' in text


def legislation(out: Path, slug: str) -> dict:
    blocks = [b for b in read(out, f"van-ban/{slug}/index.html").jsonld if b.get("@type") == "Legislation"]
    assert len(blocks) == 1
    return blocks[0]


def refs(value: list[dict]) -> list[str]:
    return [r["@id"].removeprefix("https://example.gov.vn/cchc/van-ban/") for r in value]


def empty_values(value, path="") -> list[str]:
    if value in (None, "", [], {}):
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in empty_values(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in empty_values(v, f"{path}[{i}]")]
    return []


def test_json_ld_is_schema_org_legislation_with_the_relations_and_no_empty_keys(out):
    nd61 = legislation(out, "61-2018-nd-cp")
    assert nd61["@context"] == "https://schema.org"
    assert nd61["url"] == nd61["@id"] == "https://example.gov.vn/cchc/van-ban/61-2018-nd-cp/"
    assert (nd61["legislationIdentifier"], nd61["legislationType"], nd61["legislationDate"]) == \
        ("61/2018/NĐ-CP", "Nghị định", "2018-04-23")
    assert nd61["legislationLegalForce"] == "https://schema.org/PartiallyInForce"
    assert nd61["legislationPassedBy"]["name"] == "Chính phủ"
    assert nd61["author"] == {"@type": "Person", "name": "Nguyễn Xuân Phúc"}
    assert refs(nd61["isBasedOn"]) == ["76-2015-qh13/"]
    assert nd61["sameAs"] == "https://vbpl.vn/TW/Pages/vbpq-toanvan.aspx?ItemID=129233"
    nd107 = legislation(out, "107-2021-nd-cp")
    assert refs(nd107["legislationAmends"]) == refs(nd107["legislationChanges"]) == ["61-2018-nd-cp/"]
    assert nd107["legislationAmends"][0]["legislationIdentifier"] == "61/2018/NĐ-CP"
    qd1000 = legislation(out, "1000-qd-ubnd-2020")
    assert refs(qd1000["legislationRepeals"]) == refs(qd1000["legislationChanges"]) == ["908-qd-ubnd-2018/"]
    assert legislation(out, "908-qd-ubnd-2018")["legislationLegalForce"] == "https://schema.org/NotInForce"
    assert qd1000["legislationLegalForce"] == "https://schema.org/InForce"
    assert refs(legislation(out, "01-2018-tt-vpcp")["legislationEnsuresImplementationOf"]) == ["61-2018-nd-cp/"]
    bare = legislation(out, "12-kh-vp-2014")     # no signer, no status, no relations
    for key in ("author", "legislationLegalForce", "isBasedOn", "legislationChanges", "sameAs"):
        assert key not in bare
    for slug in ("61-2018-nd-cp", "107-2021-nd-cp", "1000-qd-ubnd-2020", "12-kh-vp-2014"):
        assert empty_values(legislation(out, slug)) == [], slug


def test_editing_a_document_gives_the_filters_a_new_data_file_and_removes_the_old_one(site):
    """The data file's name carries its hash, so a portal cache never serves old data to new pages."""
    site.document("nd-61", "61/2018/NĐ-CP", "Nghị định", "2018-04-23", title="Về cơ chế một cửa")
    assert site.build().code == 0
    old = sorted((site.root / "output" / "van-ban").glob("danh-muc.*.js"))
    site.document("nd-61", "61/2018/NĐ-CP", "Nghị định", "2018-04-23", title="Về cơ chế một cửa liên thông")
    assert site.build().code == 0
    new = sorted((site.root / "output" / "van-ban").glob("danh-muc.*.js"))
    assert len(old) == len(new) == 1 and old != new
    assert documents_data(site.root / "output")["documents"][0][3] == "Nghị định về cơ chế một cửa liên thông"


# --- editors: attachments and `new document` -------------------------------------------------

def test_a_missing_attachment_is_an_error_on_its_line_and_output_is_left_as_it_was(site):
    assert site.build().code == 0
    before = site.snapshot()
    site.document("kh-10", "10/KH-SCT", "Kế hoạch", "2021-01-05", attachments="[files/kh-10.pdf, ../site.yaml]")
    expected = ['content/documents/kh-10.md:7: error: attachments: "files/kh-10.pdf" is not in content/files/ '
                "(copy the file into content/files/ and write its name, e.g. files/ke-hoach.pdf)",
                'content/documents/kh-10.md:7: error: attachments: "../site.yaml" is not in content/files/ '
                "(copy the file into content/files/ and write its name, e.g. files/ke-hoach.pdf)"]
    run = site.build()
    assert run.code == 1
    assert sorted(line for line in run.lines if ": error:" in line) == sorted(expected)
    assert site.snapshot() == before
    check = site.check()
    assert check.code == 1 and sorted(line for line in check.lines if ": error:" in line) == sorted(expected)
    size = site.write("content/files/kh-10.pdf", "%PDF-1.4 kế hoạch").stat().st_size
    site.document("kh-10", "10/KH-SCT", "Kế hoạch", "2021-01-05", attachments="[files/kh-10.pdf]")
    assert site.build().code == 0
    assert f'kh-10.pdf</a> <span class="count">(PDF, {size} byte)</span>' in site.read("van-ban/10-kh-sct-2021/index.html")


@pytest.mark.parametrize("size, shown", [(0, "0 byte"), (1023, "1023 byte"), (1024, "1 KB"), (350 * 1024, "350 KB"),
                                         (1_300_000, "1,2 MB"), (25 * 1024 * 1024, "25,0 MB")])
def test_attachment_sizes_are_written_the_vietnamese_way(size, shown):
    from cchc.render.pages import file_size
    assert file_size(size) == shown


def test_new_document_writes_a_file_named_by_the_slug_that_builds_once_filled_in(site):
    run = cli_process("new", "document", "61/2018/NĐ-CP", "--type", "Nghị định", cwd=site.root)
    assert (run.code, run.out.strip(), run.err) == (0, "content/documents/61-2018-nd-cp.md", "")
    path = site.root / "content" / "documents" / "61-2018-nd-cp.md"
    text = path.read_text(encoding="utf-8")
    assert 'symbol: "61/2018/NĐ-CP"\ntype: Nghị định\n' in text
    # Until the editor fills them in, the draft builds, with one warning naming what is missing
    # (so a running serve keeps working), and stays out of the section.
    build = site.build()
    assert build.code == 0 and [line for line in build.lines if ": warning:" in line] == [
        "content/documents/61-2018-nd-cp.md:4: warning: draft document: title, issuer, issued still to fill in; "
        "it stays out of the section until then (fill them in, then change 'draft: true' to 'draft: false')"]
    assert not (site.root / "output/van-ban/61-2018-nd-cp").exists()
    text = text.replace('title: ""', 'title: "Về thực hiện cơ chế một cửa"').replace('issuer: ""', 'issuer: "Chính phủ"')
    text = text.replace("draft: true", "draft: false")
    path.write_text(text.replace("issued: ", "issued: 2018-04-23", 1), encoding="utf-8")
    assert site.build().code == 0
    assert "<h1>Nghị định số 61/2018/NĐ-CP</h1>" in site.read("van-ban/61-2018-nd-cp/index.html")
    again = cli("new", "document", "Nghị định số 61/2018/NĐ-CP", site=site.root)
    assert again.code == 1 and path.read_text(encoding="utf-8").count("Chính phủ") == 1
    assert again.lines == ["content/documents/61-2018-nd-cp.md: error: 61/2018/NĐ-CP is already in the index; "
                           "nothing was written (edit that file)"]


def test_new_document_takes_type_and_date_from_a_citation_and_needs_a_date_without_a_year(site):
    run = cli("new", "document", "Quyết định số 908/QĐ-UBND ngày 29/10/2018", site=site.root)
    assert run.code == 0 and run.out.strip() == "content/documents/908-qd-ubnd-2018.md"
    text = (site.root / run.out.strip()).read_text(encoding="utf-8")
    assert "type: Quyết định\n" in text and "issued: 2018-10-29" in text
    # The same number in another year is another document.
    assert cli("new", "document", "908/QĐ-UBND", "--date", "2019-01-02", site=site.root).code == 0
    assert (site.root / "content/documents/908-qd-ubnd-2019.md").exists()
    no_date = cli("new", "document", "909/QĐ-UBND", site=site.root)
    assert no_date.code == 1 and "--date" in no_date.err and "909/QĐ-UBND" in no_date.err
    wrong = cli("new", "document", "62/2018/NĐ-CP", "--type", "Chỉ thị", site=site.root)
    assert wrong.code == 1
    assert wrong.lines == ['error: --type: "Chỉ thị" is not in document_types of site.yaml '
                           "(Luật, Nghị quyết, Nghị định, Quyết định, Thông tư, Kế hoạch)"]
    bad = cli("new", "document", "62/2018", site=site.root)
    assert bad.code == 1 and bad.lines[0].startswith('error: "62/2018"')
    assert sorted(p.name for p in (site.root / "content/documents").glob("*.md")) == \
        ["908-qd-ubnd-2018.md", "908-qd-ubnd-2019.md"]


# --- the filters, in a real browser ----------------------------------------------------------


@pytest.fixture(scope="module")
def server(out):
    from quality_helpers import serve
    with serve(out, "/cchc/") as root:
        yield root


ROWS = "[...document.querySelectorAll('#bang-van-ban tbody tr')]"


def test_filters_search_the_whole_index_from_any_page_and_can_be_linked(browser, server):
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="vi-VN")
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(server + "van-ban/trang-3/", wait_until="load")
        assert page.evaluate(f"{ROWS}.length") == TOTAL - 200
        assert not [u for u in requests if "danh-muc" in u], "the data file loads on first use only"
        page.fill("#loc-chu", "mot cua lien thong")             # no diacritics; the document is on page 1
        page.wait_for_function(f"{ROWS}.length === 1")
        assert page.locator("#so-van-ban").inner_text() == f"Tìm thấy 1 / {TOTAL} văn bản"
        assert not page.locator("nav.pager").is_visible()
        assert len([u for u in requests if "danh-muc" in u]) == 1
        assert "q=mot%20cua%20lien%20thong" in page.url
        page.click("#bang-van-ban tbody a")
        page.wait_for_load_state("load")
        assert page.url == server + "van-ban/61-2018-nd-cp/"
        assert "61/2018/NĐ-CP" in page.locator("h1").inner_text()

        # A linked filter: year and status from the address, applied on arrival.
        page.goto(server + "van-ban/?nam=2018&tinh-trang=het-hieu-luc", wait_until="load")
        page.wait_for_function(f"{ROWS}.length === 1")
        assert page.evaluate(f"{ROWS}.map(r => r.querySelector('a').textContent)") == ["908/QĐ-UBND"]
        assert page.locator("#loc-nam").input_value() == "2018"

        # Many results: 100 rows at a time, and "Xem thêm" moves focus to the first new row.
        page.goto(server + "van-ban/", wait_until="load")
        page.select_option("#loc-co-quan", "Sở Công Thương")
        page.wait_for_function(f"{ROWS}.length === 100")
        assert page.evaluate(f"{ROWS}.every(r => r.dataset.issuer === 'Sở Công Thương')")
        page.click("#xem-them")
        assert page.evaluate(f"{ROWS}.length") == 200
        assert page.evaluate("document.activeElement.closest('tr') === document.querySelectorAll"
                             "('#bang-van-ban tbody tr')[100]")
        page.click("#xem-them")
        assert page.evaluate(f"{ROWS}.length") == 240 and not page.locator("#xem-them").is_visible()
        page.select_option("#loc-linh-vuc", "Lưu trữ")
        page.wait_for_function(f"{ROWS}.length === 0")
        page.select_option("#loc-co-quan", "")
        page.wait_for_function(f"{ROWS}.length === 1")
        assert page.evaluate(f"{ROWS}[0].querySelector('a').href") == server + "van-ban/12-kh-vp-2014/"
        page.select_option("#loc-linh-vuc", "")                 # no filter: this page's own rows again
        page.wait_for_function(f"{ROWS}.length === 100")
        assert page.locator("nav.pager").is_visible() and page.url == server + "van-ban/"
    finally:
        context.close()


def test_filters_work_on_a_copy_opened_from_disk(browser, section, tmp_path_factory):
    disk = tmp_path_factory.mktemp("disk") / "out"
    assert section.build("--for-disk", "--out", str(disk)).code == 0
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        page.goto((disk / "van-ban" / "trang-2" / "index.html").as_uri(), wait_until="load")
        page.fill("#loc-chu", "Nghị định 107")
        page.wait_for_function(f"{ROWS}.length === 1")
        href = page.evaluate(f"{ROWS}[0].querySelector('a').href")
        assert href == (disk / "van-ban" / "107-2021-nd-cp" / "index.html").as_uri()
        page.click("#bang-van-ban tbody a")
        page.wait_for_load_state("load")
        assert page.url == (disk / "van-ban" / "107-2021-nd-cp" / "index.html").as_uri()
    finally:
        context.close()
