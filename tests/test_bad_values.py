"""Bad values on real-looking pages: each page is dropped, or stored without the bad field, with a reason
in dropped_items; never a crash, never a wrong number."""

import re
import shutil
import sqlite3

import pytest

from conftest import MIRROR_DIR, run_crawl
from crawler.mirror import MirrorServer

BWT = "butwhytho.net"
PAGES = {
    "score": "2024/09/review-twilight-out-of-focus-episode-12-a-red-thread",
    "headline": "2024/09/review-twilight-out-of-focus-episode-11-behind-the-lens",
    "date": "2024/09/review-twilight-out-of-focus-episode-10-child-actor",
    "short": "2024/08/review-twilight-out-of-focus-episode-9-music-video",
    "language": "2024/08/review-twilight-out-of-focus-episode-8-sweet-nothings",
}
GERMAN = ("Die Folge nimmt sich viel Zeit für die beiden Hauptfiguren und ihre Gespräche über die Zukunft. "
          "Die Animation bleibt schwach, aber die Musik und die Stimmen tragen die Geschichte sehr gut.")


def url(key):
    return f"https://{BWT}/{PAGES[key]}/"


def edit(root, key, change):
    page = root / BWT / PAGES[key] / "index.html"
    page.write_text(change(page.read_text(encoding="utf-8")), encoding="utf-8")


def only_paragraph(html, text):
    """The article region with its paragraphs replaced by one paragraph of `text`."""
    start = html.index('<div class="post-content')
    end = html.index('<div id="review"')
    region = re.sub(r"<p>.*?</p>", "", html[start:end], flags=re.S)
    return html[:start] + region.replace(">", f"><p>{text}</p>", 1) + html[end:]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad")
    root = folder / "mirror"
    shutil.copytree(MIRROR_DIR / BWT, root / BWT)
    edit(root, "score", lambda h: h.replace("8/10", "11/10"))
    edit(root, "headline", lambda h: re.sub(r'(<h1 class="is-title post-title">).*?(</h1>)', r"\1 \2", h))
    edit(root, "date", lambda h: h.replace('content="2024-09-05T', 'content="2031-09-05T'))
    edit(root, "short", lambda h: only_paragraph(h, "Great episode, loved every minute of it."))
    edit(root, "language", lambda h: only_paragraph(h, " ".join([GERMAN] * 3)))
    server = MirrorServer(root).start()
    try:
        result = run_crawl(folder / "reviews.db", server.base_url, "butwhytho")
    finally:
        server.stop()
    connection = sqlite3.connect(folder / "reviews.db")
    connection.row_factory = sqlite3.Row
    yield result, connection
    connection.close()


def stored(connection, key):
    return connection.execute("select * from reviews where url = ?", [url(key)]).fetchone()


def dropped(connection, key):
    return [(r["field"], r["reason"]) for r in connection.execute(
        "select field, reason from dropped_items where url = ?", [url(key)])]


def test_the_crawl_finishes_and_keeps_every_good_review(crawled):
    result, connection = crawled
    assert result.returncode == 0, result.stderr[-3000:]
    assert connection.execute("select count(*) from reviews").fetchone()[0] == 28 - 3
    assert connection.execute("pragma integrity_check").fetchone()[0] == "ok"


def test_a_score_out_of_its_scale_is_no_score(crawled):
    _, connection = crawled
    row = stored(connection, "score")
    # The outlet's own text is kept; no number is made of it.
    assert (row["score_text"], row["score_value"], row["score_best"], row["score"]) == ("Rating - 11/10", None, None, None)
    assert dropped(connection, "score") == [
        ("score", "score text 'Rating - 11/10' holds no valid score: 11 is above the top of its scale 10")]


def test_an_empty_headline_drops_the_page(crawled):
    _, connection = crawled
    assert stored(connection, "headline") is None
    assert dropped(connection, "headline") == [(None, "no headline")]


def test_a_date_in_the_future_is_stored_as_no_date(crawled):
    _, connection = crawled
    row = stored(connection, "date")
    assert row["published"] is None and row["score"] == 9.0
    assert dropped(connection, "date") == [("published", "published date 2031-09-05T13:00:00+00:00 is in the future")]


def test_a_body_of_a_few_words_is_no_review(crawled):
    _, connection = crawled
    assert stored(connection, "short") is None
    assert dropped(connection, "short") == [(None, "only 7 words of text: too short for a review")]


def test_a_page_in_another_language_is_dropped(crawled):
    _, connection = crawled
    assert stored(connection, "language") is None
    assert dropped(connection, "language") == [(None, "text in 'de', not in en")]
