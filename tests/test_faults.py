"""The fault matrix: one faulty page per crawl, injected by the mirror server, after a clean crawl.

For every fault the crawl goes on and finishes, the fault is logged and counted in crawl_runs, and every
review stored before stays exactly as it was.
"""

import json
import shutil
import sqlite3
import sys

import pytest

from conftest import MIRROR_DIR, ROOT, run_crawl
from crawler.mirror import FAULTS, MirrorServer

# Each fault on a page of its own, all in one crawl after a clean one (faults do not interfere: each is
# on a different URL). Fast failing for tests: one retry, short backoff, a timeout the "timeout" fault overruns.
FAST = ("-s", "HTTPCACHE_ENABLED=False", "-s", "RETRY_TIMES=1", "-s", "RETRY_BACKOFF_BASE=0.05",
        "-s", "DOWNLOAD_TIMEOUT=4")
REVIEW_PATHS = sorted(
    "/" + str(page.parent.relative_to(MIRROR_DIR)) + "/"
    for page in (MIRROR_DIR / "butwhytho.net").glob("20*/*/*/index.html")
)
TARGETS = dict(zip(FAULTS, REVIEW_PATHS))  # fault -> the page it spoils
URLS = {fault: "https:/" + path for fault, path in TARGETS.items()}

# fault -> (what crawl_runs.faults counts for it, pages it loses, what the log says about the page)
EXPECTED = {
    "500": ({"http 500": 1}, 1, "could not fetch {url}: http 500"),
    "503": ({"http 503": 1}, 1, "could not fetch {url}: http 503"),
    "timeout": ({"DownloadTimeoutError": 1}, 1, "could not fetch {url}: DownloadTimeoutError"),
    "reset": ({"DownloadFailedError": 1}, 1, "could not fetch {url}: DownloadFailedError"),
    "truncated": ({"ResponseDataLossError": 1}, 1, "could not fetch {url}: ResponseDataLossError"),
    "redirect-loop": ({"too many redirects": 1}, 1, "could not fetch {url}"),
    "404": ({"http 404": 1}, 1, "could not fetch {url}: http 404"),
    "410": ({"http 410": 1}, 1, "could not fetch {url}: http 410"),
    "robots-disallow": ({"forbidden by robots.txt": 1}, 1, "could not fetch {url}: forbidden by robots.txt"),
    "wrong-charset": ({"charset corrected to utf-8": 1}, 0, ""),
    "no-charset": ({}, 0, ""),
    "huge": ({"DownloadCancelledError": 1}, 1, "could not fetch {url}: DownloadCancelledError"),
    "binary": ({"not a text page": 1}, 1, "not a text page, skipped: {url}"),
    "malformed": ({}, 0, "re-crawled page looks broken, the stored review is kept: {url}"),
}


def test_every_fault_kind_is_in_the_matrix():
    assert set(EXPECTED) == set(FAULTS)


def snapshot(db_path):
    connection = sqlite3.connect(db_path)
    try:
        return {url: rest for url, *rest in connection.execute(
            "select url, content_hash, score, body_text, published from reviews")}
    finally:
        connection.close()


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """A private copy of the But Why Tho? mirror and a database from one clean crawl of it."""
    folder = tmp_path_factory.mktemp("faults")
    shutil.copytree(MIRROR_DIR / "butwhytho.net", folder / "mirror" / "butwhytho.net")
    server = MirrorServer(folder / "mirror").start()
    try:
        result = run_crawl(folder / "clean.db", server.base_url, "butwhytho", extra=FAST)
        assert result.returncode == 0, result.stderr[-3000:]
    finally:
        server.stop()
    return folder


