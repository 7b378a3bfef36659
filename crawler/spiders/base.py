"""ReviewSpider: the shared base every outlet's spider is declared on.

A site's spider is declarations only: where reviews are listed (HTML listing pages, an RSS/Atom feed or
an XML sitemap), which links are reviews, how to reach the next listing page, and which selectors hold
each raw field of a review page. The base does the crawling and hands the raw text to the pipelines,
which do all parsing.

Selectors are CSS (Scrapy's `::text` / `::attr(name)` allowed), or XPath when they start with `/`, `(`
or `.//` (XPath relative to a row). A field's selector may be a list: the first one that matches wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cached_property
from itertools import islice
from urllib.parse import urlsplit

import scrapy
from parsel import Selector
from parsel.csstranslator import HTMLTranslator
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.sitemap import Sitemap

from crawler.items import ReviewItem
from crawler.safety import PrivateAddressRefused
from crawler.site import Site

MAX_LINKS_PER_PAGE = 5_000  # the default of the setting of that name (crawler/settings.py)

# Raw fields a spider may declare in `review_fields`.
RAW_FIELDS = ("headline", "author", "published", "updated", "score_text", "verdict", "box_title", "tags")
# The page's categories and tags as WordPress and Blogger mark them (rel="tag", rel="category tag") and as
# article meta tags state them: a site's `tags` selector.
PAGE_TAGS = ("(//a[contains(concat(' ', normalize-space(@rel), ' '), ' tag ')]//text() | "
             "//meta[@property='article:section' or @property='article:tag']/@content)")


_XPATH_STARTS = ("/", "(", ".//", "./")
_CSS_TO_XPATH = HTMLTranslator()  # parsel's own, with its ::attr() and ::text


def _select(node, selector: str):
    return node.xpath(selector) if selector.startswith(_XPATH_STARTS) else node.css(selector)


def all_strings(response, selector: str) -> list[str]:
    """Every match of a selector of attribute values or text, as plain strings: without a Selector per match, a
    listing page of 100,000 links costs its strings (some 10 MB), not 100,000 Selectors (some 50 MB more).
    A selector of elements gets their HTML, as parsel gives it."""
    xpath = selector if selector.startswith(_XPATH_STARTS) else _CSS_TO_XPATH.css_to_xpath(selector)
    matches = response.selector.root.xpath(xpath, smart_strings=False)
    if all(isinstance(match, str) for match in matches):
        return matches
    return _select(response, selector).getall()


def first_text(response, selectors: str | list[str]) -> str | None:
    """The first selector that matches, its matches' text joined and whitespace-collapsed."""
    for selector in [selectors] if isinstance(selectors, str) else selectors:
        parts = _select(response, selector).getall()
        text = " ".join(" ".join(parts).split())
        if text:
            return text
    return None


