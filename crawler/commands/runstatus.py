"""`scrapy runstatus`: the current distributed run, per spider: queued requests, requests in flight
(leased by a worker), items waiting for the writer, live workers."""

from __future__ import annotations

import json

from crawler.distributed.command import DistributedCommand
from crawler.distributed.keys import Keys, connect
from crawler.distributed.run import run_status


class Command(DistributedCommand):
    requires_crawler_process = False  # reads Redis only: no spider is loaded
    description = "Distributed crawl: the current run's queues, leases, items and workers"

    def run(self, args: list[str], opts) -> None:
        server = connect(self.settings)
        status = run_status(server, Keys.from_settings(self.settings))
        print(json.dumps(status, indent=2) if status else "no distributed run")
