"""The legal duties of this section, as data: what each asks, where the law says so (document,
article, clause, the words as read), from when to when that text is in force, and how to tell
from the section's files whether it is met. `python build.py check --compliance` prints it.

Where the research notes (/work/notes/legal-duties.md) or the issue (24) differ from the text,
the text wins; each such place is said on the duty it concerns. In short:
- Nghị định 42/2022/NĐ-CP is no longer in force from 01/7/2026: Nghị định 224/2026/NĐ-CP Điều 90
  khoản 2 điểm b ("Các nghị định sau hết hiệu lực … b) Nghị định số 42/2022/NĐ-CP …"). Its duties
  carry on only where 224/2026 or another text in force keeps them: the duties of English
  information (42/2022 Điều 7 khoản 2), print and save (Điều 7 khoản 1) and the fields of a
  legal document (Điều 4 khoản 1) are "not applicable" from that day. The text of 224/2026 was
  read in an unofficial copy only (a GitHub crawl of luatvietnam.vn, UNOFFICIAL below); the
  parent law, Luật Chuyển đổi số số 148/2025/QH15, takes effect on 01/7/2026 (pbgdpl.gov.vn).
- The accessibility rules the issue gives to Thông tư 26/2020/TT-BTTTT (text equivalents,
  contrast, no blinking) are in Thông tư 32/2017/TT-BTTTT Điều 18; 26/2020 Điều 5 only applies the
  standards of its annex, which was not found.
- The Dublin Core duty is Thông tư 24/2011/TT-BTTTT Điều 4 (the elements) and Điều 6 (the pages);
  no text repealing it was found.
- The national portal's address of a procedure uses the portal's own number, not the code
  (core/procedures.py): the duty asks for the address the editor gives.
- Whether Thông tư 22/2023/TT-BTTTT (from 05/4/2024) replaced articles of 32/2017 was not found in
  any text read; 32/2017's articles are applied, and said to be unverified.
The spokesperson duty of Nghị định 244/2026/NĐ-CP Điều 4 is left out: the only copies read are
marked incomplete by their own author and disagree on the signer.
"""
from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Callable

from cchc.core.messages import Message, _
from cchc.model.site import Site

# Where the texts were read. PHAP_DIEN: Bộ pháp điển (phapdien.moj.gov.vn) in a public mirror.
PHAP_DIEN = "https://github.com/diepxuan/diepxuan.github.io/blob/fbaa690e1c9ff35deabbf5e9a8b8830ce3d54048/van-ban/"
CNTT = PHAP_DIEN + "buu-chinh-vien-thong/cong-nghe-thong-tin.md"
TCTT = PHAP_DIEN + "thong-tin-bao-chi-xuat-ban/tiep-can-thong-tin.md"
ND224 = PHAP_DIEN + "hanh-chinh/224-2026-nd-cp-thi-hanh-luat-chuyen-doi-so.md"
LAWNET_ND42_ART7 = ("https://lawnet.vn/thong-tin-phap-luat/thong-bao-van-ban-moi/"
                    "cac-chuc-nang-ho-tro-co-ban-cua-cong-thong-tin-dien-tu-103052.html")
UNOFFICIAL = _("read in an unofficial copy only (a crawl of luatvietnam.vn); check it on vbpl.vn")
RESTATED = _("read as restated by a secondary page, not in the decree's own text")
ND42_END = dt.date(2026, 6, 30)
ND42_ENDED_BY = "Nghị định 224/2026/NĐ-CP Điều 90 khoản 2 điểm b"


@dataclass(frozen=True)
class Source:
    """One legal text a duty rests on, in force from `start` to `end` (None: no end found)."""
    document: str
    article: str
    quote: str                 # the words, as read at `url`
    url: str
    start: dt.date
    end: dt.date | None = None
    ended_by: str = ""         # the text that ended it
    caveat: Message | str = ""   # how far the reading can be trusted

    def in_force(self, on: dt.date) -> bool:
        return self.start <= on and (self.end is None or on <= self.end)

    def cite(self) -> str:
        return f"{self.document} {self.article}"