class ReviewSpider(scrapy.Spider):
    # Declarations every outlet's spider sets.
    outlet_name: str = ""              # the outlet as people know it: "But Why Tho?"
    start_urls: list[str] = []         # review listing pages, RSS/Atom feeds or XML sitemaps
    review_links: str = ""             # selector of review-page links on an HTML listing page
    next_page: str | None = None       # selector of the next listing page's link
    review_url_pattern: str | None = None  # regex a review page's URL matches (skips news, tags, pages)
    article: str = ""                  # selector of the article's HTML region
    review_fields: dict[str, str | list[str]] = {}
    score_best: float | None = None    # the scale of a bare number in the site's review box, if any
    # Per-category scores: {"row": selector, "label": selector, "score": selector}, label and score
    # relative to each row (e.g. "Story" / "Score: 7/10").
    subscores: dict[str, str] | None = None
    # Figures of readers or the community shown on the page, never the critic's score:
    # {"Community score": {"value": selector, "best": 5, "votes": selector}}.
    audience: dict[str, dict] = {}

    keep_page: bool = False            # hand the whole page to the pipelines (text and score found there)
    exclude: list[str] = []            # selectors of things in the article that are not the review

    def __init__(self, *args, start_urls: str | list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Crawling from given pages, not the whole listing, is a partial run (crawler/runs.py): its count of reviews
        # is never checked against a full run's, nor the next full run's baseline.
        self.partial = bool(start_urls)
        if isinstance(start_urls, str):  # `scrapy crawl x -a start_urls=URL,URL` crawls from those pages
            self.start_urls = [url.strip() for url in start_urls.split(",") if url.strip()]
        elif start_urls:
            self.start_urls = list(start_urls)

    @property
    def outlet(self) -> str:
        return self.allowed_domains[0]

    @cached_property
    def site(self) -> Site:
        return Site.of_spider(self)

    def site_for(self, url: str) -> Site:
        """The declarations that apply to a URL: the spider's own. A multi-site spider picks per host."""
        return self.site

    async def start(self):
        for url in self.start_urls:
            yield scrapy.Request(url, callback=self.parse, errback=self.page_failed, dont_filter=True)

    def page_failed(self, failure) -> None:
        """A page that could not be had, after its retries: logged, and counted by kind for crawl_runs."""
        kind = fault_kind(failure)
        detail = str(failure.value)
        self.logger.warning("could not fetch %s: %s", failure.request.url,
                            f"{kind} ({detail})" if detail and detail != kind else kind)
        self.crawler.stats.inc_value("pages/failed")
        self.crawler.stats.inc_value(f"faults/{kind}")

    def parse(self, response: Response) -> Iterator[scrapy.Request]:
        """A listing page, feed or sitemap: every review linked from it, then the next page."""
        response = self.readable(response)
        if response is None:
            return
        if is_xml(response):
            yield from self.parse_xml(response)
            return
        site = self.site_for(response.url)
        for href in self.capped(response, all_strings(response, site.review_links)):
            yield from self.follow_review(response, href)
        if site.next_page:
            href = _select(response, site.next_page).get()
            if href:
                yield response.follow(href, callback=self.parse, errback=self.page_failed)

    def parse_xml(self, response: Response) -> Iterator[scrapy.Request]:
        """RSS and Atom feeds, sitemaps and sitemap indexes."""
        body = response.body
        if b"<urlset" in body[:2000] or b"<sitemapindex" in body[:2000]:
            sitemap = Sitemap(body)
            for entry in self.capped(response, list(islice(sitemap, self.max_links + 1 if self.max_links else None))):
                if sitemap.type == "sitemapindex":
                    yield scrapy.Request(entry["loc"], callback=self.parse, errback=self.page_failed)
                else:
                    yield from self.follow_review(response, entry["loc"])
            return
        links = response.xpath("//item/link/text()").getall() or response.xpath(
            "//*[local-name()='entry']/*[local-name()='link'][not(@rel) or @rel='alternate']/@href"
        ).getall()
        for href in self.capped(response, links):
            yield from self.follow_review(response, href.strip())

    @property
    def max_links(self) -> int:
        """MAX_LINKS_PER_PAGE (0: no limit, as Scrapy's own CLOSESPIDER_* limits)."""
        crawler = getattr(self, "crawler", None)  # a spider made without a crawler (a test) takes the default
        return crawler.settings.getint("MAX_LINKS_PER_PAGE", MAX_LINKS_PER_PAGE) if crawler else MAX_LINKS_PER_PAGE

    def capped(self, response: Response, links: list) -> list:
        """The first MAX_LINKS_PER_PAGE links of a listing page, feed or sitemap; the cut is counted (a health
        problem of the run) and logged."""
        if not self.max_links or len(links) <= self.max_links:
            return links
        self.logger.warning("%s lists %s links or more: only the first %d are followed", response.url,
                            f"{len(links):,}", self.max_links)
        self.crawler.stats.inc_value("limits/links_cut", len(links) - self.max_links)
        return links[: self.max_links]

    def follow_review(self, response: Response, href: str) -> Iterator[scrapy.Request]:
        url = response.urljoin(href)
        pattern = self.site_for(url).review_url_pattern
        if pattern is None or re.search(pattern, url):
            yield scrapy.Request(url, callback=self.parse_review, errback=self.page_failed)

    def parse_review(self, response: Response) -> Iterator[ReviewItem]:
        response = self.readable(response)
        if response is None:
            return
        site = self.site_for(response.url)
        response = without(response, site.exclude)
        item = ReviewItem(
            url=self.canonical_url(response),
            outlet=site.outlet,
            outlet_name=site.outlet_name,
            body_html=_select(response, site.article).get() if site.article else None,
            page_html=response.text if site.keep_page else None,
            score_best=site.score_best,
            subscores=self.read_subscores(response, site.subscores),
            audience=self.read_audience(response, site.audience),
        )
        for field in RAW_FIELDS:
            selectors = site.review_fields.get(field)
            item[field] = first_text(response, selectors) if selectors else None
        yield item

    def read_subscores(self, response: Response, declared: dict | None) -> list[dict]:
        if not declared:
            return []
        rows = []
        for row in _select(response, declared["row"]):
            label = first_text(row, declared["label"])
            score_text = first_text(row, declared["score"])
            if label and score_text:
                rows.append({"label": label, "score_text": score_text})
        return rows

    def read_audience(self, response: Response, declared: dict[str, dict]) -> list[dict]:
        figures = []
        for source, selectors in declared.items():
            text = first_text(response, selectors["value"])
            if text:
                votes = first_text(response, selectors["votes"]) if selectors.get("votes") else None
                figures.append({"source": source, "text": text, "best": selectors.get("best"), "votes": votes})
        return figures

    def readable(self, response: Response) -> Response | None:
        """The response as text we can read, or None (logged and counted) for one that is not a page."""
        if not isinstance(response, TextResponse) or looks_binary(response.body):
            self.logger.warning("not a text page, skipped: %s (%s)", response.url,
                                response.headers.get("Content-Type", b"").decode("latin-1"))
            self.crawler.stats.inc_value("pages/failed")
            self.crawler.stats.inc_value("faults/not a text page")
            return None
        if response.encoding.lower() in MISLABELLED_ENCODINGS and is_utf8(response.body):
            # The header says Latin-1, the bytes are UTF-8 (a misconfigured server): decoding them as
            # Latin-1 would store "â€™" for every apostrophe.
            self.crawler.stats.inc_value("faults/charset corrected to utf-8")
            return response.replace(encoding="utf-8")
        return response

    def canonical_url(self, response: Response) -> str:
        """The page's `rel=canonical` when it points at this site, else the URL it was fetched at."""
        canonical = response.css('link[rel="canonical"]::attr(href)').get()
        if canonical:
            canonical = urlsplit(response.urljoin(canonical.strip()))
            # Only a web address of this very site: never javascript:, data: or another host.
            if canonical.scheme in ("http", "https") and canonical.hostname == urlsplit(response.url).hostname:
                return canonical.geturl()
        return response.url


def without(response: Response, selectors: list[str]) -> Response:
    """The page with every element the selectors match removed (a blog's cross-posting notice, an ad)."""
    if not selectors:
        return response
    page = Selector(text=response.text)
    for selector in selectors:
        _select(page, selector).drop()
    return response.replace(body=page.get().encode("utf-8"), encoding="utf-8")


def fault_kind(failure) -> str:
    """A short name for why a request failed: "http 404", "robots.txt", "DownloadTimeoutError"…"""
    error = failure.value
    if isinstance(error, HttpError):
        return f"http {error.response.status}"
    if isinstance(error, PrivateAddressRefused):
        return "refused private address"
    if isinstance(error, IgnoreRequest):
        # A kind, never the message: messages carry URLs, and crawl_runs.faults counts by kind.
        message = str(error).lower()
        if "robots.txt" in message:
            return "forbidden by robots.txt"
        if "redirect" in message:
            return "too many redirects"
        return "ignored"
    return type(error).__name__


MISLABELLED_ENCODINGS = {"cp1252", "iso-8859-1", "latin-1", "latin1", "ascii", "us-ascii", "windows-1252"}


def looks_binary(body: bytes) -> bool:
    """Images, archives and random bytes served as text/html: NUL bytes, or mostly control characters."""
    sample = body[:4096]
    if b"\x00" in sample:
        return True
    controls = sum(byte < 9 or 13 < byte < 32 for byte in sample)
    return bool(sample) and controls / len(sample) > 0.05


def is_utf8(body: bytes) -> bool:
    """Valid UTF-8 with at least one multi-byte character (pure ASCII reads the same either way)."""
    try:
        return body.decode("utf-8") != body.decode("ascii", errors="ignore")
    except UnicodeDecodeError:
        return False


def is_xml(response: Response) -> bool:
    content_type = response.headers.get("Content-Type", b"").decode("latin-1").lower()
    return "xml" in content_type or response.body.lstrip()[:5] in (b"<?xml", b"<rss ", b"<feed")
