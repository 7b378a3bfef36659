"""Datasette started as a real process over a crawled database, read over HTTP as JSON."""

import json
import urllib.request


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def test_episode_scores_view_over_http(datasette_url):
    rows = get_json(
        datasette_url + "/reviews/episode_scores.json?_shape=array&series=Twilight+Out+Of+Focus&_sort=episode"
    )
    assert [r["episode"] for r in rows] == list(range(1, 13))
    assert {k: rows[-1][k] for k in ("season", "episode", "reviews", "mean_score", "outlets")} == {
        "season": 1, "episode": 12, "reviews": 1, "mean_score": 8.0, "outlets": "But Why Tho?"
    }


def test_metadata_is_served(datasette_url):
    metadata = get_json(datasette_url + "/-/metadata.json")
    assert metadata["title"] == "Anime episode critic consensus"
    assert "score" in metadata["databases"]["reviews"]["tables"]["reviews"]["columns"]


def test_home_page_lists_the_reviews_database(datasette_url):
    with urllib.request.urlopen(datasette_url + "/", timeout=10) as response:
        page = response.read().decode()
    assert "Anime episode critic consensus" in page and "/reviews" in page
