"""`scrapy crawlall`: every spider of the project (or the ones named) in one process.

- Each spider's run gets its own `crawl_runs` row with its figures and health (crawler/runs.py).
- One crawl at a time: a second crawlall started while one runs exits at once (status 75) saying so; but when
  the crawl holding the lock has run for more than CRAWL_MAX_HOURS, it is stuck: exit status 1, a failure.
- Exit status 1 when any spider failed its health checks or did not finish, so cron mail and systemd
  notice; a summary table of every spider's run is printed at the end, then each failed run's problems.
- `--every 6h` keeps running: a fresh crawl (in a child process, since Twisted's reactor cannot be
  restarted) at that interval, for machines without cron or systemd timers.
"""

from __future__ import annotations

import logging
import re
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.utils.conf import arglist_to_dict

from crawler.config_check import refuse_bad_settings, refuse_unknown_spiders
from crawler.lock import CrawlLock, CrawlLocked
from crawler.runs import run_figures, run_status

logger = logging.getLogger(__name__)

EXIT_LOCKED = 75  # EX_TEMPFAIL: try again later
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
SUMMARY_COLUMNS = ("spider", "status", "pages", "not_modified", "failed_pages", "reviews_new", "reviews_updated",
                   "reviews_unchanged", "items_dropped", "errors", "problems")


def parse_interval(text: str) -> float:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text)
    if not match:
        raise UsageError(f"--every takes a number with s, m, h or d, like 6h; got {text!r}")
    return float(match[1]) * UNITS[match[2] or "s"]


