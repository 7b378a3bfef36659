"""`scrapy seed`: open a distributed run. Every spider's (or the named ones') start requests go to its
Redis queue, with the run marker that workers and the writer wait for (see crawler/distributed/run.py).

One distributed run at a time: while the current run is not finished (its writer marks it finished), seed
exits with status 75, as `crawlall` does when its lock is held; `--force` abandons that run.
"""

from __future__ import annotations

import sys

from scrapy.exceptions import UsageError
from scrapy.utils.conf import arglist_to_dict

from crawler.distributed.command import DistributedCommand
from crawler.distributed.run import EXIT_BUSY, RunInProgress, seed_run


class Command(DistributedCommand):
    usage = "[options] [spider ...]"
    description = "Distributed crawl: push the start requests of every spider (or the named ones) to Redis"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("-a", dest="spargs", action="append", default=[], metavar="NAME=VALUE",
                            help="spider argument for every spider (workers and writer use it too)")
        parser.add_argument("--force", action="store_true",
                            help="open a new run even though the current one is not finished (abandons it)")

    def run(self, args: list[str], opts) -> None:
        loader = self.crawler_process.spider_loader
        available = loader.list()
        unknown = [name for name in args if name not in available]
        if unknown:
            raise UsageError(f"unknown spider(s): {', '.join(unknown)}; available: {', '.join(sorted(available))}")
        try:
            run = seed_run(self.settings, loader, args or sorted(available), arglist_to_dict(opts.spargs),
                           force=opts.force)
        except RunInProgress as busy:
            print(f"seed: {busy} (--force to abandon it)", file=sys.stderr)
            self.exitcode = EXIT_BUSY
            return
        seeded = ", ".join(f"{name} {count}" for name, count in run["seeded"].items())
        print(f"run {run['id']}: start requests queued: {seeded}"
              + (f" (replaced run {run['replaced']})" if run["replaced"] else ""))
