"""Site: one description of a review site's declarations, whichever way they were written.

An outlet's spider declares them as class attributes of a ReviewSpider; a site of the generic spider as an
entry of generic_sites.yml. Both become a Site, which the crawl and the readers of a page use alike (the
article selector that `pipelines.chrome.main_text` is given comes from here, and nowhere else).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass(frozen=True)
class Site:
    outlet: str                        # the site's host: "butwhytho.net"
    outlet_name: str                   # the outlet as people know it: "But Why Tho?"
    start_urls: tuple[str, ...] = ()   # review listing pages, RSS/Atom feeds or XML sitemaps
    review_links: str = ""             # selector of review-page links on an HTML listing page
    next_page: str | None = None       # selector of the next listing page's link
    review_url_pattern: str | None = None  # regex a review page's URL matches
    article: str = ""                  # selector of the article's HTML region ("": found in the page)
    review_fields: dict = field(default_factory=dict)  # raw field -> selector(s)
    score_best: float | None = None    # the scale of a bare number in the site's review box
    subscores: dict | None = None      # {"row", "label", "score"} selectors of per-category scores
    audience: dict = field(default_factory=dict)  # readers' or the community's figures on the page
    keep_page: bool = False            # hand the whole page to the pipelines
    exclude: tuple[str, ...] = ()      # selectors of things in the article that are not the review

    @classmethod
    def of_spider(cls, spider) -> Site:
        """The declarations of an outlet's spider (its class attributes, as its instance sees them)."""
        values = {f.name: getattr(spider, f.name) for f in fields(cls) if f.name not in ("outlet", "start_urls")}
        values["exclude"] = tuple(values["exclude"])
        return cls(outlet=spider.allowed_domains[0], start_urls=tuple(spider.start_urls), **values)
