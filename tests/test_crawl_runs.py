"""Crawl-run bookkeeping (crawler/runs.py): one definition of a run's figures, the CrawlRuns extension that
writes each run's row, and the health check that fails a crawl whose pages mostly could not be fetched."""

from __future__ import annotations

import logging
import shutil

import pytest
from scrapy import signals
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from conftest import MIRROR_DIR, rows, run_crawl
from crawler.commands.crawlall import Command as CrawlAll, format_table
from crawler.mirror import MirrorServer
from crawler.progress import ProgressLog
from crawler.runs import CrawlRuns, run_figures, run_status
from crawler.spiders.butwhytho import ButWhyThoSpider
from pipelines import health, store

HEALTH = {"HEALTH_MIN_REVIEWS": 1, "HEALTH_MAX_UNSCORED_SHARE": 0.5, "HEALTH_MAX_NO_SERIES_SHARE": 0.3,
          "HEALTH_MAX_DROP_SHARE": 0.5, "HEALTH_MAX_FAILED_SHARE": 0.5}
LIMITS = {"min_reviews": 1, "max_unscored_share": 0.5, "max_no_series_share": 0.3, "max_drop_share": 0.5,
          "max_failed_share": 0.5}

# The But Why Tho? mirror, 18 of its 28 review pages answering 503, one retry each (RETRY_TIMES=1): robots.txt,
# 3 listing pages and 28 review pages = 32 pages tried. Each 503 page was downloaded twice (first try, retry),
# so the downloader saw 32 + 18 = 50 responses; Scrapy's response_received_count counts a request's last
# response only: 32, the 18 final 503s included (the spider's errback then counts 18 pages/failed, as
# faults/http 503). The stats of that crawl (STATS_DUMP), the figures' part:
EIGHTEEN_503 = {
    "downloader/response_count": 50, "downloader/response_status_count/200": 14,
    "downloader/response_status_count/503": 36, "response_received_count": 32, "robotstxt/response_count": 1,
    "retry/count": 18, "retry/max_reached": 18, "retry/reason_count/503 Service Unavailable": 18,
    "pages/failed": 18, "faults/http 503": 18,
    "reviews/new": 10, "item_scraped_count": 10,
}


def test_figures_count_each_page_once():
    figures = run_figures(EIGHTEEN_503)
    # fetched: 32 responses - 18 of them 503s = 14 pages (robots.txt, 3 listings, 10 reviews); failed: 18.
    assert (figures["pages"], figures["failed_pages"], figures["faults"]) == (14, 18, {"http 503": 18})
    # failed share: 18 / (14 + 18) = 18/32 = 56% of the pages tried (of the review pages alone: 18/28 = 64%).
    # The old sum, 18 / (32 + 18) = 36%, counted the 503s twice and passed the 50% limit.
    assert health.failed_share(figures) == 18 / 32
    # Retries exhausted are failed pages, not errors.
    assert figures["errors"] == 0
    assert (figures["reviews_new"], figures["reviews_updated"], figures["reviews_unchanged"]) == (10, 0, 0)


def test_errors_are_exceptions_in_callbacks_and_pipelines_only():
    stats = {"spider_exceptions/count": 2, "spider_exceptions/ValueError": 2, "item_error_count": 1,
             "retry/max_reached": 4, "pages/failed": 4, "faults/DownloadTimeoutError": 4,
             "response_received_count": 20, "reviews/unchanged": 5, "reviews/kept": 1,
             "reviews/unscored": 2, "reviews/without_series": 1, "item_dropped_count": 3,
             "httpcache/revalidate": 12, "faults/charset corrected to utf-8": 1}
    figures = run_figures(stats)
    assert figures == {
        "pages": 20,  # timeouts fail with no response: nothing to take out of response_received_count
        "not_modified": 12, "failed_pages": 4,
        "faults": {"DownloadTimeoutError": 4, "charset corrected to utf-8": 1},
        "errors": 3,  # 2 in callbacks + 1 in a pipeline; the 4 exhausted retries are failed pages
        "items_dropped": 3, "reviews_new": 0, "reviews_updated": 0,
        "reviews_unchanged": 6,  # 5 unchanged + 1 kept (a broken-looking re-crawl left the stored review)
        "reviews_unscored": 2, "reviews_without_series": 1,
    }


