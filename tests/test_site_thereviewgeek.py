"""The Review Geek (www.thereviewgeek.com): raw fields off a mirror page, then a real crawl into SQLite.

Expected values are written out by hand from tools/mirror_src/thereviewgeek.yml: what the site shows is
what must be stored, and the 0-10 score is the site's stars out of 5 doubled (3.5/5 -> 7.0).
"""


import pytest
import yaml
from scrapy.http import HtmlResponse

from conftest import ROOT, crawled_connection
from crawler.spiders.thereviewgeek import TheReviewGeekSpider
from pipelines.chrome import strip_chrome

SOURCE = yaml.safe_load((ROOT / "tools/mirror_src/thereviewgeek.yml").read_text(encoding="utf-8"))
REVIEWS = {f"https://www.thereviewgeek.com/{r['slug']}/": r for r in SOURCE["reviews"]}
NEWS_URL = "https://www.thereviewgeek.com/new-netflix-anime-may2025/"
MIRROR = ROOT / "data" / "mirror" / "www.thereviewgeek.com"

# url slug -> (headline, series, season, episode_start, episode_end, episode_title, kind, version, score_text, score)
EXPECTED_ROWS = {
    "twilightoutoffocus-s1e11review": ("Twilight Out of Focus – Season 1 Episode 11 Recap & Review", "Twilight Out Of Focus",
                                       1, 11, 11, None, "episode", None, "Episode Rating – 4/5", 8.0),
    "twilightoutoffocus-s1e12review": ("Twilight Out of Focus – Season 1 Episode 12 Recap & Review", "Twilight Out Of Focus",
                                       1, 12, 12, None, "episode", None, "Episode Rating – 4.5/5", 9.0),
    "twilightoutoffocus-s1review": ("Twilight Out of Focus Season 1 Review – A gentle film club romance that trusts its "
                                    "quiet moments", "Twilight Out Of Focus", 1, None, None, None, "season", None,
                                    "Season Rating – 4/5", 8.0),
    "dandadan-s1e7review": ("Dan Da Dan – Season 1 Episode 7 Recap & Review", "Dan Da Dan",
                            1, 7, 7, None, "episode", None, "Episode Rating – 5/5", 10.0),
    "sololeveling-s2e1review": ("Solo Leveling – Season 2 Episode 1 Recap & Review", "Solo Leveling",
                                2, 1, 1, None, "episode", None, "Episode Rating – 4.5/5", 9.0),
    "lazarus-s1e1review": ("Lazarus – Season 1 Episode 1 Recap & Review", "Lazarus",
                           1, 1, 1, None, "episode", None, "Episode Rating – 3/5", 6.0),
    "witchwatch-s1e4review": ("Witch Watch – Season 1 Episode 4 Recap & Review", "Witch Watch",
                              1, 4, 4, None, "episode", None, "Episode Rating – 3.5/5", 7.0),
}

# Text of the page chrome: menus, social and share links, newsletter boxes, the rating box, the
# "Read More" line, episode navigation buttons, related posts, Disqus, sidebar, footer.
CHROME_STRINGS = [
    "Share", "Related", "Subscribe", "Newsletter", "Comments", "COMMENTS", "Trending", "Rating -", "Rating –",
    "TL;DR", "Click Here", "Facebook", "Twitter", "Pinterest", "WhatsApp", "Sign up", "Love recaps",
    "Read More", "Previous Episode", "Next Episode", "Check Out More", "YOU MAY ALSO LIKE", "Previous article",
    "Disqus", "Popular", "Latest Anime Reviews", "Advertisement", "Privacy Policy", "About Us", "Write For Us",
    "The Review Geek", "All Rights Reserved", "TAGS", "K-Drama", "Squid Game", "★", "☆", "/5",
]


def body_of(review: dict) -> str:
    heading = [review["review_heading"]] if review["review_heading"] else []
    return "\n\n".join([*review["recap"], *heading, *review["review"]])


def page(slug: str) -> HtmlResponse:
    url = f"https://www.thereviewgeek.com/{slug}/"
    return HtmlResponse(url=url, body=(MIRROR / slug / "index.html").read_bytes(), encoding="utf-8")


def scraped(slug: str) -> dict:
    [item] = list(TheReviewGeekSpider().parse_review(page(slug)))
    item = dict(item)
    assert item.pop("page_html", None) is None  # the spider's selectors are enough: no whole page kept
    return item