@dataclass(frozen=True)
class Gap:
    """Something a duty needs that the section lacks, and where to supply it."""
    what: Message | str      # what is missing, when `fill` does not say it
    fill: str                # the file or site.yaml key to fill


@dataclass(frozen=True)
class Duty:
    key: str                                     # also the key under compliance: in site.yaml
    title: Message
    sources: tuple[Source, ...]
    check: Callable[["Facts"], list[Gap]]        # the section's gaps for this duty (none: met)
    portal: bool = False                         # may be met by a page of the portal (site.yaml compliance:)
    after: Message | str = ""                    # what became of it once its texts ended


@dataclass
class Facts:
    """What the checks look at: the model, the layouts' text (name -> text) and site.yaml's
    portal pages (compliance:)."""
    site: Site
    layouts: dict[str, str]
    portal_pages: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    duty: Duty
    status: str                    # PRESENT, MISSING or NOT_APPLICABLE
    applying: tuple[Source, ...]   # the sources in force on the day (all of them when none is)
    gaps: tuple[Gap, ...] = ()
    portal_page: str = ""          # met by this page of the portal (site.yaml compliance:)


PRESENT, MISSING, NOT_APPLICABLE = "present", "missing", "n/a"

# --- the sources ---------------------------------------------------------------------------

ND42_ORGANISATION = Source(
    "Nghị định 42/2022/NĐ-CP", "Điều 4 khoản 1 điểm e",
    "cổng thông tin điện tử của cơ quan nhà nước phải bảo đảm cung cấp thông tin về chức năng, nhiệm vụ, quyền "
    "hạn, cơ cấu tổ chức, sơ đồ tổ chức của cơ quan và của đơn vị trực thuộc; địa chỉ, số điện thoại, số fax, địa "
    "chỉ thư điện tử của cơ quan nhà nước; họ tên, chức vụ, đơn vị công tác, số điện thoại, địa chỉ thư điện tử "
    "chính thức của cán bộ, công chức làm đầu mối liên hệ",
    "https://tracuuquyhoach.com/tin-tuc/nha-dat/trang-52942194", dt.date(2022, 8, 15), ND42_END, ND42_ENDED_BY,
    RESTATED)
ND224_ORGANISATION = Source(
    "Nghị định 224/2026/NĐ-CP", "Điều 9 khoản 1 điểm b",
    "cơ quan chuyên môn thuộc Ủy ban nhân dân cấp tỉnh phải bảo đảm có các thông tin về sơ đồ, cơ cấu tổ chức, "
    "chức năng, nhiệm vụ, quyền hạn của cơ quan, đơn vị trực thuộc; tóm lược quá trình hình thành và phát triển "
    "của cơ quan; tiểu sử tóm tắt và nhiệm vụ đảm nhiệm của lãnh đạo cơ quan", ND224, dt.date(2026, 7, 1),
    caveat=UNOFFICIAL)
LAW_TCTT_PORTAL_INFO = Source(
    "Luật Tiếp cận thông tin số 104/2016/QH13", "Điều 19 khoản 1 điểm đ",
    "Thông tin về chức năng, nhiệm vụ, quyền hạn, cơ cấu tổ chức, sơ đồ tổ chức của cơ quan và của đơn vị trực "
    "thuộc; địa chỉ, số điện thoại, số fax, địa chỉ thư điện tử của cơ quan nhà nước, người làm đầu mối tiếp nhận "
    "yêu cầu cung cấp thông tin", TCTT, dt.date(2018, 7, 1))
LAW_TCTT_DOCUMENTS = Source(
    "Luật Tiếp cận thông tin số 104/2016/QH13", "Điều 19 khoản 1 điểm a",
    "Văn bản quy phạm pháp luật; … thủ tục hành chính, quy trình giải quyết công việc của cơ quan nhà nước",
    TCTT, dt.date(2018, 7, 1))
