from crawler.spiders.base import ReviewSpider

# The critic's rating below the text: "Rating:" and a star image whose alt text reads "4.5 stars".
RATING = "//div[@class='review-rating']"


class AnimeNewsNetworkSpider(ReviewSpider):
    """Anime News Network: weekly episode reviews from the review RSS feed, rated in stars out of 5.

    The headline is the page's h1: the series title with an "Episode N" subheadline inside it. The reader
    poll above the text ("Community score: 4.1") is the audience's figure, never the critic's rating, which
    is the star image after "Rating:" below the text.
    """

    name = "animenewsnetwork"
    outlet_name = "Anime News Network"
    allowed_domains = ["animenewsnetwork.com"]
    start_urls = ["https://www.animenewsnetwork.com/review/rss.xml?ann-edition=us"]
    # Episode reviews only: the feed also carries news, features and full-series or volume reviews.
    review_url_pattern = r"^https?://www\.animenewsnetwork\.com/review/[^/]+/episode-\d+/\.\d+$"
    article = ".meat .text-zone"
    review_fields = {
        "headline": "h1#page_header ::text",
        "author": ".meat .byline a.author::text",
        "published": ".meat .byline time::attr(datetime)",
        "score_text": f"({RATING}/b/text() | {RATING}/img[@class='stars']/@alt)",  # "Rating: 4.5 stars"
    }
    audience = {
        "Community score": {
            "value": ".user-episode-rating .community-score .average::text",
            "best": 5,
            "votes": ".user-episode-rating .community-score .vote-count::text",
        },
    }
