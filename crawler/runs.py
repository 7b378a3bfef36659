"""Crawl-run bookkeeping: one `crawl_runs` row per spider run, and the one definition of a run's figures.

`run_figures(stats)` turns a crawl's stats into the figures that the run row, the progress line
(crawler/progress.py), crawlall's (and the distributed writer's) summary table and the health checks
all show. `CrawlRuns`, an extension like Scrapy's CoreStats, keeps the row: opened when the spider opens,
written with its figures, health and status when the spider closes. A run given start_urls is partial
(`crawl_runs.partial`): its count of reviews is not checked against the last full run's, nor is it ever the
baseline of a later run.

Signal order when a spider closes (ExecutionEngine.close_spider_async): the item pipelines' close_spider
(StorePipeline's last review is stored), the scheduler's close, then `spider_closed` (this extension),
then the stats collector's close. The distributed writer adds the workers' stats to its own
(`merge_worker_stats`) at the end of its spider's start(), once every item is stored: before the engine
starts closing, so `spider_closed` sees the merged figures.
"""

from __future__ import annotations

import json
import logging

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.conf import build_component_list

from pipelines import health, store

logger = logging.getLogger(__name__)

STORE_PIPELINE = "pipelines.item_pipelines.StorePipeline"
# The runs this process has opened and not yet closed. A crawl holds the crawl lock, so a row left `running`
# that is not one of these belongs to a process that died: its reviews may be stored with no consensus refresh.
LIVE_RUNS: set[int] = set()

# Pages that failed *after* a response arrived, which response_received_count counts too, by the fault
# kinds the spider counts them under (crawler/spiders/base.py, faults/<kind>): an HTTP error status after the
# retries ("http 503": HttpErrorMiddleware's own httperror/response_ignored_count is not counted when an
# errback takes the error, as every request of ours has one), and a response that is no text page.
# Timeouts, resets, robots.txt bans, redirect loops and cancelled downloads fail with no response.
ANSWERED_FAULT_PREFIXES = ("faults/http ", "faults/not a text page")


def run_figures(stats: dict) -> dict:
    """A crawl's figures, from its stats (`crawler.stats.get_stats()`, the workers' merged in for a
    distributed run). Pages are counted once each, whatever their retries and redirects:

    - pages: pages fetched, 200 or 304 (robots.txt files included). Scrapy's response_received_count
      counts a request's last response only (a retried 503 counts once, not once per try), but it
      counts the pages that failed with a response too: an HTTP error status after the retries, a
      response that is no text page. Those are taken out here: they are failed pages.
    - not_modified: pages revalidated with a 304 (unchanged since the cached copy).
    - failed_pages: pages that could not be had after their retries (the spider's errback and
      "not a text page"); `faults` says why, by kind (with the kinds that lost no page).
    - errors: exceptions raised by the spider's callbacks (spider_exceptions/count) or by the item
      pipelines (item_error_count, counted by CrawlRuns). Never a page that could not be fetched:
      retries exhausted (retry/max_reached) make a failed page, not an error.
    - items_dropped: items a pipeline dropped (not reviews, too short, no headline…).
    - reviews_*: StorePipeline's outcomes; unchanged includes the re-crawled pages that looked broken
      and whose stored review was kept.
    """
    failed = stats.get("pages/failed", 0)
    answered_failed = sum(value for key, value in stats.items() if key.startswith(ANSWERED_FAULT_PREFIXES))
    return {
        "pages": stats.get("response_received_count", 0) - answered_failed,
        "not_modified": stats.get("httpcache/revalidate", 0),
        "failed_pages": failed,
        "faults": faults_of(stats),
        "errors": stats.get("spider_exceptions/count", 0) + stats.get("item_error_count", 0),
        "items_dropped": stats.get("item_dropped_count", 0),
        "reviews_new": stats.get("reviews/new", 0),
        "reviews_updated": stats.get("reviews/updated", 0),
        "reviews_unchanged": stats.get("reviews/unchanged", 0) + stats.get("reviews/kept", 0),
        "reviews_unscored": stats.get("reviews/unscored", 0),
        "reviews_without_series": stats.get("reviews/without_series", 0),
    }


def faults_of(stats: dict) -> dict:
    """What went wrong fetching pages, by kind (the spider counts them as faults/<kind>)."""
    faults = {key.split("/", 1)[1]: value for key, value in stats.items() if key.startswith("faults/")}
    if stats.get("httpcache/errorrecovery"):
        faults["server error: cached copy used"] = stats["httpcache/errorrecovery"]
    return faults


def run_status(reason: str | None, problems: list[str]) -> str:
    """A run's status: the engine's close reason when it did not finish ("shutdown", "closespider_…"),
    else "failed" when a health check failed, else "finished"."""
    if reason is None:
        return "not started"
    if reason != "finished":
        return reason
    return "failed" if problems else "finished"


def stores_items(settings) -> bool:
    """Whether this crawl stores its items (a distributed worker pushes them to Redis instead)."""
    names = build_component_list(settings.getwithbase("ITEM_PIPELINES"))
    return any((name if isinstance(name, str) else f"{name.__module__}.{name.__qualname__}") == STORE_PIPELINE
               for name in names)


