"""A real headless Chromium (Debian's, driven by Playwright) against Datasette serving the demo crawl.

Screenshots land in tests/artifacts/ (ignored by git) for a person to look at.
"""

import urllib.parse

import pytest

from conftest import ARTIFACTS, chromium, rows, skip_without_chromium

skip_without_chromium()
SHOW = "Twilight Out Of Focus"


@pytest.fixture(scope="module")
def page():
    with chromium() as browser:
        yield browser.new_page(viewport={"width": 1280, "height": 1000})


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_home_page_links_the_dashboards_and_views(page, datasette_url):
    page.goto(datasette_url + "/")
    assert page.locator("h1").first.inner_text() == "Anime episode critic consensus"
    description = page.locator(".metadata-description").first
    assert description.locator('a[href="/-/dashboards/show"]').count() == 1
    assert description.locator('a[href="/reviews/episode_scores"]').count() == 1
    shot(page, "home")


def chart_points(page, chart: str) -> int:
    selector = f"#chart-{chart} svg .mark-symbol.role-mark path"
    page.wait_for_selector(selector, timeout=15000)
    return page.locator(selector).count()


def legend(page, chart: str) -> list[str]:
    return page.locator(f"#chart-{chart} svg .role-legend-label text").all_text_contents()


def test_show_dashboard_draws_each_outlet_and_the_consensus(page, datasette_url):
    page.goto(datasette_url + "/-/dashboards/show?series=" + urllib.parse.quote(SHOW))
    points = chart_points(page, "show-chart")
    # One point per scored episode review plus one consensus point per episode: the rendered SVG
    # holds as many points as the database has.
    expected = page.evaluate(
        """async (url) => {
             const q = encodeURIComponent("select (select count(*) from episode_reviews e join series s on s.id = e.series_id where s.title = :series and e.score is not null) + (select count(*) from episode_scores where series = :series and mean_score is not null) as n");
             const r = await fetch(`${url}/reviews.json?sql=${q}&series=${encodeURIComponent("%s")}&_shape=array`);
             return (await r.json())[0].n;
           }""" % SHOW,
        datasette_url,
    )
    assert points == expected >= 24
    assert "Critic consensus" in legend(page, "show-chart") and "But Why Tho?" in legend(page, "show-chart")
    # One mark per outlet review, side by side within its episode: no two outlets' marks on one spot, even at
    # equal scores (episode 12: several outlets at 8.0).
    outlet_marks = page.eval_on_selector_all(
        "#chart-show-chart svg g.layer_1_marks path", "paths => paths.map((p) => p.getAttribute('transform'))")
    assert len(outlet_marks) == len(set(outlet_marks)) == expected - 12
    shot(page, "show-dashboard")


def test_show_picker_lists_every_show_and_no_empty_choice(page, datasette_url, crawled_db):
    page.goto(datasette_url + "/-/dashboards/show")
    page.wait_for_url("**series=**")
    options = page.locator("select#series option").all_inner_texts()
    assert options == [row["title"] for row in rows(crawled_db, "select title from series order by title")]
    assert page.locator("select#series").input_value() == SHOW


def test_show_dashboard_finds_a_show_by_any_spelling(page, datasette_url):
    page.goto(datasette_url + "/-/dashboards/show?series=" + urllib.parse.quote(SHOW))
    canonical = chart_points(page, "show-chart")
    page.goto(datasette_url + "/-/dashboards/show?series=" + urllib.parse.quote("twilight out of focus"))
    assert chart_points(page, "show-chart") == canonical


def test_picking_another_show_redraws_the_chart(page, datasette_url):
    page.goto(datasette_url + "/-/dashboards/show?series=" + urllib.parse.quote(SHOW))
    before = chart_points(page, "show-chart")
    page.select_option("select#series", "Witch Watch")
    page.click('input[type="submit"]')
    page.wait_for_url("**series=Witch+Watch**")
    after = chart_points(page, "show-chart")
    assert after < before
    table = page.locator("#chart-show-table").inner_text()
    assert "Twilight" not in page.locator("#chart-show-chart").inner_text() and table.strip()
    shot(page, "show-dashboard-witch-watch")


