"""ReviewItem: the one description of a scraped review.

Spiders fill the raw fields only, with text exactly as the site shows it. The
pipelines add the derived fields, in the order of ITEM_PIPELINES.
"""

import scrapy


class ReviewItem(scrapy.Item):
    # Raw, from the spider.
    url = scrapy.Field()           # canonical URL of the review page (the real site's, never the mirror's)
    outlet = scrapy.Field()        # the site's host, e.g. "butwhytho.net"
    outlet_name = scrapy.Field()   # e.g. "But Why Tho?"
    headline = scrapy.Field()
    author = scrapy.Field()
    published = scrapy.Field()     # as the page states it (ISO 8601 from meta tags where present)
    updated = scrapy.Field()
    body_html = scrapy.Field()     # the article's HTML region, chrome and all
    score_text = scrapy.Field()    # the score as the site writes it: "Rating - 8/10", "Grade: B+", "★★★★☆"
    score_best = scrapy.Field()    # the scale a bare number in the site's review box is on, when the spider knows it
    verdict = scrapy.Field()       # the site's summary line (TL;DR, "The bottom line", …)
    box_title = scrapy.Field()     # the review box's own title: "SHOSHIMIN: How To Become Ordinary Season 2 Episodes 1-4"
    tags = scrapy.Field()          # the page's categories and tags, joined: "Manga Reviews Chainsaw Man Viz Media"
    subscores = scrapy.Field()     # [{"label": "Story", "score_text": "Score: 7/10"}]
    audience = scrapy.Field()      # [{"source": "Community score", "text": "3.9", "best": 5, "votes": "512"}]
    page_html = scrapy.Field()     # the whole page, for sites whose text and score must be found in it

    # Derived, by the pipelines.
    body_text = scrapy.Field()
    word_count = scrapy.Field()
    series = scrapy.Field()
    series_key = scrapy.Field()
    series_source = scrapy.Field()  # what gave the series: headline, itemReviewed, breadcrumb, category, og:title
    season = scrapy.Field()
    episode_start = scrapy.Field()
    episode_end = scrapy.Field()
    episode_title = scrapy.Field()
    kind = scrapy.Field()
    kind_stated = scrapy.Field()   # False: the headline does not say (a bare title), the catalogue may (a film)
    version = scrapy.Field()
    score_value = scrapy.Field()
    score = scrapy.Field()
    problems = scrapy.Field()      # [{"field": "score", "reason": "…"}]: values dropped, recorded in dropped_items
