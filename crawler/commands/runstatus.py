"""`scrapy runstatus`: the current distributed run, per spider: queued requests, requests in flight
(leased by a worker), items waiting for the writer, live workers."""

from __future__ import annotations

import json

from scrapy.commands import ScrapyCommand

from crawler import distributed


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def short_desc(self) -> str:
        return "Distributed crawl: the current run's queues, leases, items and workers"

    def run(self, args: list[str], opts) -> None:
        server = distributed.connect(self.settings)
        status = distributed.run_status(server, distributed.Keys.from_settings(self.settings))
        print(json.dumps(status, indent=2) if status else "no distributed run")
