"""The show page and the home page, as a visitor sees them: a real Datasette over the crawled mirror, a real headless
Chromium (Debian's, driven by Playwright); every figure checked against the database the crawl wrote.
"""

import json
import re
import sqlite3
import urllib.error
import urllib.parse
import urllib.request

import pytest

from conftest import ARTIFACTS, chromium, datasette_serving, skip_without_chromium

skip_without_chromium()
SEARCHES = ["Kaiju No. 8", "Solo Leveling: Arise", "it's", '"', "*", "OR", ""]

@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser):
    """A fresh page that records every console error and uncaught exception in page.errors."""
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.errors = []
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    page.close()


@pytest.fixture(scope="module")
def db(crawled_db):
    connection = sqlite3.connect(crawled_db)
    connection.row_factory = sqlite3.Row
    yield connection
    connection.close()


def reviews_of(db, title: str) -> list[dict]:
    return [dict(row) for row in db.execute(
        """select reviews.*, outlets.name as outlet_name from reviews join series on series.id = reviews.series_id
           join outlets on outlets.id = reviews.outlet where series.title = ?""", [title])]


def listed_reviews(page) -> list[tuple]:
    """(section id, outlet, version, score text, link) of every review row on a show page."""
    return [tuple(row) for row in page.evaluate("""() => [...document.querySelectorAll('table.show-reviews tbody tr')]
        .map((tr) => [tr.closest('section').id, tr.querySelector('.col-outlet').firstChild.textContent.trim(),
                      tr.querySelector('.version')?.textContent ?? null, tr.querySelector('.col-score_text').textContent,
                      tr.querySelector('.col-url a').href])""")]


def expected_rows(reviews: list[dict]) -> list[tuple]:
    def section(r):
        if r["kind"] not in ("episode", "episodes"):
            return ""  # the season and whole-series sections carry no episode anchor
        end = "" if r["episode_end"] == r["episode_start"] else f"-{r['episode_end']}"
        return f"s{r['season']}e{r['episode_start']}{end}"
    return sorted((section(r), r["outlet_name"], r["version"], r["score_text"] or "no score", r["url"]) for r in reviews)


def test_home_page_lists_the_shows_newest_reviewed_first(page, datasette_url, db):
    page.goto(datasette_url + "/")
    listed = page.evaluate("""() => [...document.querySelectorAll('table.home-shows tbody tr')]
        .map((tr) => [tr.querySelector('.col-show a').textContent, Number(tr.querySelector('.col-reviews').textContent),
                      tr.querySelector('.col-latest').textContent])""")
    expected = [[row["title"], row["reviews"], row["latest"][:10]] for row in db.execute(
        """select series.title, count(*) as reviews, max(reviews.published) as latest
           from reviews join series on series.id = reviews.series_id
           group by series.id order by latest desc, series.title""")]
    assert listed == expected and len(listed) >= 15
    page.screenshot(path=str(ARTIFACTS / "home-shows.png"), full_page=True)


@pytest.mark.parametrize("title, slug", [("Dan Da Dan", "dan-da-dan"), ("Twilight Out Of Focus", "twilight-out-of-focus")])
def test_a_show_from_the_home_page_lists_every_review(page, datasette_url, db, title, slug):
    page.goto(datasette_url + "/")
    page.locator("table.home-shows a", has_text=title).click()
    page.wait_for_url(f"**/show/{slug}")
    assert page.locator("h1").inner_text() == title
    reviews = reviews_of(db, title)
    assert sorted(listed_reviews(page)) == expected_rows(reviews)  # sub and dub reviews each with their version
    assert any(r["version"] for r in reviews)
    page.screenshot(path=str(ARTIFACTS / f"show-{slug}.png"), full_page=True)


