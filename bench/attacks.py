"""Issue 16's heavy attacks, rerun against real processes: does each still hold, and with what figures.

    python bench/attacks.py [--keep DIR] [--only queries,links,range,endless]

Not a test: it asserts nothing, it prints each attack's figures and "held" or "FAILED" (the issue's "Done when":
every crawl ends, every query ends within its limit, RSS under 500 MB, nothing bad stored as good).

1. queries: `datasette serve` (a process, over a copy of data/'s metadata, settings, plugins and templates, and
   a database crawled from data/mirror with `scrapy crawlall`) under three concurrent
   `select length(printf('%.*c', 900000000, 'x'))` and three `select length(randomblob(900000000))` through
   `/reviews.json?sql=`, and a plain `/reviews/episode_scores.json` sent while they run: each request's wall
   time and status, Datasette's peak RSS (VmHWM). Held: every answer within ~3 s (the time limit is 2 s), the
   plain one 200, peak RSS < 500 MB.
2. links: a copy of the mirror whose butwhytho listing page has 100,000 review links (9 MB, under
   DOWNLOAD_MAXSIZE; the links lead nowhere, 404): `crawlall butwhytho`'s wall time, peak RSS, links cut,
   review pages requested, exit status. Held: it ends, RSS < 500 MB, exit 1 and the run failed naming
   MAX_LINKS_PER_PAGE.
3. range: a copy of the mirror where one review's headline reads `REVIEW: 'Range Bomb' Episodes 1-3000000` and
   another's ends `Episode 99999999999999999999999`: crawl time, database size, episode_scores rows,
   dropped_items of those two pages, exit status. Held: a small database (< 20 MB: a normal butwhytho crawl's is
   4 MB, the bomb once made 432 MB), under 100 episode_scores rows (a normal crawl's: 30), both pages' refusals in
   dropped_items, exit 0.
4. endless: a server whose butwhytho listing page N links on to page N + 1 forever, default settings except
   politeness (DEPTH_LIMIT 2000): listing pages served until the crawl stops, time, exit status, peak RSS.
   Held: it ends by itself, exit 1, the run failed naming DEPTH_LIMIT, RSS < 500 MB.

Every crawl is `python -m scrapy crawlall` with tests/conftest.py's `crawl_command` settings (a fresh database,
cache and lock in a temporary folder, DOWNLOAD_DELAY=0, AutoThrottle off) and bench/crawl.py's
CONCURRENT_REQUESTS_PER_DOMAIN=16, every other setting the project's default, against a `crawler.mirror.MirrorServer`
run in this process. Its peak RSS is the process's own ru_maxrss (os.wait4): the kernel's peak, no sampling
gap. A crawl still running after CRAWL_PATIENCE seconds is killed and reported as not ending.
Takes about 3 minutes on 2 busy cores. Standard library only (plus the project itself).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.mirror import MirrorServer  # noqa: E402
from crawler.mirror_endless import endless_mirror  # noqa: E402

MIRROR_DIR = ROOT / "data" / "mirror"
LISTING = "butwhytho.net/category/reviews/anime/index.html"
RSS_BOUND = 500 * 2**20
ANSWER_BOUND = 3.0     # seconds: the 2 s time limit, plus Datasette's own work on a loaded machine
CRAWL_PATIENCE = 300   # seconds after which a crawl counts as one that does not end
ATTACKS = ("queries", "links", "range", "endless")


@dataclass
class Outcome:
    attack: str
    held: bool
    figures: str


def mb(n_bytes: float) -> str:
    return f"{n_bytes / 2**20:.0f} MB"


# ---------------------------------------------------------------- processes

def crawl_command(db_path: Path, mirror_url: str, *spiders: str, extra: tuple[str, ...] = ()) -> list[str]:
    """tests/conftest.py's crawl_command (a crawl into its own folder, politeness off), 16 requests per site."""
    settings = {
        "REVIEWS_DB": str(db_path),
        "HTTPCACHE_DIR": str(db_path.parent / "httpcache"),
        "CRAWL_LOCK": str(db_path.parent / "crawl.lock"),
        "MIRROR_MODE": mirror_url,
        "DOWNLOAD_DELAY": "0",
        "AUTOTHROTTLE_ENABLED": "False",
        # bench/crawl.py's politeness off: at the default 2 per site, 5,000 links take minutes over loopback.
        "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
        "LOG_LEVEL": "INFO",
    }
    command = [sys.executable, "-m", "scrapy", "crawlall", *spiders]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    return command + list(extra)


