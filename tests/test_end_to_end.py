"""End to end: the mirror on a free loopback port, `scrapy crawlall` in a subprocess, rows in SQLite.

Expected values come from the mirror's own source data (tools/mirror_src/butwhytho.yml): what the site
shows is what must be stored, nothing from the chrome around it.
"""

import shutil
import sqlite3
import subprocess
import sys

import pytest
import yaml

from conftest import ROOT, rows, run_crawl

SOURCE = yaml.safe_load((ROOT / "tools/mirror_src/butwhytho.yml").read_text(encoding="utf-8"))["reviews"]


def url_of(review):
    published = str(review["published"])
    return f"https://butwhytho.net/{published[:4]}/{published[5:7]}/{review['slug']}/"


EXPECTED = {url_of(r): r for r in SOURCE}

# Text of the page chrome (menus, newsletter, share bars, review box, related and trending posts,
# author box, footer, search and support pop-ups): none of it may reach a review's body text.
CHROME_STRINGS = [
    "Close Menu", "Support Us", "Newsletter", "Get BWT in your inbox", "Subscribe to our weekly newsletter",
    "Click Here", "Facebook", "Twitter", "Instagram", "Pinterest", "WhatsApp", "Share", "Trending",
    "TRENDING POSTS", "Related Posts", "Rating -", "TL;DR", "Previous Article", "Next Article",
    "Type above and press", "Copyright", "Review Score Guide", "PRIVACY POLICY", "Video Games",
    "Oni-Lion Forge", "The Eternaut", "Sunderfolk", "Mins Read", "is a contributor to But Why Tho?",
]




def test_every_mirror_review_is_stored_once(crawled_db):
    stored = rows(crawled_db, "select url from reviews where outlet = 'butwhytho.net'")
    assert sorted(r["url"] for r in stored) == sorted(EXPECTED)
    assert len(stored) == len(SOURCE) >= 27


def test_twilight_out_of_focus_episodes_and_scores(crawled_db):
    episodes = rows(
        crawled_db,
        """select season, episode_start, episode_end, episode_title, score_text, score from reviews
           join series on series.id = reviews.series_id
           where series.title = 'Twilight Out Of Focus' and kind = 'episode' and outlet = 'butwhytho.net'
           order by episode_start""",
    )
    assert [e["episode_start"] for e in episodes] == list(range(1, 13))
    assert all(e["season"] == 1 and e["episode_end"] == e["episode_start"] for e in episodes)
    assert episodes[-1] == {"season": 1, "episode_start": 12, "episode_end": 12, "episode_title": "A Red Thread",
                            "score_text": "Rating - 8/10", "score": 8.0}
    source = sorted(
        (r for r in SOURCE if "‘Twilight Out Of Focus’ Episode" in r["headline"]), key=lambda r: len(r["slug"])
    )
    expected_scores = {url_of(r): float(r["score"].split("/")[0]) for r in source}
    stored = rows(crawled_db, "select url, score from reviews where url in (%s)" % ",".join("?" * len(expected_scores)),
                  *expected_scores)
    assert {r["url"]: r["score"] for r in stored} == expected_scores


def test_season_review_is_kept_apart_from_episodes(crawled_db):
    [season] = rows(
        crawled_db,
        """select kind, season, episode_start, score from reviews join series on series.id = reviews.series_id
           where series.title = 'Twilight Out Of Focus' and kind = 'season' and outlet = 'butwhytho.net'""",
    )
    assert season == {"kind": "season", "season": 1, "episode_start": None, "score": 8.0}


def test_every_stored_score_is_the_reviews_own(crawled_db):
    for row in rows(crawled_db, "select url, score_text, score_value, score_best, score from reviews where outlet = 'butwhytho.net'"):
        source_score = EXPECTED[row["url"]]["score"]
        if source_score is None:
            assert (row["score_text"], row["score"]) == (None, None), row["url"]
        else:
            value = float(source_score.split("/")[0])
            assert row["score_text"] == f"Rating - {source_score}"
            assert (row["score_value"], row["score_best"], row["score"]) == (value, 10.0, value), row["url"]
    unscored = rows(crawled_db, "select count(*) as n from reviews where score is null and outlet = 'butwhytho.net'")[0]["n"]
    assert unscored == sum(1 for r in SOURCE if r["score"] is None) >= 2


def test_body_text_is_exactly_the_reviews_paragraphs(crawled_db):
    for row in rows(crawled_db, "select url, body_text, verdict, author, headline, published from reviews where outlet = 'butwhytho.net'"):
        source = EXPECTED[row["url"]]
        assert row["body_text"] == "\n\n".join([*source["paragraphs"], source["closing"]]), row["url"]
        assert row["verdict"] == source["tldr"]
        assert (row["author"], row["headline"]) == (source["author"], source["headline"])
        assert row["published"].startswith(str(source["published"])[:10])