ND42_DOCUMENTS = Source(
    "Nghị định 42/2022/NĐ-CP", "Điều 4 khoản 1",
    "Văn bản quy phạm pháp luật và văn bản quản lý hành chính … nêu rõ: hình thức văn bản, thẩm quyền ban hành, số "
    "ký hiệu, ngày ban hành, ngày hiệu lực, trích yếu, tệp văn bản cho phép tải về, cung cấp công cụ tìm kiếm văn bản",
    "https://baomoi.net.vn/cac-kenh-cung-cap-thong-tin-cua-co-quan-nha-nuoc-tren-mang-c43021472.epi",
    dt.date(2022, 8, 15), ND42_END, ND42_ENDED_BY, RESTATED)
ND42_PROCEDURES = Source(
    "Nghị định 42/2022/NĐ-CP", "Điều 4 khoản 1",
    "Thủ tục hành chính, dịch vụ công trực tuyến, quy trình giải quyết công việc của cơ quan nhà nước tuân thủ các "
    "quy định của pháp luật, bảo đảm thống nhất, tích hợp từ Cổng Dịch vụ công quốc gia, Cổng dịch vụ công cấp bộ, "
    "cấp tỉnh", "https://baomoi.net.vn/cac-kenh-cung-cap-thong-tin-cua-co-quan-nha-nuoc-tren-mang-c43021472.epi",
    dt.date(2022, 8, 15), ND42_END, ND42_ENDED_BY, RESTATED)
ND224_PROCEDURES = Source(
    "Nghị định 224/2026/NĐ-CP", "Điều 9 khoản 1 điểm a",
    "Thủ tục hành chính, dịch vụ công trực tuyến, quy trình giải quyết công việc của cơ quan nhà nước tuân thủ các "
    "quy định của pháp luật, bảo đảm thống nhất, tích hợp từ Cổng Dịch vụ công quốc gia", ND224, dt.date(2026, 7, 1),
    caveat=UNOFFICIAL)
ND13_SECTION = Source(
    "Nghị định 13/2018/NĐ-CP", "Điều 11 khoản 1",
    "Cơ quan cung cấp thông tin có trách nhiệm xây dựng Chuyên mục về tiếp cận thông tin thuộc Cổng thông tin điện "
    "tử, Trang thông tin điện tử của cơ quan mình để đăng tải Danh mục thông tin phải được công khai, thông tin về "
    "đầu mối cung cấp thông tin cho công dân, địa chỉ tiếp nhận yêu cầu cung cấp thông tin qua mạng điện tử và tiếp "
    "nhận phản ánh, kiến nghị, khiếu nại, tố cáo của công dân về tiếp cận thông tin; các mẫu phiếu sử dụng trong "
    "cung cấp thông tin; các hướng dẫn, tài liệu để hỗ trợ người yêu cầu cung cấp thông tin; địa chỉ truy cập để tải "
    "thông tin (nếu có)", TCTT, dt.date(2018, 7, 1))
TT32_HEADER = Source(
    "Thông tư 32/2017/TT-BTTTT", "Điều 16 khoản 3 điểm a",
    "Đầu đề giới thiệu là phần trên cùng của trang chủ với các thông tin cơ bản: hình Quốc huy hoặc biểu trưng của "
    "cơ quan và tên đầy đủ của cơ quan bằng tiếng Việt với kiểu chữ chân phương", CNTT, dt.date(2018, 6, 1),
    caveat=_("whether Thông tư 22/2023/TT-BTTTT replaced this article was not found in any text read"))
TT32_FOOTER = Source(
    "Thông tư 32/2017/TT-BTTTT", "Điều 16 khoản 3 điểm c",
    "Các thông tin của cơ quan chủ quản cổng thông tin điện tử tối thiểu cần có bao gồm: tên đơn vị, người chịu "
    "trách nhiệm, địa chỉ, số điện thoại liên hệ, địa chỉ thư điện tử của đơn vị", CNTT, dt.date(2018, 6, 1),
    caveat=TT32_HEADER.caveat)
