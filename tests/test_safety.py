"""Politeness by default, and what the published site lets people do: scraped text never runs as code,
spiders stay on their sites, live crawls refuse loopback and private addresses."""

import os
import re
import shutil
import sqlite3
import urllib.parse
from pathlib import Path

import pytest

from conftest import MIRROR_DIR, chromium, datasette_serving, run_crawl, skip_without_chromium
from crawler.mirror import MirrorServer
from crawler.safety import is_public

BWT = "butwhytho.net"
EPISODE_12 = "2024/09/review-twilight-out-of-focus-episode-12-a-red-thread"
EPISODE_1 = "2024/07/review-twilight-out-of-focus-episode-1-roll-camera"
# What an attacker (or a careless CMS) can put in a review's text, as text the page shows.
SHOWN_AS_TEXT = "&lt;script&gt;document.title='pwned';alert('xss')&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt;"
AS_READ = "<script>document.title='pwned';alert('xss')</script> <img src=x onerror=alert(2)>"


def edit(root: Path, path: str, change) -> None:
    page = root / BWT / path / "index.html"
    page.write_text(change(page.read_text(encoding="utf-8")), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A crawl of a mirror copy whose pages carry scripts: as shown text, as markup, in a headline."""
    folder = tmp_path_factory.mktemp("hostile")
    root = folder / "mirror"
    shutil.copytree(MIRROR_DIR / BWT, root / BWT)
    edit(root, EPISODE_12, lambda h: h.replace("<p>Twilight Out Of Focus Episode 12 closes",
                                               f"<p>{SHOWN_AS_TEXT}</p><script>alert(3)</script>"
                                               f"<img src=x onerror=alert(4)><p>Twilight Out Of Focus Episode 12 closes", 1)
         .replace('<div class="comment">', f'<div class="comment">{SHOWN_AS_TEXT} ', 1))
    # A series whose very name is markup, shown on the dashboards.
    edit(root, EPISODE_1, lambda h: re.sub(r"(<h1 class=\"is-title post-title\">).*?(</h1>)",
                                           r"\1REVIEW: ‘&lt;b onmouseover=alert(5)&gt;Evil Show’ Episode 1\2", h))
    server = MirrorServer(root).start()
    try:
        result = run_crawl(folder / "reviews.db", server.base_url, "butwhytho")
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr[-3000:]
    return folder / "reviews.db"


def test_scraped_markup_is_stored_as_text(hostile):
    connection = sqlite3.connect(hostile)
    url = f"https://{BWT}/{EPISODE_12}/"
    body, verdict = connection.execute("select body_text, verdict from reviews where url = ?", [url]).fetchone()
    series = [title for (title,) in connection.execute("select title from series where title like '%Evil%'")]
    connection.close()
    assert body.startswith(AS_READ + "\n\n")  # the text the page showed, as text
    assert "alert(3)" not in body and "alert(4)" not in body  # the page's own scripts are no article text
    assert verdict.startswith(AS_READ)
    assert series == ["<b onmouseover=alert(5)>Evil Show"]


def test_no_script_from_a_review_runs_in_a_visitors_browser(hostile, tmp_path):
    skip_without_chromium()
    with datasette_serving(hostile, tmp_path) as url, chromium() as browser:
        page = browser.new_page()
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        review = urllib.parse.quote(f"https://{BWT}/{EPISODE_12}/", safe="")
        visited = [
            f"{url}/reviews/reviews?_search=pwned",
            f"{url}/reviews/reviews/{review}",
            f"{url}/reviews/search_reviews?q=pwned",
            f"{url}/reviews/latest_reviews",
            f"{url}/-/dashboards/show?series=" + urllib.parse.quote("<b onmouseover=alert(5)>Evil Show"),
            f"{url}/-/dashboards/season-overview",
            f"{url}/reviews/series",
        ]
        for address in visited:
            page.goto(address)
            page.wait_for_load_state("networkidle")
            page.mouse.move(200, 300)
            assert page.title() != "pwned", address
        row_text = page.goto(f"{url}/reviews/reviews/{review}") and page.inner_text("body")
        page.screenshot(path=str(Path(__file__).parent / "artifacts" / "xss-row.png"))
        feed = page.goto(f"{url}/reviews/latest_reviews.atom").text()
        browser.close()
    assert dialogs == []
    assert "<script>document.title='pwned';alert('xss')</script>" in row_text  # shown, literally
    assert "<script>" not in feed and "&lt;script&gt;" in feed


def test_spiders_stay_on_their_site_and_say_who_they_are(tmp_path):
    root = tmp_path / "mirror"
    shutil.copytree(MIRROR_DIR / BWT, root / BWT)
    listing = root / BWT / "category/reviews/anime/index.html"
    listing.write_text(listing.read_text(encoding="utf-8").replace(
        '<div class="block-content">',
        '<div class="block-content"><article class="l-post"><h2 class="post-title">'
        '<a href="https://elsewhere.example/2024/09/a-review/">offsite</a></h2></article>', 1), encoding="utf-8")
    (root / "elsewhere.example").mkdir()
    server = MirrorServer(root)
    server.latency = 0.4  # slower than the download delay, so requests would pile up on an impolite crawler
    server.start()
    try:
        # The project's own politeness: run_crawl switches delays off, these put them back.
        result = run_crawl(tmp_path / "reviews.db", server.base_url, "butwhytho",
                           extra=("-s", "DOWNLOAD_DELAY=0.25", "-s", "AUTOTHROTTLE_ENABLED=True"))
    finally:
        server.stop()
    assert result.returncode == 0
    assert server.served["host elsewhere.example"] == 0
    assert 1 <= server.most_in_flight[BWT] <= 2  # CONCURRENT_REQUESTS_PER_DOMAIN
    assert server.user_agents == {
        "animecritic/0.1 (+https://github.com/animecritic/animecritic; critic-consensus crawler)"}


@pytest.mark.parametrize("address, public", [
    ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.9", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("::1", False), ("fd00::1", False), ("0.0.0.0", False),
    ("93.184.215.14", True), ("2606:4700::6810:85e5", True),
])
def test_public_addresses(address, public):
    assert is_public(address) is public


def test_a_live_crawl_refuses_loopback_and_private_addresses(tmp_path):
    server = MirrorServer(MIRROR_DIR).start()
    try:
        port = server.server_address[1]
        targets = [f"http://127.0.0.1:{port}/{BWT}/category/reviews/anime/",
                   f"http://localhost:{port}/{BWT}/category/reviews/anime/"]
        result = run_crawl(tmp_path / "reviews.db", "off", "butwhytho",
                           extra=("-a", "start_urls=" + ",".join(targets)))
    finally:
        server.stop()
    assert sum(v for k, v in server.served.items() if isinstance(k, int)) == 0  # not one request got through
    assert f"refusing http://127.0.0.1:{port}/{BWT}/category/reviews/anime/: 127.0.0.1 is not a public address" \
        in result.stderr
    assert "localhost is not a public address" in result.stderr
    assert os.path.exists(tmp_path / "reviews.db")
