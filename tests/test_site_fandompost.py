"""The Fandom Post: the spider's raw fields on mirror pages, and the rows a crawl of the mirror stores.

Expected values come from the mirror's source data (tools/mirror_src/fandompost.yml). Reviews end with an
"In Summary:" paragraph and a letter grade ("Grade: B+"; a disc shows "Content Grade: A-" and per-part
grades); the age rating, publisher, dates and running time after it are never scores.
"""

from datetime import datetime
from pathlib import Path

import pytest
import yaml
from scrapy.http import HtmlResponse, XmlResponse

from conftest import ROOT, rows, run_crawl
from crawler.spiders.fandompost import FandomPostSpider
from pipelines.dates import iso_utc
from pipelines.headlines import parse_headline

SOURCE = yaml.safe_load((ROOT / "tools/mirror_src/fandompost.yml").read_text(encoding="utf-8"))
REVIEWS = SOURCE["reviews"]
OTHERS = SOURCE["others"]
FP = "https://www.fandompost.com"
MIRROR = ROOT / "data/mirror/www.fandompost.com"
# The letter ladder on the 0-10 scale (README, pipelines/scores.py), written out independently here.
GRADE_POINTS = {"A+": 10.0, "A": 10.0, "A-": 9.2, "B+": 8.3, "B": 7.5, "B-": 6.7, "C+": 5.8, "C": 5.0}
# What each headline must read as: series (display title), season, episode or volume number, kind.
HEADLINES = {
    "Witch Watch Episode #05 Anime Review": ("Witch Watch", 1, 5, "episode"),
    "Witch Watch Episode #04 Anime Review": ("Witch Watch", 1, 4, "episode"),
    "Twilight Out of Focus Episode #12 Anime Review": ("Twilight Out Of Focus", 1, 12, "episode"),
    "Twilight Out of Focus Episode #11 Anime Review": ("Twilight Out Of Focus", 1, 11, "episode"),
    "Twilight Out of Focus Episode #10 Anime Review": ("Twilight Out Of Focus", 1, 10, "episode"),
    "Dan Da Dan Episode #07 Anime Review": ("Dan Da Dan", 1, 7, "episode"),
    "Chainsaw Man Vol. #12 Manga Review": ("Chainsaw Man", None, 12, "volume"),
    "Fire Force Season 1 Part 1 Blu-ray Anime Review": ("Fire Force", 1, None, "season"),
}
VOLUME_HEADLINE = "Chainsaw Man Vol. #12 Manga Review"
# Page chrome: menus, the grade and release-details block, Jetpack sharing and related posts, tags,
# author box, post navigation, comments, sidebar widgets and footer.
CHROME_STRINGS = [
    "Skip to content", "Review Policy", "Anime Reviews", "Blu-ray Reviews", "Interviews", "Podcasts", "Grade",
    "Age Rating", "Released By", "Release Date", "Running Time", "MSRP", "Video Encoding", "Aspect Ratio",
    "Share this", "Share", "Facebook", "Twitter", "Reddit", "Related", "Posted in", "Tagged", "About Chris",
    "founder of The Fandom Post", "View all posts", "thoughts on", "Score: A for me", "Leave a Reply",
    "Post Comment", "Comments", "Latest Reviews", "Latest News", "Sentai Filmworks", "Newsletter", "Subscribe",
    "Follow The Fandom Post", "Search for", "Copyright", "All Rights Reserved", "Privacy Policy",
]


def url_of(post: dict) -> str:
    return f"{FP}/{datetime.fromisoformat(str(post['published'])).strftime('%Y/%m/%d')}/{post['slug']}/"


def body_of(review: dict) -> str:
    return "\n\n".join([review["tagline"], *review["paragraphs"]])


def summary_of(review: dict) -> str:
    return review["paragraphs"][-1].removeprefix("In Summary: ")


EXPECTED = {url_of(r): r for r in REVIEWS}
# What a crawl stores: the manga volume's review is listed with the others but is not of an anime.
STORED = {url: r for url, r in EXPECTED.items() if r["headline"] != VOLUME_HEADLINE}
MANGA_URL = next(url for url, r in EXPECTED.items() if r["headline"] == VOLUME_HEADLINE)




def parse_mirror_page(url: str) -> dict:
    path = MIRROR / url.removeprefix(FP + "/") / "index.html"
    response = HtmlResponse(url=url, body=path.read_bytes(), encoding="utf-8")
    [item] = list(FandomPostSpider().parse_review(response))
    return dict(item)


# --- raw fields -----------------------------------------------------------------------------------

