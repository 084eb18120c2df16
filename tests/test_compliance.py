"""`check --compliance` (issue 24, part 1): the legal duties of the section, each with its source,
present / missing / not applicable and what to fill; exit 1 when a duty in force is missing.

A complete test section meets every duty; each test removes what one duty needs and sees that duty,
and only it, turn to MISSING. The day matters: Nghị định 42/2022/NĐ-CP ended on 30/6/2026, so its
duties (English, print and save, a document's effective date and file) are checked on 30/6/2026."""
from __future__ import annotations

import re
import shutil
import struct
import zlib
from pathlib import Path

import pytest

from conftest import SiteFolder, minimal_site

AFTER, BEFORE = "2026-12-03", "2026-06-30"
SITE_YAML = """\
title: "Cải cách hành chính - Sở Thử nghiệm"
base_url: "https://sothunghiem.tinhthu.gov.vn/cchc/"
organization: {name: "Sở Thử nghiệm", address: "1 Đường Thử", phone: "0255 000 000", email: "vp@example.gov.vn"}
responsible: {unit: "Văn phòng Sở", person: "Nguyễn Văn A"}
logo: "images/logo.png"
languages: [vi, en]
english: {title: "Administrative reform - Test Department", organization: "Test Department"}
categories:
  - {key: tin-hoat-dong, name: "Tin hoạt động"}
document_types: [Nghị định, Quyết định]
"""


