"""Crash safety: crawls killed with SIGKILL at random moments, then a crawl that completes while Datasette
reads the same database file."""

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

from conftest import ROOT, free_port, run_crawl
from pipelines import store

KILLS = 6


def crawl_process(db, mirror_url):
    return subprocess.Popen(
        [sys.executable, "-m", "scrapy", "crawlall", "-s", f"REVIEWS_DB={db}", "-s", f"MIRROR_MODE={mirror_url}",
         "-s", f"HTTPCACHE_DIR={db.parent / 'httpcache'}", "-s", f"CRAWL_LOCK={db.parent / 'crawl.lock'}",
         "-s", "DOWNLOAD_DELAY=0.02", "-s", "AUTOTHROTTLE_ENABLED=False"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def assert_whole(db_path):
    """No corruption, no duplicate, no half-written review."""
    db = store.open_db(db_path)
    try:
        assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert db.execute("pragma foreign_key_check").fetchall() == []
        columns = [c.name for c in db["reviews"].columns] + ["series_key"]
        for values in db.execute("select reviews.*, series.key from reviews left join series on series.id = series_id"):
            row = dict(zip(columns, values))
            subscores = [dict(zip(("label", "score_text", "score_value", "score_best", "score"), sub)) for sub in db.execute(
                "select label, score_text, score_value, score_best, score from subscores where review = ? order by id",
                [row["url"]])]
            # The hash covers every field the page gave and the sub-scores: a half-written review would not
            # match it. (Episode numbers filled in later from the episode's title are not the page's own.)
            as_given = row | {"episode_start": None, "episode_end": None}
            assert row["content_hash"] in (store.content_hash(row, subscores, row["series_key"]),
                                           store.content_hash(as_given, subscores, row["series_key"])), row["url"]
            assert row["body_text"] and row["headline"]
        assert db.execute("select count(*) - count(distinct url) from reviews").fetchone()[0] == 0
    finally:
        db.close()


def comparable(db_path):
    connection = sqlite3.connect(db_path)
    try:
        return {
            "reviews": sorted(connection.execute(
                "select url, content_hash, score, series.title from reviews left join series on series.id = series_id")),
            "subscores": sorted(connection.execute("select review, label, score from subscores")),
            "audience": sorted(connection.execute("select review, source, value, votes from audience_scores")),
        }
    finally:
        connection.close()


def test_random_kills_then_a_complete_crawl_with_datasette_reading(tmp_path, mirror):
    reference = tmp_path / "reference" / "reviews.db"
    reference.parent.mkdir()
    assert run_crawl(reference, mirror.base_url).returncode == 0

    db = tmp_path / "crashed" / "reviews.db"
    db.parent.mkdir()
    chance = random.Random(20261125)
    killed_after = []
    while len(killed_after) < KILLS:
        process = crawl_process(db, mirror.base_url)
        moment = chance.uniform(0.5, 5.0)
        time.sleep(moment)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            killed_after.append(round(moment, 2))
        if db.exists():
            assert_whole(db)
    assert len(killed_after) == KILLS

    # The next crawl completes, while Datasette keeps reading the same file.
    port = free_port()
    datasette = subprocess.Popen([sys.executable, "-m", "datasette", "serve", str(db), "--port", str(port)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    answers, stop = [], threading.Event()

    def read():
        while not stop.is_set():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/reviews/episode_scores.json?_shape=array",
                                            timeout=10) as response:
                    answers.append((response.status, len(json.load(response))))
            except urllib.error.HTTPError as error:
                answers.append((error.code, error.read().decode()))
            except OSError:
                pass  # not listening yet
            time.sleep(0.05)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        result = run_crawl(db, mirror.base_url)
    finally:
        stop.set()
        reader.join()
        datasette.terminate()
        datasette.wait(timeout=10)
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(answers) >= 10
    assert [a for a in answers if a[0] != 200] == []  # never "database is locked"
    assert_whole(db)
    assert comparable(db) == comparable(reference)