TT32_SITEMAP = Source(
    "Thông tư 32/2017/TT-BTTTT", "Điều 16 khoản 4 điểm b",
    "sơ đồ cổng thông tin điện tử phải thể hiện đầy đủ, chính xác cấu trúc các hạng mục thông tin, dịch vụ của cổng "
    "thông tin điện tử dưới cấu trúc hình cây dạng văn bản cho người sử dụng, dạng một tập tin XML cho máy tìm kiếm",
    CNTT, dt.date(2018, 6, 1), caveat=TT32_HEADER.caveat)
TT32_MOBILE = Source(
    "Thông tư 32/2017/TT-BTTTT", "Điều 17 khoản 1",
    "Cổng thông tin điện tử của cơ quan nhà nước phải hỗ trợ việc truy cập từ các thiết bị di động tối thiểu đối với "
    "các hạng mục Thông tin chủ yếu", CNTT, dt.date(2018, 6, 1), caveat=TT32_HEADER.caveat)
ND224_CHANNELS = Source(
    "Nghị định 224/2026/NĐ-CP", "Điều 10 khoản 3",
    "a) Bảo đảm thuận tiện trên nhiều phương tiện truy cập khác nhau, bao gồm cả thiết bị di động; … c) … áp dụng "
    "các tiêu chuẩn, công nghệ hỗ trợ người khuyết tật tiếp cận, sử dụng sản phẩm, dịch vụ thông tin và truyền thông",
    ND224, dt.date(2026, 7, 1), caveat=UNOFFICIAL)
TT32_DISABILITY = Source(
    "Thông tư 32/2017/TT-BTTTT", "Điều 18 khoản 1",
    "a) Bảo đảm màu sắc và độ tương phản hợp lý …; b) Không sử dụng chữ hay đối tượng nhấp nháy, chữ tự động chuyển "
    "động …; c) Cung cấp thông tin tương đương: cung cấp dòng văn bản (text) mô tả nội dung thông tin tương đương cho "
    "các đối tượng không phải là văn bản như biểu tượng, hình ảnh …", CNTT, dt.date(2018, 6, 1),
    caveat=TT32_HEADER.caveat)
TT26_STANDARDS = Source(
    "Thông tư 26/2020/TT-BTTTT", "Điều 5 khoản 1",
    "Trang thông tin điện tử/Cổng thông tin điện tử/Cổng Dịch vụ công của cơ quan, tổ chức quy định tại khoản 2 và "
    "khoản 3, Điều 2 Thông tư này áp dụng các tiêu chuẩn, công nghệ hỗ trợ người khuyết tật tiếp cận … tại Phụ lục "
    "của Thông tư này", CNTT, dt.date(2021, 1, 1), caveat=_("its annex (the standards) was not found"))
TT24_ELEMENTS = Source(
    "Thông tư 24/2011/TT-BTTTT", "Điều 4 khoản 1; Điều 6",
    "Các yếu tố bắt buộc sử dụng bao gồm: tiêu đề, người tạo, thời gian, mô tả, cơ quan ban hành và yếu tố định danh "
    "(Điều 4 khoản 1); pages: Trang chủ …; Toàn bộ tin, bài …; Các trang thông tin về: a) Văn bản quy phạm pháp luật "
    "và văn bản quản lý hành chính; b) Dịch vụ công trực tuyến … (Điều 6)", CNTT, dt.date(2011, 11, 15),
    caveat=_("no repeal was found; it implemented Nghị định 43/2011/NĐ-CP, itself replaced in 2022"))
ND224_METADATA = Source(
    "Nghị định 224/2026/NĐ-CP", "Điều 11 khoản 5",
    "cung cấp các dữ liệu đặc tả cho cổng thông tin điện tử của cơ quan nhà nước để hỗ trợ tìm kiếm, trao đổi và "
    "chia sẻ thông tin", ND224, dt.date(2026, 7, 1), caveat=UNOFFICIAL)
