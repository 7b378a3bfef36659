from crawler.spiders.base import PAGE_TAGS, ReviewSpider

# "(5/10)": the score that closes a review's last paragraph.
CLOSING_SCORE = r"\(\s*\d+(?:\.\d+)?\s*/\s*10\s*\)"


class GayFilmsReviewSpider(ReviewSpider):
    """Gay Films Review (www.gayfilmsreview.com), a Blogger blog: films and series, BL anime among them,
    each post one review whose last paragraph ends with the score in brackets, "… Anime or no anime. (5/10)".

    Blogger's robots.txt disallows /search (label pages and "More posts"), so the Atom feed lists the posts;
    the homepage as phones get it ("/?m=1") links the newest ones with "?m=1", which rel=canonical undoes.
    """

    name = "gayfilmsreview"
    outlet_name = "Gay Films Review"
    allowed_domains = ["gayfilmsreview.com"]
    start_urls = ["https://www.gayfilmsreview.com/feeds/posts/default", "https://www.gayfilmsreview.com/?m=1"]
    review_links = "#Blog1 h3.post-title a::attr(href)"
    next_page = None  # "More posts" leads to /search?updated-max=…, which robots.txt disallows
    review_url_pattern = r"^https://www\.gayfilmsreview\.com/\d{4}/\d{2}/[\w-]+\.html(?:\?m=[01])?$"
    article = "#Blog1 .post-body.entry-content"
    review_fields = {
        "headline": "#Blog1 h3.post-title.entry-title::text",
        "published": "#Blog1 .post-header time.published::attr(datetime)",
        "tags": PAGE_TAGS,  # Blogger's labels: "Anime BL Japanese Series", "BL Korean Series"
        # The last text of the post body that ends in "(x/10)", cut down to the bracket.
        "score_text": (
            "(re:replace(normalize-space((//div[@id='Blog1']//div[contains(@class,'post-body')]//text()"
            f"[re:test(., '{CLOSING_SCORE}\\s*$')])[last()]), '^.*({CLOSING_SCORE})$', '', '\\1'))"
        ),
    }
