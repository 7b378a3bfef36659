"""The series a page declares, for reviews whose headline names none ("A great story, but the ending feels off.").

Pages say what they are about in several places; in order of how sure each is:
1. `itemReviewed` of a schema.org Review (JSON-LD or microdata): the reviewed work by name, often with its type
   (TVEpisode, TVSeason, TVSeries, Movie) and numbers;
2. the breadcrumb (schema.org BreadcrumbList or the theme's breadcrumb trail): Home › Reviews › <show> › post;
3. the post's categories and tags (WordPress `rel=tag`/`cat-links`/`tags-links`, Blogger labels,
   `article:tag`/`article:section` meta): blogs file a review under the show;
4. `og:title`, when it names the show where the visible headline does not.
A breadcrumb entry, category or tag names the show only if the review's text mentions it; of several, the one
mentioned most. Generic filing words (Reviews, Anime, Episode Reviews, Fall 2024, Crunchyroll…) never count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.cssselect import CSSSelector

from pipelines.headline_families import AIRING_SEASON
from pipelines.headlines import parse_headline
from pipelines.kinds import Kind
from pipelines.page import Page
from pipelines.structured import reviewed_properties, types_of

MAX_CANDIDATES = 50  # labels read from one page: a tag cloud must not cost a page's worth of work
MAX_NAME = 150

# Filing words that name a kind of post, a medium, a season or a service, never a show.
GENERIC_LABELS = re.compile(
    r"^(?:(?:anime|manga|tv|movie|film|episode|episodic|season|series|weekly|seasonal|first|final|video|blu-?ray|dvd"
    r"|light\s+novel|game|book|streaming|simulcast|dub|sub|english|japanese|new|latest|top|all|other|misc\w*|"
    r"reviews?|recaps?|impressions?|thoughts|opinions?|editorials?|features?|news|blog|home|posts?|articles?|"
    r"uncategori[sz]ed|featured|spoilers?|analysis|recommendations?|lists?|rankings?)\b\W*)+$"
    rf"|^{AIRING_SEASON}\b.*\d{{4}}$|^\d{{4}}$|^(?:crunchyroll|netflix|hidive|funimation|"
    r"disney\+?|hulu|prime\s+video|amazon)$",
    re.I,
)
_BREADCRUMB = CSSSelector(
    ".breadcrumb a, .breadcrumbs a, #breadcrumbs a, nav[aria-label~=breadcrumb] a, nav[aria-label~=Breadcrumb] a, "
    ".rank-math-breadcrumb a, .yoast-breadcrumb a",
    translator="html",
)
_LABELS = CSSSelector(
    "a[rel~=tag], a[rel~=category], .cat-links a, .tags-links a, .post-categories a, .post-tags a, "
    ".post-labels a, .entry-categories a, .entry-tags a",
    translator="html",
)
_LABEL_META = CSSSelector('meta[property="article:tag"], meta[property="article:section"]', translator="html")
_OG_TITLE = CSSSelector('meta[property="og:title"]', translator="html")
# "Frieren 25 Review – Anime Blog": the site's name after the last separator of an og:title.
_SITE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]+$")

ITEM_KINDS = {"TVEpisode": Kind.EPISODE, "Episode": Kind.EPISODE, "TVSeason": Kind.SEASON,
              "CreativeWorkSeason": Kind.SEASON, "TVSeries": Kind.SERIES, "CreativeWorkSeries": Kind.SERIES,
              "Movie": Kind.MOVIE, "Book": Kind.VOLUME}


@dataclass(frozen=True)
class DeclaredSeries:
    series: str
    source: str            # itemReviewed, breadcrumb, category, og:title
    kind: Kind | None = None  # what itemReviewed's type says the review is of


def series_from_page(page: Page, text: str) -> DeclaredSeries | None:
    """The series the page declares, with the signal it came from; None where it declares none."""
    if page.tree is None:
        return None
    words = _words(text)  # the review's words, split once for every candidate name
    return (_item_reviewed(page)
            or _mentioned_most(_breadcrumb(page), words, "breadcrumb")
            or _mentioned_most(_labels(page), words, "category")
            or _og_title(page))


def _name(value) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    if not isinstance(value, str):
        return None
    name = " ".join(value.split())[:MAX_NAME]
    return name or None


def _item_reviewed(page: Page) -> DeclaredSeries | None:
    for reviewed in reviewed_properties(page, "itemReviewed"):
        kinds = [ITEM_KINDS[t] for t in types_of(reviewed) if t in ITEM_KINDS]
        # An episode or season names its show as the series it is part of.
        name = _name(reviewed.get("partOfSeries")) or _name(reviewed.get("name"))
        if name and not GENERIC_LABELS.match(name):
            return DeclaredSeries(name, "itemReviewed", kinds[0] if kinds else None)
    return None


def _breadcrumb(page: Page) -> list[str]:
    names = []
    for item in page.structured:
        if "BreadcrumbList" in types_of(item):
            elements = item.get("itemListElement") or []
            names += [_name(element.get("item") or element) for element in elements if isinstance(element, dict)]
    names += ["".join(link.itertext()) for link in _BREADCRUMB(page.tree)[:MAX_CANDIDATES]]
    return names


def _labels(page: Page) -> list[str]:
    links = ["".join(link.itertext()) for link in _LABELS(page.tree)[:MAX_CANDIDATES]]
    return links + [meta.get("content") or "" for meta in _LABEL_META(page.tree)[:MAX_CANDIDATES]]


def _mentioned_most(names: list[str | None], words: str, source: str) -> DeclaredSeries | None:
    """The name the review's words (`_words` of its text) mention most often (at least once), generic filing
    words aside."""
    best, best_count = None, 0
    for raw in names[:MAX_CANDIDATES]:
        name = _name(raw)
        if not name or len(name) < 2 or GENERIC_LABELS.match(name):
            continue
        count = _count(words, name)
        if count > best_count:
            best, best_count = name, count
    return DeclaredSeries(best, source) if best else None


def _words(text: str) -> str:
    """The text's words, case folded, one space apart and one around: " frieren walks on " """
    return " " + " ".join(re.findall(r"\w+", text.casefold())) + " "


def mentions(text: str, series: str) -> int:
    """How often the text names the series: by its title, or the part before a subtitle ("Frieren" of
    "Frieren: Beyond Journey's End"), words compared, case and punctuation aside."""
    return _count(_words(text), series)


def _count(words: str, series: str) -> int:
    name = _words(re.split(r"[:–—(\[]", series, maxsplit=1)[0]).strip() or _words(series).strip()
    return words.count(f" {name} ") if name else 0


def _og_title(page: Page) -> DeclaredSeries | None:
    metas = _OG_TITLE(page.tree)
    title = _name(metas[0].get("content")) if metas else None
    if not title:
        return None
    series = parse_headline(_SITE_SUFFIX.sub("", title), catalogue=None).series
    return DeclaredSeries(series, "og:title") if series else None
