"""A progress line per spider while it runs: pages, reviews stored, items dropped, errors."""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

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
        stats = self.crawler.stats
        logger.info(
            "%s: %d pages (%d not modified), %d reviews, %d dropped, %d errors",
            spider.name,
            stats.get_value("response_received_count", 0),
            stats.get_value("httpcache/revalidate", 0),
            stats.get_value("item_scraped_count", 0),
            stats.get_value("item_dropped_count", 0),
            stats.get_value("spider_exceptions/count", 0) + stats.get_value("retry/max_reached", 0),
        )
