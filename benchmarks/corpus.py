#!/usr/bin/env python3
"""A made-up CCHC section, the same every time: articles and legal documents for tests and benchmarks.

    python3 benchmarks/corpus.py --articles N --documents M --flavor project|hugo|pelican --out DIR [--seed S]

Writes DIR/articles/YYYY/<slug>.md and DIR/documents/<slug>.md. The three flavours hold the same
text and differ only in the header: `project` is the front matter of our content contract
(DESIGN.md §5; plus DIR/site-fragment.yaml with the categories and document types a site.yaml
needs), `hugo` the YAML front matter Hugo reads (`categories`, an ISO date; the document type as
`doc_type`, since Hugo reserves `type`), `pelican` Pelican's `Key: value` header (Pelican
reserves `Status` and `Type`, hence `Legal_status` and `Doc_type`).

Why our own and not a copy of another generator: the tests need nothing outside the
repository, and the corpus must exercise what this engine does with a section (citations in
text and in `documents:`, numbers of every common shape, yearless numbers shared by two years,
relations and the statuses they imply), while staying stable: same arguments, same bytes.

What makes it stable. Each article draws from its own random stream (seed and index), so the
first N articles are the same whatever --articles says; documents come from one stream of
their own, so --articles never changes them. Dates end in 2025 and every status written is
the one the build computes from the dates and relations, so a build of any flavour gives no
warning today and in the years to come. Standard library only; all text NFC.

Bodies: most are plain prose in the grammar cchc/markdown/prose.py writes directly
(paragraphs, `## headings`, `- ` lists, links, pipe tables), as real articles are; about one
in twelve also holds other markup (bold, a numbered list, a quotation, an `&`), which goes to
Python-Markdown. benchmarks/README.md gives the measured share and why.
"""
from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import random
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

FLAVORS = ("project", "hugo", "pelican")
TZ = dt.timezone(dt.timedelta(hours=7))          # Asia/Ho_Chi_Minh, without tzdata
FIRST_YEAR, LAST_YEAR = 2019, 2025               # articles; documents start earlier
DOCS_FROM = 2008
OTHER_MARKUP = 0.08                              # share of articles with markup prose.py leaves alone
PROVINCE = "tỉnh Quảng Ngãi"

# --- the section's vocabulary ------------------------------------------------------------

CATEGORIES = [   # key, name, description: as in a site.yaml
    ("chu-truong-chinh-sach", "Chủ trương, chính sách", "Chủ trương của Đảng, chính sách, pháp luật của Nhà nước về cải cách hành chính."),
    ("tin-hoat-dong", "Tin hoạt động", "Hoạt động cải cách hành chính của Sở và các đơn vị."),
    ("thu-tuc-hanh-chinh", "Thủ tục hành chính", "Công bố, rà soát, đơn giản hóa thủ tục hành chính; một cửa, một cửa liên thông."),
    ("dich-vu-cong-truc-tuyen", "Dịch vụ công trực tuyến", "Hướng dẫn và kết quả cung cấp dịch vụ công trực tuyến."),
    ("chi-so-cchc", "Chỉ số cải cách hành chính", "PAR INDEX, SIPAS, PAPI và PCI của tỉnh và của Sở."),
    ("chuyen-doi-so", "Chuyển đổi số", "Chính quyền điện tử, chính quyền số và chuyển đổi số trong cơ quan nhà nước."),
    ("kiem-tra-cong-vu", "Kiểm tra công vụ", "Kỷ luật, kỷ cương hành chính và văn hóa công vụ."),
]
UNITS = ["Sở Công Thương", "Văn phòng Sở", "Thanh tra Sở", "Phòng Quản lý thương mại", "Phòng Quản lý công nghiệp",
         "Phòng Quản lý năng lượng", "Chi cục Quản lý thị trường", "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp",
         "Bộ phận Một cửa của Sở", "Trung tâm Phục vụ hành chính công tỉnh", "UBND huyện Bình Sơn",
         "UBND huyện Tư Nghĩa", "UBND thị xã Đức Phổ", "UBND thành phố Quảng Ngãi", "Sở Nội vụ",
         "Sở Thông tin và Truyền thông", "Sở Kế hoạch và Đầu tư", "Văn phòng UBND tỉnh"]
ACTIONS = ["đã triển khai", "tiếp tục đẩy mạnh", "tập trung thực hiện", "rà soát", "cập nhật", "quán triệt",
           "kiểm tra", "hoàn thành", "theo dõi, đôn đốc", "tăng cường", "chỉ đạo quyết liệt", "phối hợp thực hiện",
           "đánh giá kết quả", "công khai", "điều chỉnh", "chuẩn hóa", "tổ chức tập huấn về", "sơ kết"]
MATTERS = ["công tác cải cách hành chính", "việc giải quyết thủ tục hành chính", "dịch vụ công trực tuyến toàn trình",
           "cơ chế một cửa, một cửa liên thông", "hệ thống quản lý văn bản và điều hành", "Chỉ số PAR INDEX",
           "Chỉ số hài lòng SIPAS", "Chỉ số PAPI", "Chỉ số năng lực cạnh tranh cấp tỉnh", "chính quyền số",
           "chuyển đổi số trong cơ quan nhà nước", "việc số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
           "thanh toán trực tuyến phí, lệ phí", "hệ thống quản lý chất lượng theo TCVN ISO 9001:2015",
           "kỷ luật, kỷ cương hành chính", "văn hóa công vụ", "Cổng Dịch vụ công quốc gia",
           "Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh", "chữ ký số chuyên dùng",
           "quy trình nội bộ giải quyết thủ tục hành chính", "thủ tục về đất đai cho dự án công nghiệp",
           "việc tiếp nhận, xử lý phản ánh, kiến nghị", "Đề án 06 về dữ liệu dân cư", "cụm công nghiệp",
           "thủ tục cấp giấy phép kinh doanh", "công tác tuyên truyền cải cách hành chính"]