def test_raw_fields_of_an_episode_review():
    url = f"{FP}/2025/05/06/witch-watch-episode-05-anime-review/"
    item = parse_mirror_page(url)
    assert item.pop("body_html").lstrip().startswith('<div class="entry-content">')
    assert item == {
        "url": url,
        "outlet": "fandompost.com",
        "outlet_name": "The Fandom Post",
        "headline": "Witch Watch Episode #05 Anime Review",
        "author": "Chris Beveridge",
        "published": "2025-05-06T10:00:00-04:00",
        "updated": None,
        "score_text": "Grade: B",
        "score_best": None,
        "verdict": summary_of(EXPECTED[url]),
        "box_title": None,
        "tags": "Anime Reviews Anime Reviews Anime Reviews Bibury Animation Studios Crunchyroll Witch Watch",
        "subscores": [],
        "audience": [],
        "page_html": None,
    }


def test_raw_fields_of_a_disc_review_with_part_grades():
    url = f"{FP}/2020/07/06/fire-force-season-1-part-1-blu-ray-anime-review/"
    item = parse_mirror_page(url)
    item.pop("body_html")
    assert item == {
        "url": url,
        "outlet": "fandompost.com",
        "outlet_name": "The Fandom Post",
        "headline": "Fire Force Season 1 Part 1 Blu-ray Anime Review",
        "author": "Chris Beveridge",
        "published": "2020-07-06T09:00:00-04:00",
        "updated": None,
        "score_text": "Content Grade: A-",
        "score_best": None,
        "verdict": summary_of(EXPECTED[url]),
        "box_title": None,
        "tags": "Blu-ray Reviews Blu-ray Reviews Blu-ray Reviews David Production Fire Force Funimation",
        "subscores": [
            {"label": "Audio", "score_text": "B+"},
            {"label": "Video", "score_text": "A"},
            {"label": "Packaging", "score_text": "B"},
            {"label": "Menu", "score_text": "B+"},
            {"label": "Extras", "score_text": "B-"},
        ],
        "audience": [],
        "page_html": None,
    }


def test_raw_fields_of_a_manga_volume_review_and_an_updated_post():
    manga = parse_mirror_page(f"{FP}/2023/07/24/chainsaw-man-vol-12-manga-review/")
    assert (manga["headline"], manga["score_text"], manga["subscores"], manga["tags"]) == (
        VOLUME_HEADLINE, "Grade: B+", [], "Manga Reviews Manga Reviews Manga Reviews Chainsaw Man Tatsuki Fujimoto Viz Media")
    updated = parse_mirror_page(f"{FP}/2025/04/28/witch-watch-episode-04-anime-review/")
    assert (updated["published"], updated["updated"]) == ("2025-04-28T10:00:00-04:00", "2025-04-28T14:30:00-04:00")


def test_the_listing_pages_and_the_feed_lead_to_every_review_and_the_news_post():
    spider = FandomPostSpider()
    first = HtmlResponse(url=f"{FP}/category/reviews/", encoding="utf-8",
                         body=(MIRROR / "category/reviews/index.html").read_bytes())
    second = HtmlResponse(url=f"{FP}/category/reviews/page/2/", encoding="utf-8",
                          body=(MIRROR / "category/reviews/page/2/index.html").read_bytes())
    from_first = [request.url for request in spider.parse(first)]
    assert from_first[-1] == f"{FP}/category/reviews/page/2/"  # the next listing page
    listed = from_first[:-1] + [request.url for request in spider.parse(second)]
    assert sorted(listed) == sorted(EXPECTED)
    feed = XmlResponse(url=f"{FP}/feed/", body=(MIRROR / "feed/index.xml").read_bytes(), encoding="utf-8",
                       headers={"Content-Type": "application/xml"})
    assert sorted(request.url for request in spider.parse(feed)) == sorted([*EXPECTED, *map(url_of, OTHERS)])


# --- stored rows ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def fp_db(tmp_path_factory, mirror) -> Path:
    db_path = tmp_path_factory.mktemp("fandompost") / "reviews.db"
    result = run_crawl(db_path, mirror.base_url, "fandompost")
    assert result.returncode == 0, result.stderr[-5000:]
    return db_path


def test_every_anime_review_is_stored_once_and_the_news_post_and_the_manga_review_are_dropped(fp_db):
    stored = rows(fp_db, "select url, outlet from reviews")
    assert sorted(r["url"] for r in stored) == sorted(STORED)
    assert len(stored) == len(REVIEWS) - 1 >= 6
    assert {r["outlet"] for r in stored} == {"fandompost.com"}
    dropped = rows(fp_db, "select url, reason from dropped_items")
    assert sorted(d["url"] for d in dropped) == sorted([url_of(o) for o in OTHERS] + [MANGA_URL])
    assert all(d["reason"].startswith("not a review") for d in dropped if d["url"] != MANGA_URL)
    for other in OTHERS:
        assert rows(fp_db, "select url from reviews where url = ?", url_of(other)) == []
    [run] = rows(fp_db, "select spider, status, reviews_new, items_dropped, errors from crawl_runs")
    assert run == {"spider": "fandompost", "status": "finished", "reviews_new": len(REVIEWS) - 1,
                   "items_dropped": len(OTHERS) + 1, "errors": 0}


