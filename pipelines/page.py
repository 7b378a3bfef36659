"""A web page read once, and the parts of a page named once, for every reader of it.

Three readers look at a whole review page: `chrome.main_text` (the article's text), `score_finder`
(the reviewer's own score) and `structured` (what the page declares about itself in schema.org data).
`read_page` parses the page once for all of them; the lists below say, for all of them alike, which
elements are never text, which are site chrome, which show other people's or other articles' scores and
which mark the article itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

import lxml.etree
import lxml.html
from lxml.cssselect import CSSSelector
from trafilatura.utils import load_html

# Elements that are never article text.
NON_TEXT_TAGS = ["script", "style", "noscript", "iframe", "form", "button", "nav", "aside", "footer", "svg",
                 "figcaption", "template", "select", "input"]

# Elements that never hold the review's own score (an <aside> may: themes put review boxes in one).
SCORELESS_TAGS = ["script", "style", "noscript", "nav", "footer", "form", "template"]

# Words in a class or id that mark chrome in WordPress, Blogger and news themes: not the article's text.
CHROME_WORDS = [
    "share", "sharing", "social", "newsletter", "subscribe", "signup", "related", "trending", "popular",
    "review-box", "review-summary", "wp-review", "rating-box", "author-box", "author-info", "about-author",
    "comment", "respond", "sidebar", "widget", "breadcrumb", "navigation", "nav-links", "post-nav", "menu",
    "popup", "modal", "advert", "ads-", "sponsor", "promo", "jp-relatedposts", "sharedaddy", "post-tags",
    "tags-links", "cat-links", "entry-meta", "entry-footer", "byline", "wp-caption-text", "screen-reader",
    "visuallyhidden", "cookie", "disclaimer", "affiliate", "ts-fab",
    "twitter-tweet", "instagram-media", "wp-block-embed",  # embedded posts of other people
]
CHROME_PATTERN = re.compile("|".join(re.escape(word) for word in CHROME_WORDS), re.IGNORECASE)

# Words in a class or id that mark regions showing scores that are not this review's: other articles'
# (related, trending, "you may also like"), other people's (readers, the community, polls, comments) and
# the page's furniture that carries such lists (sidebars, widgets, tickers, menus, footers).
OTHER_ARTICLES_WORDS = ["related", "trending", "popular", "recommend", "more-from", "also-like", "yarpp"]
OTHER_PEOPLE_WORDS = ["comment", "respond", "community", "poll", "user-rating", "reader"]
FURNITURE_WORDS = ["sidebar", "widget", "ticker", "footer", "menu"]
OTHER_SCORES_PATTERN = re.compile(
    "|".join(re.escape(word) for word in OTHER_ARTICLES_WORDS + OTHER_PEOPLE_WORDS + FURNITURE_WORDS), re.I
)

# Regions a page itself declares as the article, in order of trust: schema.org markup, WordPress themes,
# Blogger.
DECLARED_ARTICLE = ["[itemprop~=articleBody]", ".entry-content", ".post-body"]
# What marks the article itself: a container of one of these is never a region of other scores, whatever
# layout classes it carries ("right-sidebar" on the main column, Blogger's "widget Blog" around the post).
ARTICLE_MARKERS = "h1, .post-body, .entry-content, [itemprop~=articleBody], [itemprop~=reviewBody]"
_ARTICLE_MARKERS = CSSSelector(ARTICLE_MARKERS, translator="html")

# What extruct looks for: a <script type="application/ld+json">, or an element with an itemscope attribute.
MAY_HOLD_STRUCTURED_DATA = re.compile(r"ld\+json|itemscope", re.I)


def class_and_id(element) -> str:
    return (element.get("class") or "") + " " + (element.get("id") or "")


@dataclass(eq=False)
class Page:
    """A whole page as its readers share it. `tree` is never changed by a reader: one that edits the page
    (main_text removes chrome, trafilatura rewrites what it reads) works on a copy."""

    html: str
    url: str | None
    tree: lxml.html.HtmlElement | None  # None: not HTML, or nothing in it

    @cached_property
    def structured(self) -> list[dict]:
        from pipelines.structured import structured_items  # structured reads pages through this module

        return structured_items(self)

    @cached_property
    def article_containers(self) -> set:
        """Every article marker and its ancestors, leaving out markers inside what never holds the review's
        score (a heading in a footer's widget). lxml keeps an element's Python object while it is referenced: the set holds
        the elements themselves."""
        containers = set()
        for marker in _ARTICLE_MARKERS(self.tree) if self.tree is not None else ():
            lineage = [marker, *marker.iterancestors()]
            if not any(element.tag in SCORELESS_TAGS for element in lineage):
                containers.update(lineage)
        return containers

    def shows_other_scores(self, element) -> bool:
        """Whether the element is a region of other articles' or other people's scores (never the article)."""
        return element not in self.article_containers and bool(OTHER_SCORES_PATTERN.search(class_and_id(element)))


def is_html(text: str) -> bool:
    return text.lstrip()[:1] == "<"


def read_page(html: str | Page | None, url: str | None = None) -> Page:
    """The page parsed once: the pipelines of one item ask for the same page in turn, and get the same Page."""
    if isinstance(html, Page):
        return html
    return _read_page(html or "", url)


@lru_cache(maxsize=2)  # one item's pipelines run one after another: its page is the last one read
def _read_page(html: str, url: str | None) -> Page:
    tree = None
    if html.strip() and is_html(html):
        # trafilatura's parser: trafilatura extracts noticeably worse from a plain lxml tree. It refuses a
        # page of a single element, which lxml's own parser still reads.
        tree = load_html(html)
        if tree is None:
            tree = _lxml_document(html)
    return Page(html, url, tree)


def _lxml_document(html: str):
    try:
        return lxml.html.document_fromstring(html)
    except ValueError:  # a str with an XML encoding declaration: parse its bytes
        try:
            return lxml.html.document_fromstring(html.encode("utf-8"), parser=_UTF8)
        except lxml.etree.ParserError:
            return None
    except lxml.etree.ParserError:  # nothing but blanks or comments
        return None


_UTF8 = lxml.html.HTMLParser(encoding="utf-8")

# Words in a class or id that mark a score widget showing someone else's figure or no score at all: readers'
# and users' rating widgets, critic aggregates, and slideshow or gallery counters ("1 / 5"). Read by the
# score finder only; article extraction keeps their text.
OTHER_SCORE_WIDGET_WORDS = [
    "user-score", "userscore", "user-rat", "users-rating", "user-review", "reader", "audience", "visitor",
    "your-rating", "rate-this", "rating-form", "vote", "metascore", "metacritic", "opencritic", "tomatometer",
    "critic-score", "aggregate", "imdb", "gallery", "slide", "carousel", "counter", "pagination", "pager",
    "customer", "testimonial", "glsr",  # customers' reviews (Site Reviews' glsr-review boxes)
]
OTHER_SCORE_WIDGETS_PATTERN = re.compile("|".join(re.escape(word) for word in OTHER_SCORE_WIDGET_WORDS), re.I)
# Elements that end a line of text: a score and its label are read together only inside one of them.
BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figure h1 h2 h3 h4 h5 h6 header hr li main ol p pre "
    "section table tbody td th thead tr ul".split()
)