PURPOSES = ["theo đúng kế hoạch đề ra", "nhằm nâng cao sự hài lòng của người dân và doanh nghiệp",
            "trên địa bàn tỉnh", "góp phần cải thiện môi trường đầu tư, kinh doanh", "bảo đảm công khai, minh bạch",
            "đúng quy định của pháp luật", "giảm thời gian và chi phí cho người dân",
            "theo hướng hiện đại, chuyên nghiệp", "gắn với trách nhiệm của người đứng đầu",
            "tạo chuyển biến rõ nét so với cùng kỳ", "để phục vụ người dân ngày càng tốt hơn",
            "trong thời gian sớm nhất"]
OPENINGS = ["Trong năm {y}", "Thời gian qua", "Trong quý {q} năm {y}", "Sáu tháng đầu năm {y}", "Bên cạnh đó",
            "Tuy nhiên", "Đáng chú ý", "Ngoài ra", "Để khắc phục những hạn chế", "Từ đầu năm đến nay",
            "Theo báo cáo của {unit}"]
FIGURES = ["tỷ lệ hồ sơ giải quyết đúng hạn đạt {p}%", "{unit} đã tiếp nhận {n} hồ sơ, trong đó {p}% nộp trực tuyến",
           "Chỉ số PAR INDEX của tỉnh đạt {s} điểm, tăng {k} bậc so với năm trước",
           "mức độ hài lòng của người dân, tổ chức đạt {p}%", "đã số hóa {n} hồ sơ, kết quả giải quyết thủ tục hành chính",
           "có {k} thủ tục hành chính được cung cấp trực tuyến toàn trình", "{k} thủ tục hành chính được đơn giản hóa",
           "thời gian giải quyết bình quân giảm còn {k} ngày làm việc"]
EVENTS = ["hội nghị sơ kết công tác cải cách hành chính", "hội nghị tập huấn kỹ năng giao tiếp, ứng xử",
          "buổi đối thoại với doanh nghiệp", "đợt kiểm tra công vụ", "lớp tập huấn sử dụng chữ ký số",
          "hội nghị triển khai Kế hoạch cải cách hành chính", "buổi làm việc với Đoàn kiểm tra của tỉnh",
          "hội thi tìm hiểu về cải cách hành chính"]
PEOPLE = ["Nguyễn Văn Hùng", "Trần Thị Thu Hà", "Lê Minh Tuấn", "Phạm Thị Ngọc Ánh", "Võ Thanh Sơn",
          "Huỳnh Đức Thắng", "Đặng Thị Mỹ Linh", "Bùi Quốc Việt", "Đỗ Hoàng Long", "Phan Thị Kim Oanh",
          "Ngô Quang Vinh", "Dương Thị Bích Thủy"]
POSTS = ["Giám đốc Sở", "Phó Giám đốc Sở", "Chánh Văn phòng Sở", "Chánh Thanh tra Sở", "Trưởng phòng Quản lý thương mại"]
PLACES = ["Đà Nẵng", "Quảng Nam", "Bình Định", "Thừa Thiên Huế", "Khánh Hòa", "Quảng Ninh"]
TAGS = ["CCHC", "TTHC", "một cửa", "dịch vụ công", "PAR INDEX", "SIPAS", "PAPI", "PCI", "chuyển đổi số",
        "ISO 9001", "Đề án 06", "chính quyền số", "thanh toán trực tuyến", "số hóa", "Quảng Ngãi", "Sở Công Thương",
        "kiểm tra công vụ", "kỷ cương hành chính", "văn hóa công vụ", "chữ ký số", "đất đai", "doanh nghiệp"]
HEADINGS = ["Kết quả nổi bật", "Những tồn tại, hạn chế", "Nhiệm vụ, giải pháp trọng tâm", "Đẩy mạnh chuyển đổi số",
            "Nâng cao chất lượng phục vụ", "Kiến nghị, đề xuất", "Tình hình triển khai", "Một số kết quả đạt được",
            "Kiểm soát thủ tục hành chính", "Cải cách tổ chức bộ máy", "Phương hướng thời gian tới",
            "Ý kiến của người dân, doanh nghiệp"]
LINKS = [("Cổng Dịch vụ công quốc gia", "https://dichvucong.gov.vn"),
         ("Cổng Dịch vụ công tỉnh Quảng Ngãi", "https://dichvucong.quangngai.gov.vn"),
         ("Cơ sở dữ liệu quốc gia về thủ tục hành chính", "https://csdl.dichvucong.gov.vn")]
FIELDS = ["Cải cách hành chính", "Thủ tục hành chính", "Công nghệ thông tin", "Bộ máy hành chính", "Thương mại",
          "Công nghiệp", "Năng lượng", "Tài chính nhà nước", "Chuyển đổi số", "Đất đai"]
DOMAINS = [f for f in FIELDS if "hành chính" not in f]       # "thủ tục hành chính lĩnh vực …" of these
TOPICS = ["cải cách hành chính nhà nước giai đoạn 2021 - 2030", "kiểm soát thủ tục hành chính",
          "thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính",
          "thực hiện thủ tục hành chính trên môi trường điện tử", "đánh giá, xếp hạng Chỉ số cải cách hành chính",
          "đo lường sự hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước",
          "xây dựng chính quyền điện tử, chính quyền số", "số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
          "chế độ báo cáo định kỳ về cải cách hành chính", "văn hóa công vụ của cán bộ, công chức",
          "tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức về quy định hành chính",
          "quản lý cụm công nghiệp", "thanh toán trực tuyến nghĩa vụ tài chính", "công tác văn thư",
          "chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở Công Thương"]
