"""The legal-document index as the national database (vbpl.vn) keeps it (issue 21 §2): fields,
relations both ways, statuses computed from them, citations that know their document's status,
and the index as open data (JSON described by the schema in the repo, an Atom feed of changes,
schema.org Legislation).
"""
from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from cchc.render.opendata import SCHEMA_FILE
from test_legal import build, doc, shown

ATOM = "{http://www.w3.org/2005/Atom}"


def write_index(site) -> None:
    """61/2018 replaced by 118/2025 (in force), 107/2021 amending 61/2018 (Điều 5), a repealed, a
    suspended and a partly ended decision, and articles citing them."""
    yaml = (site.root / "site.yaml").read_text(encoding="utf-8")
    site.write("site.yaml", re.sub(r"document_types: \[", "document_types: [Nghị định, Công văn, ", yaml, count=1))
    site.document("61-2018-nd-cp", "61/2018/NĐ-CP", "Nghị định", "2018-04-23", effective="2018-06-21",
                  signer='"Nguyễn Xuân Phúc"', signer_title='"Thủ tướng"', scope='"Toàn quốc"',
                  gazetted="2018-05-05", sector='"Nội vụ"', fields='["Thủ tục hành chính"]')
    site.document("107-2021-nd-cp", "107/2021/NĐ-CP", "Nghị định", "2021-12-06", effective="2021-12-06",
                  amends='["Nghị định số 61/2018/NĐ-CP (Điều 5, khoản 2 Điều 7)"]')
    site.document("118-2025-nd-cp", "118/2025/NĐ-CP", "Nghị định", "2025-06-09", effective="2025-07-01",
                  replaces='["61/2018/NĐ-CP", "107/2021/NĐ-CP"]', based_on='["Luật số 59/2020/QH14"]',
                  source='"https://www.hethongphapluat.vn/nghi-dinh-118-2025-nd-cp.html"')
    site.document("luat-59", "59/2020/QH14", "Luật", "2020-06-17", issuer="Quốc hội", effective="2021-01-01")
    site.document("qd-1", "1/QĐ-UBND", "Quyết định", "2020-01-02", effective="2020-01-02", issuer="UBND tỉnh")
    site.document("qd-2", "2/QĐ-UBND", "Quyết định", "2020-02-03", effective="2020-02-03", issuer="UBND tỉnh",
                  repeals='["1/QĐ-UBND ngày 02/01/2020"]', suspends='["3/QĐ-UBND ngày 04/02/2020"]',
                  partly_ends='["4/QĐ-UBND ngày 05/02/2020 (Điều 3)"]')
    site.document("qd-3", "3/QĐ-UBND", "Quyết định", "2020-02-04", effective="2020-02-04", issuer="UBND tỉnh")
    site.document("qd-4", "4/QĐ-UBND", "Quyết định", "2020-02-05", effective="2020-02-05", issuer="UBND tỉnh",
                  expired_parts='["Điều 9"]', expiry_reason='"Hết thời hạn"')
    site.article("2026/mot-cua", title="Một cửa", date="2026-01-10",
                 body="Thực hiện Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ về một cửa.\n\n"
                      "Luật số 59/2020/QH14 ngày 17/6/2021 quy định doanh nghiệp.")
    site.article("2026/lich-su", title="Lịch sử", date="2026-01-11",
                 body="Nghị định số 61/2018/NĐ-CP trước đây quy định về một cửa.")
    site.article("2021/cu", title="Bài cũ", date="2021-01-11", body="Thực hiện Nghị định số 61/2018/NĐ-CP.")


@pytest.fixture
def built(site):
    write_index(site)
    run = site.build()
    assert run.code == 0, run.err
    return site, run


def test_statuses_are_computed_from_relations_and_dates(built):
    site, _ = built
    data = json.loads(site.read("van-ban/data.json"))
    status = {d["symbol"]: (d["status"]["code"], d["status"]["since"]) for d in data["documents"]}
    assert status == {
        "61/2018/NĐ-CP": ("het-hieu-luc", "2025-07-01"), "107/2021/NĐ-CP": ("het-hieu-luc", "2025-07-01"),
        "118/2025/NĐ-CP": ("con-hieu-luc", None), "59/2020/QH14": ("con-hieu-luc", None),
        "1/QĐ-UBND": ("het-hieu-luc", "2020-02-03"), "2/QĐ-UBND": ("con-hieu-luc", None),
        "3/QĐ-UBND": ("ngung-hieu-luc", "2020-02-03"), "4/QĐ-UBND": ("het-hieu-luc-mot-phan", None)}