def test_raw_fields_of_an_episode_review():
    item = scraped("twilightoutoffocus-s1e12review")
    body_html = item.pop("body_html")
    assert item == {
        "url": "https://www.thereviewgeek.com/twilightoutoffocus-s1e12review/",
        "outlet": "thereviewgeek.com",
        "outlet_name": "The Review Geek",
        "score_best": None,
        "subscores": [],
        "audience": [],
        "headline": "Twilight Out of Focus – Season 1 Episode 12 Recap & Review",
        "author": "Hannah Ashford",
        "published": "2024-09-20T08:30:00+00:00",
        "updated": "2024-09-21T10:05:00+00:00",
        "score_text": "Episode Rating – 4.5/5",
        "verdict": None,
        "box_title": None,
        "tags": "anime recap",
    }
    assert strip_chrome(body_html) == body_of(REVIEWS[item["url"]])


def test_raw_fields_of_a_season_review():
    item = scraped("twilightoutoffocus-s1review")
    body_html = item.pop("body_html")
    assert item == {
        "url": "https://www.thereviewgeek.com/twilightoutoffocus-s1review/",
        "outlet": "thereviewgeek.com",
        "outlet_name": "The Review Geek",
        "score_best": None,
        "subscores": [],
        "audience": [],
        "headline": "Twilight Out of Focus Season 1 Review – A gentle film club romance that trusts its quiet moments",
        "author": "Hannah Ashford",
        "published": "2024-09-24T12:00:00+00:00",
        "updated": None,
        "score_text": "Season Rating – 4/5",
        "verdict": None,
        "box_title": None,
        "tags": "anime recap",
    }
    assert strip_chrome(body_html) == body_of(REVIEWS[item["url"]])


def test_news_post_has_no_score():
    item = scraped("new-netflix-anime-may2025")
    assert (item["headline"], item["score_text"]) == ("New Anime Coming To Netflix In May 2025", None)


def test_listing_links_reviews_only_and_the_next_page():
    url = "https://www.thereviewgeek.com/category/anime/"
    response = HtmlResponse(url=url, body=(MIRROR / "category/anime/index.html").read_bytes(), encoding="utf-8")
    requests = list(TheReviewGeekSpider().parse(response))
    urls = [r.url for r in requests]
    assert urls[-1] == "https://www.thereviewgeek.com/category/anime/page/2/"
    assert set(urls[:-1]) <= set(REVIEWS) and len(urls[:-1]) >= 3
    assert NEWS_URL not in urls  # listed on page 1, but not a review URL


@pytest.fixture(scope="module")
def crawled(tmp_path_factory, mirror):
    connection = crawled_connection(tmp_path_factory, mirror, "thereviewgeek")
    yield connection
    connection.close()


def test_stored_rows_are_exact(crawled):
    stored = crawled.execute(
        """select url, headline, series.title as series, season, episode_start, episode_end, episode_title, kind,
                  version, score_text, score_value, score_best, score, outlet
           from reviews left join series on series.id = reviews.series_id order by url"""
    ).fetchall()
    assert len(stored) == len(SOURCE["reviews"]) == len(EXPECTED_ROWS)
    got = {row["url"].split("/")[-2]: tuple(row)[1:10] for row in stored}
    assert got == {slug: expected[:9] for slug, expected in EXPECTED_ROWS.items()}
    for row in stored:
        expected = EXPECTED_ROWS[row["url"].split("/")[-2]]
        assert row["score"] == expected[9], row["url"]
        assert (row["score_best"], row["score_value"]) == (5.0, expected[9] / 2), row["url"]
        assert row["outlet"] == "thereviewgeek.com"
    assert [tuple(r) for r in crawled.execute("select id, name from outlets")] == [("thereviewgeek.com", "The Review Geek")]


def test_news_is_never_stored(crawled):
    assert crawled.execute("select count(*) from reviews where url = ?", (NEWS_URL,)).fetchone()[0] == 0
    # The URL pattern keeps it out of the crawl, so the pipelines never see it either.
    assert crawled.execute("select url from dropped_items").fetchall() == []


def test_body_text_is_exactly_the_reviews_paragraphs(crawled):
    for url, body_text, verdict in crawled.execute("select url, body_text, verdict from reviews"):
        assert body_text == body_of(REVIEWS[url]), url
        assert verdict is None
        leaked = [s for s in CHROME_STRINGS if s in body_text]
        leaked += [r["headline"] for r in SOURCE["reviews"] if r["headline"] in body_text]
        assert leaked == [], url


def test_crawl_run_is_recorded(crawled):
    run = crawled.execute("select spider, status, pages, reviews_new, items_dropped, errors from crawl_runs").fetchall()
    # robots.txt, two listing pages and seven reviews.
    assert [tuple(r) for r in run] == [("thereviewgeek", "finished", 10, len(REVIEWS), 0, 0)]
