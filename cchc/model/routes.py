"""Every URL and output path of the section, in one place.

A newcomer asking "what makes luu-tru/2021/?" reads it here: the URL of every kind of page, the
file it is written to, the top-level names a fixed page may not take, and the order in which
publish uploads them. URLs are site-relative: a folder ("tin-tuc/x/"), a file ("feed.xml") or ""
(the home page). Links between pages are made relative (`relative`), so output/ works under any
sub-path of the portal and from disk; `base_url` is prefixed only where a format needs absolute
URLs (feeds, sitemap, canonical, Open Graph, JSON-LD).
"""
from __future__ import annotations

import re

# --- pages of one item -------------------------------------------------------------------


def article(slug: str) -> str:
    return f"tin-tuc/{slug}/"


def page(slug: str) -> str:
    """A fixed page ("Giới thiệu") sits at the top level: gioi-thieu/."""
    return f"{slug}/"


def document(slug: str) -> str:
    return f"van-ban/{slug}/"


def document_json(slug: str) -> str:
    """One document as open data, beside its page: van-ban/<slug>/index.json."""
    return f"{document(slug)}index.json"


def procedure(slug: str) -> str:
    """An administrative procedure's summary page: thu-tuc/2-000648/ (core/procedures.code_slug)."""
    return f"{PROCEDURES}{slug}/"


def translation(language: str, slug: str) -> str:
    """A fixed page in another language: en/gioi-thieu/."""
    return f"{language}/{slug}/"


def language_home(language: str) -> str:
    """The home page of the pages in another language: en/ (never a 404 for the language switch)."""
    return f"{language}/"


# --- lists -------------------------------------------------------------------------------

HOME = ""
NEWS = "tin-tuc/"
CATEGORIES = "chuyen-muc/"
TAGS = "the/"
ARCHIVES = "luu-tru/"
DOCUMENTS = "van-ban/"
PROCEDURES = "thu-tuc/"            # administrative procedures (TTHC), when content/procedures/ has any


def category(key: str) -> str:
    return f"{CATEGORIES}{key}/"


def tag(slug: str) -> str:
    return f"{TAGS}{slug}/"


def year(number: int) -> str:
    return f"{ARCHIVES}{number}/"


def paged(base: str, number: int) -> str:
    """Page `number` of a list at `base`: base itself, then base + "trang-N/"."""
    return base if number == 1 else f"{base}trang-{number}/"


_PAGED = re.compile(r"(^|/)trang-\d+/")
_DOCUMENT_JSON = re.compile(rf"^{DOCUMENTS}[^/]+/index\.json$")

# --- the section's other pages and files ---------------------------------------------------

SEARCH = "tim-kiem/"
SITEMAP_PAGE = "so-do-trang/"
STATS = "thong-ke/"
PLANS = "ke-hoach/"                # one page per plan of content/plans/, linked from thong-ke/
NOT_FOUND = "404.html"
ATOM = "feed.xml"
RSS = "rss.xml"
SITEMAP = "sitemap.xml"
WIDGET = "tin-moi.html"            # the portal's "latest news" box, embedded in its home page
WIDGET_JSON = "tin-moi.json"       # the same for the portal's CMS (absolute URLs)
DOCUMENTS_DATA = "van-ban/danh-muc.{digest}.js"   # the document filters' data; its name carries its hash
DOCUMENTS_JSON = "van-ban/data.json"              # the whole index as open data (schema: DOCUMENTS_SCHEMA)
DOCUMENTS_SCHEMA = "van-ban/schema.json"          # the JSON Schema of data.json and of each index.json
DOCUMENTS_FEED = "van-ban/feed.xml"               # Atom: documents added, amended, whose status changed
SEARCH_ENTRY = "tim-kiem/muc-luc.json"            # the search index's entry, written last
SEARCH_DATA = "tim-kiem/du-lieu"                  # its shards, chunks and filters (hashed names)
ASSETS = "assets"                  # layouts/assets/x.css -> assets/x.<hash>.css
FILES = "files"                    # content/files/ -> files/ (attachments)
IMAGES = "images"                  # content/images/ -> images/