def test_relations_both_ways_with_the_parts_concerned(built):
    site, _ = built
    record = json.loads(site.read("van-ban/61-2018-nd-cp/index.json"))
    assert [(r["relation"], r["label"], r["symbol"], r["parts"]) for r in record["relations"]] == [
        ("amended_by", "Được sửa đổi, bổ sung bởi", "107/2021/NĐ-CP", "Điều 5, khoản 2 Điều 7"),
        ("replaced_by", "Được thay thế bởi", "118/2025/NĐ-CP", None)]
    assert record["signer"] == {"name": "Nguyễn Xuân Phúc", "title": "Thủ tướng"}
    assert (record["scope"], record["gazetted"], record["sector"]) == ("Toàn quốc", "2018-05-05", "Nội vụ")
    page = site.read("van-ban/61-2018-nd-cp/index.html")
    assert "<dt>Được sửa đổi, bổ sung bởi</dt>" in page and "(Điều 5, khoản 2 Điều 7)</dd>" in page
    assert '<th scope="row">Người ký</th><td>Thủ tướng Nguyễn Xuân Phúc</td>' in page
    assert '<th scope="row">Ngày đăng công báo</th>' in page and '<th scope="row">Phạm vi</th><td>Toàn quốc</td>' in page
    qd4 = site.read("van-ban/4-qd-ubnd-2020/index.html")
    assert "Hết hiệu lực một phần</span>: Điều 9" in qd4
    assert "<dt>Bị hết hiệu lực một phần bởi</dt>" in qd4 and "(Điều 3)</dd>" in qd4
    assert "<dt>Bị đình chỉ bởi</dt>" in site.read("van-ban/3-qd-ubnd-2020/index.html")
    assert "<dt>Bị bãi bỏ bởi</dt>" in site.read("van-ban/1-qd-ubnd-2020/index.html")


def test_the_json_files_validate_against_the_schema_in_the_repo(built):
    site, _ = built
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    assert json.loads(site.read("van-ban/schema.json")) == schema
    files = ["van-ban/data.json"] + [p.relative_to(site.root / "output").as_posix()
                                     for p in sorted((site.root / "output" / "van-ban").glob("*/index.json"))]
    assert len(files) == 9
    for rel in files:
        errors = [e.message for e in validator.iter_errors(json.loads(site.read(rel)))]
        assert errors == [], rel
    # and the schema refuses what it should
    bad = json.loads(site.read("van-ban/61-2018-nd-cp/index.json"))
    bad["status"]["code"] = "con-hieu-luc-mot-phan"
    assert not validator.is_valid(bad)
    del bad["status"]
    assert not validator.is_valid(bad)