@pytest.fixture(scope="module")
def faulty(clean):
    """The crawl after the clean one, with every fault at once: (result, run row, rows before, rows after)."""
    db = clean / "faulty.db"
    shutil.copy(clean / "clean.db", db)
    before = snapshot(db)
    server = MirrorServer(clean / "mirror", faults={path: fault for fault, path in TARGETS.items()})
    server.timeout_seconds = 8
    server.start()
    try:
        result = run_crawl(db, server.base_url, "butwhytho", extra=FAST)
    finally:
        server.stop()
    connection = sqlite3.connect(db)
    connection.row_factory = sqlite3.Row
    run = dict(connection.execute("select * from crawl_runs order by id desc limit 1").fetchone())
    integrity = connection.execute("pragma integrity_check").fetchone()[0]
    connection.close()
    return result, run, before, snapshot(db), integrity, server


def test_the_crawl_goes_on_and_finishes(faulty):
    result, run, before, after, integrity, _ = faulty
    assert result.returncode == 0, result.stderr[-3000:]
    lost = sum(expected[1] for expected in EXPECTED.values())
    assert (run["status"], run["failed_pages"], integrity) == ("finished", lost, "ok")
    # Each page counted once, fetched or failed (a failed 500 or 503 is no fetched page, whatever its retries):
    # robots.txt, 3 listing pages and the 28 reviews (the robots.txt-banned one a failed page too).
    assert (run["pages"], run["failed_pages"]) == (32 - lost, lost)
    assert (run["reviews_new"], run["reviews_updated"], run["reviews_unchanged"]) == (0, 0, 28 - lost)


@pytest.mark.parametrize("fault", list(EXPECTED))
def test_a_fault_is_survived_counted_and_loses_nothing(faulty, fault):
    result, run, before, after, _, server = faulty
    counted, lost, logged = EXPECTED[fault]
    faults = json.loads(run["faults"])
    assert {kind: faults.get(kind) for kind in counted} == counted
    url = URLS[fault]
    assert after[url] == before[url]  # nothing stored before is lost or spoiled
    assert logged.format(url=url) in result.stderr
    if fault != "robots-disallow":
        assert server.served[f"fault_{fault}"] >= 1


def test_nothing_else_changed(faulty):
    _, _, before, after, _, _ = faulty
    assert after == before


def test_retry_after_is_honoured(clean, tmp_path):
    db = tmp_path / "reviews.db"
    server = MirrorServer(clean / "mirror", faults={TARGETS["503"]: "503"}).start()  # 503 with Retry-After: 1
    try:
        result = run_crawl(db, server.base_url, "butwhytho",
                           extra=FAST + ("-s", "RETRY_BACKOFF_BASE=0", "-s", "STATS_DUMP=True", "-s", "LOG_STATS_AT_INFO=True"))
    finally:
        server.stop()
    assert result.returncode == 0
    assert server.served[503] == 2  # asked once, retried once after waiting as told
    assert "'retry/waited_seconds': 1.0," in result.stderr


def test_random_faults_with_a_seed(clean, tmp_path):
    """A quarter of all pages faulty, chosen by seed: the crawl finishes and spoils nothing stored."""
    db = tmp_path / "reviews.db"
    shutil.copy(clean / "clean.db", db)
    before = snapshot(db)
    server = MirrorServer(clean / "mirror", fault_rate=0.25, fault_seed=7)
    server.timeout_seconds = 8
    server.start()
    try:
        result = run_crawl(db, server.base_url, "butwhytho", extra=FAST)
    finally:
        server.stop()
    assert result.returncode in (0, 1), result.stderr[-3000:]  # 1: too many lost pages fails the health check
    injected = sum(value for key, value in server.served.items() if str(key).startswith("fault_"))
    assert injected >= 5
    assert snapshot(db) == before
    connection = sqlite3.connect(db)
    [(failed, faults)] = connection.execute("select failed_pages, faults from crawl_runs order by id desc limit 1")
    connection.close()
    assert failed >= 1 and sum(json.loads(faults).values()) >= failed


def test_the_mirror_command_line_takes_faults():
    import subprocess

    result = subprocess.run([sys.executable, "-m", "crawler.mirror", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0 and "--fault PATH=KIND" in result.stdout and "redirect-loop" in result.stdout
