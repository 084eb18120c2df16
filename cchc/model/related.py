"""Related news (Tin liên quan) and the category's other news beside an article. Pure data.

Related: articles of the same category that share a tag or a cited document, the most shared
first, then the nearest in time. Comparing every pair would cost the square of the section (10,000
articles: 50 million pairs); instead each (category, tag) and (category, document) keeps its
articles in date order, and an article looks only at its NEIGHBOURS nearest articles on each
side in each of its lists: linear in the number of tags and citations. A new article thus changes
the related lists of a few articles near it in time, not of every article sharing a tag: fewer
pages rewritten and published.

Beside the article (the right column on wide screens): the news of its category published just
before it, the category's latest news as they stood when it appeared. Not the latest of today: that
list would change every article page of the category at each new article, and `publish` would
upload all of them again.
"""
from __future__ import annotations

from collections import defaultdict

from cchc.core.vietnamese import slugify
from cchc.model.site import Site

RELATED = 5          # related articles shown under an article
NEIGHBOURS = 3       # looked at on each side of an article in each of its (category, key) lists
EARLIER = 5          # earlier news of the category beside an article


def related_articles(site: Site) -> dict[str, list[str]]:
    """article source -> sources of its related articles (same category, a shared tag or cited
    document), best first; articles with none are left out."""
    lists: dict[tuple, list] = defaultdict(list)      # (category, key) -> articles, newest first
    keys_of: dict[str, list[tuple[tuple, int]]] = {}  # source -> [(list key, position in it)]
    for a in site.articles:                           # newest first
        mine = []
        keys = {("t", slugify(t)) for t in a.tags} | {("d", d) for d in site.cites.get(a.source, ())}
        for key in sorted(keys):
            found = lists[(a.category, key)]
            mine.append(((a.category, key), len(found)))
            found.append(a)
        keys_of[a.source] = mine
    out: dict[str, list[str]] = {}
    for a in site.articles:
        score: dict[str, int] = defaultdict(int)
        other: dict[str, object] = {}
        for key, at in keys_of[a.source]:
            found = lists[key]
            for b in found[max(0, at - NEIGHBOURS):at + NEIGHBOURS + 1]:
                if b is not a:
                    score[b.source] += 1
                    other[b.source] = b
        if score:
            best = sorted(score, key=lambda s: (-score[s], abs((other[s].date - a.date).total_seconds()), s))
            out[a.source] = best[:RELATED]
    return out


def earlier_in_category(site: Site) -> dict[str, list[str]]:
    """article source -> the EARLIER news of its category published just before it (newest first).
    Related articles may be among them: the two lists answer different questions (what is on the
    same subject; what else the category said lately), and removing one from the other would leave
    the column empty on a small section, where every article of a category is related."""
    out: dict[str, list[str]] = {}
    for _, items in site.categories:                  # newest first
        for i, a in enumerate(items):
            picked = [b.source for b in items[i + 1:i + 1 + EARLIER]]
            if picked:
                out[a.source] = picked
    return out
