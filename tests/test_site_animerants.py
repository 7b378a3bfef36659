"""Anime Rants (animerants.net): raw fields off a mirror page, then a real crawl into SQLite.

Expected values come from tools/mirror_src/animerants.yml: a review's five categories ("Score: 7/10")
are its subscores, the "Overall Score" line ("7.8 out of 10.0 Pretty Gay Boys") its score. The Anime
category also lists a seasonal watch list, which is fetched and dropped as not a review.
"""

from datetime import datetime

import pytest
import yaml
from scrapy.http import HtmlResponse

from conftest import ROOT, crawled_connection
from crawler.spiders.animerants import AnimeRantsSpider
from pipelines.chrome import strip_chrome
from pipelines.verdicts import bounded

SOURCE = yaml.safe_load((ROOT / "tools/mirror_src/animerants.yml").read_text(encoding="utf-8"))
MIRROR = ROOT / "data" / "mirror" / "animerants.net"


def url_of(post: dict) -> str:
    return f"https://animerants.net/{datetime.fromisoformat(post['published']):%Y/%m/%d}/{post['slug']}/"


REVIEWS = {url_of(p): p for p in SOURCE["posts"] if p.get("sections")}
OTHER_POSTS = {url_of(p): p for p in SOURCE["posts"] if not p.get("sections")}
TWILIGHT_URL = "https://animerants.net/2026/01/31/twilight-out-of-focus-anime-review-bl-is-so-back/"
WATCH_LIST_URL = "https://animerants.net/2026/01/10/winter-2026-anime-watch-list/"

# url -> (headline, series, season, episode_start, episode_end, kind, version, score_text, score)
EXPECTED_ROWS = {
    TWILIGHT_URL: ("Twilight Out Of Focus Anime Review – BL is So Back!", "Twilight Out Of Focus",
                   None, None, None, "series", None, "7.8 out of 10.0 Pretty Gay Boys", 7.8),
    "https://animerants.net/2025/12/06/sasaki-and-miyano-anime-review-soft-slow-and-sincere/": (
        "Sasaki and Miyano Anime Review – Soft, Slow and Sincere", "Sasaki and Miyano",
        None, None, None, "series", None, "8.0 out of 10.0 Borrowed Manga Volumes", 8.0),
    "https://animerants.net/2025/10/18/given-anime-review-the-sound-of-grief-and-healing/": (
        "Given Anime Review – The Sound of Grief and Healing", "Given",
        None, None, None, "series", None, "9.0 out of 10.0 Broken Guitar Strings", 9.0),
    "https://animerants.net/2025/08/23/cherry-magic-anime-review-sweet-but-thin/": (
        "Cherry Magic! Thirty Years of Virginity Can Make You a Wizard?! Anime Review – Sweet but Thin",
        "Cherry Magic! Thirty Years of Virginity Can Make You a Wizard?!",
        None, None, None, "series", None, "6.8 out of 10.0 Accidental Mind Readings", 6.8),
    "https://animerants.net/2025/06/14/mononoke-anime-review-a-feast-for-the-eyes/": (
        "Mononoke Anime Review – A Feast for the Eyes", "Mononoke",
        None, None, None, "series", None, "8.6 out of 10.0 Medicine Sellers", 8.6),
    "https://animerants.net/2025/04/05/kiss-him-not-me-anime-review-a-fujoshi-comedy-that-aged-badly/": (
        "Kiss Him, Not Me Anime Review – A Fujoshi Comedy That Aged Badly", "Kiss Him, Not Me",
        None, None, None, "series", None, "5.2 out of 10.0 Shipping Goggles", 5.2),
}

# The Twilight Out Of Focus review's categories, exactly as stored.
TWILIGHT_SUBSCORES = [
    ("Story", "Score: 7/10", 7.0, 10.0, 7.0),
    ("Visuals", "Score: 8/10", 8.0, 10.0, 8.0),
    ("Audio", "Score: 9/10", 9.0, 10.0, 9.0),
    ("Characters", "Score: 8/10", 8.0, 10.0, 8.0),
    ("Personal Enjoyment", "Score: 7/10", 7.0, 10.0, 7.0),
]

