"""Anime News Network: the spider's raw fields on mirror pages, and the rows a crawl of the mirror stores.

Expected values come from the mirror's source data (tools/mirror_src/animenewsnetwork.yml). The critic's
rating is the star image after "Rating:"; the reader poll's "Community score" lands in audience_scores only.
"""

from pathlib import Path

import pytest
import yaml
from scrapy.http import HtmlResponse, XmlResponse

from conftest import ROOT, rows, run_crawl
from crawler.spiders.animenewsnetwork import AnimeNewsNetworkSpider
from pipelines.dates import iso_utc

SOURCE = yaml.safe_load((ROOT / "tools/mirror_src/animenewsnetwork.yml").read_text(encoding="utf-8"))
REVIEWS = SOURCE["reviews"]
OTHERS = SOURCE["others"]
ANN = "https://www.animenewsnetwork.com"
MIRROR = ROOT / "data/mirror/www.animenewsnetwork.com"
SERIES_TITLES = {  # the series table's display titles (data/series_aliases.yml) for ANN's spellings
    "Twilight Out of Focus": "Twilight Out Of Focus",
    "Dan Da Dan": "Dan Da Dan",
    "Witch Watch": "Witch Watch",
    "Mobile Suit Gundam GQuuuuuuX": "Mobile Suit Gundam GQuuuuuuX",
    "Fire Force Season 3": "Fire Force",
}
# Page chrome: the newsletter bar, menus, reader poll, rating line, encyclopedia and forum boxes, share
# links, the right column's lists and the footer. None of it may reach a review's body text.
CHROME_STRINGS = [
    "remind me tomorrow", "Subscribe to the ANN Newsletter", "Newsletter", "Edition:", "North America", "Login",
    "Encyclopedia", "Forum", "How would you rate", "Community score", "What is this?", "Rating:", "stars",
    "Full encyclopedia details", "discuss this in the forum", "bookmark/share", "Share", "Facebook", "Twitter",
    "Bluesky", "Reddit", "Review homepage", "Latest Reviews", "Latest News", "more reviews", "Kaiju No. 8",
    "Apothecary Diaries", "Lazarus", "About ANN", "Copyright", "All rights reserved", "© production committee",
]


def url_of(review: dict) -> str:
    return f"{ANN}/review/{review['slug']}/episode-{review['episode']}/.{review['id']}"


def headline_of(review: dict) -> str:
    return f"{review['series']} Episode {review['episode']}"


def body_of(review: dict) -> str:
    return "\n\n".join([*review["paragraphs"], review["closing"]])


EXPECTED = {url_of(r): r for r in REVIEWS}




def parse_mirror_page(url: str) -> dict:
    path = MIRROR / url.removeprefix(ANN + "/")
    response = HtmlResponse(url=url, body=path.read_bytes(), encoding="utf-8")
    [item] = list(AnimeNewsNetworkSpider().parse_review(response))
    return dict(item)


# --- raw fields -----------------------------------------------------------------------------------

def test_raw_fields_of_an_episode_review():
    url = f"{ANN}/review/witch-watch/episode-5/.224127"
    item = parse_mirror_page(url)
    assert item.pop("body_html").lstrip().startswith('<div class="text-zone easyread">')
    assert item == {
        "url": url,
        "outlet": "animenewsnetwork.com",
        "outlet_name": "Anime News Network",
        "headline": "Witch Watch Episode 5",
        "author": "Jairus Taylor",
        "published": "2025-05-05T20:00:00Z",
        "updated": None,
        "score_text": "Rating: 4 stars",
        "score_best": None,
        "verdict": None,
        "box_title": None,
        "tags": None,
        "subscores": [],
        "audience": [{"source": "Community score", "text": "4.0", "best": 5, "votes": "(377 votes)"}],
        "page_html": None,
    }


def test_raw_fields_of_a_half_star_review_with_a_season_in_its_title():
    url = f"{ANN}/review/twilight-out-of-focus/episode-12/.215262"
    item = parse_mirror_page(url)
    item.pop("body_html")
    assert item == {
        "url": url,
        "outlet": "animenewsnetwork.com",
        "outlet_name": "Anime News Network",
        "headline": "Twilight Out of Focus Episode 12",
        "author": "Caitlin Moore",
        "published": "2024-09-20T17:30:00Z",
        "updated": None,
        "score_text": "Rating: 4.5 stars",
        "score_best": None,
        "verdict": None,
        "box_title": None,
        "tags": None,
        "subscores": [],
        "audience": [{"source": "Community score", "text": "4.6", "best": 5, "votes": "(265 votes)"}],
        "page_html": None,
    }
    fire_force = parse_mirror_page(f"{ANN}/review/fire-force-season-3/episode-5/.224088")
    assert (fire_force["headline"], fire_force["score_text"]) == ("Fire Force Season 3 Episode 5", "Rating: 3 stars")


def test_the_feed_leads_only_to_episode_reviews():
    feed = (MIRROR / "review/rss.xml").read_bytes()
    response = XmlResponse(url=f"{ANN}/review/rss.xml?ann-edition=us", body=feed, encoding="utf-8",
                           headers={"Content-Type": "application/xml"})
    requested = [request.url for request in AnimeNewsNetworkSpider().parse(response)]
    assert sorted(requested) == sorted(EXPECTED)
    assert all(ANN + o["path"] not in requested for o in OTHERS)
    assert b"/news/" in feed  # the news post is in the feed, the URL pattern keeps it out