def check_atom(text: str) -> list[ET.Element]:
    """RFC 4287 checked structurally: the constraints of §4.1.1 (feed) and §4.1.2 (entry) that a
    generator can break: one id, title and updated each; an author on the feed (or on every
    entry); RFC 3339 dates; absolute IRIs for ids and links; at most one alternate link per type;
    unique entry ids; text constructs without markup; nothing but Atom's elements."""
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{ATOM}feed"
    date = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$")
    iri = re.compile(r"^[a-z][a-z0-9+.-]*:\S+$")
    known = {"author", "category", "contributor", "generator", "icon", "id", "link", "logo", "rights", "subtitle",
             "title", "updated", "entry"}

    def once(el: ET.Element, name: str) -> ET.Element:
        found = el.findall(f"{ATOM}{name}")
        assert len(found) == 1, f"{el.tag} must have exactly one {name}"
        return found[0]

    def links(el: ET.Element) -> None:
        alternates = set()
        for link in el.findall(f"{ATOM}link"):
            assert iri.match(link.get("href", "")), link.get("href")
            if link.get("rel", "alternate") == "alternate":
                key = (link.get("type"), link.get("hreflang"))
                assert key not in alternates, "two alternate links of one type"
                alternates.add(key)
        return alternates

    for name in ("id", "title", "updated"):
        once(root, name)
    assert iri.match(once(root, "id").text)
    assert date.match(once(root, "updated").text)
    assert {c.tag.replace(ATOM, "") for c in root} <= known
    links(root)
    feed_author = root.find(f"{ATOM}author")
    if feed_author is not None:
        assert once(feed_author, "name").text.strip()
    entries = root.findall(f"{ATOM}entry")
    ids = set()
    for e in entries:
        assert {c.tag.replace(ATOM, "") for c in e} <= {"author", "category", "content", "contributor", "id", "link",
                                                        "published", "rights", "source", "summary", "title", "updated"}
        eid = once(e, "id").text
        assert iri.match(eid) and eid not in ids
        ids.add(eid)
        assert once(e, "title").text.strip() and len(once(e, "title")) == 0
        assert date.match(once(e, "updated").text)
        assert feed_author is not None or e.find(f"{ATOM}author") is not None
        assert e.find(f"{ATOM}content") is not None or links(e), "an entry without content needs an alternate link"
        for c in e.findall(f"{ATOM}category"):
            assert c.get("term")
    return entries


def test_the_feed_of_index_changes_is_valid_atom(built):
    site, _ = built
    entries = check_atom(site.read("van-ban/feed.xml"))
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert set(titles[:3]) == {"Nghị định 118/2025/NĐ-CP có hiệu lực", "Nghị định 61/2018/NĐ-CP: Hết hiệu lực",
                               "Nghị định 107/2021/NĐ-CP: Hết hiệu lực"}     # all on 01/07/2025
    assert "Nghị định 61/2018/NĐ-CP được sửa đổi, bổ sung bởi Nghị định 107/2021/NĐ-CP" in titles
    assert "Quyết định 3/QĐ-UBND: Ngưng hiệu lực" in titles
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert check_atom(site.read("feed.xml"))       # the news feed keeps passing the same check
    page = site.read("van-ban/index.html")
    assert '<link rel="alternate" type="application/atom+xml"' in page and 'href="../van-ban/feed.xml"' in page


def test_json_ld_carries_the_relations(built):
    site, _ = built
    page = site.read("van-ban/118-2025-nd-cp/index.html")
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert ld["@type"] == "Legislation" and ld["legislationLegalForce"] == "https://schema.org/InForce"
    assert [x["legislationIdentifier"] for x in ld["legislationChanges"]] == ["61/2018/NĐ-CP", "107/2021/NĐ-CP"]
    assert [x["legislationIdentifier"] for x in ld["legislationRepeals"]] == ["61/2018/NĐ-CP", "107/2021/NĐ-CP"]
    assert [x["legislationIdentifier"] for x in ld["isBasedOn"]] == ["59/2020/QH14"]
    assert ld["legislationDateOfApplicability"] == "2025-07-01"
    old = site.read("van-ban/61-2018-nd-cp/index.html")
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', old, re.S).group(1))
    assert ld["legislationLegalForce"] == "https://schema.org/NotInForce"
    assert ld["author"] == {"@type": "Person", "name": "Nguyễn Xuân Phúc", "jobTitle": "Thủ tướng"}
    assert ld["legislationJurisdiction"] == "Toàn quốc"


def test_a_citation_of_an_ended_document_shows_its_successor(built):
    site, _ = built
    html = site.read("tin-tuc/mot-cua/index.html")
    assert ('<a class="cite" href="../../van-ban/61-2018-nd-cp/">Nghị định số 61/2018/NĐ-CP ngày 23/4/2018</a> '
            '<span class="cite-status">(Hết hiệu lực — thay thế bởi <a href="../../van-ban/118-2025-nd-cp/">'
            "Nghị định 118/2025/NĐ-CP</a>)</span>") in html
    assert 'cite-status' not in html.split("Luật số 59/2020/QH14")[1].split("</p>")[0]


