"""`scrapy worker`: crawl from the shared Redis queues of the current distributed run.

Start as many as you like, on any machine reaching Redis (and the sites, or the mirror: pass
`-s MIRROR_MODE=http://host:port`). A worker waits for a run (`scrapy seed`), crawls its spiders (all of
the run's, or the named ones) until the whole crawl is over on every worker, then exits. Workers never
touch the database: their items go to Redis, for `scrapy writer`.
"""

from __future__ import annotations

import argparse
import logging
import subprocess
import sys
import time

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler import distributed

logger = logging.getLogger(__name__)


class Command(ScrapyCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[options] [spider ...]"

    def short_desc(self) -> str:
        return "Distributed crawl: a worker crawling from the Redis queues of the current run"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--wait", type=float, default=0, metavar="SECONDS",
                            help="give up when no run starts within this time (default: wait for ever)")
        parser.add_argument("--forever", action="store_true",
                            help="after a run, wait for the next one (each run in a child process)")
        parser.add_argument("--skip-run", metavar="ID", help=argparse.SUPPRESS)  # the run --forever just did

    def run(self, args: list[str], opts) -> None:
        if opts.forever:
            self.exitcode = run_forever("worker", args, opts, self.settings)
            return
        server = distributed.connect(self.settings)
        keys = distributed.Keys.from_settings(self.settings)
        poll = float(distributed.setting(self.settings, "DISTRIBUTED_POLL_SECONDS"))
        run = distributed.wait_for_run(server, keys, opts.wait, poll, not_id=opts.skip_run)
        if run is None:
            print(f"worker: no run started within {opts.wait:g} s", file=sys.stderr)
            self.exitcode = 1
            return
        names = args or run["spiders"]
        unknown = [name for name in names if name not in run["spiders"]]
        if unknown:
            raise UsageError(f"not in run {run['id']}: {', '.join(unknown)}; the run has {', '.join(run['spiders'])}")
        keys = distributed.Keys(keys.prefix, run["id"])
        self.settings.setdict(distributed.worker_settings(self.settings, keys), priority=distributed.COMMAND_PRIORITY)
        logger.info("worker %s joining run %s: %s", distributed.worker_id(self.settings), run["id"], ", ".join(names))
        crawlers = []
        for name in names:
            crawler = self.crawler_process.create_crawler(name)
            crawlers.append(crawler)
            self.crawler_process.crawl(crawler, **run["args"])
        self.crawler_process.start()
        reasons = {crawler.spidercls.name: crawler.stats.get_value("finish_reason") for crawler in crawlers}
        for crawler in crawlers:
            stats = crawler.stats
            print(f"{crawler.spidercls.name:18} {reasons[crawler.spidercls.name] or 'not started':14} "
                  f"pages {stats.get_value('response_received_count', 0):4}  "
                  f"items {stats.get_value('distributed/items_sent', 0):4}  "
                  f"requeued {stats.get_value('distributed/requeued', 0)}")
        self.exitcode = 0 if all(reason == "finished" for reason in reasons.values()) else 1


def run_forever(command: str, args: list[str], opts, settings) -> int:
    """Run after run, each in a child `scrapy <command>` (Twisted's reactor cannot be restarted)."""
    child = [sys.executable, "-m", "scrapy", command, *args]
    for setting in opts.set or []:
        child += ["-s", setting]
    if opts.loglevel:
        child += ["-L", opts.loglevel]
    server = distributed.connect(settings)
    keys = distributed.Keys.from_settings(settings)
    done = None
    while True:
        status = subprocess.call(child + (["--skip-run", done] if done else []))
        run = distributed.read_run(server, keys)
        # A run done with is not joined again; after a failure (a crash, a replaced run) the current one is.
        done = run["id"] if run and status == 0 else None
        logger.info("%s ended with status %d; waiting for the next run", command, status)
        time.sleep(1)
