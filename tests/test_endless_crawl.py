"""Every crawl ends (issue 16, attack 7): an endless next-page chain stops at DEPTH_LIMIT with a problem naming
the limit, and SIGTERM stops a crawl within Scrapy's graceful shutdown, its run recorded and its lock released."""

from __future__ import annotations

import signal
import subprocess

from conftest import MIRROR_DIR, ROOT, crawl_command, rows, wait_for
from crawler.lock import CrawlLock
from crawler.mirror_endless import endless_mirror

def test_an_endless_next_page_chain_stops_at_the_depth_limit_and_fails_the_run(tmp_path):
    server = endless_mirror(MIRROR_DIR)
    try:
        command = crawl_command(tmp_path / "reviews.db", server.base_url, "butwhytho", extra=("-s", "DEPTH_LIMIT=25"))
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    finally:
        server.stop()
    assert result.returncode == 1
    assert 20 <= server.listings_served <= 26  # the chain was followed, and cut at the limit
    [run] = rows(tmp_path / "reviews.db", "select status, problems, reviews_new from crawl_runs")
    # Every page of the chain lists the first page's 10 reviews: each stored once.
    assert run["status"] == "failed" and run["reviews_new"] == 10
    assert "DEPTH_LIMIT" in run["problems"]


def test_sigterm_stops_a_crawl_gracefully(tmp_path):
    server = endless_mirror(MIRROR_DIR)
    db_path = tmp_path / "reviews.db"
    command = crawl_command(db_path, server.base_url, "butwhytho", extra=("-s", "DEPTH_LIMIT=0"))
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: server.listings_served >= 40, "40 listing pages crawled", process)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=300)  # Scrapy's graceful shutdown: in-flight requests, then close
    finally:
        if process.poll() is None:
            process.kill()
        server.stop()
    assert process.returncode == 1, stderr[-3000:]
    assert "Received SIGTERM, shutting down gracefully" in stderr
    [run] = rows(db_path, "select status from crawl_runs")
    assert run["status"] == "shutdown"
    CrawlLock(tmp_path / "crawl.lock").acquire().release()  # the lock was released: a next crawl can start