def test_check_warns_of_ended_documents_cited_as_current_and_of_wrong_dates(built):
    site, _ = built
    run = site.check()
    lines = [x for x in run.err.splitlines() if "content/articles" in x]
    assert lines == [
        'content/articles/2026/mot-cua.md:7: warning: "Nghị định số 61/2018/NĐ-CP ngày 23/4/2018" is cited as '
        "current, but 61/2018/NĐ-CP ended on 01/07/2025 (replaced by 118/2025/NĐ-CP), before this text's date "
        "10/01/2026 (cite the document in force, or say that it has ended (… đã hết hiệu lực, được thay thế bởi …))",
        'content/articles/2026/mot-cua.md:9: warning: "Luật số 59/2020/QH14 ngày 17/6/2021" is dated 17/06/2021, '
        "but 59/2020/QH14 was issued on 17/06/2020 (content/documents/luat-59.md) (correct the date in the text, "
        "or 'issued:' in the document)"]


def test_a_relation_with_a_wrong_date_is_a_warning():
    _, problems = build(doc("a", "61/2018/NĐ-CP", "Nghị định", "23/04/2018"),
                        doc("b", "107/2021/NĐ-CP", "Nghị định", "06/12/2021",
                            amends=["Nghị định số 61/2018/NĐ-CP ngày 23/5/2018"]))
    assert shown(problems) == [
        'content/documents/b.md:10: warning: amends: "Nghị định số 61/2018/NĐ-CP ngày 23/5/2018" is dated '
        "23/05/2018, but 61/2018/NĐ-CP was issued on 23/04/2018 (content/documents/a.md) (correct the date in the "
        "text, or 'issued:' in the document)"]


def test_a_suspended_then_restored_reading_never_guesses():
    index, _ = build(doc("x", "5/QĐ-UBND", "Quyết định", "01/01/2021"),
                     doc("y", "6/QĐ-UBND", "Quyết định", "02/01/2021", suspends=["5/QĐ-UBND ngày 01/01/2021"]))
    assert index.facts["content/documents/x.md"].status == ""      # the suspension is not known to be in effect
    assert dt.date(2021, 6, 1)


def test_an_entry_s_own_expiry_still_names_what_replaced_it():
    """The sample's 61/2018/NĐ-CP says `expires: 2025-07-01` and 118/2025/NĐ-CP says it replaces it:
    the badge and `check` name the successor all the same."""
    index, problems = build(doc("a", "61/2018/NĐ-CP", "Nghị định", "23/04/2018", effective="21/06/2018",
                                expires="01/07/2025"),
                            doc("b", "118/2025/NĐ-CP", "Nghị định", "09/06/2025", effective="01/07/2025",
                                replaces=["Nghị định số 61/2018/NĐ-CP"]), today=dt.date(2026, 12, 3))
    facts = index.facts["content/documents/a.md"]
    assert (facts.status, facts.ended, facts.ended_by) == ("het-hieu-luc", dt.date(2025, 7, 1),
                                                           ["content/documents/b.md"])
    message, _hint = index.ended_problem("Nghị định số 61/2018/NĐ-CP", "content/documents/a.md",
                                         dt.date(2026, 11, 2), "")
    assert "(replaced by 118/2025/NĐ-CP)" in str(message)
    assert not shown(problems)


def test_a_document_s_open_data_leaves_its_page_s_body_to_the_search(monkeypatch):
    """van-ban/<slug>/index.json is a job of the document's source without a body: whatever the
    jobs' order, the search indexes the page's body, not an empty one."""
    from types import SimpleNamespace
    from cchc.render.templates import RAW, Job
    from cchc.search import indexer
    seen = {}
    monkeypatch.setattr(indexer, "records", lambda site, bodies, texts=None: seen.update(bodies) or [])
    page = Job("van-ban/a/index.html", "van-ban/a/", "document.html", {"body": "<p>một cửa</p>"},
               "content/documents/a.md")
    data = Job("van-ban/a/index.json", "van-ban/a/index.json", RAW, {"text": "{}"}, "content/documents/a.md")
    indexer.SearchIndex(None).update(SimpleNamespace(), [page, data])
    assert seen == {"content/documents/a.md": "<p>một cửa</p>"}
