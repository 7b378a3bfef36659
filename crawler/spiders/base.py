"""ReviewSpider: the shared base every outlet's spider is declared on.

A site's spider is declarations only: where the review listing starts, which links on it are reviews,
how to reach the next listing page, and which selectors hold each raw field of a review page. The base
does the crawling and hands the raw text to the pipelines, which do all parsing.

Selectors are CSS (Scrapy's `::text` / `::attr(name)` allowed), or XPath when they start with `/` or `(`.
A field's selector may be a list: the first one that matches wins.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

from crawler.items import ReviewItem

# Raw fields a spider may declare in `review_fields`.
RAW_FIELDS = ("headline", "author", "published", "updated", "score_text", "verdict")


def _select(response: Response, selector: str):
    return response.xpath(selector) if selector.startswith(("/", "(")) else response.css(selector)


def first_text(response: Response, selectors: str | list[str]) -> str | None:
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
    start_urls: list[str] = []         # review listing (or archive) pages
    review_links: str = ""             # selector of review-page links on a listing page
    next_page: str | None = None       # selector of the next listing page's link
    article: str = ""                  # selector of the article's HTML region
    review_fields: dict[str, str | list[str]] = {}
    score_best: float | None = None    # the scale of a bare number in the site's review box, if any

    @property
    def outlet(self) -> str:
        return self.allowed_domains[0]

    def parse(self, response: Response) -> Iterator[scrapy.Request]:
        """A listing page: every review on it, then the next page."""
        for href in _select(response, self.review_links).getall():
            yield response.follow(href, callback=self.parse_review)
        if self.next_page:
            href = _select(response, self.next_page).get()
            if href:
                yield response.follow(href, callback=self.parse)

    def parse_review(self, response: Response) -> Iterator[ReviewItem]:
        item = ReviewItem(
            url=self.canonical_url(response),
            outlet=self.outlet,
            outlet_name=self.outlet_name,
            body_html=_select(response, self.article).get() if self.article else None,
            score_best=self.score_best,
        )
        for field in RAW_FIELDS:
            selectors = self.review_fields.get(field)
            item[field] = first_text(response, selectors) if selectors else None
        yield item

    def canonical_url(self, response: Response) -> str:
        """The page's `rel=canonical` when it points at this site, else the URL it was fetched at."""
        canonical = response.css('link[rel="canonical"]::attr(href)').get()
        if canonical:
            canonical = response.urljoin(canonical.strip())
            if urlsplit(canonical).hostname == urlsplit(response.url).hostname:
                return canonical
        return response.url
