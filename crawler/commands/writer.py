"""`scrapy writer`: the one process that writes the database in a distributed crawl.

It waits for a run (`scrapy seed`), then, for each spider of the run, drains the items the workers pushed
to Redis through the project's ITEM_PIPELINES (validate, chrome, headline, score, series, store) into
REVIEWS_DB: one `crawl_runs` row per spider per run, with the workers' figures (pages, 304s, errors) added
to its own. It holds the database's CRAWL_LOCK (so no crawlall writes meanwhile) and the run's writer lease
in Redis (so no second writer drains the same run), marks the run finished, prints the summary table of
`crawlall`, and exits with status 1 when a spider failed its health checks.
"""

from __future__ import annotations

import sys

from crawler.commands.crawlall import Command as CrawlAll, format_table
from crawler.distributed.command import RunCommand
from crawler.distributed.keys import connect, lease_ms, worker_id
from crawler.distributed.run import EXIT_BUSY, finish_run
from crawler.distributed.writer import claim_writer, drain_spider_class, writer_settings
from crawler.lock import CrawlLock, CrawlLocked


class Command(RunCommand):
    name = "writer"
    description = "Distributed crawl: store the workers' items in the database (one writer per run)"

    def run_once(self, args: list[str], opts) -> int:
        server = connect(self.settings)
        try:
            lock = CrawlLock(self.settings["CRAWL_LOCK"]).acquire()
        except CrawlLocked as locked:
            print(f"writer: {locked}", file=sys.stderr)
            return EXIT_BUSY
        try:
            return self.write(server, opts)
        finally:
            lock.release()

    def write(self, server, opts) -> int:
        run = self.wait_for_run(server, opts)
        if run is None:
            return 1
        keys = self.join(run, writer_settings)
        holder = claim_writer(server, keys, worker_id(self.settings), lease_ms(self.settings))
        if holder:
            print(f"writer: run {run['id']} already has a writer ({holder})", file=sys.stderr)
            return EXIT_BUSY
        loader = self.crawler_process.spider_loader
        crawlers = self.crawl([drain_spider_class(loader.load(name)) for name in run["spiders"]], run)
        rows = [CrawlAll.summary_row(crawler) for crawler in crawlers]
        print(format_table(rows))
        failed = [row["spider"] for row in rows if row["status"] != "finished"]
        finish_run(server, keys, "failed" if failed else "finished")
        server.delete(keys.writer())
        if failed:
            print(f"writer: failed: {', '.join(failed)}", file=sys.stderr)
            return 1
        return 0