# WordPress.com chrome: header and menu, sharedaddy share and like boxes, Jetpack related posts, entry footer,
# post navigation, comments (with their "10/10"s), the reply form, sidebar widgets, footer and action bar.
CHROME_STRINGS = [
    "Share", "Related", "Subscribe", "Newsletter", "Comments", "Trending", "Rating -", "TL;DR", "Click Here",
    "Facebook", "Twitter", "Share this:", "Like this:", "Liked by", "Loading...", "Reblog", "Tumblr", "Reddit",
    "Leave a Reply", "Leave a comment", "thoughts on", "says:", "Reply", "Enter your comment", "Notify me",
    "See other posts that include", "Posted in", "Post navigation", "Previous Post", "Next Post", "Older posts",
    "Follow Blog via Email", "Join 214", "Recent Posts", "Top Posts", "Categories", "Archives", "Select Month",
    "Blog Stats", "48,310 hits", "Search for:", "Blog at WordPress.com", "Report this content", "Copy shortlink",
    "Manage subscriptions", "Skip to content", "Menu", "Honest anime reviews", "Honestly a 10/10", "a 10/10 moment", "near 8/10", "In \"",
    "paperlantern_reads", "Crimson Otaku", "Golden hour", "(Mao and Hisashi", "youtube",
]


def body_of(post: dict, signoff: bool = True) -> str:
    """The review as the page shows it: intro, table of contents, each section with its score line, overall, and
    the sign-off (which the stored body leaves out)."""
    parts = [*post["intro"]]
    if post.get("spoiler_note"):
        parts.append(post["spoiler_note"])
    parts += [s["title"] for s in post["sections"]] + ["Overall Score"]
    for s in post["sections"]:
        parts += [s["title"], f"Score: {s['score']}/10", *s["paragraphs"]]
    parts += ["Overall Score", f"{post['overall']:.1f} out of 10.0 {post['overall_unit']}", *post["overall_paragraphs"]]
    return "\n\n".join([*parts, *(SOURCE["signoff"] if signoff else [])])


def page(url: str) -> HtmlResponse:
    path = MIRROR / url.removeprefix("https://animerants.net/") / "index.html"
    return HtmlResponse(url=url, body=path.read_bytes(), encoding="utf-8")


def test_raw_fields_of_the_twilight_review():
    [item] = list(AnimeRantsSpider().parse_review(page(TWILIGHT_URL)))
    item = dict(item)
    body_html = item.pop("body_html")
    assert item == {
        "url": TWILIGHT_URL,
        "outlet": "animerants.net",
        "outlet_name": "Anime Rants",
        "page_html": None,
        "score_best": None,
        "subscores": [{"label": label, "score_text": text} for label, text, *_ in TWILIGHT_SUBSCORES],
        "audience": [],
        "headline": "Twilight Out Of Focus Anime Review – BL is So Back!",
        "author": "7Mononoke",
        "published": "2026-01-31T19:05:12+00:00",
        "updated": "2026-02-01T15:20:41+00:00",
        "score_text": "7.8 out of 10.0 Pretty Gay Boys",
        "verdict": None,
        "box_title": None,
        "tags": "Anime Anime Reviews Twilight Out Of Focus",
    }
    assert strip_chrome(body_html) == body_of(REVIEWS[TWILIGHT_URL])


def test_watch_list_has_no_score_and_no_subscores():
    [item] = list(AnimeRantsSpider().parse_review(page(WATCH_LIST_URL)))
    assert (item["headline"], item["score_text"], item["subscores"]) == (
        "Winter 2026 Anime Watch List – Shows on My Radar", None, [])