def test_most_pages_failing_fails_the_health_check():
    problems = health.run_problems(run_figures(EIGHTEEN_503), None, LIMITS)
    assert problems == ["18 of 32 pages could not be fetched (56%, at most 50%)"]
    assert health.run_problems(run_figures(EIGHTEEN_503 | {"pages/failed": 16, "faults/http 503": 16}),
                               None, LIMITS) == []  # 16 / 32 = 50%: not more than half
    assert run_status("finished", problems) == "failed"
    assert run_status("shutdown", problems) == "shutdown"
    assert run_status("finished", []) == "finished"


def crawler_for(db_path, **settings):
    """A butwhytho crawler with the project's store pipeline and CrawlRuns, writing to db_path."""
    crawler = get_crawler(ButWhyThoSpider, {
        "REVIEWS_DB": str(db_path), "ITEM_PIPELINES": {"pipelines.item_pipelines.StorePipeline": 900},
        # Scrapy's CoreStats and CrawlRuns only: no extension that needs a running reactor.
        "EXTENSIONS_BASE": {"scrapy.extensions.corestats.CoreStats": 0},
        "EXTENSIONS": {"crawler.runs.CrawlRuns": 600}, **HEALTH, **settings})
    crawler.spider = ButWhyThoSpider.from_crawler(crawler)
    crawler.stats.open_spider()
    return crawler


def send(crawler, signal, **arguments):
    results = crawler.signals.send_catch_log(signal, spider=crawler.spider, **arguments)
    failures = [result for _, result in results if isinstance(result, Failure)]
    assert not failures, failures[0].getTraceback()


def test_the_extension_writes_the_run_row(tmp_path):
    db = tmp_path / "reviews.db"
    crawler = crawler_for(db)
    send(crawler, signals.spider_opened)
    [opened] = rows(db, "select spider, status, finished from crawl_runs")
    assert opened == {"spider": "butwhytho", "status": "running", "finished": None}
    for name, value in {"response_received_count": 32, "httpcache/revalidate": 4, "reviews/new": 27,
                        "reviews/updated": 1, "reviews/unscored": 1, "item_dropped_count": 2,
                        "faults/charset corrected to utf-8": 1}.items():
        crawler.stats.set_value(name, value)
    send(crawler, signals.item_error, item={}, response=None, failure=Failure(ValueError("boom")))
    send(crawler, signals.spider_closed, reason="finished")
    [run] = rows(db, "select * from crawl_runs")
    assert {k: run[k] for k in ("status", "pages", "not_modified", "failed_pages", "reviews_new", "reviews_updated",
                                "reviews_unchanged", "reviews_unscored", "reviews_without_series",
                                "items_dropped", "errors", "faults", "problems")} == {
        "status": "failed", "pages": 32, "not_modified": 4, "failed_pages": 0, "reviews_new": 27,
        "reviews_updated": 1, "reviews_unchanged": 0, "reviews_unscored": 1, "reviews_without_series": 0,
        "items_dropped": 2, "errors": 1, "faults": '{"charset corrected to utf-8": 1}',
        "problems": "1 parse errors (exceptions in the spider or the pipelines)"}
    assert run["finished"] is not None
    assert crawler.stats.get_value("health/problems") == [run["problems"]]


