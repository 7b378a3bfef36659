"""What the distributed commands share; `scrapy worker` and `scrapy writer` also: wait for a run, work on
it, exit, or with `--forever` run after run. Here rather than in crawler/commands/, where Scrapy would take
these classes for commands."""

from __future__ import annotations

import argparse
import logging
import subprocess
import sys
import time

from scrapy.commands import ScrapyCommand

from crawler.config_check import refuse_bad_settings, refuse_unknown_spiders
from crawler.distributed.keys import COMMAND_PRIORITY, Keys, connect, poll_seconds
from crawler.distributed.run import read_run, wait_for_run

logger = logging.getLogger(__name__)


class DistributedCommand(ScrapyCommand):
    """`scrapy seed`, `worker`, `writer`, `runstatus`: their usage and description as class attributes."""

    requires_project = True
    usage = "[options]"
    description = ""

    def syntax(self) -> str:
        return self.usage

    def short_desc(self) -> str:
        return self.description


class RunCommand(DistributedCommand):
    name = ""  # the command, in messages and child processes

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--wait", type=float, default=0, metavar="SECONDS",
                            help="give up when no run starts within this time (default: wait for ever)")
        parser.add_argument("--forever", action="store_true",
                            help="after a run, wait for the next one (each run in a child process)")
        parser.add_argument("--skip-run", metavar="ID", help=argparse.SUPPRESS)  # the run --forever just did

    def run(self, args: list[str], opts) -> None:
        refuse_unknown_spiders(self.crawler_process.spider_loader, args)
        refuse_bad_settings(self.settings, args or self.crawler_process.spider_loader.list())
        if opts.forever:
            self.exitcode = run_forever(self.name, args, opts, self.settings)
        else:
            self.exitcode = self.run_once(args, opts)

    def run_once(self, args: list[str], opts) -> int:
        raise NotImplementedError

    def wait_for_run(self, server, opts) -> dict | None:
        """The run to work on, or None (said on stderr) when none started within --wait."""
        keys = Keys.from_settings(self.settings)
        run = wait_for_run(server, keys, opts.wait, poll_seconds(self.settings), not_id=opts.skip_run)
        if run is None:
            print(f"{self.name}: no run started within {opts.wait:g} s", file=sys.stderr)
        return run

    def join(self, run: dict, command_settings) -> Keys:
        """This process's settings for the run: `command_settings(settings, keys)` above the project's."""
        keys = Keys(Keys.from_settings(self.settings).prefix, run["id"])
        self.settings.setdict(command_settings(self.settings, keys), priority=COMMAND_PRIORITY)
        return keys

    def crawl(self, spiders: list, run: dict) -> list:
        """One crawler per spider (a name or a class), with the run's spider arguments, run to the end."""
        crawlers = []
        for spider in spiders:
            crawler = self.crawler_process.create_crawler(spider)
            crawlers.append(crawler)
            self.crawler_process.crawl(crawler, **run["args"])
        self.crawler_process.start()
        return crawlers


def run_forever(command: str, args: list[str], opts, settings) -> int:
    """Run after run, each in a child `scrapy <command>` (Twisted's reactor cannot be restarted)."""
    child = [sys.executable, "-m", "scrapy", command, *args]
    for setting in opts.set or []:
        child += ["-s", setting]
    if opts.loglevel:
        child += ["-L", opts.loglevel]
    server = connect(settings)
    keys = Keys.from_settings(settings)
    done = None
    while True:
        status = subprocess.call(child + (["--skip-run", done] if done else []))
        run = read_run(server, keys)
        # A run done with is not joined again; after a failure (a crash, a replaced run) the current one is.
        done = run["id"] if run and status == 0 else None
        logger.info("%s ended with status %d; waiting for the next run", command, status)
        time.sleep(1)
