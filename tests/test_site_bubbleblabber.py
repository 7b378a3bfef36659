"""Bubbleblabber (www.bubbleblabber.com): raw fields off a mirror page, then a real crawl into SQLite.

Expected values are written out by hand from tools/mirror_src/bubbleblabber.yml. Bubbleblabber reviews an
anime episode once per track: the subtitled and the English dub review of one episode are two pages, two
rows, told apart by `version`.
"""


import pytest
import yaml
from scrapy.http import HtmlResponse

from conftest import ROOT, crawled_connection
from crawler.spiders.bubbleblabber import BubbleblabberSpider
from pipelines.chrome import strip_chrome

BB = "https://www.bubbleblabber.com"
SOURCE = yaml.safe_load((ROOT / "tools/mirror_src/bubbleblabber.yml").read_text(encoding="utf-8"))


def url_of(post: dict) -> str:
    return f"{BB}/{post['published'][:4]}/{post['published'][5:7]}/{post['slug']}/"


REVIEWS = {url_of(r): r for r in SOURCE["reviews"]}
NEWS_URL = f"{BB}/2025/06/crunchyroll-announces-summer-2025-simulcast-lineup/"
MIRROR = ROOT / "data" / "mirror" / "www.bubbleblabber.com"

DUB_RED_THREAD = f"{BB}/2024/10/english-dub-review-twilight-out-of-focus-a-red-thread/"
SUB_KINDER = f"{BB}/2024/11/review-dan-da-dan-to-a-kinder-world-sub/"
DUB_KINDER = f"{BB}/2024/12/english-dub-review-dan-da-dan-to-a-kinder-world/"
SUB_FIRE = f"{BB}/2025/05/review-fire-force-season-3-episode-5-a-chance-meeting-with-an-archenemy-sub/"
DUB_FIRE = f"{BB}/2025/06/english-dub-review-fire-force-season-3-episode-5-a-chance-meeting-with-an-archenemy/"
DUB_WITCH_4 = f"{BB}/2025/05/english-dub-review-witch-watch-kanshi-kazamatsuri-the-tengu/"
SUB_WITCH_5 = f"{BB}/2025/05/witch-watch-episode-5-review-sub/"

# url -> (headline, series, season, episode_start, episode_end, episode_title, kind, version, score_text, score)
EXPECTED_ROWS = {
    # A dub headline with the episode's title only: the parser cannot know it is episode 12 (season 1 is
    # assumed for an episode without a season).
    DUB_RED_THREAD: ("English Dub Review: Twilight Out of Focus “A Red Thread”", "Twilight Out Of Focus",
                     1, None, None, "A Red Thread", "episode", "dub", "8", 8.0),
    SUB_KINDER: ("Review: Dan Da Dan “To a Kinder World” (Sub)", "Dan Da Dan",
                 1, None, None, "To a Kinder World", "episode", "sub", "9.5", 9.5),
    DUB_KINDER: ("English Dub Review: Dan Da Dan “To a Kinder World”", "Dan Da Dan",
                 1, None, None, "To a Kinder World", "episode", "dub", "9", 9.0),
    DUB_WITCH_4: ("English Dub Review: Witch Watch “Kanshi Kazamatsuri, the Tengu”", "Witch Watch",
                  1, None, None, "Kanshi Kazamatsuri, the Tengu", "episode", "dub", "7", 7.0),
    SUB_WITCH_5: ("Witch Watch Episode 5 Review (Sub)", "Witch Watch",
                  1, 5, 5, None, "episode", "sub", "7.5", 7.5),
    SUB_FIRE: ("Review: Fire Force Season 3 Episode 5 “A Chance Meeting with an Archenemy” (Sub)", "Fire Force",
               3, 5, 5, "A Chance Meeting with an Archenemy", "episode", "sub", "6", 6.0),
    DUB_FIRE: ("English Dub Review: Fire Force Season 3 Episode 5 “A Chance Meeting with an Archenemy”", "Fire Force",
               3, 5, 5, "A Chance Meeting with an Archenemy", "episode", "dub", "6.5", 6.5),
}

# Text of the page chrome: trending bar, mega menu, share bars, the WP Review box, the author box,
# tags, related posts with their scores, reader comments (one with its own score), sidebar, footer.
CHROME_STRINGS = [
    "Share", "Related", "Subscribe", "Newsletter", "Comments", "Trending", "Rating -", "TL;DR", "Click Here",
    "Facebook", "Twitter", "Reddit", "Review Overview", "Overall", "Summary", "posts and counting",
    "See all posts by", "Tagged", "thoughts on", "says:", "Leave a Reply", "Post Comment", "6/10", "Reply",
    "Latest Reviews", "Recent Posts", "Everything Animated", "All Rights Reserved", "Common Side Effects",
    "Toonami Schedule", "Anime Reviews", "English Dub Reviews", "Skip to content", "LATAM",
]


def body_of(review: dict) -> str:
    blocks = []
    for section in review["sections"]:
        blocks += [section["heading"], *section["paragraphs"]]
    return "\n\n".join(blocks)


def scraped(url: str) -> dict:
    path = MIRROR / url.removeprefix(BB + "/") / "index.html"
    response = HtmlResponse(url=url, body=path.read_bytes(), encoding="utf-8")
    [item] = list(BubbleblabberSpider().parse_review(response))
    item = dict(item)
    assert item.pop("page_html", None) is None  # the spider's selectors are enough: no whole page kept
    return item


