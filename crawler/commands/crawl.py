"""`scrapy crawl`, Scrapy's own command with the project's checks around it.

Before: an unknown spider or a bad setting is one line and exit status 2 (not a traceback).
After: a run that failed its health checks or did not finish exits 1, as `crawlall` does, so that cron, systemd
and Scrapyd's callers see it.
"""

from __future__ import annotations

from scrapy.commands.crawl import Command as ScrapyCrawl

from crawler.config_check import refuse_bad_settings, refuse_unknown_spiders
from crawler.runs import run_status


class Command(ScrapyCrawl):
    def run(self, args, opts) -> None:
        self.crawlers = []
        if len(args) == 1:
            refuse_unknown_spiders(self.crawler_process.spider_loader, args)
            refuse_bad_settings(self.settings, args, opts.spargs)
        super().run(args, opts)
        if any(crawler_failed(crawler) for crawler in self.crawlers):
            self.exitcode = 1

    def _create_crawler(self, spname):
        crawler = super()._create_crawler(spname)
        self.crawlers.append(crawler)
        return crawler


def crawler_failed(crawler) -> bool:
    if crawler.stats is None:  # it never started
        return True
    stats = crawler.stats.get_stats()
    return run_status(stats.get("finish_reason"), stats.get("health/problems") or []) != "finished"
