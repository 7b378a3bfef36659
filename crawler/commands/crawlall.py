"""`scrapy crawlall`: every spider of the project (or the ones named) in one process.

Each spider's run gets its own `crawl_runs` row (written by the store pipeline). The exit status is 1
when any spider did not finish cleanly, so cron mail and systemd notice.
"""

from __future__ import annotations

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError


class Command(ScrapyCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[options] [spider ...]"

    def short_desc(self) -> str:
        return "Run every spider (or the named ones) in one process"

    def run(self, args: list[str], opts) -> None:
        available = self.crawler_process.spider_loader.list()
        names = args or sorted(available)
        unknown = [name for name in names if name not in available]
        if unknown:
            raise UsageError(f"unknown spider(s): {', '.join(unknown)}; available: {', '.join(sorted(available))}")
        crawlers = []
        for name in names:
            crawler = self.crawler_process.create_crawler(name)
            crawlers.append(crawler)
            self.crawler_process.crawl(crawler)
        self.crawler_process.start()
        failed = [
            crawler.spider.name if crawler.spider else "?"
            for crawler in crawlers
            if crawler.stats.get_value("finish_reason") != "finished" or crawler.stats.get_value("log_count/ERROR")
        ]
        if failed:
            print(f"crawlall: spider(s) failed: {', '.join(failed)}")
            self.exitcode = 1
