"""Vietnamese text functions: table-driven, as an editor's input arrives (NFD, đ/Đ, odd dates)."""
import datetime as dt
import unicodedata
from zoneinfo import ZoneInfo

import pytest

from cchc.core.vietnamese import DateError, fold, format_date, parse_date, slugify, sort_key, toc_slugify

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize("text, slug", [
    ("Cải cách hành chính", "cai-cach-hanh-chinh"),
    ("Đẩy mạnh chuyển đổi số", "day-manh-chuyen-doi-so"),
    ("ĐỒNG DU", "dong-du"),
    ("Đông Du", "dong-du"),
    ("Nghị định 61/2018/NĐ-CP", "nghi-dinh-61-2018-nd-cp"),
    ("  --Quý I/2021!! ", "quy-i-2021"),
    ("Thủ tục: “một cửa”", "thu-tuc-mot-cua"),
    ("con", "con-1"),                     # a Windows device name
    ("!!!", ""),
])
def test_slugify(text, slug):
    assert slugify(text) == slug
    assert slugify(unicodedata.normalize("NFD", text)) == slug


def test_slug_is_cut_at_a_word_boundary():
    slug = slugify("Kế hoạch " * 30)
    assert len(slug) <= 80 and not slug.endswith("-") and slug.startswith("ke-hoach-ke-hoach")


def test_heading_anchor_keeps_d():
    assert toc_slugify("Đẩy mạnh chuyển đổi số", "-") == "day-manh-chuyen-doi-so"


def test_fold_keeps_case_and_maps_d():
    assert fold("Đà Nẵng đẹp") == "Da Nang dep"


def test_vietnamese_alphabetical_order():
    words = ["đa", "bé", "ăn", "ân", "an", "Đà", "da", "ê", "e", "ơn", "ôm", "om", "ư", "u", "y", "x", "ạ", "à", "á", "ả", "ã", "a"]
    expected = ["a", "à", "ả", "ã", "á", "ạ", "an", "ăn", "ân", "bé", "da", "đa", "Đà", "e", "ê", "om", "ôm", "ơn",
                "u", "ư", "x", "y"]
    assert sorted(words, key=sort_key) == expected
    # code-point order would put every accented letter after z
    assert sorted(["Đức", "Bình", "Yên"]) == ["Bình", "Yên", "Đức"]
    assert sorted(["Đức", "Bình", "Yên"], key=sort_key) == ["Bình", "Đức", "Yên"]


@pytest.mark.parametrize("value, expected", [
    (dt.date(2021, 1, 18), dt.datetime(2021, 1, 18, tzinfo=TZ)),
    (dt.datetime(2021, 1, 18, 8, 0), dt.datetime(2021, 1, 18, 8, 0, tzinfo=TZ)),
    ("2021-01-18", dt.datetime(2021, 1, 18, tzinfo=TZ)),
    ("2021-01-18 08:00", dt.datetime(2021, 1, 18, 8, 0, tzinfo=TZ)),
    ("18/01/2021", dt.datetime(2021, 1, 18, tzinfo=TZ)),
    ("8/1/2021", dt.datetime(2021, 1, 8, tzinfo=TZ)),
    (dt.datetime(2021, 1, 18, 1, 0, tzinfo=dt.timezone.utc), dt.datetime(2021, 1, 18, 8, 0, tzinfo=TZ)),
])
def test_parse_date(value, expected):
    got = parse_date(value, TZ)
    assert got == expected and got.utcoffset() == dt.timedelta(hours=7)


@pytest.mark.parametrize("value, message", [
    ("31/02/2021", '"31/02/2021" is not a real date (month 2/2021 has 28 days)'),
    ("2021-13-01", '"2021-13-01" is not a real date'),
    ("hôm qua", '"hôm qua" is not a date'),
    (20210118, "20210118 is not a date"),
])
def test_parse_date_errors(value, message):
    with pytest.raises(DateError) as info:
        parse_date(value, TZ)
    assert str(info.value) == message


def test_format_date_is_vietnamese():
    assert format_date(dt.date(2021, 1, 18)) == "Thứ Hai, 18/01/2021"
    assert format_date(dt.date(2021, 1, 24)) == "Chủ Nhật, 24/01/2021"