class Command(ScrapyCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[options] [spider ...]"

    def short_desc(self) -> str:
        return "Run every spider (or the named ones) in one process, once or on a schedule"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("-a", dest="spargs", action="append", default=[], metavar="NAME=VALUE",
                            help="spider argument for every spider (may be repeated)")
        parser.add_argument("--every", metavar="INTERVAL", help="crawl again at this interval (30m, 6h, 1d)")
        parser.add_argument("--distributed", action="store_true",
                            help="seed a distributed run in Redis (REDIS_URL) for `scrapy worker`s and `scrapy writer`")
        parser.add_argument("--runs", type=int, default=0, help="with --every: stop after this many crawls")

    def run(self, args: list[str], opts) -> None:
        available = self.crawler_process.spider_loader.list()
        refuse_unknown_spiders(self.crawler_process.spider_loader, args)
        refuse_bad_settings(self.settings, args or available, arglist_to_dict(opts.spargs))
        if opts.distributed:
            self.exitcode = self.seed(args or sorted(available), arglist_to_dict(opts.spargs))
            return
        if opts.every:
            command = [sys.executable, "-m", "scrapy", "crawlall", *args]
            for setting in opts.set or []:
                command += ["-s", setting]
            for argument in opts.spargs:
                command += ["-a", argument]
            if opts.loglevel:
                command += ["-L", opts.loglevel]
            self.exitcode = self.run_every(command, parse_interval(opts.every), opts.runs)
            return
        try:
            lock = CrawlLock(self.settings["CRAWL_LOCK"]).acquire()
        except CrawlLocked as locked:
            print(f"crawlall: {locked}", file=sys.stderr)
            self.exitcode = locked_status(self.settings)
            return
        if lock.stale_owner:
            logger.warning("took over the lock left by a crawl that is no longer running (%s)", lock.stale_owner)
        try:
            self.exitcode = self.crawl(args or sorted(available), arglist_to_dict(opts.spargs))
        finally:
            lock.release()

    def seed(self, names: list[str], spider_arguments: dict[str, str]) -> int:
        """The same as `scrapy seed`: open a distributed run; workers crawl it, the writer stores it."""
        from crawler.distributed import run as distributed

        try:
            run = distributed.seed_run(self.settings, self.crawler_process.spider_loader, names, spider_arguments)
        except distributed.RunInProgress as busy:
            print(f"crawlall: {busy}", file=sys.stderr)
            return EXIT_LOCKED
        print(f"run {run['id']} seeded")
        return 0

    def crawl(self, names: list[str], spider_arguments: dict[str, str]) -> int:
        crawlers = []
        for name in names:
            crawler = self.crawler_process.create_crawler(name)
            crawlers.append(crawler)
            self.crawler_process.crawl(crawler, **spider_arguments)
        self.crawler_process.start()
        rows = [self.summary_row(crawler) for crawler in crawlers]
        print(format_table(rows))
        failed = [row["spider"] for row in rows if row["status"] != "finished"]
        if failed:
            print(f"crawlall: failed: {', '.join(failed)}", file=sys.stderr)
            return 1
        return 0

    @staticmethod
    def summary_row(crawler) -> dict:
        """A spider's line of the summary: its run's figures (the same as its crawl_runs row's)."""
        try:
            stats = crawler.stats.get_stats()
        except RuntimeError:  # the spider failed to start; its error is in the log above
            stats = {}
        problems = stats.get("health/problems") or []
        figures = run_figures(stats)
        return {
            "spider": crawler.spidercls.name,
            "status": run_status(stats.get("finish_reason"), problems),
            **{column: figures[column] for column in SUMMARY_COLUMNS if column in figures},
            "problems": "; ".join(problems),
        }

    @staticmethod
    def run_every(command: list[str], seconds: float, runs: int) -> int:
        """Crawl now and then every `seconds`, each crawl a child `scrapy crawlall` (which takes the lock)."""
        done, status = 0, 0
        while True:
            started = time.monotonic()
            logger.info("scheduled crawl %d starting: %s", done + 1, " ".join(command[3:]))
            status = subprocess.call(command)
            done += 1
            logger.info("scheduled crawl %d ended with status %d", done, status)
            if runs and done >= runs:
                return status
            time.sleep(max(0.0, seconds - (time.monotonic() - started)))


def format_table(rows: list[dict]) -> str:
    """The summary table, one line per spider, then one line per problem of each run that had any (a column of
    problems would make every line of the table as wide as the longest problem)."""
    columns = [c for c in SUMMARY_COLUMNS if c != "problems"]
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) if rows else len(c) for c in columns}
    lines = ["  ".join(c.ljust(widths[c]) for c in columns)]
    lines += ["  ".join(str(row[c]).ljust(widths[c]) for c in columns) for row in rows]
    lines += [f"{row['spider']}: {problem}" for row in rows for problem in row["problems"].split("; ") if problem]
    return "\n".join(line.rstrip() for line in lines)


def lock_age_hours(path: str) -> float | None:
    """How long the crawl holding the lock has held it: crawler/lock.py writes `pid N since <ISO time>` in it."""
    try:
        match = re.search(r" since (\S+)", Path(path).read_text(errors="replace")[:1000])
        since = datetime.fromisoformat(match[1]) if match else None
    except (OSError, ValueError):
        return None
    if since is None or since.tzinfo is None:
        return None
    return (datetime.now(timezone.utc) - since).total_seconds() / 3600


def locked_status(settings) -> int:
    """75 (try again later) while the crawl holding the lock is young; 1 once it has run for more than
    CRAWL_MAX_HOURS (0: no limit): a crawl that never ends must not look like one that is merely busy."""
    try:
        limit = settings.getfloat("CRAWL_MAX_HOURS")
    except ValueError:
        print(f"crawlall: CRAWL_MAX_HOURS={settings.get('CRAWL_MAX_HOURS')!r} is not a number of hours", file=sys.stderr)
        return 2
    age = lock_age_hours(settings["CRAWL_LOCK"])
    if limit > 0 and age is not None and age > limit:
        print(f"crawlall: failed: the crawl holding the lock has run for {age:.1f} hours, more than "
              f"CRAWL_MAX_HOURS={limit:g}: it is stuck (stop it) or CRAWL_MAX_HOURS is too low", file=sys.stderr)
        return 1
    return EXIT_LOCKED