def test_a_run_whose_pages_mostly_failed_is_marked_failed_and_summarised(tmp_path, caplog):
    db = tmp_path / "reviews.db"
    crawler = crawler_for(db)
    send(crawler, signals.spider_opened)
    for name, value in EIGHTEEN_503.items():
        crawler.stats.set_value(name, value)
    crawler.stats.set_value("finish_reason", "finished")
    with caplog.at_level(logging.INFO):
        send(crawler, signals.spider_closed, reason="finished")
        ProgressLog(crawler, 10).log(crawler.spider)
    [run] = rows(db, "select status, pages, failed_pages, faults, problems from crawl_runs")
    assert run == {"status": "failed", "pages": 14, "failed_pages": 18, "faults": '{"http 503": 18}',
                   "problems": "18 of 32 pages could not be fetched (56%, at most 50%)"}
    assert "health check failed for butwhytho: 18 of 32 pages could not be fetched" in caplog.text
    # The progress line and the summary table show the same figures as the row.
    assert "butwhytho: 14 pages (0 not modified), 18 failed pages, 10 reviews, 0 dropped, 0 errors" in caplog.text
    row = CrawlAll.summary_row(crawler)
    assert {k: row[k] for k in ("status", "pages", "failed_pages", "reviews_new", "errors")} == {
        "status": "failed", "pages": 14, "failed_pages": 18, "reviews_new": 10, "errors": 0}
    assert format_table([row]).splitlines()[0].split()[:5] == ["spider", "status", "pages", "not_modified",
                                                               "failed_pages"]


def test_a_run_stopped_early_keeps_its_close_reason(tmp_path):
    db = tmp_path / "reviews.db"
    crawler = crawler_for(db)
    send(crawler, signals.spider_opened)
    crawler.stats.set_value("reviews/new", 3)
    send(crawler, signals.spider_closed, reason="shutdown")
    assert rows(db, "select status, reviews_new from crawl_runs") == [{"status": "shutdown", "reviews_new": 3}]


def test_a_crawl_that_stores_nothing_keeps_no_run(tmp_path):
    """A distributed worker (ITEM_PIPELINES={}: its items go to Redis) opens no crawl_runs row."""
    crawler = crawler_for(tmp_path / "reviews.db", ITEM_PIPELINES={})
    assert crawler.get_extension(CrawlRuns) is None
    assert not (tmp_path / "reviews.db").exists()


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "mirror"
    shutil.copytree(MIRROR_DIR / "butwhytho.net", root / "butwhytho.net")
    return root


def test_a_crawl_whose_review_pages_mostly_answer_503_fails(tmp_path, site):
    reviews = sorted("/" + str(page.parent.relative_to(site)) + "/"
                     for page in (site / "butwhytho.net").glob("20*/*/*/index.html"))
    assert len(reviews) == 28
    server = MirrorServer(site, faults={path: "503" for path in reviews[:18]}).start()
    try:
        result = run_crawl(tmp_path / "reviews.db", server.base_url, "butwhytho", extra=(
            "-s", "HTTPCACHE_ENABLED=False", "-s", "RETRY_TIMES=1", "-s", "RETRY_BACKOFF_MAX=0.05"))
    finally:
        server.stop()
    assert server.served[503] == 36  # each of the 18 pages asked twice: once, and once retried
    assert result.returncode == 1, result.stderr[-3000:]
    [run] = rows(tmp_path / "reviews.db", "select * from crawl_runs")
    assert (run["status"], run["pages"], run["failed_pages"], run["reviews_new"], run["errors"]) == (
        "failed", 14, 18, 10, 0)
    assert run["problems"] == "18 of 32 pages could not be fetched (56%, at most 50%)"
    assert "crawlall: failed: butwhytho" in result.stderr
    # The summary table, then the failed run's problems.
    header, line, problem = result.stdout.strip().splitlines()[-3:]
    assert header.split() == ["spider", "status", "pages", "not_modified", "failed_pages", "reviews_new",
                              "reviews_updated", "reviews_unchanged", "items_dropped", "errors"]
    assert line.split() == ["butwhytho", "failed", "14", "0", "18", "10", "0", "0", "0", "0"]
    assert problem == "butwhytho: 18 of 32 pages could not be fetched (56%, at most 50%)"
    assert "butwhytho: 14 pages (0 not modified), 18 failed pages, 10 reviews, 0 dropped, 0 errors" in result.stderr