LAW_NAMES = ["Tổ chức chính quyền địa phương", "Ban hành văn bản quy phạm pháp luật", "Giao dịch điện tử",
             "Viên chức", "Tiếp cận thông tin", "Doanh nghiệp", "Đầu tư", "Quản lý ngoại thương",
             "Lưu trữ", "Dữ liệu"]

# Number shapes (số ký hiệu) by type and issuer: (type, issuer, pattern, largest number, weight,
# rank). {n} number, {y} year, {nn} number with a leading zero below 10, {qh} the National
# Assembly's term. Rank orders documents for `based_on` (a document rests on lower ranks).
SHAPES = [
    ("Luật", "Quốc hội", "{n}/{y}/QH{qh}", 70, 3, 0),
    ("Nghị quyết", "Quốc hội", "{n}/{y}/QH{qh}", 120, 1, 0),
    ("Nghị quyết", "Ủy ban Thường vụ Quốc hội", "{n}/{y}/UBTVQH{qh}", 1200, 1, 0),
    ("Nghị quyết", "Ban Chấp hành Trung ương Đảng", "{n}-NQ/TW", 60, 1, 0),
    ("Kết luận", "Bộ Chính trị", "{n}-KL/TW", 150, 1, 0),
    ("Chỉ thị", "Ban Bí thư", "{nn}-CT/TW", 45, 1, 0),
    ("Nghị định", "Chính phủ", "{n}/{y}/NĐ-CP", 190, 8, 1),
    ("Nghị quyết", "Chính phủ", "{n}/NQ-CP", 200, 3, 2),
    ("Quyết định", "Thủ tướng Chính phủ", "{n}/QĐ-TTg", 2000, 5, 2),
    ("Quyết định", "Thủ tướng Chính phủ", "{n}/{y}/QĐ-TTg", 50, 1, 2),
    ("Chỉ thị", "Thủ tướng Chính phủ", "{nn}/CT-TTg", 40, 2, 2),
    ("Thông tư", "Văn phòng Chính phủ", "{nn}/{y}/TT-VPCP", 12, 2, 3),
    ("Thông tư", "Bộ Nội vụ", "{nn}/{y}/TT-BNV", 20, 2, 3),
    ("Thông tư", "Bộ Công Thương", "{nn}/{y}/TT-BCT", 50, 3, 3),
    ("Thông tư liên tịch", "Bộ Nội vụ - Bộ Tài chính", "{nn}/{y}/TTLT-BNV-BTC", 20, 1, 3),
    ("Quyết định", "Bộ Công Thương", "{n}/QĐ-BCT", 3500, 3, 3),
    ("Nghị quyết", "Tỉnh ủy Quảng Ngãi", "{nn}-NQ/TU", 30, 1, 4),
    ("Chỉ thị", "Tỉnh ủy Quảng Ngãi", "{nn}-CT/TU", 40, 1, 4),
    ("Nghị quyết", "HĐND tỉnh Quảng Ngãi", "{n}/NQ-HĐND", 120, 2, 4),
    ("Nghị quyết", "HĐND tỉnh Quảng Ngãi", "{nn}/{y}/NQ-HĐND", 60, 1, 4),
    ("Quyết định", "UBND tỉnh Quảng Ngãi", "{n}/QĐ-UBND", 2600, 12, 4),
    ("Quyết định", "UBND tỉnh Quảng Ngãi", "{nn}/{y}/QĐ-UBND", 80, 4, 4),
    ("Chỉ thị", "UBND tỉnh Quảng Ngãi", "{nn}/CT-UBND", 30, 2, 4),
    ("Kế hoạch", "UBND tỉnh Quảng Ngãi", "{n}/KH-UBND", 260, 8, 5),
    ("Chương trình", "UBND tỉnh Quảng Ngãi", "{n}/CTr-UBND", 40, 1, 5),
    ("Đề án", "UBND tỉnh Quảng Ngãi", "{n}/ĐA-UBND", 30, 1, 5),
    ("Thông báo", "UBND tỉnh Quảng Ngãi", "{n}/TB-UBND", 400, 2, 5),
    ("Công văn", "UBND tỉnh Quảng Ngãi", "{n}/UBND-KTTH", 6000, 2, 5),
    ("Quyết định", "Sở Công Thương", "{n}/QĐ-SCT", 400, 5, 6),
    ("Kế hoạch", "Sở Công Thương", "{n}/KH-SCT", 150, 6, 6),
    ("Hướng dẫn", "Sở Công Thương", "{n}/HD-SCT", 30, 1, 6),
    ("Báo cáo", "Sở Công Thương", "{n}/BC-SCT", 300, 2, 6),
]
SIGNERS = {"Quốc hội": ["Nguyễn Thị Kim Ngân", "Vương Đình Huệ", "Trần Thanh Mẫn"],
           "Chính phủ": ["Nguyễn Xuân Phúc", "Phạm Minh Chính", "Trương Hòa Bình", "Phạm Bình Minh"],
           "Ban Chấp hành Trung ương Đảng": ["Nguyễn Phú Trọng"], "Bộ Chính trị": ["Võ Văn Thưởng", "Trần Cẩm Tú"]}