ND42_PRINT = Source(
    "Nghị định 42/2022/NĐ-CP", "Điều 7 khoản 1",
    "Cung cấp chức năng in ấn và lưu trữ cho mỗi tin, bài", LAWNET_ND42_ART7, dt.date(2022, 8, 15), ND42_END,
    ND42_ENDED_BY, RESTATED)
ND42_ENGLISH = Source(
    "Nghị định 42/2022/NĐ-CP", "Điều 7 khoản 2",
    "Cơ quan nhà nước phải bảo đảm cung cấp các thông tin bằng tiếng Anh gồm: Cơ cấu tổ chức, chức năng, nhiệm vụ, "
    "quyền hạn của cơ quan đó và của từng đơn vị trực thuộc; Thông tin liên hệ của cán bộ, công chức có thẩm quyền",
    LAWNET_ND42_ART7, dt.date(2022, 8, 15), ND42_END, ND42_ENDED_BY, RESTATED)
ND224_DOMAIN = Source(
    "Nghị định 224/2026/NĐ-CP", "Điều 11 khoản 4 điểm b",
    "Cơ quan chuyên môn thuộc Ủy ban nhân dân cấp tỉnh sử dụng tên miền cấp 4 có dạng: tencoquan.tentinhthanh.gov.vn",
    ND224, dt.date(2026, 7, 1), caveat=UNOFFICIAL)

# --- the checks ----------------------------------------------------------------------------


def _page(slug: str, lang: str = "") -> Callable[[Facts], list[Gap]]:
    """A fixed page with this slug; in `lang`, the file content/pages/<lang>/<slug>.md (a
    translation is named after the page it translates; its slug is English)."""
    where = f"content/pages/{lang + '/' if lang else ''}{slug}.md"

    def check(facts: Facts) -> list[Gap]:
        if lang:
            found = any(p.source == where for p in facts.site.translations.pages)
        else:
            found = any(p.slug == slug for p in facts.site.pages)
        return [] if found else [Gap("", where)]
    return check


def _settings(*keys: str) -> Callable[[Facts], list[Gap]]:
    """site.yaml keys that must be set (organization.phone, responsible.person, logo…)."""
    def check(facts: Facts) -> list[Gap]:
        s = facts.site.settings
        gaps = []
        for key in keys:
            value = s
            for part in key.split("."):
                value = getattr(value, part, "") if value is not None else ""
            if not value:
                gaps.append(Gap("", f"site.yaml {key}"))
        return gaps
    return check


def _all(*checks: Callable[[Facts], list[Gap]]) -> Callable[[Facts], list[Gap]]:
    return lambda facts: [g for c in checks for g in c(facts)]


def _header(facts: Facts) -> list[Gap]:
    s = facts.site.settings
    gaps = _settings("organization.name")(facts)
    if not (s.logo or s.banner):
        gaps.append(Gap(_("the national emblem or the department's logo, a picture in content/images/"),
                        "site.yaml logo"))
    return gaps


def _documents(facts: Facts) -> list[Gap]:
    return [] if facts.site.documents else [Gap("", "content/documents/*.md")]


def _document_fields(facts: Facts) -> list[Gap]:
    """Nghị định 42/2022 Điều 4 khoản 1: ngày hiệu lực and a file to download, on every document
    (type, issuer, number, issue date and trích yếu are required by the index itself)."""
    gaps = []
    for d in facts.site.documents:
        if d.effective is None:
            gaps.append(Gap(d.symbol, f"{d.source} effective"))
        if not d.attachments:
            gaps.append(Gap(d.symbol, f"{d.source} attachments"))
    return gaps


