"""Helpers around the sanitiser (nh3) that engine.py applies to every rendered body.

- `split_ampersand_runs`: nh3 (html5ever underneath) takes time quadratic in the number of '&'
  in one text node: 400,000 "a&b " in a paragraph took 65 s, the same text split into text
  nodes of 500 '&' a second (benchmarks/scaling.py, "nh3"). An empty comment between two runs
  splits the node; nh3 drops comments, so its output is the same string.
- `iframe_host`: the host of an embed address, or None when the address names its host in a way
  a prefix test would misread (user info, another port, a backslash).
- `drop_script_urls`: for `raw_html: allow`, which keeps an editor's HTML as written: links and
  sources that would run script (javascript:, vbscript:, data:) are removed all the same.
"""
from __future__ import annotations

import html as htmllib
import re
from urllib.parse import urlsplit

AMPERSANDS_A_NODE = 500
# Elements whose content html5ever does not read as markup (raw text, RCDATA, script data): a
# comment there would be text. Nothing is inserted inside them.
_RAW = {"script", "style", "textarea", "title", "iframe", "xmp", "noembed", "noframes", "noscript", "plaintext"}
# Markup as the HTML tokenizer sees it, so text is never mistaken for a tag or a comment:
# comments (an unclosed one runs to the end), bogus comments (<!x>, <?x>, </3>), and tags whose
# quoted attribute values may hold '>' (bounded, so an unclosed quote cannot make this slow).
# Where this reading and the tokenizer's could differ (quotes inside attribute names, foreign
# content), it takes more for markup than the tokenizer does, so it inserts less, never inside
# a tag; in the worst case a comment is read as text by nh3 and shown escaped: still sanitised.
_MARKUP = re.compile(
    r"<!--.*?(?:-->|\Z)|<[!?][^>]*+(?:>|\Z)|</(?![A-Za-z])[^>]*+(?:>|\Z)"
    r"|<(/?)([A-Za-z][^\s/>]*+)(?:[^>\"']++|\"[^\"]{0,20000}+\"|'[^']{0,20000}+')*+(?:>|\Z)", re.S)


def split_ampersand_runs(html: str) -> str:
    """html with an empty comment before every AMPERSANDS_A_NODE-th '&' of a text run (never inside
    a tag, a comment or raw text, never inside a character reference: each starts at its '&')."""
    if html.count("&") <= AMPERSANDS_A_NODE:
        return html
    out: list[str] = []
    at, raw = 0, ""
    for m in _MARKUP.finditer(html):
        text = html[at:m.start()]
        out.append(text if raw or "&" not in text else _split(text))
        closing, name = m.group(1), (m.group(2) or "").lower()
        if raw:
            if closing and name == raw:
                raw = ""
        elif name in _RAW and not closing:
            raw = name
        out.append(m.group())
        at = m.end()
        if raw == "plaintext":       # no end: the rest of the document is text to the tokenizer
            break
    text = html[at:]
    out.append(text if raw or "&" not in text else _split(text))
    return "".join(out)


def _split(text: str) -> str:
    parts = text.split("&")
    if len(parts) <= AMPERSANDS_A_NODE:
        return text
    return "<!---->&".join("&".join(parts[i:i + AMPERSANDS_A_NODE]) for i in range(0, len(parts), AMPERSANDS_A_NODE))


def iframe_host(src: str) -> str | None:
    """The lower-case host of an https embed address, or None when it is not plainly one: with
    user info (https://www.youtube.com:443@evil.example/ is evil.example), a port other than
    443, a backslash (read as '/' by browsers) or characters a host name does not have."""
    if not src.lower().startswith("https://") or "\\" in src:
        return None
    try:
        parts = urlsplit(src)
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname or ""
    if parts.username is not None or parts.password is not None or port not in (None, 443):
        return None
    if not re.fullmatch(r"[a-z0-9.-]+", host) or "@" in parts.netloc:
        return None
    return host


# href, src and the other attributes browsers follow, quoted or not.
_URL_ATTRIBUTE = re.compile(r"""([\s/](?:href|src|action|formaction|xlink:href|poster|data|background|cite|srcset|ping)"""
                            r"""\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+)""", re.I)
_SCRIPT_SCHEME = re.compile(r"(?:javascript|vbscript|data):(?!image/(?:png|jpeg|gif|webp);)", re.I)
_IGNORED = re.compile(r"[\x00-\x20]")     # browsers skip these in a scheme ("jav\tascript:")


def drop_script_urls(html: str) -> str:
    """Each URL attribute whose value (character references read) starts a script-running scheme
    is removed, with its name."""
    if "=" not in html:
        return html

    def check(m: re.Match) -> str:
        value = m.group(2)
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        plain = _IGNORED.sub("", htmllib.unescape(value))
        return "" if _SCRIPT_SCHEME.match(plain) else m.group()
    return _URL_ATTRIBUTE.sub(check, html)