def crawl_served(server, workdir: Path, *spiders: str) -> dict:
    """run_crawl against a started mirror server, which is stopped after (its counters stay readable)."""
    try:
        return run_crawl(workdir / "crawl", server.base_url, *spiders)
    finally:
        server.stop()


def run_crawl(workdir: Path, mirror_url: str, *spiders: str) -> dict:
    """A crawl as a child process, its output to workdir/crawl.log: seconds, exit status, peak RSS, and
    whether it had to be killed (it did not end within CRAWL_PATIENCE)."""
    workdir.mkdir(parents=True, exist_ok=True)
    db_path = workdir / "reviews.db"
    with open(workdir / "crawl.log", "wb") as log:
        started = time.perf_counter()
        process = subprocess.Popen(crawl_command(db_path, mirror_url, *spiders), cwd=ROOT, stdout=log,
                                   stderr=subprocess.STDOUT)
        killed = threading.Event()

        def give_up():
            killed.set()
            os.kill(process.pid, signal.SIGKILL)

        watchdog = threading.Timer(CRAWL_PATIENCE, give_up)
        watchdog.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            watchdog.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
    return {"seconds": time.perf_counter() - started, "status": process.returncode, "maxrss": usage.ru_maxrss * 1024,
            "ended": not killed.is_set(), "db": db_path, "log": workdir / "crawl.log"}


def rows(db_path: Path, sql: str, *params) -> list[dict]:
    connection = sqlite3.connect(db_path)
    connection.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in connection.execute(sql, params)]
    finally:
        connection.close()


def run_row(db_path: Path, spider: str) -> dict:
    found = rows(db_path, "select status, problems, reviews_new, pages, failed_pages from crawl_runs "
                          "where spider = ? order by id desc limit 1", spider)
    return found[0] if found else {"status": "no run", "problems": None}


def proc_status(pid: int, field: str) -> int:
    """A `/proc/<pid>/status` memory figure (VmRSS, VmHWM) in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def copy_mirror(workdir: Path) -> Path:
    target = workdir / "mirror"
    shutil.copytree(MIRROR_DIR, target)
    return target


# ---------------------------------------------------------------- 1. queries

HOSTILE_SQL = {"printf": "select length(printf('%.*c', 900000000, 'x'))",
               "randomblob": "select length(randomblob(900000000))"}


def timed_get(url: str, results: list, label: str) -> None:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    except OSError as error:
        status, body = type(error).__name__, b""
    try:
        message = json.loads(body).get("error") or ""
    except (ValueError, AttributeError):
        message = ""
    results.append({"label": label, "seconds": time.perf_counter() - started, "status": status,
                    "error": str(message)[:60]})


def datasette_config(workdir: Path, db_path: Path) -> Path:
    """A copy of data/'s Datasette configuration (as tests/conftest.py's datasette_serving) with db_path."""
    config = workdir / "site"
    config.mkdir()
    for name in ("metadata.yml", "settings.json", "series_aliases.yml"):
        shutil.copy(ROOT / "data" / name, config / name)
    for folder in ("plugins", "templates"):
        shutil.copytree(ROOT / "data" / folder, config / folder)
    shutil.copy(db_path, config / "reviews.db")
    return config


def wait_serving(url: str, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Datasette never answered at {url}")
            time.sleep(0.1)


def hostile_queries(base: str) -> list[dict]:
    """Six hostile queries at once, and a plain table page once they are in flight."""
    results: list[dict] = []
    threads = []
    for label, sql in HOSTILE_SQL.items():
        url = f"{base}/reviews.json?" + urllib.parse.urlencode({"sql": sql})
        threads += [threading.Thread(target=timed_get, args=(url, results, f"{label} #{n}")) for n in (1, 2, 3)]
    for thread in threads:
        thread.start()
    time.sleep(0.2)  # a bench, not a test: give the six a moment to reach Datasette first
    plain = threading.Thread(target=timed_get, args=(f"{base}/reviews/episode_scores.json", results, "plain"))
    plain.start()
    for thread in [*threads, plain]:
        thread.join()
    return sorted(results, key=lambda r: r["label"])


def attack_queries(workdir: Path) -> Outcome:
    crawl = crawl_served(MirrorServer(MIRROR_DIR).start(), workdir)
    print(f"  crawlall of data/mirror: {crawl['seconds']:.1f} s, exit {crawl['status']}, "
          f"{rows(crawl['db'], 'select count(*) n from reviews')[0]['n']} reviews")
    config = datasette_config(workdir, crawl["db"])
    port = free_port()
    with open(workdir / "datasette.log", "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "datasette", "serve", str(config), "--host", "127.0.0.1",
                                    "--port", str(port)], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_serving(base + "/-/versions.json", process)
        before = proc_status(process.pid, "VmRSS")
        results = hostile_queries(base)
        peak = proc_status(process.pid, "VmHWM")
    finally:
        process.terminate()
        process.wait(timeout=30)
    print(f"  Datasette RSS before {mb(before)}, peak {mb(peak)} (VmHWM)")
    for r in results:
        print(f"  {r['label']:<13} {r['seconds']:6.2f} s  status {r['status']}  {r['error']}")
    slowest = max(r["seconds"] for r in results)
    plain_ok = any(r["label"] == "plain" and r["status"] == 200 for r in results)
    held = slowest <= ANSWER_BOUND and plain_ok and peak < RSS_BOUND
    statuses = ",".join(str(r["status"]) for r in results)
    return Outcome("1 huge values in SQL", held, f"slowest {slowest:.2f} s, statuses {statuses}, peak RSS {mb(peak)}")


# ---------------------------------------------------------------- 2. 100,000 links

def flood_listing(mirror: Path, links: int = 100_000) -> int:
    """Put `links` review links (to pages that do not exist) at the top of the listing's main column."""
    listing = mirror / LISTING
    page = listing.read_text(encoding="utf-8")
    flood = "".join(f'<article class=l-post><h2 class=post-title><a href=/2025/05/r{n}/>R</a></h2></article>\n'
                    for n in range(links))
    anchor = '<div class="col-8 main-content">'
    assert anchor in page, "the listing page's layout changed: update flood_listing"
    listing.write_text(page.replace(anchor, anchor + "\n" + flood, 1), encoding="utf-8")
    return listing.stat().st_size