# --- stored rows ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ann_db(tmp_path_factory, mirror) -> Path:
    db_path = tmp_path_factory.mktemp("ann") / "reviews.db"
    result = run_crawl(db_path, mirror.base_url, "animenewsnetwork")
    assert result.returncode == 0, result.stderr[-5000:]
    return db_path


def test_every_episode_review_is_stored_once_and_nothing_else(ann_db):
    stored = rows(ann_db, "select url, outlet from reviews")
    assert sorted(r["url"] for r in stored) == sorted(EXPECTED)
    assert len(stored) == len(REVIEWS) >= 8
    assert {r["outlet"] for r in stored} == {"animenewsnetwork.com"}
    for other in OTHERS:
        assert rows(ann_db, "select url from reviews where url = ?", ANN + other["path"]) == []
    # The news post never matches the review URL pattern, so it is never fetched, let alone dropped.
    assert rows(ann_db, "select url, reason from dropped_items") == []
    [run] = rows(ann_db, "select spider, status, reviews_new, items_dropped, errors from crawl_runs")
    assert run == {"spider": "animenewsnetwork", "status": "finished", "reviews_new": len(REVIEWS),
                   "items_dropped": 0, "errors": 0}


def test_stored_rows_read_headline_and_the_critics_stars(ann_db):
    stored = rows(
        ann_db,
        """select url, headline, series.title as series, season, episode_start, episode_end, episode_title, kind,
                  version, score_text, score_value, score_best, score, author, verdict, published
           from reviews join series on series.id = reviews.series_id""",
    )
    assert len(stored) == len(REVIEWS)
    for row in stored:
        source = EXPECTED[row["url"]]
        stars = float(source["stars"])
        assert row == {
            "url": url_of(source),
            "headline": headline_of(source),
            "series": SERIES_TITLES[source["series"]],
            "season": 3 if source["series"] == "Fire Force Season 3" else 1,
            "episode_start": source["episode"],
            "episode_end": source["episode"],
            "episode_title": None,
            "kind": "episode",
            "version": None,
            "score_text": f"Rating: {source['stars']} stars",
            "score_value": stars,
            "score_best": 5.0,
            "score": stars * 2,  # the critic's stars, never the community score
            "author": source["author"],
            "verdict": None,
            "published": iso_utc(str(source["published"]).replace(" ", "T")),  # stored in UTC
        }, row["url"]


def test_some_episode_reviews(ann_db):
    picked = rows(
        ann_db,
        """select series.title as series, season, episode_start, score from reviews
           join series on series.id = reviews.series_id order by series.title, episode_start""",
    )
    assert picked == [
        {"series": "Dan Da Dan", "season": 1, "episode_start": 7, "score": 10.0},
        {"series": "Fire Force", "season": 3, "episode_start": 5, "score": 6.0},
        {"series": "Mobile Suit Gundam GQuuuuuuX", "season": 1, "episode_start": 4, "score": 9.0},
        {"series": "Twilight Out Of Focus", "season": 1, "episode_start": 10, "score": 8.0},
        {"series": "Twilight Out Of Focus", "season": 1, "episode_start": 11, "score": 8.0},
        {"series": "Twilight Out Of Focus", "season": 1, "episode_start": 12, "score": 9.0},
        {"series": "Witch Watch", "season": 1, "episode_start": 4, "score": 8.0},
        {"series": "Witch Watch", "season": 1, "episode_start": 5, "score": 8.0},
    ]


def test_community_scores_are_audience_rows(ann_db):
    stored = rows(
        ann_db,
        """select a.review, a.source, a.value, a.best, a.score, a.votes, a.season, a.episode,
                  a.series_id = r.series_id as same_series
           from audience_scores a join reviews r on r.url = a.review""",
    )
    assert len(stored) == len(REVIEWS)
    for row in stored:
        source = EXPECTED[row["review"]]
        value = float(source["community"])
        assert row == {
            "review": url_of(source),
            "source": "Community score",
            "value": value,
            "best": 5.0,
            "score": round(value * 2, 2),
            "votes": int(source["votes"].replace(",", "")),
            "season": 3 if source["series"] == "Fire Force Season 3" else 1,
            "episode": source["episode"],
            "same_series": 1,
        }, row["review"]
    [witch_watch_5] = [r for r in stored if r["review"] == f"{ANN}/review/witch-watch/episode-5/.224127"]
    assert (witch_watch_5["value"], witch_watch_5["score"], witch_watch_5["votes"]) == (4.0, 8.0, 377)
    [dan_da_dan] = [r for r in stored if r["review"] == f"{ANN}/review/dan-da-dan/episode-7/.217588"]
    assert dan_da_dan["votes"] == 1046
    # The critic's stars stay in reviews: episode 10 of Twilight Out of Focus is 4 stars (8.0), its readers 4.3.
    episode_10 = f"{ANN}/review/twilight-out-of-focus/episode-10/.214702"
    [critic] = rows(ann_db, "select score from reviews where url = ?", episode_10)
    assert critic == {"score": 8.0}


def test_body_text_is_exactly_the_reviews_paragraphs(ann_db):
    for row in rows(ann_db, "select url, body_text from reviews"):
        assert row["body_text"] == body_of(EXPECTED[row["url"]]), row["url"]


def test_no_chrome_string_in_any_body_text(ann_db):
    for row in rows(ann_db, "select url, body_text from reviews"):
        leaked = [s for s in CHROME_STRINGS if s in row["body_text"]]
        leaked += [headline_of(r) for r in REVIEWS if url_of(r) != row["url"] and headline_of(r) in row["body_text"]]
        assert leaked == [], row["url"]