def test_sub_and_dub_reviews_of_one_episode_are_both_listed(page, datasette_url, db):
    pairs = db.execute(
        """select series.title, season, episode_start, outlets.name from reviews
           join series on series.id = reviews.series_id join outlets on outlets.id = reviews.outlet
           where version is not null group by series_id, season, episode_start, outlet
           having count(distinct version) = 2""").fetchall()
    assert {pair[0] for pair in pairs} >= {"Dan Da Dan", "Fire Force"}
    for series, season, episode, outlet in pairs:
        page.goto(datasette_url + "/show/" + urllib.parse.quote(series))
        rows = [r for r in listed_reviews(page) if r[0] == f"s{season}e{episode}" and r[1] == outlet]
        assert sorted(r[2] for r in rows) == ["dub", "sub"], series


def test_the_episode_consensus_matches_episode_scores(page, datasette_url, db):
    page.goto(datasette_url + "/show/twilight-out-of-focus")
    shown = page.evaluate("""() => [...document.querySelectorAll('table.episode-consensus tbody tr')]
        .map((tr) => [...tr.querySelectorAll('td')].slice(0, 5).map((td) => td.textContent.trim().split(" ")[0]))""")
    expected = [[str(r["season"]), str(r["episode"]), f"{r['mean_score']:.1f}", f"{r['median_score']:.1f}",
                 str(r["reviews"])] for r in db.execute(
        "select * from episode_scores where series = 'Twilight Out Of Focus' order by season, episode")]
    assert shown == expected and len(shown) == 12
    assert page.locator("svg.consensus-chart circle.episode-mean").count() == 12
    assert page.locator("svg.consensus-chart line.positive-line").count() == 1
    # The audience figure ANN shows for episode 12 is beside the critics' consensus.
    [figure] = db.execute(
        "select value, votes from audience_scores a join series on series.id = a.series_id "
        "where series.title = 'Twilight Out Of Focus' and episode = 12").fetchall()
    assert f"{figure['votes']:,} votes" in page.locator("section#s1e12 .episode-summary").inner_text()


@pytest.mark.parametrize("name", ["Twilight%20Out%20of%20Focus", "TWILIGHT-OUT-OF-FOCUS", "twilight_out_of_focus!",
                                  "Tasogare%20Outfocus"])
def test_a_show_name_resolves_in_any_case_spelling_or_alias(page, datasette_url, name):
    response = page.goto(f"{datasette_url}/show/{name}")
    assert response.status == 200 and page.url == datasette_url + "/show/twilight-out-of-focus"
    assert page.locator("h1").inner_text() == "Twilight Out Of Focus"


def test_the_find_a_show_box_and_an_unknown_show(page, datasette_url):
    page.goto(datasette_url + "/")
    page.fill("#find-show", "dandadan")
    page.locator("form.home-search", has=page.locator("#find-show")).locator('input[type="submit"]').click()
    page.wait_for_url("**/show/dan-da-dan")
    response = page.goto(datasette_url + "/show/no-such-show-at-all")
    assert response.status == 404 and "No show called “no-such-show-at-all”" in page.locator("h1").inner_text()


def test_bad_page_numbers_get_a_clear_error(datasette_url):
    for page_number in ("0", "x", "1001", "-1"):
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(f"{datasette_url}/show/dan-da-dan?page={page_number}", timeout=10)
        assert error.value.code == 400 and b"page must be a whole number from 1 to 1000" in error.value.read()


def test_every_link_on_the_home_page_answers_without_a_console_error(page, datasette_url):
    page.goto(datasette_url + "/")
    links = sorted(set(page.eval_on_selector_all("a[href]", "links => links.map((a) => a.href)")))
    ours = [link for link in links if link.startswith(datasette_url)]
    # The rest are the licence, the source code's home and Datasette's: no machine of CI reaches the internet.
    assert [urllib.parse.urlsplit(link).hostname for link in links if link not in ours] == [
        "creativecommons.org", "datasette.io", "github.com"]
    assert len(ours) >= 35
    for link in ours:
        page.errors.clear()
        response = page.goto(link)
        page.wait_for_load_state("networkidle")
        assert response.status == 200, link
        assert page.errors == [], link