def _procedures(facts: Facts) -> list[Gap]:
    index = facts.site.procedures
    if not index:
        return [Gap("", "content/procedures/*.md")]
    return [Gap(_("or portal_id: its page on the national public-service portal"), f"{p.source} portal_url")
            for p in index.items if not p.portal_url]


def _markup(*needles: tuple[str, str]) -> Callable[[Facts], list[Gap]]:
    """(text, layout file): markup a layout must keep (a meta tag, the print button)."""
    return lambda facts: [Gap(text, f"layouts/{where}") for text, where in needles
                          if text not in facts.layouts.get(where, "")]


def _templates(*names: str) -> Callable[[Facts], list[Gap]]:
    return lambda facts: [Gap("", f"layouts/{n}") for n in names if n not in facts.layouts]


_DOMAIN = re.compile(r"[a-z0-9-]+\.[a-z0-9-]+\.gov\.vn")


def _domain(facts: Facts) -> list[Gap]:
    host = urllib.parse.urlsplit(facts.site.settings.base_url).hostname or ""
    return [] if _DOMAIN.fullmatch(host) else [Gap(_("a domain of the form tencoquan.tentinhthanh.gov.vn, not {host}",
                                                      host=host), "site.yaml base_url")]


def _english(facts: Facts) -> list[Gap]:
    gaps = [] if "en" in facts.site.settings.languages else [Gap("", "site.yaml languages: [vi, en]")]
    return gaps + _page("co-cau-to-chuc", "en")(facts) + _settings("english.organization")(facts)


NOT_IN_ND224 = _("Nghị định 224/2026/NĐ-CP, which replaced it, has no such duty in Điều 9–11 (its provisions on "
                 "information)")
DC_ELEMENTS = ("DC.title", "DC.creator", "DC.date", "DC.description", "DC.publisher", "DC.identifier")

# --- the duties ------------------------------------------------------------------------------