def listing_seconds(log: Path) -> str:
    """Seconds between the crawl's log lines "larger than download warn size" (the listing's headers arrived)
    and "links or more: only the first" (its links were read and cut): its download and parse."""
    stamps = {}
    for line in log.read_text(errors="replace").splitlines():
        for key, marker in (("headers", "larger than download warn size"), ("cut", "links or more: only the first")):
            if marker in line and key not in stamps:
                stamps[key] = datetime.strptime(line[:19], "%Y-%m-%d %H:%M:%S")
    if len(stamps) < 2:
        return "not logged"
    return f"{(stamps['cut'] - stamps['headers']).total_seconds():.0f} s (log times, to the second)"


def attack_links(workdir: Path) -> Outcome:
    mirror = copy_mirror(workdir)
    size = flood_listing(mirror)
    server = MirrorServer(mirror).start()
    crawl = crawl_served(server, workdir, "butwhytho")
    not_found = server.served[404]
    run = run_row(crawl["db"], "butwhytho")
    cut = re.search(r"([\d,]+) links not followed", run["problems"] or "")
    print(f"  listing page {mb(size)} with 100,000 links; crawl {crawl['seconds']:.1f} s, exit {crawl['status']}, "
          f"peak RSS {mb(crawl['maxrss'])}, {not_found:,} pages not found (the links followed)")
    print(f"  from the listing's headers to its links cut: {listing_seconds(crawl['log'])}")
    print(f"  run {run['status']}: {run['problems']}")
    held = (crawl["ended"] and crawl["maxrss"] < RSS_BOUND and crawl["status"] == 1 and run["status"] == "failed"
            and "MAX_LINKS_PER_PAGE" in (run["problems"] or ""))
    return Outcome("2 100,000-link listing", held,
                   f"{crawl['seconds']:.0f} s, exit {crawl['status']}, RSS {mb(crawl['maxrss'])}, "
                   f"links cut {cut[1] if cut else 0}, followed {not_found:,}, run {run['status']}")


# ---------------------------------------------------------------- 3. range bomb and overflow

BOMBS = {
    "2025/04/review-lazarus-episodes-1-3": "REVIEW: ‘Range Bomb’ Episodes 1-3000000",
    "2025/04/review-kowloon-generic-romance-episodes-1-3":
        "REVIEW: ‘Kowloon Generic Romance’ Episode 99999999999999999999999",
}


