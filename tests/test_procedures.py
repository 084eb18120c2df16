"""Administrative procedures (issue 24, part 2): content/procedures/*.md -> thu-tuc/ and one page
each, linked both ways with the document index, codes in articles linked to their page, and the
checks an editor meets (code shape, duplicates, a portal address built from the code)."""
from __future__ import annotations

import re

import pytest

from conftest import SiteFolder

PORTAL = "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc="


def procedure(site: SiteFolder, name: str, code: str, title: str = "Cấp Giấy chứng nhận thử", body: str = "",
              **extra) -> None:
    lines = [f'code: "{code}"', f'name: "{title}"'] + [f"{k}: {v}" for k, v in extra.items()]
    site.write(f"content/procedures/{name}.md", "---\n" + "\n".join(lines) + "\n---\n" + body + "\n")


@pytest.fixture
def procedures(site):
    site.document("95-2021-nd-cp", "95/2021/NĐ-CP", "Nghị định", "2021-11-01", title="Sửa đổi về kinh doanh xăng dầu")
    procedure(site, "2-000648", "2.000648", "Cấp Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu",
              field='"Lưu thông hàng hóa trong nước"', level='"Cấp tỉnh"', online='"Toàn trình"',
              time='"20 ngày làm việc"', fees='"Không"', portal_id="183327",
              legal_bases='["Nghị định số 95/2021/NĐ-CP", "Nghị định số 83/2014/NĐ-CP"]',
              body="Tóm tắt ngắn; toàn văn trên Cổng Dịch vụ công quốc gia.")
    procedure(site, "1-000948", "1.000948", "Cấp lại Giấy phép chế biến nguyên liệu thuốc lá",
              field='"Công nghiệp tiêu dùng"', online='"một phần"',
              portal_url=f'"{PORTAL}140183"')
    return site


def test_the_index_lists_every_procedure_without_javascript(procedures):
    run = procedures.build()
    assert run.code == 0, run.err
    html = procedures.read("thu-tuc/index.html")
    rows = re.findall(r"<tr data-linh-vuc=\"([^\"]*)\" data-cap=\"([^\"]*)\" data-muc-do=\"([^\"]*)\">(.*?)</tr>", html, re.S)
    assert [(field, online) for field, _, online, _ in rows] == [
        ("Công nghiệp tiêu dùng", "mot-phan"), ("Lưu thông hàng hóa trong nước", "toan-trinh")]
    assert 'href="../thu-tuc/2-000648/"' in html and 'href="../thu-tuc/1-000948/"' in html
    assert '<form class="filters" id="loc-thu-tuc" hidden>' in html     # the filters appear with JavaScript only
    assert "<option>Lưu thông hàng hóa trong nước</option>" in html
    assert 'aria-current="page">Tra cứu thủ tục</a>' in html          # the menu entry of the index


def test_a_procedure_page_summarises_links_out_and_to_its_legal_bases(procedures):
    assert procedures.build().code == 0
    html = procedures.read("thu-tuc/2-000648/index.html")
    assert "<h1>Cấp Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu</h1>" in html
    assert f'href="{PORTAL}183327"' in html                            # the portal's own number, as given
    assert '<a href="../../van-ban/95-2021-nd-cp/">Nghị định 95/2021/NĐ-CP</a>' in html
    assert "<li>Nghị định số 83/2014/NĐ-CP</li>" in html                # not in the index: shown as written
    assert "Toàn trình" in html and "20 ngày làm việc" in html
    # The other way: the document's page lists the procedures based on it.
    doc = procedures.read("van-ban/95-2021-nd-cp/index.html")
    assert '<a href="../../thu-tuc/2-000648/">Cấp Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu</a>' in doc
    other = procedures.read("thu-tuc/1-000948/index.html")
    assert f'href="{PORTAL}140183"' in other and "Một phần" in other


def test_a_code_in_an_article_links_to_its_procedure_but_not_in_headings_code_or_links(procedures):
    procedures.article("2021/xang-dau", title="Bán lẻ xăng dầu", body=(
        "Thủ tục 2.000648 đã có trên cổng; mã tỉnh 2.000648.000.00.00.H50 cũng vậy. Phí 1.200.000 đồng.\n\n"
        "## Thủ tục 2.000648\n\nMã `2.000648` và [thủ tục 2.000648](https://dichvucong.gov.vn/). "
        "Thủ tục 9.999999 chưa có."))
    assert procedures.build().code == 0
    html = procedures.read("tin-tuc/ban-le-xang-dau/index.html")
    body = html.split('<div class="body">', 1)[1].split("</div>", 1)[0]
    assert body.count('<a class="procedure" href="../../thu-tuc/2-000648/">') == 2
    assert '<a class="procedure" href="../../thu-tuc/2-000648/">2.000648.000.00.00.H50</a>' in body
    assert "<code>2.000648</code>" in body and ">Thủ tục 2.000648</h2>" in body
    assert ">thủ tục 2.000648</a>" in body and "1.200.000 đồng" in body and "9.999999 chưa" in body


@pytest.mark.parametrize("written, message", [
    ("2.648", '"2.648" is not a procedure code; write the code as in the national database, e.g. "2.000648"'),
    ("2.000648.000.00.00.H50", 'the national code is its first part: "2.000648"'),
])
def test_a_code_of_the_wrong_shape_is_an_error_with_the_fix(site, written, message):
    procedure(site, "sai", written)
    run = site.check()
    assert run.code == 1
    assert any(line.startswith("content/procedures/sai.md:2: error: code: ") and message in line for line in run.lines), run.lines


def test_a_code_used_twice_names_both_files(site):
    procedure(site, "a", "2.000648")
    procedure(site, "b", "2.000648", "Tên khác")
    run = site.check()
    assert run.code == 1
    assert 'content/procedures/b.md:2: error: code "2.000648" is already used by content/procedures/a.md ' \
           "(each procedure has one file; remove or merge the other)" in run.lines


def test_a_portal_address_holding_the_code_is_warned_about(site):
    procedure(site, "a", "2.000648", portal_url=f'"{PORTAL}2.000648"')
    run = site.check()
    assert run.code == 0
    assert any(line.startswith("content/procedures/a.md:4: warning: portal_url: ma_thu_tuc holds the procedure's code")
               for line in run.lines), run.lines


def test_no_procedures_no_index_and_no_menu_entry(site):
    assert site.build().code == 0
    assert not (site.root / "output" / "thu-tuc").exists()
    assert "Tra cứu thủ tục" not in site.read("index.html")


def test_the_sample_carries_only_cited_procedures(sample_site):
    """Each sample procedure names the page its facts come from, and no online level it cannot cite."""
    for path in sorted((sample_site.root / "content" / "procedures").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        assert re.search(r"^source: \"https://", text, re.M), path.name
        assert "online:" not in text, path.name
