from crawler.spiders.base import PAGE_TAGS, ReviewSpider

# Blocks of the post's own content (WordPress.com appends share, like and related-post boxes inside it).
CONTENT = "//article[contains(@class,'type-post')]//div[contains(concat(' ',normalize-space(@class),' '),' entry-content ')]"


class AnimeRantsSpider(ReviewSpider):
    """Anime Rants (animerants.net), a WordPress.com blog: whole-series reviews with a table of contents,
    five categories scored "Score: 7/10" and an "Overall Score" line such as "7.8 out of 10.0 Pretty Gay Boys".

    The "Anime" category lists reviews together with seasonal watch lists; those carry no overall score and
    their headlines read as no review, so the pipelines drop them.
    """

    name = "animerants"
    outlet_name = "Anime Rants"
    allowed_domains = ["animerants.net"]
    start_urls = ["https://animerants.net/category/anime/"]
    review_links = "#main article h2.entry-title a::attr(href)"
    next_page = "#main nav.posts-navigation .nav-previous a::attr(href)"
    review_url_pattern = r"^https://animerants\.net/\d{4}/\d{2}/\d{2}/[^/?#]+/$"
    article = "article.type-post .entry-content"
    review_fields = {
        "headline": "article.type-post h1.entry-title::text",
        "author": "article.type-post .entry-meta .author a::text",
        "published": ['meta[property="article:published_time"]::attr(content)', "article.type-post time.published::attr(datetime)"],
        "updated": 'meta[property="article:modified_time"]::attr(content)',
        "tags": PAGE_TAGS,
        # The line right after the "Overall Score" heading.
        "score_text": CONTENT + "/h2[normalize-space()='Overall Score']/following-sibling::*[1]//text()",
    }
    # A section heading whose next block reads "Score: …" is one category; "Overall Score" is not one.
    subscores = {
        "row": CONTENT + "/h2[re:test(normalize-space(following-sibling::*[1]), '^Score:')]",
        "label": ".//text()",
        "score": "./following-sibling::*[1]//text()",
    }
