from crawler.spiders.base import PAGE_TAGS, ReviewSpider


class BubbleblabberSpider(ReviewSpider):
    """Bubbleblabber (bubbleblabber.com): anime episode reviews per track, "(Sub)" or "English Dub Review", scored out of 10."""

    name = "bubbleblabber"
    outlet_name = "Bubbleblabber"
    allowed_domains = ["bubbleblabber.com"]
    # The anime category's feed lists reviews and news alike, at the same /YYYY/MM/<slug>/ shape.
    start_urls = ["https://www.bubbleblabber.com/category/anime/feed/"]
    review_url_pattern = r"^https://www\.bubbleblabber\.com/\d{4}/\d{2}/[^/]+/$"
    article = "article .entry-content"
    review_fields = {
        "headline": "article .entry-header h1.entry-title::text",
        "author": "article .entry-meta .author a::text",
        "published": ['meta[property="article:published_time"]::attr(content)', "article time.entry-date::attr(datetime)"],
        "updated": 'meta[property="article:modified_time"]::attr(content)',
        "score_text": "article .entry-content .review-wrapper .review-total-box::text",
        "verdict": "article .entry-content .review-wrapper .review-desc p:not(.review-summary-title)::text",
        "tags": PAGE_TAGS,
    }
    score_best = 10  # the WP Review box shows the total as a bare number on the site's 10-point scale