# Real documents placed first (dates and titles as in the sample section's content/documents/),
# so that a small corpus cites them too: symbol, type, issuer, issued, title, relations.
ANCHORS = [
    ("61/2018/NĐ-CP", "Nghị định", "Chính phủ", (2018, 4, 23),
     "Về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính", {}),
    ("908/QĐ-UBND", "Quyết định", "UBND tỉnh Quảng Ngãi", (2018, 10, 29),
     "Ban hành Quy định về đo lường mức độ hài lòng của người dân, tổ chức trong giải quyết thủ tục hành chính "
     "của cơ quan hành chính nhà nước trên địa bàn tỉnh Quảng Ngãi", {"based_on": ["61/2018/NĐ-CP"]}),
    ("17-NQ/TW", "Nghị quyết", "Ban Chấp hành Trung ương Đảng", (2007, 8, 11),
     "Về đẩy mạnh cải cách hành chính, nâng cao hiệu lực, hiệu quả quản lý của bộ máy nhà nước", {}),
    ("63/2010/NĐ-CP", "Nghị định", "Chính phủ", (2010, 6, 8), "Về kiểm soát thủ tục hành chính", {}),
    ("48/2013/NĐ-CP", "Nghị định", "Chính phủ", (2013, 5, 14), "Sửa đổi, bổ sung một số điều của các nghị định "
     "liên quan đến kiểm soát thủ tục hành chính", {"amends": ["63/2010/NĐ-CP"]}),
    ("92/2017/NĐ-CP", "Nghị định", "Chính phủ", (2017, 8, 7), "Sửa đổi, bổ sung một số điều của các nghị định "
     "liên quan đến kiểm soát thủ tục hành chính", {"amends": ["63/2010/NĐ-CP"]}),
    ("45/2020/NĐ-CP", "Nghị định", "Chính phủ", (2020, 4, 8),
     "Về thực hiện thủ tục hành chính trên môi trường điện tử", {}),
    ("2043/QĐ-UBND", "Quyết định", "UBND tỉnh Quảng Ngãi", (2020, 12, 24),
     "Ban hành Kế hoạch cải cách hành chính năm 2021 của tỉnh Quảng Ngãi", {}),
    ("10/KH-UBND", "Kế hoạch", "UBND tỉnh Quảng Ngãi", (2021, 1, 18),
     "Kế hoạch tuyên truyền cải cách hành chính năm 2021 trên địa bàn tỉnh Quảng Ngãi", {"based_on": ["2043/QĐ-UBND"]}),
    ("76/NQ-CP", "Nghị quyết", "Chính phủ", (2021, 7, 15),
     "Ban hành Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030", {"based_on": ["17-NQ/TW"]}),
    ("107/2021/NĐ-CP", "Nghị định", "Chính phủ", (2021, 12, 6), "Sửa đổi, bổ sung một số điều của Nghị định số "
     "61/2018/NĐ-CP về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính",
     {"amends": ["61/2018/NĐ-CP"]}),
]
RELATIONS = ("amends", "replaces", "guides", "based_on")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def slugify(text: str, limit: int = 70) -> str:
    """ASCII slug (đ has no decomposition, so it is replaced first), cut at a word boundary."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    words = "".join(c if c.isascii() and c.isalnum() else " " for c in text if not unicodedata.combining(c))
    slug = ""
    for word in words.lower().split():
        if len(slug) + len(word) + 1 > limit:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def symbol_key(symbol: str) -> str:
    """What the engine matches a number by: Đ folded, upper case, no leading zeros."""
    return symbol.replace("Đ", "D").replace("đ", "d").upper().lstrip("0")


def vn_date(d: dt.date, padded: bool = True) -> str:
    return f"{d:%d/%m/%Y}" if padded else f"{d.day}/{d.month}/{d.year}"


# --- documents -----------------------------------------------------------------------------

@dataclass
class Document:
    symbol: str
    type: str
    issuer: str
    issued: dt.date
    title: str
    rank: int
    effective: dt.date | None = None
    expires: dt.date | None = None
    signer: str = ""
    fields: list[str] = field(default_factory=list)
    relations: dict[str, list["Document"]] = field(default_factory=dict)
    status: str = ""              # as written: "" leaves it to the build
    source: str = ""
    note: str = ""
    shared: bool = False          # a yearless number another year's document has too: cite with the date
    ended: dt.date | None = None  # expired or replaced (by a document in effect) on this day: not cited after it

    @property
    def yearless(self) -> bool:
        return self.symbol.count("/") == 1

    @property
    def citable_in_text(self) -> bool:
        """Not an Đề án's number: in a body the engine reads ĐA as DA (Dự án) and warns that the
        type contradicts it (legal.py matches marks by the folded key); front matter is fine."""
        return "/ĐA-" not in self.symbol

    @property
    def slug(self) -> str:
        slug = slugify(self.symbol)
        return f"{slug}-{self.issued.year}" if self.yearless else slug

    def cite(self, rng: random.Random, typed: float = 0.8) -> str:
        """A citation as writers vary it: with or without the type words and the date."""
        words = ""
        if self.type == "Luật" and self.title.startswith("Luật ") and rng.random() < 0.7:
            words = self.title + " số "
        elif rng.random() < typed or self.type == "Công văn":     # a bare Công văn number is no citation
            words = self.type + (" số " if rng.random() < 0.75 else " ")
        text = words + self.symbol
        if (self.yearless and (self.shared or rng.random() < 0.5)) or rng.random() < 0.15:
            if rng.random() < 0.15:
                text += f" ngày {self.issued.day:02d} tháng {self.issued.month:02d} năm {self.issued.year}"
            else:
                text += " ngày " + vn_date(self.issued, rng.random() < 0.6)
        return text


def _anchor_documents(m: int) -> list[Document]:
    docs: dict[str, Document] = {}
    for symbol, type_, issuer, (y, mo, d), title, rel in ANCHORS[:m]:
        rank = next(s[5] for s in SHAPES if s[0] == type_ and s[1] == issuer)
        doc = Document(symbol, type_, issuer, dt.date(y, mo, d), title, rank)
        doc.relations = {r: [docs[s] for s in rel.get(r, []) if s in docs] for r in RELATIONS}
        docs[symbol] = doc
    return list(docs.values())


def _title(rng: random.Random, type_: str, issuer: str, year: int) -> str:
    topic = rng.choice([t for t in TOPICS if year >= 2020 or "2021" not in t])
    if type_ == "Luật":
        return "Luật " + rng.choice(LAW_NAMES)
    if type_ in ("Kế hoạch", "Chương trình"):
        return f"{type_} {rng.choice(['thực hiện', 'triển khai'])} {topic} năm {year}"
    if type_ == "Đề án":
        return f"Đề án {topic} giai đoạn {year} - {year + 5}"
    if type_ == "Báo cáo":
        return f"Báo cáo kết quả {topic} {rng.choice(['quý I', 'quý II', 'quý III', '6 tháng đầu', 'năm'])} năm {year}"
    if type_ == "Quyết định":
        return rng.choice([f"Ban hành Quy chế {topic}", f"Phê duyệt Kế hoạch {topic} năm {year}",
                           "Công bố danh mục thủ tục hành chính lĩnh vực " + rng.choice(DOMAINS).lower()
                           + f" thuộc thẩm quyền giải quyết của {issuer if 'Sở' in issuer else 'Sở Công Thương'}",
                           f"Về việc kiện toàn Tổ công tác {topic}"])
    if type_ in ("Thông tư", "Thông tư liên tịch"):
        return rng.choice(["Hướng dẫn ", "Quy định chi tiết một số điều về "]) + topic
    if type_ == "Chỉ thị":
        return f"Về tăng cường {topic}"
    if type_ == "Nghị định":
        return f"Quy định về {topic}"
    return f"Về {topic}"


def _qh(year: int) -> int:
    return 13 if year < 2016 else 14 if year < 2021 else 15


def make_documents(m: int, seed: int) -> list[Document]:
    """M documents sorted by issue date; relations point only backwards in time."""
    rng = random.Random(f"cchc-corpus-{seed}-documents")
    docs = _anchor_documents(m)
    identities = {(symbol_key(d.symbol), d.issued.year) for d in docs}
    weights = [s[4] for s in SHAPES]
    while len(docs) < m:
        type_, issuer, pattern, largest, _, rank = rng.choices(SHAPES, weights)[0]
        issued = dt.date(DOCS_FROM, 1, 1) + dt.timedelta(days=rng.randrange((dt.date(LAST_YEAR, 12, 31)
                                                                              - dt.date(DOCS_FROM, 1, 1)).days + 1))
        n = rng.randint(1, largest)
        symbol = pattern.format(n=n, nn=f"{n:02d}", y=issued.year, qh=_qh(issued.year))
        identity = (symbol_key(symbol), issued.year)
        if identity in identities:
            continue
        identities.add(identity)
        docs.append(Document(symbol, type_, issuer, issued, _title(rng, type_, issuer, issued.year), rank))
    docs.sort(key=lambda d: (d.issued, d.symbol))
    by_key: dict[str, list[Document]] = {}
    for d in docs:
        by_key.setdefault(symbol_key(d.symbol), []).append(d)
    for d in docs:
        d.shared = d.yearless and len(by_key[symbol_key(d.symbol)]) > 1
    for i, d in enumerate(docs):
        _fill(rng, d, docs[:i])
    for d in docs:
        d.status = _status(d, docs) if rng.random() < 0.8 else ""
    for e in docs:               # issue 21: `check` warns of a text citing a document ended before its date
        for old in e.relations["replaces"]:
            old.ended = min(filter(None, (old.ended, old.expires, e.effective)))
    for d in docs:
        d.ended = min(filter(None, (d.ended, d.expires)), default=None)
    return docs


def _fill(rng: random.Random, d: Document, earlier: list[Document]) -> None:
    """Dates, signer, fields, relations (to earlier documents only) and the optional note."""
    delay = {"Luật": rng.choice([180, 200, 365]), "Nghị định": rng.choice([0, 15, 45, 60]),
             "Thông tư": 45, "Thông tư liên tịch": 45}.get(d.type, 0)
    d.effective = min(d.issued + dt.timedelta(days=delay), dt.date(LAST_YEAR + 1, 1, 1))   # in force today
    if d.type in ("Kế hoạch", "Báo cáo") and str(d.issued.year) in d.title and rng.random() < 0.5:
        d.expires = dt.date(d.issued.year, 12, 31)
    d.signer = rng.choice(SIGNERS.get(d.issuer, PEOPLE))
    d.fields = rng.sample(FIELDS, rng.randint(1, 3))
    if d.rank < 4 and rng.random() < 0.5:
        d.source = f"https://vanban.chinhphu.vn/?docid={rng.randint(10000, 210000)}"
    if not d.relations:
        d.relations = {r: [] for r in RELATIONS}
        same = [e for e in earlier if e.type == d.type and e.issuer == d.issuer]
        if same and rng.random() < 0.15:
            d.relations["amends"].append(rng.choice(same))
            d.title = f"Sửa đổi, bổ sung một số điều của {d.relations['amends'][0].type} số " \
                      f"{d.relations['amends'][0].symbol}"
        if same and rng.random() < 0.08:
            old = rng.choice(same)
            if old not in d.relations["amends"]:
                d.relations["replaces"].append(old)
        higher = [e for e in earlier[-400:] if e.rank < d.rank]
        if higher and rng.random() < 0.35:
            d.relations["based_on"] = rng.sample(higher, min(len(higher), rng.randint(1, 2)))
        if d.type.startswith("Thông tư"):
            laws = [e for e in earlier[-400:] if e.type in ("Luật", "Nghị định")]
            if laws and rng.random() < 0.5:
                d.relations["guides"].append(rng.choice(laws))
    named = f"{d.type} số {d.symbol} ngày {vn_date(d.issued)}" if d.citable_in_text else "Văn bản"
    sentences = [f"{named} của {d.issuer} có hiệu lực từ ngày {vn_date(d.effective)}."]
    for relation, words in (("amends", "Văn bản sửa đổi, bổ sung một số điều của"), ("replaces", "Văn bản thay thế"),
                            ("guides", "Văn bản hướng dẫn thi hành"), ("based_on", "Văn bản được ban hành căn cứ")):
        cited = [e for e in d.relations[relation] if e.citable_in_text]
        if cited:
            sentences.append(f"{words} {', '.join(e.cite(rng, typed=1.0) for e in cited)}.")
    if rng.random() < 0.6:
        sentences.append(f"Văn bản áp dụng đối với {rng.choice(UNITS)} và các cơ quan, đơn vị liên quan.")
    d.note = " ".join(sentences) if rng.random() < 0.7 else ""


def _status(d: Document, docs: list[Document]) -> str:
    """What the build computes, so the written status never contradicts it (all dates are past)."""
    if d.expires is not None or any(d in e.relations["replaces"] for e in docs):
        return "het-hieu-luc"
    if any(d in e.relations["amends"] for e in docs):
        return "het-hieu-luc-mot-phan"
    return "con-hieu-luc"


# --- articles ------------------------------------------------------------------------------

@dataclass
class Article:
    title: str
    date: dt.datetime
    slug: str
    category: tuple[str, str, str]
    tags: list[str]
    summary: str
    author: str
    documents: list[str]
    updated: dt.date | None
    body: str
    block_lists: bool        # front matter lists written one item a line, as some editors do
    dmy: bool                # date written DD/MM/YYYY


class Writer:
    """The sentences of one article: its year, the documents it may cite, its other markup."""

    def __init__(self, rng: random.Random, year: int, cites: list[Document]):
        self.rng, self.year, self.cites = rng, year, cites

    def unit(self) -> str:
        return self.rng.choice(UNITS)

    def sentence(self) -> str:
        rng, r = self.rng, self.rng.random()
        if self.cites and r < 0.12:
            d = self.cites.pop()
            lead = rng.choice(["Thực hiện", "Căn cứ", "Theo", "Triển khai"])
            s = f"{lead} {d.cite(rng)}, {self.unit()} {rng.choice(ACTIONS)} {rng.choice(MATTERS)}"
        elif r < 0.3:
            s = rng.choice(FIGURES).format(p=rng.randint(85, 100), n=f"{rng.randint(200, 25000):,}".replace(",", "."),
                                           s=f"{rng.uniform(75, 92):.2f}".replace(".", ","), k=rng.randint(2, 150),
                                           unit=self.unit())
            s = f"{rng.choice(['Kết quả', 'Theo thống kê', 'Đến nay'])}, {s}, {rng.choice(PURPOSES)}"
        elif r < 0.5:
            opening = rng.choice(OPENINGS).format(y=self.year, q=rng.choice(["I", "II", "III", "IV"]), unit=self.unit())
            s = f"{opening}, {self.unit()} {rng.choice(ACTIONS)} {rng.choice(MATTERS)}, {rng.choice(PURPOSES)}"
        elif r < 0.6:
            d = dt.date(self.year, rng.randint(1, 12), rng.randint(1, 28))
            s = f"Ngày {vn_date(d, False)}, {self.unit()} tổ chức {rng.choice(EVENTS)}"
        elif r < 0.67:
            who = rng.choice(PEOPLE)
            s = (f"Phát biểu tại buổi làm việc, {'bà' if ' Thị ' in who else 'ông'} {who}, {rng.choice(POSTS)}, đề nghị các đơn vị "
                 f"{rng.choice(ACTIONS)} {rng.choice(MATTERS)}")
        elif r < 0.7:
            s = f"Đoàn công tác của Sở đã học tập kinh nghiệm về {rng.choice(MATTERS)} tại {rng.choice(PLACES)}"
        else:
            s = f"{self.unit()} {rng.choice(ACTIONS)} {rng.choice(MATTERS)} {rng.choice(PURPOSES)}"
        return cap(s) + "."

    def paragraph(self, n: int | None = None) -> str:
        return " ".join(self.sentence() for _ in range(n or self.rng.randint(2, 5)))

    def items(self) -> str:
        return "\n".join(f"- {cap(self.rng.choice(ACTIONS))} {self.rng.choice(MATTERS)};"
                         for _ in range(self.rng.randint(3, 6)))

    def table(self) -> str:
        rows = [f"| {name} | {self.rng.uniform(70, 95):.2f} | {self.rng.uniform(70, 95):.2f} |".replace(".", ",")
                for name in self.rng.sample(["PAR INDEX", "SIPAS", "PAPI", "PCI", "Chỉ số chuyển đổi số"], 4)]
        return "\n".join([f"| Chỉ số | Năm {self.year - 1} | Năm {self.year} |", "|---|---:|---:|", *rows])

    def other_markup(self) -> str:
        """One block an editor writes with markup outside prose.py's grammar."""
        rng = self.rng
        kind = rng.randrange(5)
        if kind == 0:
            return f"**Lưu ý:** {self.paragraph(2)}"
        if kind == 1:
            return "\n".join(f"{i}. {cap(rng.choice(ACTIONS))} {rng.choice(MATTERS)}." for i in range(1, rng.randint(3, 5)))
        if kind == 2:
            return f"> {self.paragraph(2)}\n>\n> *{rng.choice(PEOPLE)}, {rng.choice(POSTS)}*"
        if kind == 3:
            return f"{self.paragraph(1)} Liên hệ: Phòng Kế hoạch & Tài chính, Sở Công Thương {PROVINCE}."
        return f"{self.paragraph(2)}\n\n*Nguồn: {self.unit()}.*"