def review(n: int, score: float) -> dict:
    return {"url": f"https://butwhytho.net/2024/10/twilight-{n}/", "outlet": "butwhytho.net", "headline": f"Ep {n}",
            "series": "Twilight Out Of Focus", "series_key": "twilight out of focus", "season": 1,
            "episode_start": n, "episode_end": n, "kind": "episode", "score": score, "body_text": "words " * 50}


def consensus(db_path) -> list[dict]:
    return rows(db_path, "select series, season, episode, reviews, mean_score from episode_scores order by episode")


def test_a_run_after_a_killed_one_refreshes_what_the_killed_run_stored(tmp_path):
    """A crawl killed after storing reviews, before its spider closed: the next run (of any spider) leaves the
    consensus tables as a full rebuild makes them, and marks the dead run killed."""
    db_path = tmp_path / "reviews.db"
    db = store.open_db(db_path)
    killed = store.start_run(db, "butwhytho")  # its process dies after storing three reviews
    for n in (1, 2, 3):
        store.save_review(db, review(n, 6.0 + n), killed)
    db.close()
    assert consensus(db_path) == []  # stale: the killed run never refreshed
    crawler = crawler_for(db_path, HEALTH_MIN_REVIEWS=0)
    send(crawler, signals.spider_opened)
    crawler.stats.set_value("response_received_count", 4)
    send(crawler, signals.spider_closed, reason="finished")
    refreshed = consensus(db_path)
    rebuilt = store.open_db(db_path)
    store.refresh_consensus(rebuilt)  # the full rebuild (`scrapy consensus`)
    rebuilt.close()
    assert refreshed == consensus(db_path) == [
        {"series": "Twilight Out Of Focus", "season": 1, "episode": n, "reviews": 1, "mean_score": 6.0 + n}
        for n in (1, 2, 3)]
    assert rows(db_path, "select id, status from crawl_runs order by id") == [
        {"id": killed, "status": "killed"}, {"id": killed + 1, "status": "finished"}]


def test_an_error_while_closing_fails_the_run_and_the_crawl(tmp_path):
    db_path = tmp_path / "reviews.db"
    crawler = crawler_for(db_path, HEALTH_MIN_REVIEWS=0)
    send(crawler, signals.spider_opened)
    broken = store.open_db(db_path)
    store.save_review(broken, review(1, 7.0))  # a review stored: its series' consensus needs a refresh
    broken.execute("drop table episode_scores")  # which will raise
    broken.close()
    send(crawler, signals.spider_closed, reason="finished")
    [run] = rows(db_path, "select status, problems from crawl_runs")
    assert run["status"] == "failed" and run["problems"].startswith("closing the run failed: ")
    crawler.stats.set_value("finish_reason", "finished")
    assert CrawlAll.summary_row(crawler)["status"] == "failed"  # crawlall exits 1


# Partial runs: a crawl given start_urls (`-a start_urls=…`) crawls a few listing pages, not the whole site.
PAGE_3 = "https://butwhytho.net/category/reviews/anime/page/3/"


def finished_run(db, spider: str, found: int, partial: bool = False) -> int:
    run = store.start_run(db, spider, partial=partial)
    store.finish_run(db, run, status="finished", reviews_new=0, reviews_updated=0, reviews_unchanged=found)
    return run


def test_the_baseline_of_a_run_is_the_last_full_run(tmp_path):
    db = store.open_db(tmp_path / "reviews.db")
    full = finished_run(db, "butwhytho", 28)
    finished_run(db, "butwhytho", 8, partial=True)
    finished_run(db, "animerants", 6)
    now = store.start_run(db, "butwhytho")
    assert store.previous_run(db, "butwhytho", now)["id"] == full
    assert [dict(r) for r in db.query("select id, partial from crawl_runs order by id")] == [
        {"id": full, "partial": 0}, {"id": full + 1, "partial": 1}, {"id": full + 2, "partial": 0},
        {"id": now, "partial": 0}]