def plant_bombs(mirror: Path) -> list[str]:
    """Rewrite the two review pages' headlines (their <h1>); the review URLs they are stored under."""
    urls = []
    for path, headline in BOMBS.items():
        page_file = mirror / "butwhytho.net" / path / "index.html"
        page, count = re.subn(r'(<h1 class="is-title post-title">)[^<]*(</h1>)', rf"\g<1>{headline}\g<2>",
                              page_file.read_text(encoding="utf-8"))
        assert count == 1, f"no headline found in {page_file}"
        page_file.write_text(page, encoding="utf-8")
        urls.append(f"https://butwhytho.net/{path}/")
    return urls


def attack_range(workdir: Path) -> Outcome:
    mirror = copy_mirror(workdir)
    urls = plant_bombs(mirror)
    crawl = crawl_served(MirrorServer(mirror).start(), workdir, "butwhytho")
    db = crawl["db"]
    size = db.stat().st_size
    episodes = rows(db, "select count(*) n from episode_scores")[0]["n"]
    run = run_row(db, "butwhytho")
    print(f"  crawl {crawl['seconds']:.1f} s, exit {crawl['status']}, run {run['status']}, database {mb(size)}, "
          f"{episodes} episode_scores rows")
    refused = 0
    for url in urls:
        dropped = rows(db, "select field, reason from dropped_items where url = ?", url)
        stored = rows(db, "select headline, kind, episode_start, episode_end from reviews where url = ?", url)
        refused += bool(dropped)
        print(f"  {url}\n    dropped_items: {[(d['field'], d['reason']) for d in dropped] or 'none'}"
              f"\n    stored (headline, kind, episodes): {[tuple(s.values()) for s in stored] or 'not stored'}")
    held = crawl["ended"] and crawl["status"] == 0 and size < 20 * 2**20 and episodes < 100 and refused == len(urls)
    return Outcome("3 range bomb + overflow", held,
                   f"{crawl['seconds']:.0f} s, exit {crawl['status']}, db {mb(size)}, {episodes} episode rows, "
                   f"{refused}/{len(urls)} refusals in dropped_items")


# ---------------------------------------------------------------- 4. endless pagination

def attack_endless(workdir: Path) -> Outcome:
    server = endless_mirror(MIRROR_DIR)  # every listing page N links on to page N + 1
    crawl = crawl_served(server, workdir, "butwhytho")
    run = run_row(crawl["db"], "butwhytho")
    pages = server.listings_served
    print(f"  {pages:,} listing pages, {crawl['seconds']:.1f} s ({pages / crawl['seconds']:.0f} pages/s), "
          f"exit {crawl['status']}, peak RSS {mb(crawl['maxrss'])}, {'ended' if crawl['ended'] else 'KILLED'}")
    print(f"  run {run['status']}: {run['problems']}")
    held = (crawl["ended"] and crawl["status"] == 1 and run["status"] == "failed"
            and "DEPTH_LIMIT" in (run["problems"] or "") and crawl["maxrss"] < RSS_BOUND)
    return Outcome("4 endless pagination", held,
                   f"{pages:,} pages, {crawl['seconds']:.0f} s, exit {crawl['status']}, RSS {mb(crawl['maxrss'])}, "
                   f"run {run['status']}")


# ---------------------------------------------------------------- main

RUNNERS = {"queries": attack_queries, "links": attack_links, "range": attack_range, "endless": attack_endless}


def main(argv: list[str] | None = None) -> list[Outcome]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", type=Path, help="keep the mirrors, databases and logs in this folder")
    parser.add_argument("--only", default=",".join(ATTACKS), help=f"comma-separated subset of {','.join(ATTACKS)}")
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(chosen) - set(ATTACKS)
    if unknown:
        parser.error(f"unknown attacks {sorted(unknown)}: choose from {','.join(ATTACKS)}")
    base = args.keep or Path(tempfile.mkdtemp(prefix="attacks-"))
    base.mkdir(parents=True, exist_ok=True)
    outcomes = []
    started = time.perf_counter()
    try:
        for name in chosen:
            print(f"\n== {name}", flush=True)
            workdir = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=base))
            outcomes.append(RUNNERS[name](workdir))
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    print(f"\n{'attack':<26} {'result':<7} figures")
    for outcome in outcomes:
        print(f"{outcome.attack:<26} {'held' if outcome.held else 'FAILED':<7} {outcome.figures}")
    print(f"\n{sum(o.held for o in outcomes)} of {len(outcomes)} held; {time.perf_counter() - started:.0f} s in all"
          + (f"; files kept in {base}" if args.keep else ""))
    return outcomes


if __name__ == "__main__":
    main()
