"""Gay Films Review (www.gayfilmsreview.com): raw fields off a mirror page, then a real crawl into SQLite.

Expected values come from tools/mirror_src/gayfilmsreview.yml. The blog closes a review with its score in
brackets ("… anime or not. (5/10)"); one review has no score at all, and a seasonal preview is no review.
The crawl reads the Atom feed and the homepage as phones get it ("/?m=1", every link with "?m=1"), so three
posts are fetched under two URLs each: they must be one row each, under the canonical URL.
"""

import sqlite3

import pytest
import yaml
from scrapy.http import HtmlResponse, XmlResponse

from conftest import ROOT, run_crawl
from crawler.spiders.gayfilmsreview import GayFilmsReviewSpider
from pipelines.chrome import strip_chrome

SOURCE = yaml.safe_load((ROOT / "tools/mirror_src/gayfilmsreview.yml").read_text(encoding="utf-8"))
MIRROR = ROOT / "data" / "mirror" / "www.gayfilmsreview.com"
SITE = "https://www.gayfilmsreview.com/"


def url_of(post: dict) -> str:
    return f"{SITE}{post['published'][:4]}/{post['published'][5:7]}/{post['slug']}.html"


REVIEWS = {url_of(p): p for p in SOURCE["posts"] if p["review"]}
SCORED = {url: p for url, p in REVIEWS.items() if p["score"]}
PREVIEW_URL = f"{SITE}2024/10/upcoming-bl-dramas-this-fall.html"
TWILIGHT_URL = f"{SITE}2025/02/tasogare-outfocus-japanese-anime-series.html"
UNSCORED_URL = f"{SITE}2022/07/kimi-no-koto-dake-mite-itai-japanese.html"
# The homepage at "/?m=1" links the four newest posts with "?m=1"; the feed links all seven plainly.
MOBILE_LINKED = [f"{SITE}2025/02/tasogare-outfocus-japanese-anime-series.html?m=1",
                 f"{SITE}2024/12/cherry-magic-thirty-years-of-virginity.html?m=1",
                 f"{PREVIEW_URL}?m=1",
                 f"{SITE}2024/06/sasaki-to-miyano-japanese-anime-series.html?m=1"]

# url -> (score_text, score)
EXPECTED_SCORES = {
    TWILIGHT_URL: ("(5/10)", 5.0),
    f"{SITE}2024/12/cherry-magic-thirty-years-of-virginity.html": ("(6/10)", 6.0),
    f"{SITE}2024/06/sasaki-to-miyano-japanese-anime-series.html": ("(7/10)", 7.0),
    f"{SITE}2024/03/given-japanese-anime-series.html": ("(7.5/10)", 7.5),
}
BUMP_UP_URL = f"{SITE}2023/10/bump-up-business-korean-series.html"
# The blog's live-action dramas, tagged in their headlines: dropped, not of an anime.
NOT_ANIME = {
    BUMP_UP_URL: "not an anime review (headline says '(Korean Series)'): 'Bump Up Business (Korean Series)'",
    UNSCORED_URL: "not an anime review (headline says '(Japanese Series)'): "
                  "'Kimi no Koto Dake Mite Itai (Japanese Series) [I Want to See Only You]'",
}
# url -> (headline, series, season, episode_start, episode_end, kind, version, score_text, score)
EXPECTED_ROWS = {
    TWILIGHT_URL: ("Tasogare Outfocus (Japanese Anime Series)", "Twilight Out Of Focus",
                   None, None, None, "series", None, "(5/10)", 5.0),
    f"{SITE}2024/12/cherry-magic-thirty-years-of-virginity.html": (
        "Cherry Magic! Thirty Years of Virginity Can Make You a Wizard?! (Japanese Anime Series)",
        "Cherry Magic! Thirty Years of Virginity Can Make You a Wizard?!", None, None, None, "series", None,
        "(6/10)", 6.0),
    f"{SITE}2024/06/sasaki-to-miyano-japanese-anime-series.html": (
        # The romaji title is an alias of the English one (data/series_aliases.yml): one series row.
        "Sasaki to Miyano (Japanese Anime Series)", "Sasaki and Miyano", None, None, None, "series", None,
        "(7/10)", 7.0),
    f"{SITE}2024/03/given-japanese-anime-series.html": (
        "Given (Japanese Anime Series)", "Given", None, None, None, "series", None, "(7.5/10)", 7.5),
}

