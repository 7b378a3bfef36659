"""A progress line per spider while it runs: pages, failed pages, reviews stored, items dropped, errors
(the figures of crawler.runs.run_figures, as the run's row and crawlall's summary show them)."""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

from crawler.runs import run_figures

logger = logging.getLogger(__name__)


class ProgressLog:
    def __init__(self, crawler, interval: float):
        self.crawler = crawler
        self.interval = interval
        self.task = None

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("PROGRESS_INTERVAL")
        if not interval:
            raise NotConfigured
        extension = cls(crawler, interval)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider):
        self.task = create_looping_call(self.log, spider)
        self.task.start(self.interval, now=False)

    def spider_closed(self, spider, reason):
        if self.task is not None and self.task.running:
            self.task.stop()
        self.log(spider)

    def log(self, spider):
        figures = run_figures(self.crawler.stats.get_stats())
        logger.info(
            "%s: %d pages (%d not modified), %d failed pages, %d reviews, %d dropped, %d errors",
            spider.name,
            figures["pages"],
            figures["not_modified"],
            figures["failed_pages"],
            figures["reviews_new"] + figures["reviews_updated"] + figures["reviews_unchanged"],
            figures["items_dropped"],
            figures["errors"],
        )