def make_article(i: int, seed: int, docs: list[Document], taken: set[str]) -> Article:
    """Article i, from its own random stream; `docs` sorted by issue date; `taken`: slugs so far."""
    rng = random.Random(f"cchc-corpus-{seed}-article-{i}")
    start = dt.datetime(FIRST_YEAR, 1, 1, tzinfo=TZ)
    days = (dt.datetime(LAST_YEAR, 12, 31, tzinfo=TZ) - start).days
    date = start + dt.timedelta(days=rng.randrange(days + 1), hours=rng.randrange(7, 18), minutes=rng.randrange(60))
    earlier = docs[:bisect.bisect_right(docs, date.date(), key=lambda d: d.issued)]
    cites = rng.sample(earlier, min(len(earlier), rng.choice([0, 1, 1, 2, 2, 3])))
    cites = [d for d in cites if d.ended is None or d.ended > date.date()]    # a writer cites what is in force
    category = rng.choice(CATEGORIES)
    title = _article_title(rng, date.year, category[0], cites)
    slug = slugify(title)
    n = 1
    while slug in taken:
        n += 1
        slug = f"{slugify(title, 66)}-{n}"
    taken.add(slug)
    listed = [d.cite(rng) for d in cites if not d.citable_in_text or rng.random() < 0.6]
    writer = Writer(rng, date.year, [d for d in cites if d.citable_in_text])
    body = _body(rng, writer)
    summary = cap(f"{writer.unit()} {rng.choice(ACTIONS)} {rng.choice(MATTERS)}, {rng.choice(PURPOSES)}.") \
        if rng.random() < 0.7 else ""
    updated = (date + dt.timedelta(days=rng.randint(1, 20))).date() if rng.random() < 0.05 else None
    return Article(nfc(title), date, slug, category, rng.sample(TAGS, rng.randint(1, 4)), nfc(summary),
                   rng.choice(PEOPLE + ["Văn phòng Sở"]), [nfc(c) for c in listed], updated, nfc(body),
                   rng.random() < 0.1, rng.random() < 0.1)