# Blogger (Contempo) chrome: skip link, search, header, share menu, labels, comments and the comment form,
# "Popular posts from this blog", the sidebar (profile, popular posts, archive, labels) and the attribution.
CHROME_STRINGS = [
    "Share", "Related", "Subscribe", "Newsletter", "Comments", "Trending", "Rating -", "TL;DR", "Click Here",
    "Facebook", "Twitter", "Skip to main content", "Search This Blog", "Get link", "Pinterest", "Other Apps",
    "Labels", "Post a Comment", "Add comment", "Load more", "Replies", "Reply", "Delete", "Anonymous",
    "Popular posts from this blog", "Popular Posts", "Read more", "Recent posts", "More posts", "Archive",
    "Report Abuse", "Visit profile", "Powered by Blogger", "Theme images by", "Michael Elkan", "keeping track since",
    "(7/10) but", "please do Cherry Magic", "highly recommended", "Gay Films Review",
]


def body_of(post: dict, score: bool = True) -> str:
    """The post's paragraphs, the last closing with the score as the page prints it (the stored body without)."""
    paragraphs = list(post["paragraphs"])
    if post["score"] and score:
        paragraphs[-1] += f" ({post['score']})"
    return "\n\n".join(paragraphs)


def page(url: str) -> HtmlResponse:
    path = MIRROR / url.split("?")[0].removeprefix(SITE)
    return HtmlResponse(url=url, body=path.read_bytes(), encoding="utf-8")


def scraped(url: str) -> dict:
    [item] = list(GayFilmsReviewSpider().parse_review(page(url)))
    return dict(item)


def test_raw_fields_of_the_twilight_review_reached_under_its_mobile_url():
    item = scraped(TWILIGHT_URL + "?m=1")
    body_html = item.pop("body_html")
    assert item == {
        "url": TWILIGHT_URL,  # the page's rel=canonical, not the "?m=1" it was fetched at
        "outlet": "gayfilmsreview.com",
        "outlet_name": "Gay Films Review",
        "page_html": None,
        "score_best": None,
        "subscores": [],
        "audience": [],
        "headline": "Tasogare Outfocus (Japanese Anime Series)",
        "author": None,
        "published": "2025-02-08T09:27:00-08:00",
        "updated": None,
        "score_text": "(5/10)",
        "verdict": None,
        "box_title": None,
        "tags": "Anime BL Japanese Series",
    }
    assert strip_chrome(body_html) == body_of(REVIEWS[TWILIGHT_URL])


def test_raw_fields_of_a_review_without_score():
    item = scraped(UNSCORED_URL)
    body_html = item.pop("body_html")
    assert item == {
        "url": UNSCORED_URL,
        "outlet": "gayfilmsreview.com",
        "outlet_name": "Gay Films Review",
        "page_html": None,
        "score_best": None,
        "subscores": [],
        "audience": [],
        "headline": "Kimi no Koto Dake Mite Itai (Japanese Series) [I Want to See Only You]",
        "author": None,
        "published": "2022-07-09T16:45:00-07:00",
        "updated": None,
        "score_text": None,  # a reader's "(7/10)" in the comments is not the review's
        "verdict": None,
        "box_title": None,
        "tags": "BL Japanese Series",
    }
    assert strip_chrome(body_html) == body_of(REVIEWS[UNSCORED_URL])


def test_the_feed_lists_every_post_and_the_mobile_homepage_the_newest_with_m_1():
    feed_url = f"{SITE}feeds/posts/default"
    feed = XmlResponse(url=feed_url, body=(MIRROR / "feeds/posts/default").read_bytes())
    assert [r.url for r in GayFilmsReviewSpider().parse(feed)] == sorted(
        [url_of(p) for p in SOURCE["posts"]], reverse=True)
    home = HtmlResponse(url=f"{SITE}?m=1", body=(MIRROR / "index.html").read_bytes(), encoding="utf-8")
    # "More posts" leads under /search, which robots.txt disallows: no next page is followed.
    assert [r.url for r in GayFilmsReviewSpider().parse(home)] == MOBILE_LINKED