def health_limits(settings) -> dict:
    return {
        "min_reviews": settings.getint("HEALTH_MIN_REVIEWS"),
        "max_unscored_share": settings.getfloat("HEALTH_MAX_UNSCORED_SHARE"),
        "max_no_series_share": settings.getfloat("HEALTH_MAX_NO_SERIES_SHARE"),
        "max_drop_share": settings.getfloat("HEALTH_MAX_DROP_SHARE"),
        "max_failed_share": settings.getfloat("HEALTH_MAX_FAILED_SHARE"),
    }


def limit_problems(stats: dict, settings, reason: str | None) -> list[str]:
    """The crawl bounds a run hit (settings CLOSESPIDER_*, DEPTH_LIMIT, MAX_LINKS_PER_PAGE): each a problem, so
    that a site that outgrew them, or a trap, is seen. A CLOSESPIDER_* limit is the run's close reason too."""
    problems = []
    if cut := stats.get("limits/links_cut", 0):
        problems.append(f"{cut:,} links not followed: pages listed more than "
                        f"{settings.getint('MAX_LINKS_PER_PAGE'):,} (MAX_LINKS_PER_PAGE)")
    depth = settings.getint("DEPTH_LIMIT")
    if depth and stats.get("request_depth_max", 0) >= depth:
        problems.append(f"listing pages {depth:,} deep (DEPTH_LIMIT): deeper pages were not followed")
    if reason and reason.startswith("closespider_"):
        problems.append(f"stopped by {reason.removeprefix('closespider_')} limit (CLOSESPIDER_{reason[12:].upper()})")
    return problems


class CrawlRuns:
    """The `crawl_runs` row of each spider run. Enabled in EXTENSIONS; a crawl without StorePipeline in its
    ITEM_PIPELINES (a distributed worker) stores nothing and keeps no row. StorePipeline stores reviews
    under `run_id`."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.path = crawler.settings.get("REVIEWS_DB")
        self.db = None
        self.run_id: int | None = None
        self.partial = False

    @classmethod
    def from_crawler(cls, crawler):
        if not stores_items(crawler.settings):
            raise NotConfigured("no StorePipeline: this crawl stores nothing")
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.item_error, signal=signals.item_error)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider) -> None:
        self.partial = bool(getattr(spider, "partial", False))  # given start_urls (crawler/spiders/base.py)
        if self.partial:
            logger.info("%s: a partial run (from the given start_urls): not checked against, nor a baseline for, "
                        "full runs", spider.name)
        self.db = store.open_db(self.path)
        self.run_id = store.start_run(self.db, spider.name, partial=self.partial)
        LIVE_RUNS.add(self.run_id)

    def item_error(self, item, response, spider, failure) -> None:
        """An exception in an item pipeline (a DropItem is a dropped item, not an error)."""
        self.crawler.stats.inc_value("item_error_count")

    def spider_closed(self, spider, reason) -> None:
        if self.db is None:
            return
        try:
            self.finish(spider.name, reason)
        except Exception as error:  # a full disk, a locked database, a failing refresh: the run failed
            logger.exception("closing the run of %s failed", spider.name)
            problem = f"closing the run failed: {error}"
            self.crawler.stats.set_value("health/problems", [*(self.crawler.stats.get_value("health/problems") or []),
                                                             problem])
            try:
                store.finish_run(self.db, self.run_id, status="failed", problems=problem)
            except Exception:  # the database itself refuses: crawlall's exit status still says so
                logger.exception("the run of %s could not be marked failed", spider.name)
        finally:
            LIVE_RUNS.discard(self.run_id)
            self.db.close()
            self.db = None

    def finish(self, name: str, reason: str) -> None:
        """The run's figures, health and status in its row; then the episode numbers and consensus rows
        of what the run stored."""
        stats = self.crawler.stats
        figures = run_figures(stats.get_stats())
        previous = None if self.partial else store.previous_run(self.db, name, self.run_id)
        problems = health.run_problems(figures, previous, health_limits(self.crawler.settings))
        problems += limit_problems(stats.get_stats(), self.crawler.settings, reason)
        for problem in problems:
            logger.error("health check failed for %s: %s", name, problem)
        stats.set_value("health/problems", problems)
        filled = store.fill_episode_numbers(self.db)
        if filled:  # routine bookkeeping, nothing to act on
            logger.debug("%d reviews got their episode number from the episode's title", filled)
        # The consensus tables of every series marked stale: those this run stored new or changed reviews of
        # (episode numbers filled in above count as changes), and those any earlier run left stale, killed or
        # failing while it closed (the marks are set with the reviews: pipelines/store/stale.py).
        dead = store.dead_runs(self.db, LIVE_RUNS)
        store.refresh_stale(self.db)
        faults = figures.pop("faults")
        store.finish_run(self.db, self.run_id, status=run_status(reason, problems), problems="; ".join(problems) or None,
                         faults=json.dumps(faults, sort_keys=True) if faults else None, **figures)
        for run in dead:  # only now: a run killed again before this point is still found by the next one
            logger.warning("run %d of %s was left running by a dead process: marked killed", run["id"], run["spider"])
            store.finish_run(self.db, run["id"], status="killed")