def test_listing_links_every_post_and_the_next_page():
    url = "https://animerants.net/category/anime/"
    response = HtmlResponse(url=url, body=(MIRROR / "category/anime/index.html").read_bytes(), encoding="utf-8")
    urls = [r.url for r in AnimeRantsSpider().parse(response)]
    assert urls == [*sorted([*REVIEWS, *OTHER_POSTS], reverse=True)[:5], "https://animerants.net/category/anime/page/2/"]
    assert WATCH_LIST_URL in urls  # the watch list shares the category: the pipelines must drop it


@pytest.fixture(scope="module")
def crawled(tmp_path_factory, mirror):
    connection = crawled_connection(tmp_path_factory, mirror, "animerants")
    yield connection
    connection.close()


def test_stored_rows_are_exact(crawled):
    stored = crawled.execute(
        """select url, headline, series.title as series, season, episode_start, episode_end, kind, version,
                  score_text, score, score_value, score_best, author, published, outlet
           from reviews left join series on series.id = reviews.series_id"""
    ).fetchall()
    assert len(stored) == len(REVIEWS) == len(EXPECTED_ROWS) >= 5
    assert {row["url"]: tuple(row)[1:10] for row in stored} == EXPECTED_ROWS
    for row in stored:
        assert (row["score_value"], row["score_best"]) == (row["score"], 10.0), row["url"]
        assert (row["author"], row["outlet"]) == ("7Mononoke", "animerants.net")
        assert row["published"] == REVIEWS[row["url"]]["published"]
    assert [tuple(r) for r in crawled.execute("select id, name from outlets")] == [("animerants.net", "Anime Rants")]


def test_twilight_subscores_are_exact(crawled):
    rows = crawled.execute(
        "select label, score_text, score_value, score_best, score from subscores where review = ? order by id",
        (TWILIGHT_URL,),
    ).fetchall()
    assert [tuple(r) for r in rows] == TWILIGHT_SUBSCORES


def test_every_reviews_subscores_are_its_categories(crawled):
    for url, post in REVIEWS.items():
        rows = crawled.execute("select label, score from subscores where review = ? order by id", (url,)).fetchall()
        assert [tuple(r) for r in rows] == [(s["title"], float(s["score"])) for s in post["sections"]], url
    assert crawled.execute("select count(*) from subscores").fetchone()[0] == 5 * len(REVIEWS)
    assert crawled.execute("select count(*) from audience_scores").fetchone()[0] == 0


def test_watch_list_is_dropped_not_stored(crawled):
    assert crawled.execute("select count(*) from reviews where url = ?", (WATCH_LIST_URL,)).fetchone()[0] == 0
    dropped = [tuple(r) for r in crawled.execute("select url, reason from dropped_items")]
    assert dropped == [(WATCH_LIST_URL, "not a review: 'Winter 2026 Anime Watch List – Shows on My Radar'")]


def test_body_text_is_exactly_the_reviews_text_without_the_sign_off(crawled):
    headlines = [p["headline"] for p in SOURCE["posts"]]
    for url, headline, body_text in crawled.execute("select url, headline, body_text from reviews"):
        assert body_text == body_of(REVIEWS[url], signoff=False), url
        assert SOURCE["signoff"] and not any(line in body_text for line in SOURCE["signoff"]), url
        leaked = [s for s in CHROME_STRINGS if s in body_text]
        leaked += [h for h in headlines if h != headline and h in body_text]
        assert leaked == [], url


def test_the_verdict_is_the_paragraph_below_the_overall_score(crawled):
    verdicts = dict(crawled.execute("select url, verdict from reviews").fetchall())
    assert verdicts == {url: bounded(post["overall_paragraphs"][0]) for url, post in REVIEWS.items()}
    assert verdicts["https://animerants.net/2025/04/05/kiss-him-not-me-anime-review-a-fujoshi-comedy-that-aged-badly/"] \
        == "Mediocre at best. Only worth a look for nostalgia."


def test_crawl_run_is_recorded(crawled):
    run = crawled.execute("select spider, status, pages, reviews_new, items_dropped, errors from crawl_runs").fetchall()
    # robots.txt, two listing pages and seven posts.
    assert [tuple(r) for r in run] == [("animerants", "finished", 10, len(REVIEWS), 1, 0)]
