from crawler.spiders.base import PAGE_TAGS, ReviewSpider


class ButWhyThoSpider(ReviewSpider):
    """But Why Tho? (butwhytho.net): anime episode, season and series reviews, scored "Rating - 8/10"."""

    name = "butwhytho"
    outlet_name = "But Why Tho?"
    allowed_domains = ["butwhytho.net"]
    start_urls = ["https://butwhytho.net/category/reviews/anime/"]
    review_links = ".main-content article.l-post h2.post-title a::attr(href)"
    next_page = "nav.main-pagination a.next::attr(href)"
    article = ".single-content .entry-content"
    review_fields = {
        "headline": "h1.post-title::text",
        "author": ".the-post-header .post-author a[rel=author]::text",
        "published": ['meta[property="article:published_time"]::attr(content)', ".the-post-header time::attr(datetime)"],
        "updated": 'meta[property="article:modified_time"]::attr(content)',
        "score_text": ".review-box .criterion .label::text",
        "verdict": ".review-box .verdict-box .comment ::text",
        "box_title": ".review-box > h4.heading::text",  # "SHOSHIMIN: How To Become Ordinary Season 2 Episodes 1-4"
        "tags": PAGE_TAGS,
    }