@pytest.fixture(scope="module")
def crawled(tmp_path_factory, mirror):
    db_path = tmp_path_factory.mktemp("gayfilmsreview") / "reviews.db"
    result = run_crawl(db_path, mirror.base_url, "gayfilmsreview")
    connection = sqlite3.connect(db_path)
    connection.row_factory = sqlite3.Row
    yield result, connection
    connection.close()


def test_mobile_and_canonical_urls_are_one_row(crawled):
    _, db = crawled
    urls = [url for (url,) in db.execute("select url from reviews")]
    assert "?m=" not in " ".join(urls)
    assert urls.count(TWILIGHT_URL) == 1
    # Tasogare Outfocus, Cherry Magic and Sasaki to Miyano were each fetched twice; the second fetch found
    # the same review under its canonical URL and changed nothing.
    [run] = db.execute("select reviews_unchanged, reviews_updated from crawl_runs").fetchall()
    assert tuple(run) == (3, 0)


def test_scores_are_the_closing_brackets(crawled):
    _, db = crawled
    rows = db.execute("select url, score_text, score, score_value, score_best from reviews where score is not null")
    got = {row["url"]: (row["score_text"], row["score"]) for row in rows}
    assert got == EXPECTED_SCORES
    for url, (_, score) in EXPECTED_SCORES.items():
        assert tuple(db.execute("select score_value, score_best from reviews where url = ?", (url,)).fetchone()) == (
            score, 10.0)
    assert db.execute("select count(*) from subscores").fetchone()[0] == 0


def test_preview_post_is_dropped_not_stored(crawled):
    _, db = crawled
    assert db.execute("select count(*) from reviews where url = ?", (PREVIEW_URL,)).fetchone()[0] == 0
    reasons = {reason for (reason,) in db.execute("select reason from dropped_items where url = ?", (PREVIEW_URL,))}
    assert reasons == {"not a review: 'Upcoming BL Dramas This Fall'"}


def test_live_action_dramas_are_dropped_as_not_of_an_anime(crawled):
    _, db = crawled
    assert db.execute("select count(*) from reviews where url in (?, ?)", tuple(NOT_ANIME)).fetchone()[0] == 0
    dropped = db.execute("select url, reason from dropped_items where reason like 'not an anime%'").fetchall()
    assert dict(map(tuple, dropped)) == NOT_ANIME


def test_body_text_is_exactly_the_reviews_paragraphs(crawled):
    _, db = crawled
    titles = [p["title"] for p in SOURCE["posts"]]
    for url, headline, body_text in db.execute("select url, headline, body_text from reviews"):
        assert body_text == body_of(REVIEWS[url], score=False), url
        leaked = [s for s in CHROME_STRINGS if s in body_text]
        leaked += [t for t in titles if t != headline and t in body_text]
        assert leaked == [], url


def test_headlines_read_as_series_reviews(crawled):
    result, db = crawled
    stored = db.execute(
        """select url, headline, series.title as series, season, episode_start, episode_end, kind, version,
                  score_text, score
           from reviews left join series on series.id = reviews.series_id"""
    ).fetchall()
    assert {row["url"]: tuple(row)[1:] for row in stored} == EXPECTED_ROWS
    assert len(stored) == len(REVIEWS) - len(NOT_ANIME) >= 4
    run = db.execute("select spider, status, reviews_new, reviews_unchanged, items_dropped, errors from crawl_runs")
    # The preview is fetched (and dropped) twice: from the feed and from the mobile homepage; the two dramas once.
    assert [tuple(r) for r in run] == [("gayfilmsreview", "finished", len(REVIEWS) - len(NOT_ANIME), 3, 4, 0)]
    assert result.returncode == 0, result.stderr[-5000:]
