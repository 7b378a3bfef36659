"""The run marker (`<prefix>:run`): `seed` opens a run, workers and the writer wait for it, the writer
finishes it, `runstatus` reports on it."""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from datetime import datetime, timezone

from scrapy.crawler import Crawler
from scrapy.exceptions import UsageError
from scrapy.http import Request

from crawler.distributed.keys import Keys, connect, now_iso, setting
from crawler.distributed.leases import PRIORITY_STEP

logger = logging.getLogger(__name__)

EXIT_BUSY = 75  # EX_TEMPFAIL, as crawlall when its lock is held


class RunInProgress(Exception):
    """A distributed run is still going on (or its writer never finished it)."""


def read_run(server, keys: Keys) -> dict | None:
    raw = server.hgetall(keys.run)
    if not raw:
        return None
    run = {k.decode(): v.decode() for k, v in raw.items()}
    run["spiders"] = json.loads(run.get("spiders") or "[]")
    run["args"] = json.loads(run.get("args") or "{}")
    return run


def wait_for_run(server, keys: Keys, timeout: float, poll: float, not_id: str | None = None) -> dict | None:
    """The current run once one is running (`timeout` 0: wait for ever); None on timeout."""
    deadline = time.monotonic() + timeout if timeout else None
    said = False
    while True:
        run = read_run(server, keys)
        if run and run.get("state") == "running" and run["id"] != not_id:
            return run
        if deadline is not None and time.monotonic() >= deadline:
            return None
        if not said:
            logger.info("waiting for a distributed run (scrapy seed) on %s", keys.run)
            said = True
        time.sleep(poll)


def start_requests_of(spider) -> list[Request]:
    """What the spider's start() yields (start URLs, feeds, sitemaps), without running a crawl."""
    async def collect() -> list:
        return [output async for output in spider.start()]

    loop = asyncio.new_event_loop()
    try:
        outputs = loop.run_until_complete(collect())
    finally:
        loop.close()
    requests = [output for output in outputs if isinstance(output, Request)]
    if len(requests) != len(outputs):
        raise UsageError(f"{spider.name}: start() yields items; only requests can be seeded")
    return requests


def seed_run(settings, spider_loader, names: list[str], spider_args: dict[str, str], force: bool = False) -> dict:
    """Open a new run: every named spider's start requests on its Redis queue, then the run marker, in one
    transaction (workers never see a run half seeded). The previous run's keys are deleted."""
    from scrapy_redis import picklecompat  # imported here: it imports redis-py (see keys.connect)

    server = connect(settings)
    keys = Keys(setting(settings, "DISTRIBUTED_PREFIX"))
    previous = read_run(server, keys)
    if previous and previous.get("state") == "running" and not force:
        raise RunInProgress(f"run {previous['id']} (spiders {', '.join(previous['spiders'])}, started "
                            f"{previous.get('started')}) is not finished; its writer marks it finished")
    run_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)
    keys = Keys(keys.prefix, run_id)
    transaction = server.pipeline(transaction=True)
    seeded = {}
    for name in names:
        spidercls = spider_loader.load(name)
        spider = spidercls.from_crawler(Crawler(spidercls, settings), **spider_args)
        requests = start_requests_of(spider)
        for request in requests:
            data = picklecompat.dumps(request.to_dict(spider=spider))
            transaction.zadd(keys.spider(name, "requests"), {data: -request.priority * PRIORITY_STEP})
        seeded[name] = len(requests)
    transaction.delete(keys.run)
    transaction.hset(keys.run, mapping={
        "id": run_id, "spiders": json.dumps(names), "args": json.dumps(spider_args), "state": "running",
        "started": now_iso(), "seeded": json.dumps(seeded),
    })
    transaction.execute()
    if previous:
        delete_run_keys(server, keys.prefix, previous["id"])
    return {"id": run_id, "spiders": names, "seeded": seeded, "replaced": previous["id"] if previous else None}


def delete_run_keys(server, prefix: str, run_id: str) -> None:
    stale = list(server.scan_iter(match=f"{prefix}:{run_id}:*", count=500))
    for start in range(0, len(stale), 500):
        server.delete(*stale[start:start + 500])


def finish_run(server, keys: Keys, status: str) -> None:
    """The writer's last word: the run is over (and `seed` may open the next one)."""
    run = read_run(server, keys)
    if run and run["id"] == keys.run_id:
        server.hset(keys.run, mapping={"state": "finished", "finished": now_iso(), "status": status})


def live_workers(server, keys: Keys, spider: str) -> list[str]:
    """The workers that crawled the spider, have not closed it, and still beat."""
    workers = {w.decode() for w in server.smembers(keys.spider(spider, "workers"))}
    closed = {w.decode() for w in server.smembers(keys.spider(spider, "closed"))}
    return sorted(w for w in workers - closed if server.exists(keys.heartbeat(w)))


def items_waiting(server, keys: Keys, spider: str) -> int:
    """Items the workers pushed and the writer has not stored (taken or not)."""
    return server.llen(keys.spider(spider, "items")) + server.llen(keys.spider(spider, "writing"))


def run_status(server, keys: Keys) -> dict:
    """What `scrapy runstatus` prints: the run and, per spider, its queue, leases, items and workers."""
    run = read_run(server, keys)
    if not run:
        return {}
    keys = Keys(keys.prefix, run["id"])
    spiders = {}
    for name in run["spiders"]:
        spiders[name] = {
            "queued": server.zcard(keys.spider(name, "requests")),
            "in_flight": server.hlen(keys.spider(name, "processing")),
            "seen": server.scard(keys.spider(name, "dupefilter")),
            "items_waiting": items_waiting(server, keys, name),
            "crawl_over": bool(server.exists(keys.spider(name, "done"))),
            "workers_alive": live_workers(server, keys, name),
        }
    return {"run": run, "spiders": spiders}