def png(width: int, height: int) -> bytes:
    """A real PNG file of that size (one grey pixel a row is enough for the header)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def complete_site(root: Path) -> SiteFolder:
    site = minimal_site(root, SITE_YAML)
    (root / "content" / "images").mkdir(parents=True)
    (root / "content" / "images" / "logo.png").write_bytes(png(64, 64))
    (root / "content" / "images" / "anh.png").write_bytes(png(40, 30))
    (root / "content" / "files").mkdir(parents=True)
    (root / "content" / "files" / "nd.pdf").write_bytes(b"%PDF-1.4\n")
    for slug, title in (("co-cau-to-chuc", "Cơ cấu tổ chức"), ("lanh-dao", "Lãnh đạo Sở"),
                        ("tiep-can-thong-tin", "Tiếp cận thông tin")):
        site.write(f"content/pages/{slug}.md", f'---\ntitle: "{title}"\nslug: {slug}\n---\nNội dung.\n')
    site.write("content/pages/en/co-cau-to-chuc.md", '---\ntitle: "Organisation"\nslug: organisation\n---\nText.\n')
    site.document("95-2021-nd-cp", "95/2021/NĐ-CP", "Nghị định", "2021-11-01", effective="2022-01-02",
                  attachments="[files/nd.pdf]")
    site.write("content/procedures/2-000648.md", '---\ncode: "2.000648"\nname: "Cấp Giấy chứng nhận"\n'
               'portal_id: 183327\n---\n')
    site.article("2021/co-anh", title="Có ảnh", image="images/anh.png", image_alt='"Ảnh hội nghị"')
    return site


def checklist(site: SiteFolder, on: str = AFTER):
    """(the run, duty -> "present" | "MISSING" | "n/a") of `check --compliance --on ON`."""
    run = site.check("--compliance", "--on", on)
    return run, {key: value for value, key in re.findall(r"^\[(present|MISSING|n/a)\] ([a-z-]+):", run.out, re.M)}


def edit(path: Path, old: str, new: str = "") -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def complete(tmp_path) -> SiteFolder:
    return complete_site(tmp_path / "site")


def test_a_complete_section_meets_every_duty_in_force(complete):
    run, status = checklist(complete)
    assert run.code == 0, run.out + run.err
    assert set(status.values()) == {"present", "n/a"} and len(status) == 16, status
    assert {k for k, v in status.items() if v == "n/a"} == {"van-ban-thuoc-tinh", "in-luu", "tieng-anh"}
    assert "Checklist: 13 present, 0 missing, 3 not applicable on 03/12/2026." in run.out
    # Each duty names its text: document, article, clause.
    assert "Nghị định 224/2026/NĐ-CP Điều 9 khoản 1 điểm a" in run.out
    assert "Nghị định 13/2018/NĐ-CP Điều 11 khoản 1" in run.out
    assert ("Nghị định 42/2022/NĐ-CP Điều 7 khoản 2 [3], in force until 30/06/2026, ended by Nghị định 224/2026/NĐ-CP "
            "Điều 90 khoản 2 điểm b") in run.out
    # Before 01/7/2026: Nghị định 42/2022/NĐ-CP applies, Nghị định 224/2026/NĐ-CP not yet.
    before, status = checklist(complete, BEFORE)
    assert before.code == 0, before.out
    assert {k for k, v in status.items() if v == "n/a"} == {"lanh-dao", "ten-mien"}, status


# (duty, the day, how to take away what it needs). The department's telephone is asked by two texts
# (the contacts and the footer): without it both duties are missing.
FLIPS = [
    ("co-cau-to-chuc", AFTER, lambda r: (r / "content/pages/co-cau-to-chuc.md").unlink()),
    ("lanh-dao", AFTER, lambda r: (r / "content/pages/lanh-dao.md").unlink()),
    ("lien-he", AFTER, lambda r: edit(r / "site.yaml", ', phone: "0255 000 000"')),
    ("lien-he", AFTER, lambda r: (r / "site.yaml").write_text(
        (r / "site.yaml").read_text(encoding="utf-8") + 'compliance: {lien-he: "https://sothunghiem.tinhthu.gov.vn/lh"}\n',
        encoding="utf-8")),
    ("dau-trang", AFTER, lambda r: edit(r / "site.yaml", 'logo: "images/logo.png"\n')),
    ("chan-trang", AFTER, lambda r: edit(r / "site.yaml", ', person: "Nguyễn Văn A"')),
    ("tiep-can-thong-tin", AFTER, lambda r: (r / "content/pages/tiep-can-thong-tin.md").unlink()),
    ("van-ban", AFTER, lambda r: shutil.rmtree(r / "content/documents")),
    ("van-ban-thuoc-tinh", BEFORE, lambda r: edit(r / "content/documents/95-2021-nd-cp.md", "effective: 2022-01-02\n")),
    ("thu-tuc", AFTER, lambda r: edit(r / "content/procedures/2-000648.md", "portal_id: 183327\n")),
    ("dublin-core", AFTER, lambda r: edit(r / "layouts/base.html", '<meta name="DC.publisher" content="{{ organization }}">')),
    ("khuyet-tat", AFTER, lambda r: edit(r / "layouts/base.html", ' class="skip" href="#noi-dung"', ' href="#noi-dung"')),
    ("di-dong", AFTER, lambda r: edit(r / "layouts/base.html",
                                      '<meta name="viewport" content="width=device-width, initial-scale=1">')),
    ("so-do", AFTER, lambda r: (r / "layouts/sitemap.xml").unlink()),
    ("ten-mien", AFTER, lambda r: edit(r / "site.yaml", "sothunghiem.tinhthu.gov.vn", "example.com")),
    ("in-luu", BEFORE, lambda r: edit(r / "layouts/article.html", " data-print")),
    ("tieng-anh", BEFORE, lambda r: (r / "content/pages/en/co-cau-to-chuc.md").unlink()),
]


@pytest.mark.parametrize("duty, on, take_away", FLIPS, ids=[f[0] for f in FLIPS])
def test_each_duty_turns_missing_without_what_it_needs(complete, duty, on, take_away):
    run, status = checklist(complete, on)
    assert status[duty] == "present", status
    take_away(complete.root)
    run, status = checklist(complete, on)
    missing = [k for k, v in status.items() if v == "MISSING"]
    if duty == "lien-he":
        if "compliance:" in (complete.root / "site.yaml").read_text(encoding="utf-8"):
            assert run.code == 0 and status["lien-he"] == "present", run.out    # met on the portal: the telephone
            return                                                              # is back in the footer's duty
        assert missing == ["lien-he", "chan-trang"], run.out
    else:
        assert missing == [duty], run.out
    assert run.code == 1, run.out
    block = run.out.split(f"[MISSING] {duty}:", 1)[1].split("\n\n", 1)[0]
    assert "    -> " in block, block       # what to fill, and where


def test_duties_of_a_text_no_longer_in_force_are_not_applicable(complete):
    edit(complete.root / "layouts/article.html", " data-print")
    run, status = checklist(complete, AFTER)
    assert run.code == 0 and status["in-luu"] == "n/a"
    block = run.out.split("[n/a] in-luu:", 1)[1].split("\n\n", 1)[0]
    assert "not required now; 1 item(s) missing" in block
    assert "Nghị định 224/2026/NĐ-CP, which replaced it, has no such duty in Điều 9–11" in block


def test_a_portal_page_meets_a_duty_and_an_unknown_duty_is_a_warning(complete):
    (complete.root / "content/pages/tiep-can-thong-tin.md").unlink()
    with open(complete.root / "site.yaml", "a", encoding="utf-8") as f:
        f.write('compliance:\n  tiep-can-thong-tin: "https://sothunghiem.tinhthu.gov.vn/tiep-can-thong-tin"\n'
                '  tiep-can: "https://sothunghiem.tinhthu.gov.vn/x"\n  so-do: "https://sothunghiem.tinhthu.gov.vn/y"\n')
    run, status = checklist(complete)
    assert run.code == 0 and status["tiep-can-thong-tin"] == "present", run.out
    assert "    met on the portal: https://sothunghiem.tinhthu.gov.vn/tiep-can-thong-tin" in run.out
    warnings = [line for line in run.lines if line.startswith("site.yaml:")]
    assert warnings == [
        "site.yaml:13: warning: compliance.tiep-can: no duty of that name is met by a portal page "
        "(did you mean 'tiep-can-thong-tin'?)",
        "site.yaml:14: warning: compliance.so-do: no duty of that name is met by a portal page "
        "(duties a portal page may meet: co-cau-to-chuc, lanh-dao, lien-he, thu-tuc, tiep-can-thong-tin)"], warnings


def test_the_sample_shows_exactly_what_the_office_must_still_supply(sample_site):
    run, status = checklist(sample_site)
    assert run.code == 1
    fills = re.findall(r"^    -> (.*)$", run.out, re.M)
    assert fills == [
        "content/pages/co-cau-to-chuc.md", "or site.yaml compliance.co-cau-to-chuc: the address of the portal page that has it",
        "content/pages/lanh-dao.md", "or site.yaml compliance.lanh-dao: the address of the portal page that has it",
        "site.yaml organization.address", "site.yaml organization.phone", "site.yaml organization.email",
        "or site.yaml compliance.lien-he: the address of the portal page that has it",
        "site.yaml logo (the national emblem or the department's logo, a picture in content/images/)",
        "site.yaml responsible.person", "site.yaml organization.address", "site.yaml organization.phone",
        "site.yaml organization.email",
        "content/pages/tiep-can-thong-tin.md",
        "or site.yaml compliance.tiep-can-thong-tin: the address of the portal page that has it",
        "content/procedures/2-000648.md portal_url (or portal_id: its page on the national public-service portal)",
        "content/procedures/2-000645.md portal_url (or portal_id: its page on the national public-service portal)",
        "or site.yaml compliance.thu-tuc: the address of the portal page that has it",
    ], fills
    assert {k for k, v in status.items() if v == "present"} == {
        "van-ban", "dublin-core", "khuyet-tat", "di-dong", "so-do", "ten-mien"}
    # Nothing the Office must supply is made up: the sample has no phone, address or e-mail.
    assert not re.search(r"\b0\d{2,3}[ .]?\d{3}[ .]?\d{3,4}\b", (sample_site.root / "site.yaml").read_text(encoding="utf-8"))


def test_without_compliance_check_prints_no_checklist(complete):
    run = complete.check()
    assert run.code == 0 and "Checklist" not in run.out
