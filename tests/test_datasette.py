"""Datasette started as a real process over a crawled database, read over HTTP as JSON."""

import json
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import ROOT, free_port


@pytest.fixture(scope="module")
def datasette_url(crawled_db, tmp_path_factory):
    # data/ as Datasette's configuration directory, with the crawled database in place of the demo's.
    config_dir = tmp_path_factory.mktemp("datasette")
    for name in ("metadata.yml", "settings.json"):
        shutil.copy(ROOT / "data" / name, config_dir / name)
    shutil.copy(crawled_db, config_dir / "reviews.db")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", str(config_dir), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/-/versions.json", timeout=1)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(process.stdout.read().decode())
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=10)


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