def plan(slug: str) -> str:
    """A plan's progress page: ke-hoach/tuyen-truyen-cchc-2021/."""
    return f"{PLANS}{slug}/"


def asset(rel: str, digest: str) -> str:
    """The fingerprinted name of a layout asset: a new name whenever its bytes change."""
    stem, dot, ext = rel.rpartition(".")
    return f"{ASSETS}/{stem}.{digest}.{ext}" if dot else f"{ASSETS}/{rel}.{digest}"


def image_variant(path: str, width: int, ext: str) -> str:
    """A resized copy of a picture (build/images.py): images/x.jpg at 480 px -> images/x.480.jpg,
    in WebP images/x.480.jpg.webp (the original's extension kept: x.jpg and x.png never share one).
    The widest copy in the original format keeps the picture's own path."""
    stem, _, own = path.rpartition(".")
    return f"{stem}.{width}.{own}" if ext == own else f"{stem}.{width}.{own}.{ext}"


def attachment(written: str) -> str:
    """The output path of an attachment an editor wrote as "files/x.pdf", "content/files/x.pdf" or
    "x.pdf" (an address starting with http:// or https:// is not one of ours)."""
    key = written[len("content/"):] if written.startswith("content/") else written
    return key if key.startswith(FILES + "/") else f"{FILES}/{key}"


def output_path(url: str) -> str:
    """The file a URL is written to: a folder's index.html, or the file itself."""
    return url + "index.html" if url == "" or url.endswith("/") else url


# Top-level names the generator itself uses; a fixed page may not take one of them. "pagefind"
# is the folder earlier versions wrote the search index into.
RESERVED = frozenset({
    *(u.split("/", 1)[0] for u in (NEWS, CATEGORIES, TAGS, ARCHIVES, DOCUMENTS, PROCEDURES, SEARCH, SITEMAP_PAGE, STATS, PLANS)),
    "en", "vi",                    # the folders of pages in another language (language_home)
    ASSETS, FILES, IMAGES, "pagefind", "index",
    *(name.rsplit(".", 1)[0] for name in (NOT_FOUND, ATOM, RSS, SITEMAP, WIDGET)),
})


def relative(from_url: str, to_url: str, for_disk: bool = False) -> str:
    """Link from the page at from_url to to_url, both site-relative ("tin-tuc/x/", "feed.xml", "").

    Relative links keep the section working under any sub-path of the portal and when the
    output folder is opened from disk; for_disk adds index.html, which file:// needs.
    """
    to_path, _, fragment = to_url.partition("#")
    depth = from_url.count("/")
    link = "../" * depth + to_path
    if for_disk and (to_path == "" or to_path.endswith("/")):
        link += "index.html"
    if not link:
        link = "./"
    return f"{link}#{fragment}" if fragment else link


# --- publish order -------------------------------------------------------------------------

# Upload order, so the live section is never broken: what pages link to arrives before the
# pages, pages before the lists and feeds that link to them, the home page last.
STAGES = ("assets", "pages", "lists", "feeds", "home")
_LIST_FOLDERS = tuple(u.rstrip("/") for u in (CATEGORIES, TAGS, ARCHIVES, SEARCH, SITEMAP_PAGE))
_LIST_FILES = (output_path(DOCUMENTS), output_path(NEWS), output_path(PROCEDURES), SEARCH_ENTRY, DOCUMENTS_JSON)
# Feeds, sitemap and the portal's widget link to pages, so they follow them.
_FEEDS = re.compile(r"^(feed|rss|atom|sitemap[\w-]*|robots)\.(xml|txt)$|^(widget|tin-moi)[\w.-]*$|^widget/")


def publish_stage(path: str) -> int:
    """The upload stage of an output path (an index into STAGES)."""
    if path == output_path(HOME):
        return 4
    if _FEEDS.search(path) or path == DOCUMENTS_FEED:
        return 3
    if path in _LIST_FILES or path.split("/", 1)[0] in _LIST_FOLDERS or _PAGED.search(path):
        return 2
    if path.endswith((".html", ".htm")) or _DOCUMENT_JSON.match(path):
        return 1
    return 0