def _article_title(rng: random.Random, year: int, category: str, cites: list[Document]) -> str:
    matter, unit = rng.choice(MATTERS), rng.choice(UNITS)
    choices = {
        "chu-truong-chinh-sach": [f"Những điểm mới về {matter}", f"Quán triệt các văn bản mới về {matter} năm {year}"],
        "tin-hoat-dong": [f"{unit} tổ chức {rng.choice(EVENTS)} năm {year}",
                          f"Học tập kinh nghiệm về {matter} tại {rng.choice(PLACES)}"],
        "thu-tuc-hanh-chinh": [f"Công bố thủ tục hành chính mới lĩnh vực {rng.choice(DOMAINS).lower()} năm {year}",
                               f"{unit} {rng.choice(ACTIONS)} {matter}"],
        "dich-vu-cong-truc-tuyen": [f"Hướng dẫn nộp hồ sơ trực tuyến về {matter}",
                                    f"Kết quả cung cấp dịch vụ công trực tuyến quý {rng.choice(['I', 'II', 'III', 'IV'])} năm {year}"],
        "chi-so-cchc": [f"Công bố Chỉ số {rng.choice(['PAR INDEX', 'SIPAS', 'PAPI', 'PCI'])} năm {year - 1} của {PROVINCE}",
                        f"Giải pháp nâng cao {matter} năm {year}"],
        "chuyen-doi-so": [f"{unit} đẩy mạnh chuyển đổi số năm {year}", f"Ứng dụng công nghệ số trong {matter}"],
        "kiem-tra-cong-vu": [f"Kiểm tra công vụ tại {unit} năm {year}", f"Chấn chỉnh {matter} tại {unit}"],
    }[category]
    title = rng.choice(choices)
    if cites and rng.random() < 0.15:
        d = cites[0]       # a title is no body: any number may be cited there
        title = f"Triển khai {d.type} số {d.symbol}"
    return cap(title)


