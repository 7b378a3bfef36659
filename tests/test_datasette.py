"""Datasette started as a real process over the demo crawl, every view and canned query read as JSON.

Expected figures are computed here in plain Python from the stored reviews, independently of the SQL
views, so a wrong view cannot agree with itself.
"""

import html
import json
import re
import sqlite3
import statistics
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest

SHOW = "Twilight Out Of Focus"


def r2(value: float) -> float:
    """Rounded to 2 places as SQLite's round() does: halves away from zero (8.125 -> 8.13)."""
    return float(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def rows_of(datasette_url, path, **params):
    query = urllib.parse.urlencode({**params, "_shape": "array", "_size": "max"})
    return get_json(f"{datasette_url}/reviews/{path}.json?{query}")


@pytest.fixture(scope="module")
def reviews(crawled_db):
    connection = sqlite3.connect(crawled_db)
    connection.row_factory = sqlite3.Row
    rows = [dict(r) for r in connection.execute(
        """select reviews.*, series.title as series, outlets.name as outlet_name from reviews
           left join series on series.id = reviews.series_id join outlets on outlets.id = reviews.outlet""")]
    connection.close()
    return rows


def outlet_votes(group):
    """One vote per outlet (issue 17): each outlet's scores of an episode (its sub and dub reviews, repeats) as the
    mean of them, None when none is scored."""
    by_outlet = defaultdict(list)
    for r in group:
        by_outlet[r["outlet"]].extend([r["score"]] if r["score"] is not None else [])
    return {outlet: statistics.mean(scores) if scores else None for outlet, scores in by_outlet.items()}


def expected_episode_scores(reviews):
    episodes = defaultdict(list)
    for r in reviews:
        if r["kind"] in ("episode", "episodes") and r["series"] and r["episode_start"] is not None:
            for episode in range(r["episode_start"], r["episode_end"] + 1):
                episodes[(r["series"], r["season"], episode)].append(r)
    table = {}
    for key, group in episodes.items():
        votes = outlet_votes(group)
        scores = [score for score in votes.values() if score is not None]
        table[key] = {
            "reviews": len(votes),
            "review_count": len(group),
            "scored_reviews": len(scores),
            "mean_score": r2(statistics.mean(scores)) if scores else None,
            "median_score": r2(statistics.median(scores)) if scores else None,
            "min_score": min(scores, default=None),
            "max_score": max(scores, default=None),
            "spread": round(max(scores) - min(scores), 2) if scores else None,
            "stdev": r2(statistics.pstdev(scores)) if scores else None,
            "positive_share": round(sum(s >= 6 for s in scores) / len(scores), 2) if scores else None,
            "outlets": sorted({r["outlet_name"] for r in group}),
        }
    return table


def test_episode_scores_view_matches_the_reviews(datasette_url, reviews):
    expected = expected_episode_scores(reviews)
    served = rows_of(datasette_url, "episode_scores")
    assert len(served) == len(expected) >= 30
    for row in served:
        key = (row["series"], row["season"], row["episode"])
        assert {**{k: row[k] for k in expected[key] if k != "outlets"}, "outlets": sorted(row["outlets"].split(","))} \
            == expected[key], key
    # Twilight Out Of Focus episode 12 is reviewed by several outlets, one of them But Why Tho? at 8/10.
    finale = expected[(SHOW, 1, 12)]
    assert finale["reviews"] >= 3 and "But Why Tho?" in finale["outlets"]


def test_series_scores_view(datasette_url, reviews):
    episodes = expected_episode_scores(reviews)
    served = {(r["series"], r["season"]): r for r in rows_of(datasette_url, "series_scores")}
    twilight = served[(SHOW, 1)]
    season_means = [v["mean_score"] for (series, season, _), v in episodes.items()
                    if series == SHOW and season == 1 and v["mean_score"] is not None]
    # The show has one season: its whole-series reviews count for it (issue 17), one vote per outlet.
    assert {r["season"] for r in reviews if r["series"] == SHOW and r["kind"] != "series"} == {1}
    assert (SHOW, None) not in served
    season_reviews = [r for r in reviews if r["series"] == SHOW and r["kind"] in ("season", "series")]
    votes = outlet_votes(season_reviews)
    assert twilight["reviewed_episodes"] == 12
    assert twilight["mean_of_episode_means"] == r2(statistics.mean(season_means))
    assert twilight["season_review_count"] == len(season_reviews) >= 2 and twilight["season_reviews"] == len(votes)
    assert twilight["season_review_mean"] == r2(statistics.mean(s for s in votes.values() if s is not None))


def test_outlet_leniency_view(datasette_url, reviews):
    by_episode = defaultdict(list)
    for r in reviews:
        if r["kind"] in ("episode", "episodes") and r["series"] and r["score"] is not None and r["episode_start"]:
            for episode in range(r["episode_start"], r["episode_end"] + 1):
                by_episode[(r["series"], r["season"], episode)].append(r)
    differences, outlet_scores, others = defaultdict(list), defaultdict(list), defaultdict(list)
    for group in by_episode.values():
        votes = outlet_votes(group)  # an outlet's sub and dub reviews are one vote, never compared with each other
        if len(votes) < 2:
            continue
        total = sum(votes.values())
        for outlet, score in votes.items():
            other_mean = (total - score) / (len(votes) - 1)
            differences[outlet].append(score - other_mean)
            outlet_scores[outlet].append(score)
            others[outlet].append(other_mean)
    served = {r["outlet_id"]: r for r in rows_of(datasette_url, "outlet_leniency")}
    assert set(served) == set(differences) and len(served) >= 4
    for outlet, row in served.items():
        assert (row["episodes_compared"], row["outlet_mean"], row["others_mean"], row["leniency"]) == (
            len(differences[outlet]), r2(statistics.mean(outlet_scores[outlet])),
            r2(statistics.mean(others[outlet])), r2(statistics.mean(differences[outlet]))), outlet


def test_canned_show_episodes_and_season_top_episodes(datasette_url, reviews):
    expected = expected_episode_scores(reviews)
    show = rows_of(datasette_url, "show_episodes", series=SHOW)
    assert [(r["season"], r["episode"]) for r in show] == [(1, n) for n in range(1, 13)]
    assert [r["mean_score"] for r in show] == [expected[(SHOW, 1, n)]["mean_score"] for n in range(1, 13)]
    top = rows_of(datasette_url, "season_top_episodes", series=SHOW, season="1")
    means = [r["mean_score"] for r in top]
    assert means == sorted(means, reverse=True) and len(top) == 12
    assert top[0]["mean_score"] == max(v["mean_score"] for (s, _, _), v in expected.items() if s == SHOW)


def test_canned_biggest_disagreements(datasette_url, reviews):
    expected = expected_episode_scores(reviews)
    served = rows_of(datasette_url, "biggest_disagreements")
    contested = sorted((v["spread"] for v in expected.values() if v["scored_reviews"] >= 2), reverse=True)
    assert [r["spread"] for r in served] == contested[:50]
    assert all(r["scored_reviews"] >= 2 for r in served)


def test_canned_latest_reviews_and_one_shows_feed(datasette_url, reviews):
    latest = rows_of(datasette_url, "latest_reviews")
    by_url = sorted(reviews, key=lambda r: r["url"])
    newest = sorted(by_url, key=lambda r: r["published"] or "", reverse=True)[:50]  # stable: ties by URL
    assert [r["atom_id"] for r in latest] == [r["url"] for r in newest]
    show = rows_of(datasette_url, "latest_reviews", series=SHOW)
    assert sorted(r["atom_id"] for r in show) == sorted(r["url"] for r in reviews if r["series"] == SHOW)


def test_canned_search_reviews_with_highlighted_snippets(datasette_url, reviews):
    served = rows_of(datasette_url, "search_reviews", q="thread")
    # The index stems words (porter): "threads" and "threaded" match "thread" too.
    forms = {"thread", "threads", "threaded", "threading"}
    matching = {
        r["url"] for r in reviews
        if forms & set(re.findall(r"\w+", " ".join(filter(None, (r["headline"], r["verdict"], r["body_text"]))).lower()))
    }
    assert {r["url"] for r in served} == matching and len(matching) >= 2
    assert all("⟦" in r["snippet"] and "⟧" in r["snippet"] for r in served)


def test_metadata_is_served(datasette_url):
    metadata = get_json(datasette_url + "/-/metadata.json")
    assert metadata["title"] == "Anime episode critic consensus"
    assert "score" in metadata["databases"]["reviews"]["tables"]["reviews"]["columns"]


def test_home_page_lists_the_reviews_database(datasette_url):
    with urllib.request.urlopen(datasette_url + "/", timeout=10) as response:
        page = response.read().decode()
    assert "Anime episode critic consensus" in page and "/reviews" in page


def error_of(url):
    try:
        urllib.request.urlopen(url, timeout=30)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)
    raise AssertionError(f"{url} answered without an error")