DUTIES: tuple[Duty, ...] = (
    # ND 224/2026 Điều 9 khoản 1 điểm b; Luật TCTT Điều 19 khoản 1 điểm đ (quoted in the sources).
    Duty("co-cau-to-chuc", _("Organisation: chart, structure, functions, duties and powers; the department's history"),
         (ND224_ORGANISATION, LAW_TCTT_PORTAL_INFO, ND42_ORGANISATION), _page("co-cau-to-chuc"), portal=True),
    # ND 224/2026 Điều 9 khoản 1 điểm b: "tiểu sử tóm tắt và nhiệm vụ đảm nhiệm của lãnh đạo cơ quan".
    Duty("lanh-dao", _("The leaders: short biographies and the tasks each is in charge of"),
         (ND224_ORGANISATION,), _page("lanh-dao"), portal=True),
    # Luật TCTT Điều 19 khoản 1 điểm đ: "địa chỉ, số điện thoại, số fax, địa chỉ thư điện tử của cơ quan nhà nước";
    # the fax is shown when set but not required: not every department still has one.
    Duty("lien-he", _("The department's address, telephone and e-mail"),
         (LAW_TCTT_PORTAL_INFO, ND42_ORGANISATION),
         _settings("organization.address", "organization.phone", "organization.email"), portal=True),
    # TT 32/2017 Điều 16 khoản 3 điểm a (the issue does not name it; the text asks for the emblem or logo).
    Duty("dau-trang", _("Header: the national emblem or the department's logo, and its full name in Vietnamese"),
         (TT32_HEADER,), _header),
    # TT 32/2017 Điều 16 khoản 3 điểm c: "tên đơn vị, người chịu trách nhiệm, địa chỉ, số điện thoại liên hệ, …".
    Duty("chan-trang", _("Footer: unit, person responsible, address, telephone, e-mail"),
         (TT32_FOOTER,), _settings("organization.name", "responsible.person", "organization.address",
                                   "organization.phone", "organization.email")),
    # ND 13/2018 Điều 11 khoản 1 (the "Art. 11 as reported" is the text).
    Duty("tiep-can-thong-tin", _("Access to information: the list of information to publish, the contact point, "
                                 "the address for requests, the request forms"), (ND13_SECTION,), _page("tiep-can-thong-tin"), portal=True),
    # Luật TCTT Điều 19 khoản 1 điểm a. The search tool (42/2022) is built in: van-ban/'s filters and tim-kiem/.
    Duty("van-ban", _("Legal documents, searchable"), (LAW_TCTT_DOCUMENTS, ND42_DOCUMENTS), _documents),
    # ND 42/2022 Điều 4 khoản 1, ended on 30/6/2026: every document with its effective date and a file.
    Duty("van-ban-thuoc-tinh", _("Each legal document with its effective date and a file to download"),
         (ND42_DOCUMENTS,), _document_fields, after=NOT_IN_ND224),
    # ND 224/2026 Điều 9 khoản 1 điểm a: "tích hợp từ Cổng Dịch vụ công quốc gia"; linked, never copied.
    Duty("thu-tuc", _("Administrative procedures, linked to the national public-service portal"),
         (ND224_PROCEDURES, LAW_TCTT_DOCUMENTS, ND42_PROCEDURES), _procedures, portal=True),
    # TT 24/2011 Điều 4 khoản 1 and Điều 6; ND 224/2026 Điều 11 khoản 5 keeps a metadata duty.
    Duty("dublin-core", _("Dublin Core metadata on the home page, news, document and procedure pages"),
         (TT24_ELEMENTS, ND224_METADATA), _markup(*((f'name="{e}"', "base.html") for e in DC_ELEMENTS))),
    # TT 32/2017 Điều 18 khoản 1 (the rules the issue credits to TT 26/2020); TT 26/2020 Điều 5 khoản 1. The
    # build refuses a picture without its text (image_alt, ![text](…)); the layouts are checked with axe-core
    # (WCAG 2.1 AA) by the tests; here: the page's language and the way past the menus, which a layout could lose.
    Duty("khuyet-tat", _("Access for people with disabilities: text equivalents, contrast, no blinking"),
         (TT32_DISABILITY, TT26_STANDARDS, ND224_CHANNELS),
         _markup(('<html lang="', "base.html"), ('class="skip" href="#noi-dung"', "base.html"))),
    Duty("di-dong", _("Readable on mobile devices"), (TT32_MOBILE, ND224_CHANNELS),
         _markup(('name="viewport"', "base.html"))),
    Duty("so-do", _("A site map: a tree for readers and an XML file for search engines"), (TT32_SITEMAP,),
         _templates("sitemap-page.html", "sitemap.xml")),
    Duty("ten-mien", _("The portal's domain name"), (ND224_DOMAIN,), _domain),
    # ND 42/2022 Điều 7 khoản 1, ended on 30/6/2026; the print button stays.
    Duty("in-luu", _("Print and save on every article"), (ND42_PRINT,), _markup(("data-print", "article.html")),
         after=NOT_IN_ND224),
    # ND 42/2022 Điều 7 khoản 2, ended on 30/6/2026: no English duty was found in ND 224/2026 Điều 9–11.
    Duty("tieng-anh", _("Organisation and contacts in English"), (ND42_ENGLISH,), _english, after=NOT_IN_ND224),
)


def evaluate(facts: Facts, on: dt.date) -> list[Finding]:
    """Each duty's status on the day `on`."""
    out = []
    for duty in DUTIES:
        applying = tuple(s for s in duty.sources if s.in_force(on))
        page = facts.portal_pages.get(duty.key, "") if duty.portal else ""
        gaps = () if page else tuple(duty.check(facts))
        if not applying:       # every text ended, or none is in force yet: show them with their dates
            out.append(Finding(duty, NOT_APPLICABLE, duty.sources, gaps, page))
        else:
            out.append(Finding(duty, MISSING if gaps else PRESENT, applying, gaps, page))
    return out


def duty_keys() -> tuple[str, ...]:
    return tuple(d.key for d in DUTIES)