def _body(rng: random.Random, w: Writer) -> str:
    blocks = [w.paragraph(rng.randint(2, 4))]
    words = rng.randint(200, 700)
    headings = rng.sample(HEADINGS, rng.randint(2, 4)) if rng.random() < 0.6 else [None]
    list_at = rng.randrange(len(headings)) if rng.random() < 0.3 else -1
    table_at = rng.randrange(len(headings)) if rng.random() < 0.1 else -1
    for i, heading in enumerate(headings):
        if heading:
            blocks.append(f"## {heading}")
        quota = words * (i + 1) // len(headings)
        while True:
            p = w.paragraph()
            if rng.random() < 0.08:
                name, url = rng.choice(LINKS)
                p += f" Chi tiết xem tại [{name}]({url})."
            blocks.append(p)
            if sum(len(b.split()) for b in blocks) >= quota:
                break
        if i == list_at:
            blocks[-1] = blocks[-1][:-1] + ", cụ thể như sau:"
            blocks.append(w.items())
        if i == table_at:
            blocks.append(w.table())
    if rng.random() < OTHER_MARKUP:
        blocks.insert(rng.randint(1, len(blocks)), w.other_markup())
    while w.cites:      # citations the sentences did not place close the article
        blocks.append(f"Căn cứ {w.cites.pop().cite(rng)}, các đơn vị tổ chức triển khai thực hiện.")
    return "\n\n".join(blocks) + "\n"


# --- writing the flavours -------------------------------------------------------------------------

def q(value) -> str:
    """JSON strings and lists of strings are YAML flow values that need no further escaping."""
    return json.dumps(value, ensure_ascii=False)


def _list(key: str, values: list[str], block: bool) -> list[str]:
    if not block:
        return [f"{key}: {q(values)}"]
    return [f"{key}:"] + [f"  - {q(v)}" for v in values]


