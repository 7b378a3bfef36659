"""Quiet, honest crawl logs (crawler/logformatter.py): `make crawl` prints under 100 lines, each one a user acts on;
a dropped item is one INFO line naming it, never the item; Scrapy's startup configuration is there at DEBUG."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys

from scrapy.exceptions import DropItem

from conftest import ROOT, rows
from crawler.items import ReviewItem
from crawler.logformatter import QuietLogFormatter, quiet_startup_logs

LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[(?P<logger>[^]]+)\] (?P<level>[A-Z]+): (?P<message>.*)$")
STARTUP_LOGGERS = {"scrapy.utils.log", "scrapy.addons", "scrapy.middleware", "scrapy.crawler", "scrapy.statscollectors",
                   "scrapy.extensions.telnet"}


def make_crawl(tmp_path, *arguments: str) -> subprocess.CompletedProcess:
    """What `make crawl` runs (`scrapy crawlall`, the embedded mirror, the project's settings), on a fresh database
    of its own."""
    env = {**os.environ, "REVIEWS_DB": str(tmp_path / "reviews.db"), "CRAWL_LOCK": str(tmp_path / "crawl.lock"),
           "HTTPCACHE_DIR": str(tmp_path / "httpcache")}
    for name in ("MIRROR_MODE", "LOG_LEVEL"):
        env.pop(name, None)
    return subprocess.run([sys.executable, "-m", "scrapy", "crawlall", *arguments], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


def test_make_crawl_prints_under_100_lines_and_never_an_item(tmp_path):
    result = make_crawl(tmp_path)
    assert result.returncode == 0, result.stderr[-5000:]
    lines = (result.stdout + result.stderr).splitlines()
    assert len(lines) < 100, "\n".join(lines)
    assert not [line for line in lines if re.search(r"body_html|page_html|body_text|'url':", line)]
    logged = [LOG_LINE.match(line) for line in lines if LOG_LINE.match(line)]
    assert not [m[0] for m in logged if m["logger"] in STARTUP_LOGGERS or m["level"] == "DEBUG"]
    assert not [m[0] for m in logged if m["logger"] == "scrapy.core.engine"]  # spiders opening and closing normally
    # Every line that is no log line is the summary table: a header and one line per spider.
    table = [line for line in lines if not LOG_LINE.match(line)]
    spiders = [run["spider"] for run in rows(tmp_path / "reviews.db", "select spider from crawl_runs order by spider")]
    assert [line.split()[:2] for line in table] == [["spider", "status"]] + [[name, "finished"] for name in spiders]
    # Each dropped item: one INFO line with its URL and the reason, as dropped_items has it.
    dropped = [m for m in logged if m["message"].startswith("dropped ")]
    stored = rows(tmp_path / "reviews.db", "select url, reason from dropped_items where field is null")
    assert len(dropped) == len(stored) > 0
    for item in stored:
        assert any(m["level"] == "INFO" and item["url"] in m["message"] and item["reason"] in m["message"]
                   for m in dropped), item


def test_startup_configuration_is_logged_at_debug(tmp_path):
    result = make_crawl(tmp_path, "butwhytho", "-L", "DEBUG")
    assert result.returncode == 0, result.stderr[-5000:]
    levels = {(m["logger"], m["message"].split(":")[0]): m["level"]
              for m in map(LOG_LINE.match, result.stderr.splitlines()) if m}
    assert levels[("scrapy.crawler", "Overridden settings")] == "DEBUG"
    assert levels[("scrapy.middleware", "Enabled item pipelines")] == "DEBUG"
    assert levels[("scrapy.statscollectors", "Dumping Scrapy stats")] == "DEBUG"
    assert levels[("scrapy.core.engine", "Spider opened")] == "DEBUG"


def test_a_spider_closed_for_another_reason_than_finished_stays_at_info(caplog):
    quiet_startup_logs()
    engine = logging.getLogger("scrapy.core.engine")
    with caplog.at_level(logging.DEBUG):
        engine.info("Closing spider (%(reason)s)", {"reason": "finished"})
        engine.info("Closing spider (%(reason)s)", {"reason": "closespider_timeout"})
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("DEBUG", "Closing spider (finished)"), ("INFO", "Closing spider (closespider_timeout)")]


def test_a_dropped_item_is_one_bounded_line_without_the_item():
    formatter = QuietLogFormatter()
    item = ReviewItem(url="https://x.example/news/", headline="Top 5 openings\nof 2024", body_html="<p>" + "x" * 10_000)
    entry = formatter.dropped(item, DropItem("only 12 words of text: too short for a review"), None, None)
    assert entry["level"] == logging.INFO
    assert entry["msg"] % entry["args"] == (
        "dropped 'Top 5 openings of 2024' https://x.example/news/: only 12 words of text: too short for a review")
    # The reason names the title already: it is not repeated. A stranger's endless headline is cut.
    entry = formatter.dropped(item, DropItem("not a review: 'Top 5 openings of 2024'"), None, None)
    assert entry["msg"] % entry["args"] == "dropped https://x.example/news/: not a review: 'Top 5 openings of 2024'"
    long = ReviewItem(url="https://x.example/a/", headline="word " * 1000)
    line = (lambda e: e["msg"] % e["args"])(formatter.dropped(long, DropItem("no score " * 200), None, None))
    assert "\n" not in line and len(line) < 800


def test_the_stats_dump_stays_at_info_for_a_crawl_that_asks(caplog):
    """bench/crawl.py reads a crawl's figures from Scrapy's stats dump: LOG_STATS_AT_INFO keeps it at INFO."""
    from scrapy.utils.test import get_crawler

    from crawler.spiders.butwhytho import ButWhyThoSpider

    quiet_startup_logs()
    stats_logger = logging.getLogger("scrapy.statscollectors")
    with caplog.at_level(logging.DEBUG):
        for wanted in (False, True):
            crawler = get_crawler(ButWhyThoSpider, {"LOG_STATS_AT_INFO": wanted})
            spider = ButWhyThoSpider.from_crawler(crawler)
            stats_logger.info("Dumping Scrapy stats:\n{'item_scraped_count': 28}", extra={"spider": spider})
    assert [r.levelname for r in caplog.records if r.name == "scrapy.statscollectors"] == ["DEBUG", "INFO"]