@pytest.mark.parametrize(
    "url, expected",
    [
        (SUB_KINDER, {"headline": "Review: Dan Da Dan “To a Kinder World” (Sub)", "author": "Priya Natarajan",
                      "published": "2024-11-15T11:00:00-05:00", "updated": None, "score_text": "9.5",
                      "verdict": "The show’s wildest energy gives way to its most affecting story yet.",
                      "tags": "Anime Reviews anime crunchyroll"}),
        (DUB_KINDER, {"headline": "English Dub Review: Dan Da Dan “To a Kinder World”", "author": "Marcus Hale",
                      "published": "2024-12-05T16:00:00-05:00", "updated": "2024-12-06T09:20:00-05:00",
                      "score_text": "9",
                      "verdict": "The dub nails the tonal whiplash from brawl to heartbreak.",
                      "tags": "Anime Reviews English Dub anime crunchyroll"}),
    ],
)
def test_raw_fields_of_the_sub_and_the_dub_review(url, expected):
    item = scraped(url)
    body_html = item.pop("body_html")
    assert item == {
        "url": url,
        "outlet": "bubbleblabber.com",
        "outlet_name": "Bubbleblabber",
        "score_best": 10,
        "subscores": [],
        "audience": [],
        "box_title": None,
        **expected,
    }
    assert strip_chrome(body_html) == body_of(REVIEWS[url])


def test_news_post_has_no_score():
    item = scraped(NEWS_URL)
    assert (item["headline"], item["score_text"], item["verdict"]) == (
        "Crunchyroll Announces Its Summer 2025 Simulcast Lineup", None, None)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory, mirror):
    connection = crawled_connection(tmp_path_factory, mirror, "bubbleblabber")
    yield connection
    connection.close()


def test_stored_rows_are_exact(crawled):
    stored = crawled.execute(
        """select url, headline, series.title as series, season, episode_start, episode_end, episode_title, kind,
                  version, score_text, score, score_value, score_best, outlet
           from reviews left join series on series.id = reviews.series_id"""
    ).fetchall()
    assert len(stored) == len(SOURCE["reviews"]) == len(EXPECTED_ROWS)
    assert {row["url"]: tuple(row)[1:11] for row in stored} == EXPECTED_ROWS
    for row in stored:
        assert (row["score_value"], row["score_best"]) == (row["score"], 10.0), row["url"]
        assert row["outlet"] == "bubbleblabber.com"
    assert [tuple(r) for r in crawled.execute("select id, name from outlets")] == [("bubbleblabber.com", "Bubbleblabber")]


def test_version_per_row(crawled):
    versions = dict(crawled.execute("select url, version from reviews"))
    assert versions == {
        DUB_RED_THREAD: "dub", SUB_KINDER: "sub", DUB_KINDER: "dub", DUB_WITCH_4: "dub",
        SUB_WITCH_5: "sub", SUB_FIRE: "sub", DUB_FIRE: "dub",
    }
    assert versions == {url: r["version"] for url, r in REVIEWS.items()}


def test_sub_and_dub_of_one_episode_stay_two_reviews(crawled):
    kinder = crawled.execute(
        """select url, version, score from reviews join series on series.id = reviews.series_id
           where series.title = 'Dan Da Dan' and episode_title = 'To a Kinder World' order by version"""
    ).fetchall()
    assert [tuple(r) for r in kinder] == [(DUB_KINDER, "dub", 9.0), (SUB_KINDER, "sub", 9.5)]
    fire = crawled.execute(
        """select version, score from episode_scores e join reviews r on r.series_id = e.series_id
           and r.season = e.season and e.episode between r.episode_start and r.episode_end
           where e.series = 'Fire Force' and e.season = 3 and e.episode = 5 order by version"""
    ).fetchall()
    assert [tuple(r) for r in fire] == [("dub", 6.5), ("sub", 6.0)]
    [consensus] = crawled.execute(
        """select reviews, review_count, mean_score from episode_scores
           where series = 'Fire Force' and season = 3 and episode = 5"""
    ).fetchall()
    assert tuple(consensus) == (1, 2, 6.25)  # one outlet, one vote (issue 17): the mean of its sub and dub


def test_news_is_fetched_and_dropped(crawled):
    assert crawled.execute("select count(*) from reviews where url = ?", (NEWS_URL,)).fetchone()[0] == 0
    [(url, reason)] = crawled.execute("select url, reason from dropped_items").fetchall()
    assert url == NEWS_URL
    assert reason.startswith("not a review")


def test_body_text_is_exactly_the_reviews_paragraphs(crawled):
    for url, body_text, verdict in crawled.execute("select url, body_text, verdict from reviews"):
        review = REVIEWS[url]
        assert body_text == body_of(review), url
        assert verdict == review["summary"]
        leaked = [s for s in CHROME_STRINGS if s in body_text]
        leaked += [text for text in (review["dek"], review["summary"]) if text in body_text]
        leaked += [r["headline"] for r in SOURCE["reviews"] if r["headline"] in body_text]
        assert leaked == [], url


def test_crawl_run_is_recorded(crawled):
    run = crawled.execute("select spider, status, pages, reviews_new, items_dropped, errors from crawl_runs").fetchall()
    # robots.txt, the feed, seven reviews and the news post.
    assert [tuple(r) for r in run] == [("bubbleblabber", "finished", 10, len(REVIEWS), 1, 0)]
