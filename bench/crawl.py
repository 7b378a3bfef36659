"""A crawl of a generated 5,000-page mirror over loopback, against `scrapy bench` run right before.

    python bench/crawl.py [--pages 5000] [--feed-items 50] [--profile out.html] [--keep DIR]

1. `scrapy bench` (Scrapy's own spider against its own local server, 10 s) in a child process outside the
   project (so none of the project's settings apply): its pages/min from its stats.
2. bench/generate_mirror.py writes a mirror of --pages review pages into a temporary folder.
3. crawler.mirror.MirrorServer serves that folder on a free loopback port from this process, and
   `scrapy crawlall` (every spider, one process, all item pipelines, storing into a fresh database) crawls it
   with `-s MIRROR_MODE=http://127.0.0.1:PORT` and politeness off: DOWNLOAD_DELAY=0, AutoThrottle off,
   CONCURRENT_REQUESTS_PER_DOMAIN=16, HTTP cache off (robots.txt is still read and obeyed).

Pages/min of both count responses received from the first request to the spiders' close (each crawl's Scrapy
stats `start_time` .. `finish_time`, the same window `scrapy bench` reports as elapsed_time_seconds); the crawl's
whole process time (Python start-up and imports included) is printed beside it. Peak memory is the crawl
process's ru_maxrss (os.wait4), checked against psutil polling.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, RssPoller, machine  # noqa: E402
from generate_mirror import FEED_ITEMS, generate  # noqa: E402

from crawler.mirror import MirrorServer  # noqa: E402

POLITENESS_OFF = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "HTTPCACHE_ENABLED": "False",
    "ROBOTSTXT_OBEY": "True",
    "LOG_LEVEL": "INFO",
}


def run_measured(command: list[str], cwd: Path, log: Path) -> dict:
    """Run a child process, its output to `log`; wall seconds, exit status and peak RSS (ru_maxrss, psutil)."""
    with open(log, "wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        with RssPoller(process.pid) as poller:
            _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return {"seconds": seconds, "status": process.returncode, "maxrss": usage.ru_maxrss * 1024,
            "polled_rss": poller.peak, "cpu": usage.ru_utime + usage.ru_stime}


def stats_dumps(log_text: str) -> list[dict]:
    """Every 'Dumping Scrapy stats' dict in a crawl's log."""
    dumps = []
    for match in re.finditer(r"Dumping Scrapy stats:\n(\{.*?\})\s*\n(?=\S|\Z)", log_text + "\n", re.S):
        text = re.sub(r"datetime\.datetime\(([^)]*)\)", r"'\1'", match.group(1))
        stats = ast.literal_eval(text)
        for key in ("start_time", "finish_time"):
            if key in stats:
                parts = [int(x.split("tzinfo")[0]) for x in stats[key].split(",") if "tzinfo" not in x]
                stats[key] = dt.datetime(*parts)
        dumps.append(stats)
    return dumps


def scrapy_bench(workdir: Path) -> dict:
    cwd = workdir / "scrapy-bench"
    cwd.mkdir(exist_ok=True)  # no scrapy.cfg here: Scrapy's defaults, as `scrapy bench` means them
    log = workdir / "scrapy-bench.log"
    result = run_measured([sys.executable, "-m", "scrapy", "bench"], cwd, log)
    stats = stats_dumps(log.read_text(errors="replace"))[-1]
    pages, seconds = stats["response_received_count"], stats["elapsed_time_seconds"]
    return result | {"pages": pages, "window": seconds, "pages_min": 60 * pages / seconds}


def crawl(mirror_dir: Path, workdir: Path, profile: str | None = None, tag: str = "crawl",
          extra: dict | None = None, spiders: list[str] | None = None) -> dict:
    """`scrapy crawlall` of the mirror in mirror_dir, served on loopback from this process. `extra`: more
    settings (-s NAME=VALUE); `spiders`: only these."""
    server = MirrorServer(mirror_dir).start()
    db = workdir / f"{tag}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    settings = POLITENESS_OFF | {"MIRROR_MODE": server.base_url, "REVIEWS_DB": str(db), "LOG_STATS_AT_INFO": "True",
                                 "CRAWL_LOCK": str(workdir / "crawl.lock"), "HTTPCACHE_DIR": str(workdir / "cache")}
    settings |= extra or {}
    command = [sys.executable, "-m", "scrapy", "crawlall", *(spiders or [])]
    if profile:
        renderer = "html" if str(profile).endswith(".html") else "text"
        command = [sys.executable, "-m", "pyinstrument", "-r", renderer, "-o", profile, "-m", "scrapy", "crawlall",
                   *(spiders or [])]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    log = workdir / f"{tag}.log"
    try:
        result = run_measured(command, ROOT, log)
    finally:
        server.stop()
    text = log.read_text(errors="replace")
    if result["status"] not in (0, 1):  # 1: a health check failed (e.g. more drops than last time)
        raise RuntimeError(f"crawl failed with status {result['status']}: see {log}\n{text[-3000:]}")
    dumps = stats_dumps(text)
    pages = sum(d.get("response_received_count", 0) for d in dumps)
    window = (max(d["finish_time"] for d in dumps) - min(d["start_time"] for d in dumps)).total_seconds()
    import sqlite3

    with sqlite3.connect(db) as conn:
        reviews = conn.execute("select count(*) from reviews").fetchone()[0]
        dropped = conn.execute("select count(*) from dropped_items").fetchone()[0]
    return result | {"pages": pages, "window": window, "pages_min": 60 * pages / window,
                     "process_pages_min": 60 * pages / result["seconds"], "reviews": reviews, "dropped": dropped,
                     "served": dict(server.served), "log": str(log)}


def report_crawl(label: str, r: dict) -> None:
    print(f"{label:28}{r['pages']:>7}{r['window']:>9.1f}{r['pages_min']:>11.0f}{r['maxrss'] / 2**20:>9.0f} MB"
          f"{r['polled_rss'] / 2**20:>9.0f} MB")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000, help="review pages in the generated mirror")
    parser.add_argument("--profile", metavar="FILE", help="run the crawl under pyinstrument: profile here (.html, else text)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (mirror, database, logs)")
    parser.add_argument("--feed-items", type=int, default=FEED_ITEMS,
                        help=f"items in a feed-only outlet's feed (default {FEED_ITEMS}; 0: all its pages)")
    args = parser.parse_args(argv)
    print(f"== bench/crawl.py  ({machine()})")
    with tempfile.TemporaryDirectory(prefix="bench-crawl-") as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        reference = scrapy_bench(workdir)
        generated = generate(workdir / "mirror", args.pages, feed_items=args.feed_items)
        ours = crawl(workdir / "mirror", workdir, args.profile)
    print(f"\n{'':28}{'pages':>7}{'seconds':>9}{'pages/min':>11}{'peak RSS':>12}{'(polled)':>12}")
    report_crawl("scrapy bench", reference)
    report_crawl(f"crawlall, {generated['pages']} review pages", ours)
    ratio = ours["pages_min"] / reference["pages_min"]
    print(f"ratio crawl / scrapy bench pages/min: {ratio:.2f}  (target >= 0.50)")
    print(f"crawl process: {ours['seconds']:.1f} s wall with start-up ({ours['process_pages_min']:.0f} pages/min, "
          f"ratio {ours['process_pages_min'] / reference['pages_min']:.2f}), {ours['cpu']:.1f} s CPU; "
          f"{ours['reviews']} reviews stored, {ours['dropped']} pages dropped")
    return {"reference": reference, "crawl": ours, "ratio": ratio, "generated": generated}


if __name__ == "__main__":
    main()