def test_published_database_is_read_only_with_a_time_limit(datasette_url):
    forever = "with recursive n(i) as (select 1 union all select i + 1 from n) select count(*) from n"
    status, answer = error_of(f"{datasette_url}/reviews.json?" + urllib.parse.urlencode({"sql": forever}))
    assert status == 400 and "SQL query took too long" in answer["error"]
    for statement in ("delete from reviews", "update reviews set score = 10", "drop table reviews"):
        status, answer = error_of(f"{datasette_url}/reviews.json?" + urllib.parse.urlencode({"sql": statement}))
        assert status == 400 and "Statement must be a SELECT" in answer["error"], statement
    assert rows_of(datasette_url, "reviews", _col="url", _nocount="1")  # still all there


@pytest.mark.parametrize("expression, error", [
    ("length(printf('%.*c', 900000000, 'x'))", "user-defined function raised exception"),
    ("length(format('%.900000000c', 'x'))", "user-defined function raised exception"),
    ("length(randomblob(900000000))", "string or blob too big"),
    ("length(zeroblob(900000000))", "string or blob too big"),
    ("length(replace(hex(zeroblob(6000000)), '0', 'xx'))", "string or blob too big"),
])
def test_no_query_can_build_a_huge_value(datasette_url, expression, error):
    status, answer = error_of(f"{datasette_url}/reviews.json?" + urllib.parse.urlencode({"sql": f"select {expression}"}))
    assert status == 400 and error in answer["error"]
    assert rows_of(datasette_url, "reviews", _col="url", _nocount="1")  # and it still answers


