"""Crash safety: crawls killed with SIGKILL at (seeded) random points of their work, then a crawl that completes
while Datasette reads the same database file.

Every kill is timed by what the crawl has stored (the number of reviews in the file, read read-only), never by
the clock: on a slow machine a crawl needs seconds before it writes anything, and a kill by the clock would land
before the crawl had done what this test is about."""

import json
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import urllib.error
import urllib.request

from conftest import (ROOT, crawl_command, free_port, kill_when, rows, run_crawl, stop_process, wait_for,
                      wait_until_serving)
from pipelines import store

KILLS = 6
READS_WHILE_WRITING = 10  # Datasette answers asked for while the crawl is stopped between two of its writes


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


def stored_reviews(db_path) -> int:
    """How many reviews the file a running crawl writes holds, read without writing anything: 0 while the file
    or its tables do not exist yet (the crawl is starting), and while a read-only open is refused."""
    try:
        connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=0)
    except sqlite3.Error:
        return 0
    try:
        return connection.execute("select count(*) from reviews").fetchone()[0]
    except sqlite3.Error:
        return 0
    finally:
        connection.close()


def kill_points(total: int, chance: random.Random) -> list[int]:
    """Numbers of stored reviews at which to kill the crawls: one random point in each of KILLS equal slices
    of the first four fifths of the crawl, so that the kills fall early, midway and late, and every crawl still
    has reviews left to store when its turn comes."""
    span = total * 4 // 5
    assert span >= 2 * KILLS, f"the mirror has too few reviews ({total}) for {KILLS} kills"
    edges = [1 + span * k // KILLS for k in range(KILLS + 1)]
    return [chance.randrange(low, high) for low, high in zip(edges, edges[1:])]


def read_answer(port, timeout):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/reviews/episode_scores.json?_shape=array",
                                    timeout=timeout) as response:
            return response.status, len(json.load(response))
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_random_kills_then_a_complete_crawl_with_datasette_reading(tmp_path, mirror):
    reference = tmp_path / "reference" / "reviews.db"
    reference.parent.mkdir()
    assert run_crawl(reference, mirror.base_url).returncode == 0
    total = rows(reference, "select count(*) as n from reviews")[0]["n"]

    db = tmp_path / "crashed" / "reviews.db"
    db.parent.mkdir()
    chance = random.Random(20261125)
    killed_after = []
    for point in kill_points(total, chance):
        before = killed_after[-1] if killed_after else 0
        target = max(point, before + 1)  # each crawl is killed only after it has stored a review of its own
        process = crawl_process(db, mirror.base_url)
        kill_when(process, lambda: stored_reviews(db) >= target,
                  f"crawl {len(killed_after) + 1} storing {target} reviews", still_running=True)
        assert_whole(db)  # (a read-write open: it also recovers the log the killed crawl left)
        killed_after.append(rows(db, "select count(*) as n from reviews")[0]["n"])
    assert len(killed_after) == KILLS

    # The next crawl completes, while Datasette keeps reading the same file: started on the database the killed
    # crawls left, and answering, before that crawl starts.
    assert db.exists()
    port = free_port()
    log = tmp_path / "datasette.log"
    with open(log, "wb") as output:
        datasette = subprocess.Popen([sys.executable, "-m", "datasette", "serve", str(db), "--port", str(port)],
                                     stdout=output, stderr=subprocess.STDOUT)
    answers, stop = [], threading.Event()

    def read():
        while not stop.is_set():
            try:
                answers.append(read_answer(port, timeout=10))
            except OSError:
                pass  # a slow answer on a loaded machine: ask again
            stop.wait(0.05)  # a breath between questions; ends at once when the test is done

    reader = threading.Thread(target=read)
    crawl = None
    crawl_log = tmp_path / "crawl.log"
    try:
        wait_until_serving(f"http://127.0.0.1:{port}/-/versions.json", datasette, log=log)
        reader.start()
        with open(crawl_log, "wb") as output:
            crawl = subprocess.Popen(crawl_command(db, mirror.base_url), cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
        # Reads in the middle of the crawl's writing, whatever the machine's speed: each time the crawl has
        # committed something, it is frozen (perhaps inside its next transaction) until Datasette has answered.
        watch = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            version = lambda: watch.execute("pragma data_version").fetchone()[0]
            seen = version()
            for _ in range(READS_WHILE_WRITING):
                wait_for(lambda: version() != seen or crawl.poll() is not None, "the crawl writing")
                if crawl.poll() is not None:
                    break
                seen = version()
                crawl.send_signal(signal.SIGSTOP)
                try:
                    answers.append(read_answer(port, timeout=120))
                finally:
                    crawl.send_signal(signal.SIGCONT)
        finally:
            watch.close()
        crawl.wait(timeout=600)
    finally:
        stop.set()
        if reader.is_alive():
            reader.join()
        if crawl is not None and crawl.poll() is None:
            crawl.kill()
            crawl.wait()
        stop_process(datasette)
    assert crawl.returncode == 0, crawl_log.read_text(errors="replace")[-3000:]
    assert len(answers) >= 10
    assert [a for a in answers if a[0] != 200] == []  # never "database is locked"
    assert_whole(db)
    assert comparable(db) == comparable(reference)
