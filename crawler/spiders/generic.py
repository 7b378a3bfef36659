"""`generic`: one spider for the long tail of review blogs, driven by a config file (GENERIC_SITES).

Each configured site says where its reviews are listed (a feed, a sitemap or listing pages) and may add
selectors. Without them the page's article is found by pipelines.chrome.main_text and its score by
pipelines.score_finder.find_review_score: schema.org Review ratings first, then review-plugin boxes, then
labelled score lines near the end of the article. Pages that are not reviews are dropped by the
pipelines with a reason.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import yaml

from crawler.site import Site
from crawler.spiders.base import PAGE_TAGS, ReviewSpider

# What most WordPress and Blogger themes use; a site's own selectors come first.
DEFAULT_FIELDS = {
    "headline": ["h1.entry-title ::text", "h3.post-title ::text", "h1.post-title ::text", "article h1 ::text",
                 "h1 ::text", 'meta[property="og:title"]::attr(content)'],
    "author": ['meta[name="author"]::attr(content)', ".post-author .fn ::text", '[rel="author"] ::text',
               ".author .fn ::text", ".byline .author ::text"],
    "published": ['meta[property="article:published_time"]::attr(content)', "time.entry-date::attr(datetime)",
                  "abbr.published::attr(title)", "time[datetime]::attr(datetime)"],
    "updated": ['meta[property="article:modified_time"]::attr(content)', "time.updated::attr(datetime)"],
    # A review plugin's box title ("Kaiju No. 8 Ep 1"), and the post's categories and tags.
    "box_title": [".review-wrapper .review-title::text", ".review-box > .heading::text"],
    "tags": [PAGE_TAGS],
}


LISTING_KEYS = ("feed", "sitemap", "listing")


def entry_problem(entry) -> str | None:
    """What a generic_sites.yml entry lacks, said so that its author can fix it."""
    if not isinstance(entry, dict):
        return "is not a mapping of name, host, feed/sitemap/listing, ..."
    for key in ("name", "host"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            return f"has no {key!r}"
    if not any(isinstance(entry.get(key), str) for key in LISTING_KEYS):
        return "says neither feed, sitemap nor listing: where are its reviews listed?"
    return None


def checked_entries(path: str | Path) -> list[dict]:
    """The file's site entries, or ValueError naming the file and the first bad entry."""
    config = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    entries = config.get("sites") if isinstance(config, dict) else None
    if not isinstance(entries, list):
        raise ValueError(f"{path}: expected a list under 'sites:'")
    for number, entry in enumerate(entries, 1):
        if problem := entry_problem(entry):
            name = entry.get("name") if isinstance(entry, dict) else None
            raise ValueError(f"{path}: site {number}{f' ({name})' if name else ''} {problem}")
    return entries


def load_sites(path: str | Path) -> list[Site]:
    """The configured sites, each a Site like an outlet spider's declarations."""
    sites = []
    for entry in checked_entries(path):
        fields = dict(DEFAULT_FIELDS)
        for field in ("headline", "author", "published", "updated", "score_text", "verdict"):
            if entry.get(field):
                fields[field] = [entry[field], *DEFAULT_FIELDS.get(field, [])]
        sites.append(
            Site(
                outlet=entry["host"],
                outlet_name=entry["name"],
                start_urls=tuple(entry[key] for key in LISTING_KEYS if entry.get(key)),
                review_links=entry.get("review_links", "article h2 a::attr(href)"),
                next_page=entry.get("next_page"),
                review_url_pattern=entry.get("review_url_pattern"),
                article=entry.get("article", ""),
                review_fields=fields,
                score_best=entry.get("score_best"),
                keep_page=True,
                exclude=tuple(entry.get("exclude") or ()),
            )
        )
    return sites


class GenericSpider(ReviewSpider):
    name = "generic"
    keep_page = True

    def __init__(self, *args, sites: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.sites_path = sites  # `-a sites=path.yml` overrides the GENERIC_SITES setting

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.sites = {site.outlet: site for site in load_sites(spider.sites_path or crawler.settings["GENERIC_SITES"])}
        spider.allowed_domains = list(spider.sites)
        spider.start_urls = [url for site in spider.sites.values() for url in site.start_urls]
        return spider

    def site_for(self, url: str):
        host = (urlsplit(url).hostname or "").lower()
        site = self.sites.get(host) or self.sites.get(host.removeprefix("www."))
        if site is None:
            raise ValueError(f"{url} is not on a configured site")
        return site