def test_printf_within_its_bounds_is_sqlites_own(datasette_url):
    sql = "select printf('%05.1f|%s|%.*c', 7.25, 'x', 3, 'y') as a, format('%d', 42) as b"
    [row] = get_json(f"{datasette_url}/reviews.json?" + urllib.parse.urlencode({"sql": sql, "_shape": "array"}))
    assert row == {"a": "007.3|x|yyy", "b": "42"}  # SQLite rounds half away from zero


@pytest.mark.parametrize("spelling", ["Twilight Out of Focus", "twilight out of focus", "TWILIGHT: OUT-OF-FOCUS!",
                                      "Tasogare Outfocus", "黄昏アウトフォーカス"])
def test_show_names_resolve_by_series_key_and_alias(datasette_url, spelling):
    for query, params in (("show_episodes", {}), ("season_top_episodes", {"season": "1"}), ("latest_reviews", {})):
        canonical = rows_of(datasette_url, query, series=SHOW, **params)
        assert rows_of(datasette_url, query, series=spelling, **params) == canonical and canonical, query
    assert rows_of(datasette_url, "show_episodes", series="No Such Show") == []


def test_every_atom_entry_has_an_author_the_critic_or_else_the_outlet(datasette_url, reviews):
    without_critic = [r for r in reviews if not (r["author"] or "").strip()]
    assert without_critic  # some outlet prints no critic's name
    for r in without_critic:
        served = rows_of(datasette_url, "latest_reviews", series=r["series"])
        assert {row["atom_id"]: row["atom_author_name"] for row in served}[r["url"]] == r["outlet_name"]
    with urllib.request.urlopen(f"{datasette_url}/reviews/latest_reviews.atom", timeout=10) as response:
        feed = response.read().decode()
    assert feed.count("<entry>") == feed.count("<author>") == 50


def cells(datasette_url, path, column):
    with urllib.request.urlopen(f"{datasette_url}/reviews/{path}", timeout=10) as response:
        page = response.read().decode()
    return [html.unescape(cell) for cell in re.findall(rf'<td class="col-{column} [^"]*">(.*?)</td>', page, re.S)]


def test_table_views_truncate_long_text_and_show_scores_plainly(datasette_url, reviews):
    by_url = sorted(reviews, key=lambda r: r["url"])
    bodies = cells(datasette_url, "reviews?_sort=url", "body_text")
    assert len(bodies) == len(reviews) <= 100
    # Table views cut a cell at 120 characters (settings.json truncate_cells_html); the row page has it all.
    assert get_json(datasette_url + "/-/settings.json")["truncate_cells_html"] == 120
    assert bodies == [r["body_text"] if len(r["body_text"]) <= 120 else r["body_text"][:120] + "…" for r in by_url]
    assert any(len(r["body_text"]) > 120 for r in reviews)
    # A score is a number out of 10, never "8.0 pp" (Pint's printer's points).
    assert cells(datasette_url, "reviews?_sort=url", "score") == [
        "\xa0" if r["score"] is None else str(r["score"]) for r in by_url]