def latest_urls(db) -> list[str]:
    return [row[0] for row in db.execute("select url from reviews order by published desc, url limit 50")]


def words_of(review) -> set[str]:
    return set(re.findall(r"\w+", " ".join(filter(None, (review["headline"], review["verdict"],
                                                           review["body_text"]))).lower()))


@pytest.mark.parametrize("text", SEARCHES)
def test_search_reviews_answers_every_text(page, datasette_url, db, text):
    query = urllib.parse.urlencode({"q": text})
    response = page.goto(f"{datasette_url}/reviews/search_reviews?{query}")
    assert response.status == 200 and page.errors == []
    assert page.locator(".message-error, .query-error").count() == 0
    with urllib.request.urlopen(f"{datasette_url}/reviews/search_reviews.json?_shape=array&{query}", timeout=10) as r:
        found = [row["url"] for row in json.load(r)]
    words = re.findall(r"\w+", text.lower())
    if not words:  # nothing to search for: the latest reviews
        assert found == latest_urls(db)
    elif text == "it's":  # the tokenizer splits it's into the phrase "it s"
        expected = {r["url"] for r in db.execute("select * from reviews")
                    if re.search(r"\bit['’]s\b", " ".join(filter(None, (r["headline"], r["verdict"], r["body_text"]))),
                                 re.I)}
        assert set(found) == expected and expected
    else:  # every word, as plain text (OR too), must be in the review
        expected = {r["url"] for r in db.execute("select * from reviews") if set(words) <= words_of(r)}
        assert set(found) == expected and expected


def test_search_results_link_to_the_show_page(page, datasette_url):
    page.goto(datasette_url + "/reviews/search_reviews?q=" + urllib.parse.quote("Kaiju No. 8"))
    page.locator("td.col-series a", has_text="Kaiju No. 8").first.click()
    page.wait_for_url("**/show/kaiju-no-8")
    assert page.locator("h1").inner_text() == "Kaiju No. 8"


def test_table_rows_that_name_a_show_link_to_its_page(page, datasette_url, db):
    page.goto(datasette_url + "/reviews/episode_scores?_sort=series&_size=max")
    links = page.eval_on_selector_all("td.col-series a", "links => links.map((a) => [a.textContent, a.pathname])")
    assert links and all(path == "/show/" + title.lower().replace(" ", "-") for title, path in links
                         if re.fullmatch(r"[A-Za-z ]+", title))
    page.goto(datasette_url + "/reviews/reviews")
    [[count]] = db.execute("select count(*) from reviews where series_id is not null").fetchall()
    assert page.locator("td.col-series_id a.show-link").count() == min(count, 100)


def test_a_name_merged_into_another_series_finds_that_series(page, crawled_db, tmp_path):
    """A show stored under two names before the catalogue is merged into one series (series_merges): the old
    name's page is the kept series' page."""
    db_path = tmp_path / "merged.db"
    with sqlite3.connect(crawled_db) as source, sqlite3.connect(db_path) as copy:
        source.backup(copy)
        copy.execute("pragma journal_mode = delete")  # one file: datasette_serving copies the file alone
        into = copy.execute("select id from series where key = 'dan da dan'").fetchone()[0]
        copy.execute("insert into series_merges (from_title, from_key, reviews, into_id, merged_at) "
                     "values ('Dandadan Anime', 'dandadan anime', 2, ?, '2026-11-30T00:00:00+00:00')", [into])
    config = tmp_path / "config"
    config.mkdir()
    with datasette_serving(db_path, config) as url:
        response = page.goto(f"{url}/show/Dandadan%20Anime")
        assert response.status == 200 and page.url == url + "/show/dan-da-dan"
        assert page.locator("h1").inner_text() == "Dan Da Dan"