def test_runs_recorded_before_m010_are_full_runs(tmp_path):
    import sqlite_utils

    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    store.MIGRATIONS.apply(old, stop_before="m010_partial_runs")
    old["crawl_runs"].insert({"spider": "butwhytho", "started": "2025-01-01T00:00:00+00:00",
                              "finished": "2025-01-01T00:10:00+00:00", "status": "finished", "reviews_new": 28,
                              "reviews_updated": 0, "reviews_unchanged": 0})
    old.close()
    db = store.open_db(path)
    assert [dict(r) for r in db.query("select spider, partial from crawl_runs")] == [
        {"spider": "butwhytho", "partial": 0}]
    assert store.previous_run(db, "butwhytho", 2)["reviews_new"] == 28


def test_a_partial_run_is_recorded_and_never_judged_against_a_full_one(tmp_path):
    db_path = tmp_path / "reviews.db"
    db = store.open_db(db_path)
    finished_run(db, "butwhytho", 28)
    db.close()
    crawler = get_crawler(ButWhyThoSpider, {
        "REVIEWS_DB": str(db_path), "ITEM_PIPELINES": {"pipelines.item_pipelines.StorePipeline": 900},
        "EXTENSIONS_BASE": {"scrapy.extensions.corestats.CoreStats": 0},
        "EXTENSIONS": {"crawler.runs.CrawlRuns": 600}, **HEALTH})
    crawler.spider = ButWhyThoSpider.from_crawler(crawler, start_urls=PAGE_3)
    crawler.stats.open_spider()
    send(crawler, signals.spider_opened)
    crawler.stats.set_value("response_received_count", 9)
    crawler.stats.set_value("reviews/unchanged", 8)
    send(crawler, signals.spider_closed, reason="finished")
    # 8 reviews where the last full run found 28: no problem for a run of one listing page.
    assert rows(db_path, "select partial, status, reviews_unchanged, problems from crawl_runs order by id") == [
        {"partial": 0, "status": "finished", "reviews_unchanged": 28, "problems": None},
        {"partial": 1, "status": "finished", "reviews_unchanged": 8, "problems": None}]


def test_a_full_crawl_after_a_partial_one_is_checked_against_the_last_full_crawl(tmp_path, site):
    db = tmp_path / "reviews.db"
    server = MirrorServer(site).start()
    try:
        assert run_crawl(db, server.base_url, "butwhytho").returncode == 0
        one_page = run_crawl(db, server.base_url, "butwhytho", extra=("-a", f"start_urls={PAGE_3}"))
        assert one_page.returncode == 0, one_page.stderr[-3000:]
        assert "butwhytho: a partial run (from the given start_urls)" in one_page.stderr
        # The site loses its pagination: the first listing page's 10 reviews are all a full crawl finds.
        listing = site / "butwhytho.net/category/reviews/anime/index.html"
        listing.write_text(listing.read_text(encoding="utf-8").replace('class="next page-numbers"', 'class="x"'),
                           encoding="utf-8")
        shrunk = run_crawl(db, server.base_url, "butwhytho")
    finally:
        server.stop()
    # Checked against the partial run's 8 it would pass; against the last full run's 28 it fails.
    assert shrunk.returncode == 1
    assert rows(db, "select partial, status, reviews_new + reviews_unchanged as found, problems from crawl_runs "
                    "order by id") == [
        {"partial": 0, "status": "finished", "found": 28, "problems": None},
        {"partial": 1, "status": "finished", "found": 8, "problems": None},
        {"partial": 0, "status": "failed", "found": 10, "problems": "found 10 reviews against 28 in the last full run"}]
