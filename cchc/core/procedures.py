"""Administrative procedures (thủ tục hành chính, TTHC): their codes, online levels and the national
portal's address. Pure functions, no I/O; content.py reads the files and model/ indexes them.

Facts these rules rest on (research notes, /work/notes/legal-duties.md §8; not a legal text):
- A procedure's code in the national database has the shape N.NNNNNN: `2.000648`, `1.000948`.
  Provincial portals print a longer "ký hiệu" with the province's suffix, `2.000648.000.00.00.H50`;
  the national code is its first part. What the leading 1 or 2 means was not found in a legal text,
  so any digit is accepted.
- The national public-service portal (Cổng Dịch vụ công quốc gia) shows a procedure at
  https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=183327,
  where 183327 is the portal's internal numeric id, not the code (a stored page: "Cấp lại Cấp Giấy
  phép bán lẻ rượu" at ma_thu_tuc=183327; public scrapers build the address from the record's ID).
  So the address is never built from the code: the editor gives it (`portal_url`) or its id
  (`portal_id`).
- The two online levels are defined by Nghị định 42/2022/NĐ-CP Điều 11 khoản 1 ("a) Dịch vụ công
  trực tuyến toàn trình … b) Dịch vụ công trực tuyến một phần …") and kept by Nghị định
  224/2026/NĐ-CP Điều 14 (from 01/7/2026: "triển khai cung cấp thủ tục hành chính theo hình thức
  dịch vụ công trực tuyến toàn trình. Trường hợp cung cấp theo hình thức dịch vụ công trực tuyến
  một phần …").
"""
from __future__ import annotations

import re
import urllib.parse

from cchc.core.messages import Message, _
from cchc.core.vietnamese import slugify

CODE = re.compile(r"[1-9]\.\d{6}")
# The provincial form: the national code, then ".000.00.00.H50" (the province's H-code).
PROVINCIAL_CODE = re.compile(r"([1-9]\.\d{6})\.\d{3}\.\d{2}\.\d{2}\.H\d{2}")
# A code in running text: not part of a longer number ("1.200.000 đồng" has 3 digits a group).
CODE_IN_TEXT = re.compile(r"(?<![\w.,])([1-9]\.\d{6})(?:\.\d{3}\.\d{2}\.\d{2}\.H\d{2})?(?![\w]|[.,]\d)")

LONG_NOTE = 3000       # characters: a procedure's note summarises; the national portal has the text
ONLINE_LEVELS = {"toan-trinh": "Toàn trình", "mot-phan": "Một phần"}
NATIONAL_PORTAL = "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc={id}"


def code_problem(text: str) -> Message | None:
    """Why a value is not a procedure code (the fix in the message), or None when it is one."""
    value = str(text).strip()
    if CODE.fullmatch(value):
        return None
    m = PROVINCIAL_CODE.fullmatch(value)
    if m:
        return _('"{value}" is a provincial portal\'s code; the national code is its first part: "{code}"',
                 value=value, code=m.group(1))
    return _('"{value}" is not a procedure code; write the code as in the national database, e.g. "2.000648"',
             value=value)


def code_slug(code: str) -> str:
    """The folder of a procedure's page: "2.000648" -> "2-000648"."""
    return code.replace(".", "-")


def online_level(text: str) -> str | None:
    """"Toàn trình", "toan-trinh", "DVC toàn trình" -> "toan-trinh"; None when neither level."""
    slug = slugify(text)
    for key in ONLINE_LEVELS:
        if slug == key or slug.endswith("-" + key):
            return key
    return None


def portal_address(url: str, portal_id: str) -> str:
    """The national portal's address of a procedure: the editor's `portal_url`, else the address
    built from `portal_id` (the portal's own number), else ""."""
    return url or (NATIONAL_PORTAL.format(id=portal_id) if portal_id else "")


def code_as_portal_id(url: str) -> bool:
    """True for a portal address whose ma_thu_tuc is a dotted code: the notes found no evidence
    that the portal resolves it (its ids are numbers of its own), so the editor is warned."""
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    return bool(CODE.fullmatch(query.get("ma_thu_tuc", [""])[0]))


def fill_procedure(p, f) -> None:
    """A Procedure's fields from its front matter (content.py's reader `f`), each bad value a
    problem on its line."""
    written = f.text("code", required=True)
    if written:
        problem = code_problem(written)
        if problem is None:
            p.code = written
        else:
            f.error("code", problem, _("copy it from the procedure's page on dichvucong.gov.vn"))
    p.name = f.text("name", required=True)
    p.sector = f.text("field")
    for key in ("level", "agency", "time", "fees"):
        setattr(p, key, f.text(key))
    online = f.text("online")
    if online:
        p.online = online_level(online) or ""
        if not p.online:
            f.error("online", _('"{value}" is not an online level', value=online),
                    _("use one of: {keys}", keys=list(ONLINE_LEVELS)))
    p.legal_bases = f.texts("legal_bases")
    url, portal_id = f.text("portal_url"), f.text("portal_id")
    if url and not re.match(r"https?://[^/\s]", url):
        f.error("portal_url", _('"{url}" is not a web address', url=url),
                _("copy the address of the procedure's page on dichvucong.gov.vn"))
        url = ""
    elif url and code_as_portal_id(url):
        f.problems.warning(p.source, p.line_of("portal_url"),
                           _("portal_url: ma_thu_tuc holds the procedure's code, but the national portal identifies "
                             "a procedure by a number of its own"),
                           _("open the procedure on dichvucong.gov.vn and copy the address from the browser"))
    if portal_id and not portal_id.isdigit():
        f.error("portal_id", _('"{value}" is not the portal\'s number for the procedure', value=portal_id),
                _("write the digits after ma_thu_tuc= in the procedure's address on dichvucong.gov.vn"))
        portal_id = ""
    p.portal_url = portal_address(url, portal_id)
    p.source_url = f.text("source")
    if p.source_url and not re.match(r"https?://[^/\s]", p.source_url):
        f.error("source", _('"{url}" is not a web address', url=p.source_url), _("write it as https://…"))
        p.source_url = ""
    p.draft = f.flag("draft")
    if len(p.body) > LONG_NOTE:
        f.problems.warning(p.source, p.body_line, _("the note is {count} characters long", count=len(p.body)),
                           _("summarise and link to the national portal; do not copy its text"))
