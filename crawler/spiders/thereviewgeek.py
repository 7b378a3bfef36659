from crawler.spiders.base import ReviewSpider


class TheReviewGeekSpider(ReviewSpider):
    """The Review Geek (thereviewgeek.com): anime episode and season recaps/reviews, rated "Episode Rating – 3.5/5"."""

    name = "thereviewgeek"
    outlet_name = "The Review Geek"
    allowed_domains = ["thereviewgeek.com"]
    start_urls = ["https://www.thereviewgeek.com/category/anime/"]
    review_links = ".td-ss-main-content .td_module_wrap h3.entry-title a::attr(href)"
    # tagDiv's page-nav: the next page is the arrow link, with no rel or class of its own.
    next_page = "//div[contains(@class, 'page-nav')]/a[i[contains(@class, 'td-icon-menu-right')]]/@href"
    # Reviews are "<show>-s1e7review/" or "<show>-s1review/"; news and lists use other slugs.
    review_url_pattern = r"^https://www\.thereviewgeek\.com/[a-z0-9-]+-s\d+(?:e\d+)?review/$"
    article = ".td-post-content"
    review_fields = {
        "headline": "article .td-post-title h1.entry-title::text",
        "author": "article .td-post-title .td-post-author-name a::text",
        "published": ['meta[property="article:published_time"]::attr(content)', "article .td-post-date time::attr(datetime)"],
        "updated": 'meta[property="article:modified_time"]::attr(content)',
        "tags": ".td-post-source-tags .td-tags a::text",  # tagDiv's tag list: links without rel="tag"
        "score_text": ".td-post-content .trg-rating-box strong::text",
    }