def test_season_overview_heatmap(page, datasette_url):
    page.goto(datasette_url + "/-/dashboards/season-overview")
    selector = "#chart-heatmap svg .mark-rect.role-mark path"
    page.wait_for_selector(selector, timeout=15000)
    assert page.locator(selector).count() >= 12
    shot(page, "season-overview")


def test_season_overview_by_airing_season(page, datasette_url, crawled_db):
    # A show's season airs in the catalogue's airing season of that season (bangumi-data's broadcast start), else
    # in the quarter of the earliest review of its first reviewed episode: Twilight Out Of Focus began in July 2024
    # (Summer 2024), with every show's season begun then.
    premieres = {}
    for review in rows(crawled_db, "select * from reviews where kind in ('episode', 'episodes') order by published"):
        first = premieres.setdefault((review["series_id"], review["season"]), review)
        if review["episode_start"] < first["episode_start"]:
            premieres[(review["series_id"], review["season"])] = review
    catalogued = {(r["series_id"], r["season"]): r["airing_season"]
                  for r in rows(crawled_db, "select series_id, season, airing_season from season_catalogue")}
    summer = {key for key, review in premieres.items()
              if catalogued.get(key, "Summer 2024" if "2024-07" <= review["published"] < "2024-10" else None)
              == "Summer 2024"}
    expected = [r for r in rows(crawled_db, """select series, season, series_id, count(*) as episodes
                                               from episode_scores where mean_score is not null
                                               group by series_id, season""")
                if (r["series_id"], r["season"]) in summer]
    assert (SHOW, 1, 12) in [(r["series"], r["season"], r["episodes"]) for r in expected]
    twilight = next(r["series_id"] for r in expected if r["series"] == SHOW)
    assert catalogued[(twilight, 1)] == "Summer 2024"  # from the catalogue, not the review dates
    page.goto(datasette_url + "/-/dashboards/season-overview?airing=Summer+2024")
    selector = "#chart-heatmap svg .mark-rect.role-mark path"
    page.wait_for_selector(selector, timeout=15000)
    assert page.locator(selector).count() == sum(r["episodes"] for r in expected)
    assert "Summer 2024" in page.locator("select#airing").all_inner_texts()[0]


def test_episode_view_lists_the_shows_episodes(page, datasette_url):
    page.goto(datasette_url + "/reviews/episode_scores?series=" + urllib.parse.quote(SHOW) + "&_sort=episode")
    episodes = page.locator("table.rows-and-columns td.col-episode").all_inner_texts()
    assert [int(e) for e in episodes] == list(range(1, 13))
    shot(page, "episode-scores")


def test_full_text_search_highlights_the_match(page, datasette_url):
    page.goto(datasette_url + "/reviews/search_reviews?q=thread")
    marks = page.locator("td.col-snippet mark").all_inner_texts()
    assert marks and all(m.lower().startswith("thread") for m in marks)  # porter stemming: threads too
    assert any("“A Red Thread”" in h for h in page.locator("td.col-headline").all_inner_texts())
    shot(page, "search")


def test_atom_feed_of_a_show(page, datasette_url):
    query = "?series=" + urllib.parse.quote(SHOW)
    rows = page.request.get(datasette_url + "/reviews/latest_reviews.json" + query + "&_shape=array").json()
    response = page.goto(datasette_url + "/reviews/latest_reviews.atom" + query)
    assert response.headers["content-type"] == "application/xml; charset=utf-8"  # datasette-atom serves Atom as XML
    assert "<feed xmlns=\"http://www.w3.org/2005/Atom\">" in response.text()
    body = response.text()
    assert body.count("<entry>") == len(rows) >= 13
    assert all(row["series"] == SHOW for row in rows)
    assert "REVIEW: ‘Twilight Out Of Focus’ Episode 12 — “A Red Thread”" in body
    # Any case or spelling of the show's name gives the same feed; every entry has an author (RFC 4287).
    for spelling in ("Twilight Out of Focus", "TWILIGHT OUT OF FOCUS", "Tasogare Outfocus"):
        other = page.request.get(datasette_url + "/reviews/latest_reviews.atom?series=" + urllib.parse.quote(spelling))
        assert other.text().count("<entry>") == len(rows) and other.text().count("<author>") == len(rows)
