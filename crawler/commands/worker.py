"""`scrapy worker`: crawl from the shared Redis queues of the current distributed run.

Start as many as you like, on any machine reaching Redis (and the sites, or the mirror: pass
`-s MIRROR_MODE=http://host:port`). A worker waits for a run (`scrapy seed`), crawls its spiders (all of
the run's, or the named ones) until the whole crawl is over on every worker, then exits. Workers never
touch the database: their items go to Redis, for `scrapy writer`.
"""

from __future__ import annotations

import logging

from scrapy.exceptions import UsageError

from crawler.distributed.command import RunCommand
from crawler.distributed.keys import connect, worker_id
from crawler.distributed.worker import worker_settings

logger = logging.getLogger(__name__)


class Command(RunCommand):
    name = "worker"
    usage = "[options] [spider ...]"
    description = "Distributed crawl: a worker crawling from the Redis queues of the current run"

    def run_once(self, args: list[str], opts) -> int:
        run = self.wait_for_run(connect(self.settings), opts)
        if run is None:
            return 1
        names = args or run["spiders"]
        unknown = [name for name in names if name not in run["spiders"]]
        if unknown:
            raise UsageError(f"not in run {run['id']}: {', '.join(unknown)}; the run has {', '.join(run['spiders'])}")
        # The scheduler, queue, duplicate filter and middleware of a worker (what the project's settings
        # do not name, so that `crawl` and `crawlall` never use Redis).
        self.join(run, worker_settings)
        logger.info("worker %s joining run %s: %s", worker_id(self.settings), run["id"], ", ".join(names))
        crawlers = self.crawl(names, run)
        reasons = {crawler.spidercls.name: crawler.stats.get_value("finish_reason") for crawler in crawlers}
        for crawler in crawlers:
            stats = crawler.stats
            print(f"{crawler.spidercls.name:18} {reasons[crawler.spidercls.name] or 'not started':14} "
                  f"pages {stats.get_value('response_received_count', 0):4}  "
                  f"items {stats.get_value('distributed/items_sent', 0):4}  "
                  f"requeued {stats.get_value('distributed/requeued', 0)}")
        return 0 if all(reason == "finished" for reason in reasons.values()) else 1
