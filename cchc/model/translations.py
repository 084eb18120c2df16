"""Pages in another language (content/pages/en/…): their URLs under en/, the Vietnamese page each
translates (the page of the same file name), and whether the translation is older than it.

"Changed after its translation" is measured by content, not by dates: an English page records in
`translated_from:` the digest of the Vietnamese page it was translated from (8 hex digits of a
SHA-256 of its title, summary and body, as read: NFC, \\n line ends, no BOM). `check` compares it
with the Vietnamese page's digest now and warns when they differ, printing the new one to paste
once the translation is brought up to date. File times are not used: a copy to a USB stick, a
zip or a version-control checkout changes them without changing a word, and editors forget an
`updated:` date. Front-matter edits that do not change the text (the menu order) do not count.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Callable

from cchc.core.config import Settings
from cchc.core.content import Page
from cchc.core.messages import _
from cchc.core.problems import Problems
from cchc.core.vietnamese import sort_key
from cchc.model import routes

DIGEST_LENGTH = 8


@dataclass
class Translations:
    pages: list[Page] = field(default_factory=list)          # every page in another language, in menu order
    original: dict[str, str] = field(default_factory=dict)   # translated page's source -> the Vietnamese page's
    translated: dict[str, dict[str, str]] = field(default_factory=dict)   # Vietnamese source -> {language: source}
    languages: tuple[str, ...] = ()                          # the other languages of site.yaml (["en"])

    def homes(self) -> dict[str, str]:
        """language -> URL of its home page (en/): where the language switch leads when a page
        has no translation, so that it never leads to a missing page."""
        return {lang: routes.language_home(lang) for lang in self.languages}


def text_digest(page: Page) -> str:
    """What `translated_from:` records: the digest of a page's title, summary and body."""
    text = "\0".join((page.title, page.summary if "summary" in page.lines else "", page.body.strip()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST_LENGTH]


def pair_translations(settings: Settings, pages: list[Page], translated: list[Page], claim: Callable,
                      problems: Problems) -> Translations:
    """URLs for the translated pages (claim: the model's), each paired with the Vietnamese page of
    the same file name; a warning for a translation without one, without `translated_from:`, or
    older than its Vietnamese page."""
    out = Translations(languages=tuple(settings.languages[1:]))
    by_name = {_name(p.source): p for p in pages}
    for page in sorted(translated, key=lambda p: (p.menu if p.menu is not None else 10**6, sort_key(p.title))):
        if page.lang not in out.languages:
            problems.warning(page.source, 1, _("a page in content/pages/{lang}/, but site.yaml's languages do not "
                                               "name {lang}; it is not published", lang=page.lang),
                             _("add 'languages: [{site}, {lang}]' to site.yaml", site=settings.language, lang=page.lang))
            continue
        if not claim(routes.translation(page.lang, page.slug), page, "slug" if "slug" in page.lines else "title"):
            continue
        out.pages.append(page)
        original = by_name.get(_name(page.source, page.lang))
        if original is None:
            problems.warning(page.source, 1, _("no Vietnamese page content/pages/{name} to pair with",
                                               name=_name(page.source, page.lang)),
                             _("give the translation the file name of the page it translates"))
            continue
        out.original[page.source] = original.source
        out.translated.setdefault(original.source, {})[page.lang] = page.source
        problems.extend(staleness(page, original))
    return out


def staleness(translation: Page, original: Page) -> Problems:
    """The warning of a translation older than its original (or not saying which version it
    translates); none when up to date. Also used by the builder's fast path after a save of the
    original, so that the warning comes and goes as in a full build."""
    found = Problems()
    now = text_digest(original)
    if not translation.translated_from:
        found.warning(translation.source, 2, _("translated_from: missing; {file} is at {digest}",
                                               file=original.source, digest=now),
                      _("once the translation matches it, add 'translated_from: {digest}'", digest=now))
    elif translation.translated_from != now:
        found.warning(translation.source, translation.line_of("translated_from"),
                      _("{file} changed after this translation (translated_from: {old}, now {digest})",
                        file=original.source, old=translation.translated_from, digest=now),
                      _("bring the translation up to date, then write 'translated_from: {digest}'", digest=now))
    return found


def _name(source: str, lang: str = "") -> str:
    """content/pages/en/gioi-thieu.md -> gioi-thieu.md (the path under pages/, less the language)."""
    rest = source.split("/", 2)[2]
    return rest[len(lang) + 1:] if lang and rest.startswith(lang + "/") else rest