def article_text(a: Article, flavor: str) -> str:
    key, name, _ = a.category
    if flavor == "project":
        head = ["---", f"title: {q(a.title)}",
                f"date: {a.date:%d/%m/%Y}" if a.dmy else f"date: {a.date:%Y-%m-%d %H:%M}",
                f"category: {key}", *_list("tags", a.tags, a.block_lists)]
        head += [f"summary: {q(a.summary)}"] if a.summary else []
        head += [f"author: {q(a.author)}", f"slug: {a.slug}"]
        head += _list("documents", a.documents, a.block_lists) if a.documents else []
        head += [f"updated: {a.updated.isoformat()}"] if a.updated else []
        return "\n".join(head + ["---", "", a.body])
    if flavor == "hugo":
        head = ["---", f"title: {q(a.title)}", f"date: {a.date.isoformat()}", f"slug: {a.slug}",
                f"categories: {q([name])}", f"tags: {q(a.tags)}"]
        head += [f"summary: {q(a.summary)}"] if a.summary else []
        head += [f"author: {q(a.author)}"]
        head += [f"documents: {q(a.documents)}"] if a.documents else []
        head += [f"lastmod: {a.updated.isoformat()}"] if a.updated else []
        return "\n".join(head + ["---", "", a.body])
    head = [f"Title: {a.title}", f"Date: {a.date:%Y-%m-%d %H:%M}", f"Category: {name}", f"Tags: {', '.join(a.tags)}"]
    head += [f"Summary: {a.summary}"] if a.summary else []
    head += [f"Slug: {a.slug}", f"Author: {a.author}"]
    head += [f"Documents: {', '.join(a.documents)}"] if a.documents else []
    head += [f"Modified: {a.updated.isoformat()}"] if a.updated else []
    return "\n".join(head + ["", a.body])


def document_text(d: Document, flavor: str, rng: random.Random) -> str:
    relations = {r: [e.cite(rng, typed=0.5) for e in d.relations[r]] for r in RELATIONS if d.relations[r]}
    body = nfc(d.note + "\n") if d.note else ""
    if flavor == "pelican":
        head = [f"Title: {d.title}", f"Date: {d.issued.isoformat()}", "Category: Văn bản pháp luật",
                f"Slug: {d.slug}", f"Symbol: {d.symbol}", f"Doc_type: {d.type}", f"Issuer: {d.issuer}",
                f"Issued: {d.issued.isoformat()}", f"Effective: {d.effective.isoformat()}"]
        head += [f"Expires: {d.expires.isoformat()}"] if d.expires else []
        head += [f"Legal_status: {d.status}"] if d.status else []
        head += [f"Signer: {d.signer}", f"Fields: {', '.join(d.fields)}"]
        head += [f"{r.capitalize()}: {', '.join(v)}" for r, v in relations.items()]
        head += [f"Source: {d.source}"] if d.source else []
        return nfc("\n".join(head) + "\n\n" + body)
    head = ["---"]
    if flavor == "hugo":
        head += [f"title: {q(d.title)}", f"date: {d.issued.isoformat()}", f"slug: {d.slug}",
                 f"categories: {q(['Văn bản pháp luật'])}", f"symbol: {q(d.symbol)}", f"doc_type: {q(d.type)}"]
    else:
        head += [f"symbol: {q(d.symbol)}", f"type: {d.type}", f"title: {q(d.title)}"]
    head += [f"issuer: {q(d.issuer)}", f"issued: {d.issued.isoformat()}", f"effective: {d.effective.isoformat()}"]
    head += [f"expires: {d.expires.isoformat()}"] if d.expires else []
    head += [f"status: {d.status}"] if d.status else []
    head += [f"signer: {q(d.signer)}", f"fields: {q(d.fields)}"]
    head += [f"{r}: {q(v)}" for r, v in relations.items()]
    head += [f"source: {q(d.source)}"] if d.source else []
    return nfc("\n".join(head + ["---", ""]) + ("\n" + body if body else ""))


def site_fragment(docs: list[Document]) -> str:
    """The site.yaml keys this corpus needs: its categories and every document type it uses."""
    lines = ["categories:"] + [f"  - {{key: {k}, name: {q(n)}, description: {q(d)}}}" for k, n, d in CATEGORIES]
    types = sorted({s[0] for s in SHAPES})
    return "\n".join(lines + [f"document_types: {q(types)}", ""])


def write_corpus(out: Path, articles: int, documents: int, flavor: str, seed: int = 2018) -> tuple[int, int]:
    """Write the corpus into `out` (created); returns (articles, documents) written."""
    if flavor not in FLAVORS:
        raise ValueError(f"flavor must be one of {', '.join(FLAVORS)}")
    out = Path(out)
    docs = make_documents(documents, seed)
    cite_rng = random.Random(f"cchc-corpus-{seed}-relations")     # how relations are written, per document
    folders: set[Path] = set()

    def put(path: Path, text: str) -> None:
        if path.parent not in folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            folders.add(path.parent)
        path.write_text(text, encoding="utf-8", newline="\n")

    for d in docs:
        put(out / "documents" / f"{d.slug}.md", document_text(d, flavor, cite_rng))
    taken: set[str] = set()
    for i in range(articles):
        a = make_article(i, seed, docs, taken)
        put(out / "articles" / str(a.date.year) / f"{a.slug}.md", article_text(a, flavor))
    if flavor == "project":
        put(out / "site-fragment.yaml", site_fragment(docs))
    return articles, len(docs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, required=True)
    ap.add_argument("--documents", type=int, required=True)
    ap.add_argument("--flavor", choices=FLAVORS, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=2018)
    args = ap.parse_args(argv)
    if args.articles < 0 or args.documents < 0:
        ap.error("--articles and --documents must be 0 or more")
    a, d = write_corpus(args.out, args.articles, args.documents, args.flavor, args.seed)
    print(f"wrote {a} articles + {d} documents ({args.flavor}) to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
