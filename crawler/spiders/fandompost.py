from crawler.spiders.base import PAGE_TAGS, ReviewSpider

# The grade lines after the review: "Grade: B+" (episodes, manga) or "Content Grade: A-" (discs),
# then "Audio Grade: B+", "Video Grade: A" … for a disc. "Age Rating: 14+", "Running Time: …" are no scores.
SUMMARY = "//div[contains(@class, 'fp-review-summary')]"
OVERALL = f"{SUMMARY}//strong[normalize-space() = 'Grade:' or normalize-space() = 'Content Grade:']"


class FandomPostSpider(ReviewSpider):
    """The Fandom Post: anime episode, manga volume and disc reviews, graded with letters (A+ … F)."""

    name = "fandompost"
    outlet_name = "The Fandom Post"
    allowed_domains = ["fandompost.com"]
    # The reviews category, and the site feed, which also carries news (dropped as "not a review").
    start_urls = ["https://www.fandompost.com/category/reviews/", "https://www.fandompost.com/feed/"]
    review_links = "#main article.post h2.entry-title a::attr(href)"
    next_page = "#main .nav-links a.next::attr(href)"
    review_url_pattern = r"^https://www\.fandompost\.com/\d{4}/\d{2}/\d{2}/[^/]+/$"
    article = "article.post .entry-content"
    review_fields = {
        "headline": "h1.entry-title::text",
        "author": ".entry-meta .author a::text",
        "published": ['meta[property="article:published_time"]::attr(content)',
                      ".entry-meta time.published::attr(datetime)"],
        "updated": 'meta[property="article:modified_time"]::attr(content)',
        "score_text": f"({OVERALL}/text() | {OVERALL}/following-sibling::text()[1])",
        "verdict": "//div[contains(@class, 'entry-content')]/p[strong[normalize-space() = 'In Summary:']]/text()",
        "tags": PAGE_TAGS,  # "Anime Reviews", "Manga Reviews", "Blu-ray Reviews" and the show's name
    }
    subscores = {
        "row": f"{SUMMARY}//strong[contains(., ' Grade:') and not(starts-with(normalize-space(), 'Content'))]",
        "label": "(substring-before(normalize-space(), ' Grade:'))",
        "score": "./following-sibling::text()[1]",
    }
