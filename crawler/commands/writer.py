"""`scrapy writer`: the one process that writes the database in a distributed crawl.

It waits for a run (`scrapy seed`), then, for each spider of the run, drains the items the workers pushed
to Redis through the project's ITEM_PIPELINES (validate, chrome, headline, score, series, store) into
REVIEWS_DB: one `crawl_runs` row per spider per run, with the workers' figures (pages, 304s, errors) added
to its own. It holds the database's CRAWL_LOCK (so no crawlall writes meanwhile) and the run's writer lease
in Redis (so no second writer drains the same run), marks the run finished, prints the summary table of
`crawlall`, and exits with status 1 when a spider failed its health checks.
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands import ScrapyCommand

from crawler import distributed
from crawler.commands.crawlall import Command as CrawlAll, format_table
from crawler.commands.worker import run_forever
from crawler.lock import CrawlLock, CrawlLocked


class Command(ScrapyCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[options]"

    def short_desc(self) -> str:
        return "Distributed crawl: store the workers' items in the database (one writer per run)"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--wait", type=float, default=0, metavar="SECONDS",
                            help="give up when no run starts within this time (default: wait for ever)")
        parser.add_argument("--forever", action="store_true",
                            help="after a run, wait for the next one (each run in a child process)")
        parser.add_argument("--skip-run", metavar="ID", help=argparse.SUPPRESS)  # the run --forever just did

    def run(self, args: list[str], opts) -> None:
        if opts.forever:
            self.exitcode = run_forever("writer", args, opts, self.settings)
            return
        server = distributed.connect(self.settings)
        try:
            lock = CrawlLock(self.settings["CRAWL_LOCK"]).acquire()
        except CrawlLocked as locked:
            print(f"writer: {locked}", file=sys.stderr)
            self.exitcode = distributed.EXIT_BUSY
            return
        try:
            self.exitcode = self.write(server, opts)
        finally:
            lock.release()

    def write(self, server, opts) -> int:
        keys = distributed.Keys.from_settings(self.settings)
        poll = float(distributed.setting(self.settings, "DISTRIBUTED_POLL_SECONDS"))
        run = distributed.wait_for_run(server, keys, opts.wait, poll, not_id=opts.skip_run)
        if run is None:
            print(f"writer: no run started within {opts.wait:g} s", file=sys.stderr)
            return 1
        keys = distributed.Keys(keys.prefix, run["id"])
        lease_ms = int(float(distributed.setting(self.settings, "DISTRIBUTED_LEASE_SECONDS")) * 1000)
        holder = distributed.claim_writer(server, keys, distributed.worker_id(self.settings), lease_ms)
        if holder:
            print(f"writer: run {run['id']} already has a writer ({holder})", file=sys.stderr)
            return distributed.EXIT_BUSY
        self.settings.setdict(distributed.writer_settings(self.settings, keys), priority=distributed.COMMAND_PRIORITY)
        loader = self.crawler_process.spider_loader
        crawlers = []
        for name in run["spiders"]:
            crawler = self.crawler_process.create_crawler(distributed.drain_spider_class(loader.load(name)))
            crawlers.append(crawler)
            self.crawler_process.crawl(crawler, **run["args"])
        self.crawler_process.start()
        rows = [CrawlAll.summary_row(crawler) for crawler in crawlers]
        print(format_table(rows))
        failed = [row["spider"] for row in rows if row["status"] != "finished"]
        distributed.finish_run(server, keys, "failed" if failed else "finished")
        server.delete(keys.writer())
        if failed:
            print(f"writer: failed: {', '.join(failed)}", file=sys.stderr)
            return 1
        return 0