def stored_reviews(fp_db) -> list[dict]:
    return rows(
        fp_db,
        """select url, headline, series.title as series, season, episode_start, episode_end, episode_title, kind,
                  version, score_text, score_value, score_best, score, author, verdict, published, updated
           from reviews left join series on series.id = reviews.series_id""",
    )


def test_stored_rows_read_headlines_and_letter_grades(fp_db):
    stored = stored_reviews(fp_db)
    assert len(stored) == len(STORED)
    for row in stored:
        source = STORED[row["url"]]
        label, grade = source["grades"][0]
        points = GRADE_POINTS[grade]
        series, season, number, kind = HEADLINES[source["headline"]]
        expected = {
            "url": url_of(source),
            "headline": source["headline"],
            "series": series,
            "season": season,
            "episode_start": number,
            "episode_end": number,
            "episode_title": None,
            "kind": kind,
            "version": None,
            "score_text": f"{label}: {grade}",
            "score_value": points,
            "score_best": 10.0,
            "score": points,
            "author": source["author"],
            "verdict": summary_of(source),
            # Stored in UTC, so reviews from every outlet sort together.
            "published": iso_utc(datetime.fromisoformat(str(source["published"])).isoformat()),
            "updated": iso_utc(datetime.fromisoformat(str(source["updated"])).isoformat()) if source["updated"] else None,
        }
        assert row == expected, row["url"]


def test_letter_grades_on_the_ten_point_scale(fp_db):
    scores = {r["headline"]: (r["score_text"], r["score"]) for r in stored_reviews(fp_db)}
    assert scores == {
        "Witch Watch Episode #05 Anime Review": ("Grade: B", 7.5),
        "Witch Watch Episode #04 Anime Review": ("Grade: B+", 8.3),
        "Twilight Out of Focus Episode #12 Anime Review": ("Grade: A", 10.0),
        "Twilight Out of Focus Episode #11 Anime Review": ("Grade: A-", 9.2),
        "Twilight Out of Focus Episode #10 Anime Review": ("Grade: B+", 8.3),
        "Dan Da Dan Episode #07 Anime Review": ("Grade: A+", 10.0),
        "Fire Force Season 1 Part 1 Blu-ray Anime Review": ("Content Grade: A-", 9.2),
    }


def test_the_manga_review_reads_as_a_volume_and_is_dropped_as_not_an_anime(fp_db):
    headline = parse_headline(VOLUME_HEADLINE)
    assert (headline.series, headline.volume, headline.kind) == ("Chainsaw Man", 12, "volume")
    assert rows(fp_db, "select url from reviews where headline = ?", VOLUME_HEADLINE) == []
    assert rows(fp_db, "select reason from dropped_items where url = ?", MANGA_URL) == [
        {"reason": f"not an anime review (headline says 'Manga Review'): {VOLUME_HEADLINE!r}"}]


def test_disc_part_grades_are_subscores(fp_db):
    disc = url_of(next(r for r in REVIEWS if r["headline"].endswith("Blu-ray Anime Review")))
    stored = rows(fp_db, "select review, label, score_text, score_value, score_best, score from subscores order by id")
    assert stored == [
        {"review": disc, "label": label, "score_text": grade, "score_value": points, "score_best": 10.0,
         "score": points}
        for label, grade, points in [("Audio", "B+", 8.3), ("Video", "A", 10.0), ("Packaging", "B", 7.5),
                                     ("Menu", "B+", 8.3), ("Extras", "B-", 6.7)]
    ]
    assert rows(fp_db, "select count(*) as n from audience_scores") == [{"n": 0}]


def test_body_text_is_exactly_the_reviews_paragraphs(fp_db):
    for row in rows(fp_db, "select url, body_text from reviews"):
        assert row["body_text"] == body_of(EXPECTED[row["url"]]), row["url"]


def test_no_chrome_string_in_any_body_text(fp_db):
    headlines = [r["headline"] for r in REVIEWS + OTHERS]
    for row in rows(fp_db, "select url, headline, body_text from reviews"):
        leaked = [s for s in CHROME_STRINGS if s in row["body_text"]]
        leaked += [h for h in headlines if h != row["headline"] and h in row["body_text"]]
        assert leaked == [], row["url"]