def test_no_chrome_string_in_any_body_text(crawled_db):
    other_headlines = [r["headline"] for r in SOURCE]
    for row in rows(crawled_db, "select url, headline, body_text from reviews where outlet = 'butwhytho.net'"):
        leaked = [s for s in CHROME_STRINGS if s in row["body_text"]]
        leaked += [h for h in other_headlines if h != row["headline"] and h in row["body_text"]]
        assert leaked == [], row["url"]


def test_crawl_run_is_recorded(crawled_db):
    [run] = rows(crawled_db, "select spider, status, reviews_new, reviews_updated, items_dropped, errors from crawl_runs where spider = 'butwhytho'")
    assert run == {"spider": "butwhytho", "status": "finished", "reviews_new": len(SOURCE), "reviews_updated": 0,
                   "items_dropped": 0, "errors": 0}


def test_second_crawl_adds_no_rows(tmp_path, mirror):
    db_path = tmp_path / "reviews.db"
    for _ in range(2):
        result = run_crawl(db_path, mirror.base_url, "butwhytho")
        assert result.returncode == 0, result.stderr[-3000:]
    assert rows(db_path, "select count(*) as n from reviews")[0]["n"] == len(SOURCE)
    runs = rows(db_path, "select reviews_new, reviews_unchanged from crawl_runs order by id")
    assert runs == [{"reviews_new": len(SOURCE), "reviews_unchanged": 0},
                    {"reviews_new": 0, "reviews_unchanged": len(SOURCE)}]
    assert rows(db_path, "select count(*) as n from review_changes")[0]["n"] == 0


@pytest.mark.parametrize("command", [["list"], ["crawlall", "--help"]])
def test_scrapy_commands_work_from_the_project(command):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "scrapy", *command], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    if command == ["list"]:
        assert "butwhytho" in result.stdout.split()


def test_one_page_under_several_urls_is_one_row(tmp_path):
    """Tracking parameters, a fragment, Blogger's ?m=0, the AMP version and a missing slash: one review."""
    from crawler.mirror import MirrorServer
    from conftest import MIRROR_DIR
    import shutil

    root = tmp_path / "mirror"
    shutil.copytree(MIRROR_DIR / "butwhytho.net", root / "butwhytho.net")
    review = "/2024/09/review-twilight-out-of-focus-episode-12-a-red-thread/"
    page = root / ("butwhytho.net" + review) / "index.html"
    (page.parent / "amp").mkdir()
    shutil.copy(page, page.parent / "amp" / "index.html")  # the AMP copy names the same canonical URL
    variants = [review + "?utm_source=twitter&utm_medium=social", review + "#comments", review + "?m=0",
                review + "amp/", review.rstrip("/"), review]
    listing = root / "butwhytho.net/variants/index.html"
    listing.parent.mkdir()
    listing.write_text("".join(f'<article class="l-post"><h2 class="post-title"><a href="https://butwhytho.net{v}">x</a>'
                               f"</h2></article>" for v in variants).join(['<div class="main-content">', "</div>"]))
    server = MirrorServer(root).start()
    try:
        db_path = tmp_path / "reviews.db"
        result = run_crawl(db_path, server.base_url, "butwhytho",
                           extra=("-a", "start_urls=https://butwhytho.net/variants/"))
        assert result.returncode == 0, result.stderr[-3000:]
    finally:
        server.stop()
    assert rows(db_path, "select url from reviews") == [{"url": "https://butwhytho.net" + review}]


def test_scrapy_consensus_rebuilds_the_consensus_tables_after_a_hand_edit(crawled_db, tmp_path):
    db_path = tmp_path / "reviews.db"
    shutil.copy(crawled_db, db_path)
    [episode] = rows(db_path, """select series_id, season, episode, scored_reviews, mean_score from episode_scores
                                 where scored_reviews >= 2 and review_count = reviews
                                 order by series, season, episode limit 1""")  # no outlet with two reviews of it
    reviewed = rows(db_path, """select url, score from reviews where series_id = ? and season = ? and score is not null
                                and ? between episode_start and episode_end order by url""",
                    episode["series_id"], episode["season"], episode["episode"])
    connection = sqlite3.connect(db_path)
    with connection:
        connection.execute("update reviews set score = 0 where url = ?", [reviewed[0]["url"]])
    connection.close()

    result = subprocess.run([sys.executable, "-m", "scrapy", "consensus", "-s", f"REVIEWS_DB={db_path}"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-3000:]
    [after] = rows(db_path, "select mean_score from episode_scores where series_id = ? and season = ? and episode = ?",
                   episode["series_id"], episode["season"], episode["episode"])
    expected = round(sum(r["score"] for r in reviewed[1:]) / len(reviewed), 2)
    assert len(reviewed) == episode["scored_reviews"] and after["mean_score"] == expected != episode["mean_score"]
