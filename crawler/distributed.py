"""Distributed crawling on scrapy-redis: any number of workers share one crawl, one writer fills the database.

    scrapy seed [spider ...]      push every spider's start requests to Redis and open a run
    scrapy worker [spider ...]    crawl from the shared queues (as many as you like, on any machine)
    scrapy writer                 the one process that drains the items into data/reviews.db

Only `REDIS_URL` (setting or environment variable) is needed; without it nothing here is used and every
other command runs as before.

What lives in Redis (prefix `DISTRIBUTED_PREFIX`, default `animecritic`; `<run>` is the run id):

    <prefix>:run                    the current run: id, spiders, spider arguments, state (running/finished)
    <prefix>:<run>:<spider>:requests    scrapy-redis priority queue (sorted set of pickled requests)
    <prefix>:<run>:<spider>:dupefilter  scrapy-redis duplicate filter (set of request fingerprints)
    <prefix>:<run>:<spider>:processing  requests popped by a worker and not finished yet: token -> request
    <prefix>:<run>:<spider>:items       the items the workers scraped, JSON, for the writer
    <prefix>:<run>:<spider>:writing     items the writer took and has not stored yet
    <prefix>:<run>:<spider>:stats       the workers' figures (pages, 304s, errors…), summed
    <prefix>:<run>:<spider>:workers / :closed / :done   who crawled the spider, who finished, crawl over
    <prefix>:worker:<id>            a worker's heartbeat (expires after DISTRIBUTED_LEASE_SECONDS)
    <prefix>:<run>:writer           the writer holding the run (one at a time)

In-flight safety. Stock scrapy-redis pops a request from the queue and forgets it: a worker killed while it
downloads or parses loses every request it had popped (with 16 concurrent requests, up to 16 pages and all
the links they would have led to). Here a pop moves the request, in one Lua script, into the spider's
`processing` hash under a lease token naming the worker; the lease lasts as long as the worker's heartbeat.
The request leaves `processing` only when it is completely handled, again atomically:
- with its callback's (or errback's) output: the requests it yielded were pushed to the queue as they
  came (duplicate filter and queue updated in one script, so a crash can never mark a URL seen without
  queueing it), and its items, kept aside meanwhile (a worker has no item pipelines), are pushed to the
  items list in the same script that ends the lease, so a request's items are delivered exactly once;
- or handed over to the request that replaces it (a redirect, a retry), in the script that queues that one;
- or dropped (download error, robots.txt, an HTTP error) with no output.
A worker whose heartbeat expired is dead: any live worker (and every idle one, each poll) puts its leased
requests back on the queue. If it was only slow, its late commit finds its lease gone and is discarded,
so the request's items still arrive once. A spider's crawl is over when its queue and `processing` hash
are both empty (checked in one script): nothing can add a request after that. A worker leases at most as
many requests per spider as twice what it can download at once (CONCURRENT_REQUESTS_PER_DOMAIN per site of
the spider): the rest wait in Redis for whichever worker is free, and a dying worker holds few.

Run tracking. `seed` writes the run marker and the start requests in one transaction. The writer runs one
crawler per spider of the run, named like the spider, whose `start()` drains that spider's item list
through the project's ITEM_PIPELINES (validate, chrome, headline, score, series, store), so
`crawl_runs` gets one row per spider per run exactly as with `crawlall`. A spider's run is finished for
the writer when its crawl is over, its items are all stored, and every worker that crawled it has either
closed it (after pushing its final figures) or died; the workers' figures are then added to the writer's
stats before the store pipeline writes the run's row and health checks.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import secrets
import socket
import time
from datetime import datetime, timezone
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DontCloseSpider, UsageError
from scrapy.http import Request
from scrapy.utils.asyncio import create_looping_call
from scrapy.utils.misc import load_object
from scrapy.utils.serialize import ScrapyJSONEncoder

logger = logging.getLogger(__name__)

# Settings of the distributed mode, with their defaults. `configure()` puts them into the project settings
# (REDIS_URL and DISTRIBUTED_PREFIX from the environment); every reader also falls back to these.
DEFAULTS: dict[str, Any] = {
    "REDIS_URL": "",                      # redis://host:6379/0; empty: no distributed mode
    "DISTRIBUTED_PREFIX": "animecritic",  # the Redis keys' prefix: one per project (or per environment)
    "DISTRIBUTED_LEASE_SECONDS": 30.0,    # a worker silent this long is dead; its requests are re-queued
    "DISTRIBUTED_POLL_SECONDS": 0.5,      # how often idle workers and the writer look at Redis again
    "DISTRIBUTED_STATS_SECONDS": 1.0,     # how often workers push their figures
    "DISTRIBUTED_WORKER_ID": "",          # default: host-pid-random
    "DISTRIBUTED_MAX_LEASES": 0,          # requests a worker holds per spider; 0: twice what it can download at once
    "DISTRIBUTED_RUN": "",                # set by the worker and writer commands: the run they work on
    # False: stock scrapy-redis behaviour (a popped request lives only in the worker that popped it, items
    # are pushed at once); only there to measure what leases are for. Never turn it off in production.
    "DISTRIBUTED_LEASES": True,
}
ENVIRONMENT = ("REDIS_URL", "DISTRIBUTED_PREFIX")
# Above the project's settings and a spider's custom_settings, below `-s` on the command line.
COMMAND_PRIORITY = 35

LEASE_META = "_distributed_lease"
EXIT_BUSY = 75  # EX_TEMPFAIL, as crawlall when its lock is held


def configure(namespace: dict) -> None:
    """Add the distributed mode's settings to a settings module's namespace (`configure(globals())`)."""
    for name, default in DEFAULTS.items():
        if name in ENVIRONMENT and os.environ.get(name):
            default = os.environ[name]
        namespace.setdefault(name, default)


def setting(settings, name: str):
    value = settings.get(name)
    if value in (None, ""):
        value = os.environ.get(name) if name in ENVIRONMENT else None
    return value if value not in (None, "") else DEFAULTS[name]


def redis_url(settings) -> str:
    url = setting(settings, "REDIS_URL")
    if not url:
        raise UsageError("distributed mode needs REDIS_URL (a setting or environment variable), "
                         "e.g. REDIS_URL=redis://127.0.0.1:6379/0")
    return url


def connect(settings):
    """A Redis client for these settings (scrapy-redis' connection helper; bytes in and out)."""
    from scrapy_redis import defaults
    from scrapy_redis.connection import get_redis

    params = defaults.REDIS_PARAMS.copy()
    params.update(settings.getdict("REDIS_PARAMS"))
    return get_redis(url=redis_url(settings), **params)


def worker_id(settings) -> str:
    """This process's name in leases and heartbeats (no `|`, which separates a token's parts)."""
    global _WORKER_ID
    configured = setting(settings, "DISTRIBUTED_WORKER_ID")
    if configured:
        return re.sub(r"[|\s]", "_", str(configured))
    if _WORKER_ID is None:
        host = re.sub(r"[|\s]", "_", socket.gethostname())
        _WORKER_ID = f"{host}-{os.getpid()}-{secrets.token_hex(2)}"
    return _WORKER_ID


_WORKER_ID: str | None = None


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Keys:
    """The Redis keys of one project (prefix) and run."""

    def __init__(self, prefix: str, run_id: str = ""):
        self.prefix = prefix
        self.run_id = run_id

    @classmethod
    def from_settings(cls, settings) -> "Keys":
        return cls(setting(settings, "DISTRIBUTED_PREFIX"), setting(settings, "DISTRIBUTED_RUN"))

    @property
    def run(self) -> str:
        return f"{self.prefix}:run"

    def heartbeat_prefix(self) -> str:
        return f"{self.prefix}:worker:"

    def heartbeat(self, worker: str) -> str:
        return self.heartbeat_prefix() + worker

    def writer(self) -> str:
        return f"{self.prefix}:{self.run_id}:writer"

    def spider(self, spider: str, what: str) -> str:
        return f"{self.prefix}:{self.run_id}:{spider}:{what}"

    def pattern(self, what: str) -> str:
        """A scrapy-redis key setting (`%(spider)s` filled in by scrapy-redis)."""
        return f"{self.prefix}:{self.run_id}:%(spider)s:{what}"


# --- the run marker -------------------------------------------------------------------------------------

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
    from scrapy_redis import picklecompat

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
        crawler = Crawler(spidercls, settings)
        spider = spidercls.from_crawler(crawler, **spider_args)
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
        stale = list(server.scan_iter(match=f"{keys.prefix}:{previous['id']}:*", count=500))
        for start in range(0, len(stale), 500):
            server.delete(*stale[start:start + 500])
    return {"id": run_id, "spiders": names, "seeded": seeded, "replaced": previous["id"] if previous else None}


def finish_run(server, keys: Keys, status: str) -> None:
    """The writer's last word: the run is over (and `seed` may open the next one)."""
    run = read_run(server, keys)
    if run and run["id"] == keys.run_id:
        server.hset(keys.run, mapping={"state": "finished", "finished": now_iso(), "status": status})


# --- Lua: every move of a request between queue, lease and items is one atomic step ----------------------

# KEYS: queue, processing. ARGV: token prefix (worker|seq). The request with the best priority moves to
# `processing` under the token worker|seq|score (the score, to put it back where it was).
POP_LUA = """
local found = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #found == 0 then return false end
redis.call('ZREM', KEYS[1], found[1])
local token = ARGV[1] .. '|' .. found[2]
redis.call('HSET', KEYS[2], token, found[1])
return {token, found[1]}
"""

# KEYS: queue, dupefilter, processing, sequence. ARGV: fingerprint ('' = dont_filter), priority, request,
# parent token ('' = none). Seen-check and push in one step. Within a priority the newest request comes out
# first, as in Scrapy's own (LIFO) queues, so a listing's next page is fetched before the reviews it lists
# (stock scrapy-redis orders equal priorities by the pickled bytes). A parent token hands the lease over (a
# redirect or retry replaces the leased request); if that lease is gone (the worker was taken for dead and
# the request re-queued) the replacement is dropped: the re-queued original will make it again.
ENQUEUE_LUA = """
if ARGV[4] ~= '' and redis.call('HEXISTS', KEYS[3], ARGV[4]) == 0 then return -1 end
local added = 1
if ARGV[1] ~= '' then added = redis.call('SADD', KEYS[2], ARGV[1]) end
if added == 1 then
  local score = -tonumber(ARGV[2]) * 1e12 - redis.call('INCR', KEYS[4])
  redis.call('ZADD', KEYS[1], score, ARGV[3])
end
if ARGV[4] ~= '' then redis.call('HDEL', KEYS[3], ARGV[4]) end
return added
"""
PRIORITY_STEP = 1e12  # a score is -priority * 1e12 - sequence (exact in a double while |priority| < 9000)

# KEYS: processing, items. ARGV: token, items... The request is done: its items go out with the lease's
# end, or not at all when the lease is no longer ours.
COMMIT_LUA = """
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
for i = 2, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
return 1
"""

# KEYS: processing, queue. ARGV: heartbeat key prefix, a worker to treat as dead ('' = none). Requests
# leased by workers without a heartbeat go back on the queue with their priority.
REAP_LUA = """
local entries = redis.call('HGETALL', KEYS[1])
local alive = {}
local requeued = 0
for i = 1, #entries, 2 do
  local token = entries[i]
  local worker, score = string.match(token, '^(.*)|[^|]*|([^|]*)$')
  if worker then
    if alive[worker] == nil then
      if worker == ARGV[2] then alive[worker] = 0 else alive[worker] = redis.call('EXISTS', ARGV[1] .. worker) end
    end
    if alive[worker] == 0 then
      redis.call('ZADD', KEYS[2], tonumber(score), entries[i + 1])
      redis.call('HDEL', KEYS[1], token)
      requeued = requeued + 1
    end
  end
end
return requeued
"""

# KEYS: queue, processing, done. The crawl is over when nothing is queued and nothing is leased.
DONE_LUA = """
if redis.call('EXISTS', KEYS[3]) == 1 then return 1 end
if redis.call('ZCARD', KEYS[1]) > 0 or redis.call('HLEN', KEYS[2]) > 0 then return 0 end
redis.call('SET', KEYS[3], '1')
return 1
"""

# KEYS: stats hash. ARGV: field, value. Keep the maximum (request_depth_max).
HMAX_LUA = """
local old = redis.call('HGET', KEYS[1], ARGV[1])
if (not old) or tonumber(old) < tonumber(ARGV[2]) then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
return 1
"""


# --- scrapy-redis, made safe for killed workers -----------------------------------------------------------

class _RequestDoneSet(set):
    """The engine's set of requests in progress, telling us when one leaves it: by then its response went
    through the spider and everything it yielded was scheduled or processed (the engine removes a request
    only after the scraper finished with it), or it was redirected, retried or dropped."""

    def __init__(self, requests, on_done):
        super().__init__(requests)
        self.on_done = on_done

    def remove(self, request) -> None:
        super().remove(request)
        try:
            self.on_done(request)
        except Exception:
            logger.exception("could not end the lease of %s", request)


_LAZY = ("RedisDupeFilter", "LeasedQueue", "LeasedScheduler")


def __getattr__(name: str):
    # Scrapy loads SCHEDULER, SCHEDULER_QUEUE_CLASS and DUPEFILTER_CLASS by name, which lands here.
    if name in _LAZY:
        globals().update(_scrapy_redis_classes())
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _scrapy_redis_classes() -> dict:
    """The scrapy-redis subclasses, defined on first use: scrapy-redis imports redis-py, a quarter of a second
    that every other scrapy command (all import this module, through settings.py and the commands) need not pay."""
    from scrapy_redis import dupefilter as _dupefilter, queue as _queue, scheduler as _scheduler

    class RedisDupeFilter(_dupefilter.RFPDupeFilter):
        """scrapy-redis' Redis set of fingerprints, with Scrapy's own request fingerprints (the ones a
        single-process crawl uses, REQUEST_FINGERPRINTER_CLASS) instead of scrapy-redis' private recipe."""

        def __init__(self, server, key, debug=False, fingerprinter=None):
            super().__init__(server, key, debug)
            self.fingerprinter = fingerprinter

        @classmethod
        def from_spider(cls, spider):
            instance = super().from_spider(spider)
            instance.fingerprinter = spider.crawler.request_fingerprinter
            return instance

        def request_fingerprint(self, request) -> str:
            if self.fingerprinter is None:
                return super().request_fingerprint(request)
            return self.fingerprinter.fingerprint(request).hex()

    class LeasedQueue(_queue.PriorityQueue):
        """scrapy-redis' priority queue (a sorted set) whose pops are leases (see the module's docstring)."""

        def __init__(self, server, spider, key, serializer=None):
            super().__init__(server, spider, key, serializer)
            self.processing_key = self.key.rsplit(":", 1)[0] + ":processing"
            self.sequence_key = self.key.rsplit(":", 1)[0] + ":sequence"
            self._pop = server.register_script(POP_LUA)
            self._enqueue = server.register_script(ENQUEUE_LUA)
            self._commit = server.register_script(COMMIT_LUA)
            self._reap = server.register_script(REAP_LUA)
            self._done = server.register_script(DONE_LUA)
            self._sequence = 0
            self.worker = ""
            self.leases = True

        def push(self, request) -> None:  # scrapy-redis API, for anyone pushing requests by hand
            self.push_unseen(request, None, "", "")

        def push_unseen(self, request, dupefilter_key: str | None, fingerprint: str, parent: str) -> int:
            """1 queued, 0 already seen, -1 the parent's lease is gone."""
            data = self._encode_request(request)
            keys = [self.key, dupefilter_key or "", self.processing_key, self.sequence_key]
            return int(self._enqueue(keys=keys, args=[fingerprint, request.priority, data, parent]))

        def pop(self, timeout=0):
            if not self.leases:  # stock scrapy-redis: once popped, the request lives only in this worker
                return super().pop(timeout)
            self._sequence += 1
            found = self._pop(keys=[self.key, self.processing_key], args=[f"{self.worker}|{self._sequence}"])
            if not found:
                return None
            token, data = found
            request = self._decode_request(data)
            request.meta[LEASE_META] = token.decode()
            return request

        def commit(self, token: str, items: list[bytes]) -> bool:
            return bool(self._commit(keys=[self.processing_key, self.spider_items_key], args=[token, *items]))

        def reap(self, heartbeat_prefix: str, dead_worker: str = "") -> int:
            return int(self._reap(keys=[self.processing_key, self.key], args=[heartbeat_prefix, dead_worker]))

        def crawl_over(self, done_key: str) -> bool:
            return bool(self._done(keys=[self.key, self.processing_key, done_key]))

        def in_flight(self) -> int:
            return self.server.hlen(self.processing_key)

    class LeasedScheduler(_scheduler.Scheduler):
        """scrapy-redis' scheduler for a worker: leases (above), heartbeats, the workers' figures, and a spider
        that closes only when the whole crawl, on every worker, is over.

        Differences from stock scrapy-redis 0.9.1 under Scrapy 2.19, worked around here: `close()` must never
        flush the shared queue and duplicate filter (SCHEDULER_PERSIST is forced on: a stock worker finishing
        first deletes everybody's queue); DUPEFILTER_CLASS must be the Redis filter (Scrapy's default has no
        `from_spider`, and scrapy-redis would silently build an in-memory filter per worker); its stats calls
        pass `spider=`, deprecated in Scrapy 2.19; and its idle polling relies on the engine's 5 s heartbeat."""

        def __init__(self, server, **kwargs):
            kwargs["persist"] = True
            kwargs["flush_on_start"] = False
            super().__init__(server, **kwargs)
            self.crawler = None
            self.leases: dict[str, list[bytes]] = {}
            self.flushed: dict[str, float] = {}
            self.loop = None

        @classmethod
        def from_crawler(cls, crawler):
            instance = cls.from_settings(crawler.settings)
            instance.stats = crawler.stats
            instance.crawler = crawler
            settings = crawler.settings
            instance.keys = Keys.from_settings(settings)
            if not instance.keys.run_id:
                raise UsageError("LeasedScheduler runs in `scrapy worker`, which sets DISTRIBUTED_RUN")
            instance.worker = worker_id(settings)
            instance.lease_ms = int(float(setting(settings, "DISTRIBUTED_LEASE_SECONDS")) * 1000)
            instance.poll = float(setting(settings, "DISTRIBUTED_POLL_SECONDS"))
            instance.stats_every = float(setting(settings, "DISTRIBUTED_STATS_SECONDS"))
            instance._hmax = instance.server.register_script(HMAX_LUA)
            # An idle worker asks Redis again every `poll` seconds, not every 5 s (the engine's default).
            crawler.engine._SLOT_HEARTBEAT_INTERVAL = instance.poll
            return instance

        # scheduler interface --------------------------------------------------------------------------------

        def open(self, spider):
            # scrapy-redis' open() without its Spider.log() call (deprecated in Scrapy 2.19) and flush option.
            self.spider = spider
            self.queue = load_object(self.queue_cls)(server=self.server, spider=spider,
                                                     key=self.queue_key % {"spider": spider.name},
                                                     serializer=self.serializer)
            if not self.df:
                self.df = load_object(self.dupefilter_cls).from_spider(spider)
            if not isinstance(self.queue, LeasedQueue):
                raise UsageError("SCHEDULER_QUEUE_CLASS must be crawler.distributed.LeasedQueue")
            self.queue.worker = self.worker
            leases = str(setting(self.crawler.settings, "DISTRIBUTED_LEASES")).lower()
            self.queue.leases = leases not in ("0", "false", "no", "off")
            self.queue.spider_items_key = self.keys.spider(spider.name, "items")
            # Lease about what can be downloaded at once (twice that, so the next downloads start while the last
            # pages are parsed): Scrapy alone would pop CONCURRENT_REQUESTS requests and queue them per site
            # locally, where no other worker can take them (and a dying worker would hold them all).
            settings = self.crawler.settings
            sites = max(1, len(getattr(spider, "allowed_domains", None) or []))
            self.max_leases = int(setting(settings, "DISTRIBUTED_MAX_LEASES")) or min(
                settings.getint("CONCURRENT_REQUESTS"), 2 * settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") * sites)
            slot = getattr(self.crawler.engine, "_slot", None)
            if slot is None or not isinstance(getattr(slot, "inprogress", None), set):
                raise RuntimeError("this Scrapy's engine has no slot.inprogress set: leases cannot be released")
            slot.inprogress = _RequestDoneSet(slot.inprogress, self.request_done)
            self.beat()
            self.server.sadd(self.keys.spider(spider.name, "workers"), self.worker)
            self.crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
            self.crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
            self.encoder = ScrapyJSONEncoder(ensure_ascii=False)
            self.loop = create_looping_call(self.tick)
            self.loop.start(min(self.stats_every, self.lease_ms / 3000), now=False)
            logger.info("worker %s on run %s: %d requests queued, %d in flight", self.worker, self.keys.run_id,
                        len(self.queue), self.queue.in_flight())

        def close(self, reason):
            if self.loop is not None and self.loop.running:
                self.loop.stop()
            if self.leases:  # closed early (shutdown): give back what we hold
                self.queue.reap(self.keys.heartbeat_prefix(), self.worker)
                logger.info("gave %d leased requests back to the queue", len(self.leases))
                self.leases.clear()
            self.flush_stats()
            self.server.sadd(self.keys.spider(self.spider.name, "closed"), self.worker)

        def enqueue_request(self, request) -> bool:
            parent = request.meta.pop(LEASE_META, None) or ""
            if parent:  # a redirect or retry replacing a leased request: the lease goes with it
                self.leases.pop(parent, None)
            fingerprint = "" if request.dont_filter else self.df.request_fingerprint(request)
            outcome = self.queue.push_unseen(request, self.df.key, fingerprint, parent)
            if outcome == 1:
                self.stats.inc_value("scheduler/enqueued/redis")
                return True
            if outcome == 0:
                self.df.log(request, self.spider)
            else:
                self.stats.inc_value("distributed/lease_lost")
            return False

        def next_request(self):
            if len(self.leases) >= self.max_leases:
                return None  # let it wait in Redis, where any worker can take it
            request = self.queue.pop()
            if request is None:
                return None
            if LEASE_META in request.meta:
                self.leases[request.meta[LEASE_META]] = []
            self.stats.inc_value("scheduler/dequeued/redis")
            return request

        def has_pending_requests(self) -> bool:
            return len(self.queue) > 0

        # leases ---------------------------------------------------------------------------------------------

        def item_scraped(self, item, response, spider) -> None:
            """An item from a callback or errback (the worker has no item pipelines): kept with the lease of
            the request it came from, it leaves the worker when that lease ends. The engine lets go of the
            request only after all its items went through here."""
            data = encode_item(item, self.encoder)
            request = getattr(response, "request", None)  # a Response's, or a download Failure's
            token = request.meta.get(LEASE_META) if request is not None else None
            if token is not None and token in self.leases:
                self.leases[token].append(data)
            else:  # DISTRIBUTED_LEASES off (stock scrapy-redis), or an item from nowhere: sent at once
                self.server.rpush(self.keys.spider(spider.name, "items"), data)

        def request_done(self, request) -> None:
            token = request.meta.get(LEASE_META)
            if token is None or token not in self.leases:
                return  # not leased (robots.txt), or handed over to its redirect or retry
            items = self.leases.pop(token)
            if self.queue.commit(token, items):
                self.stats.inc_value("distributed/items_sent", len(items))
            else:
                self.stats.inc_value("distributed/lease_lost")
                logger.warning("lease of %s expired while it was being handled (worker taken for dead): it was "
                               "re-queued for another worker; %d items discarded here", request.url, len(items))

        # liveness and figures ----------------------------------------------------------------------------------

        def beat(self) -> None:
            self.server.set(self.keys.heartbeat(self.worker), now_iso(), px=self.lease_ms)

        def reap(self) -> None:
            requeued = self.queue.reap(self.keys.heartbeat_prefix())
            if requeued:
                self.stats.inc_value("distributed/requeued", requeued)
                logger.warning("%s: %d requests leased by dead workers put back on the queue", self.spider.name,
                               requeued)
                self.crawler.engine._slot.nextcall.schedule()

        def tick(self) -> None:
            try:
                self.beat()
                self.reap()
                self.flush_stats()
            except Exception:
                logger.exception("distributed worker housekeeping failed")

        def spider_idle(self, spider) -> None:
            """Nothing to do locally: wait while other workers may still queue requests; close when the crawl
            is over everywhere (or the run was replaced)."""
            self.beat()
            self.reap()
            run = read_run(self.server, self.keys)
            if not run or run["id"] != self.keys.run_id:
                raise CloseSpider("run_replaced")
            if self.queue.crawl_over(self.keys.spider(spider.name, "done")):
                return
            raise DontCloseSpider

        def flush_stats(self) -> None:
            """Add what changed in this worker's figures since the last flush to the spider's Redis hash."""
            key = self.keys.spider(self.spider.name, "stats")
            pipe = self.server.pipeline(transaction=False)
            for name, value in (self.stats.get_stats() or {}).items():
                if not mergeable(name, value):
                    continue
                if name in MAX_STATS:
                    if value != self.flushed.get(name):
                        self._hmax(keys=[key], args=[name, value], client=pipe)
                        self.flushed[name] = value
                    continue
                delta = value - self.flushed.get(name, 0)
                if delta:
                    if isinstance(value, int) and isinstance(delta, int):
                        pipe.hincrby(key, name, delta)
                    else:
                        pipe.hincrbyfloat(key, name, delta)
                    self.flushed[name] = value
            pipe.execute()

    classes = {"RedisDupeFilter": RedisDupeFilter, "LeasedQueue": LeasedQueue, "LeasedScheduler": LeasedScheduler}
    for cls in classes.values():
        cls.__module__, cls.__qualname__ = __name__, cls.__name__
    return classes


# Figures kept by the writer itself (items, pipelines) or meaningless summed over processes.
LOCAL_STATS = ("item_scraped_count", "item_dropped_count", "item_dropped_reasons_count/", "log_count/",
               "memusage/", "scheduler/", "start_time", "finish_time", "finish_reason", "elapsed_time_seconds",
               "items_per_minute", "responses_per_minute", "reviews/", "health/", "errors")
MAX_STATS = {"request_depth_max"}


def mergeable(name: str, value) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and not any(name == p or name.startswith(p) for p in LOCAL_STATS))


class WorkerMiddleware:
    """Spider middleware of a worker. Start requests come from Redis (seeded once, by `scrapy seed`), so
    the spider's own start() is skipped. The requests a callback yields are new requests, never the leased
    one's continuation: they carry no lease (a redirect or retry, made by downloader middlewares, does)."""

    async def process_start(self, start):
        return
        yield  # an async generator yielding nothing

    async def process_spider_output(self, response, result):
        async for output in result:
            if isinstance(output, Request):
                output.meta.pop(LEASE_META, None)
            yield output


def encode_item(item, encoder: ScrapyJSONEncoder | None = None) -> bytes:
    from itemadapter import ItemAdapter

    cls = type(item)
    payload = {"cls": f"{cls.__module__}.{cls.__qualname__}", "item": ItemAdapter(item).asdict()}
    return (encoder or ScrapyJSONEncoder(ensure_ascii=False)).encode(payload).encode("utf-8")


def decode_item(data: bytes):
    payload = json.loads(data)
    cls = load_object(payload["cls"])
    if cls is dict:
        return dict(payload["item"])
    item = cls()
    for name, value in payload["item"].items():
        try:
            item[name] = value
        except KeyError:
            logger.warning("item field %r unknown to this writer's %s: ignored", name, payload["cls"])
    return item


def worker_settings(settings, keys: Keys) -> dict:
    """What makes a crawl process a worker: the Redis scheduler, no item pipelines (workers never write
    the database), the item-capturing middleware, and no HTTP cache (requests land on any worker, so a
    private cache seldom hits; `-s HTTPCACHE_ENABLED=True -s HTTPCACHE_DIR=<per-worker dir>` turns it on)."""
    middlewares = dict(settings.getdict("SPIDER_MIDDLEWARES"))
    middlewares["crawler.distributed.WorkerMiddleware"] = 1000
    return {
        "REDIS_URL": redis_url(settings),
        "DISTRIBUTED_RUN": keys.run_id,
        "SCHEDULER": "crawler.distributed.LeasedScheduler",
        "SCHEDULER_QUEUE_CLASS": "crawler.distributed.LeasedQueue",
        "SCHEDULER_QUEUE_KEY": keys.pattern("requests"),
        "SCHEDULER_DUPEFILTER_KEY": keys.pattern("dupefilter"),
        "DUPEFILTER_CLASS": "crawler.distributed.RedisDupeFilter",
        "SCHEDULER_SERIALIZER": "scrapy_redis.picklecompat",
        "SCHEDULER_PERSIST": True,
        "ITEM_PIPELINES": {},
        "SPIDER_MIDDLEWARES": middlewares,
        "HTTPCACHE_ENABLED": False,
    }


# --- the writer -----------------------------------------------------------------------------------------

class ItemDrain:
    """The writer's side of one spider's item list."""

    def __init__(self, server, keys: Keys, spider: str):
        self.server = server
        self.keys = keys
        self.items = keys.spider(spider, "items")
        self.writing = keys.spider(spider, "writing")

    def recover(self) -> int:
        """Items a killed writer took and never stored go back to the head of the list, in order."""
        moved = 0
        while self.server.lmove(self.writing, self.items, "RIGHT", "LEFT") is not None:
            moved += 1
        return moved

    def take(self) -> bytes | None:
        return self.server.lmove(self.items, self.writing, "LEFT", "RIGHT")

    def ack(self, data: bytes) -> None:
        self.server.lrem(self.writing, 1, data)

    def waiting(self) -> int:
        return self.server.llen(self.items) + self.server.llen(self.writing)


class DrainSpiderMixin:
    """Mixed into a spider's class in the writer: same name (so `crawl_runs` says which spider), but its
    start() yields the items the workers scraped instead of requests."""

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.distributed_keys = Keys.from_settings(settings)
        spider.distributed_server = connect(settings)
        spider.drain = ItemDrain(spider.distributed_server, spider.distributed_keys, spider.name)
        spider.poll = float(setting(settings, "DISTRIBUTED_POLL_SECONDS"))
        spider.taken = {}  # id(item) -> its JSON in the writing list
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(spider.item_done, signal=signal)
        return spider

    def item_done(self, item, **kwargs) -> None:
        data = self.taken.pop(id(item), None)
        if data is None and self.taken:  # a pipeline returned another object: ack the oldest instead
            data = self.taken.pop(next(iter(self.taken)))
        if data is not None:
            self.drain.ack(data)

    async def start(self):
        keys, server = self.distributed_keys, self.distributed_server
        recovered = self.drain.recover()
        if recovered:
            self.logger.warning("%d items taken by an earlier writer and not stored: storing them now", recovered)
        lease_ms = int(float(setting(self.crawler.settings, "DISTRIBUTED_LEASE_SECONDS")) * 1000)
        last_check = 0.0
        while True:
            if time.monotonic() - last_check >= self.poll:  # also while items stream in
                last_check = time.monotonic()
                run = read_run(server, keys)
                if not run or run["id"] != keys.run_id:
                    raise CloseSpider("run_replaced")
                server.set(keys.writer(), worker_id(self.crawler.settings), px=lease_ms)
            data = self.drain.take()
            if data is not None:
                item = decode_item(data)
                self.taken[id(item)] = data
                yield item
                continue
            if self.crawl_finished():
                merge_worker_stats(server, keys, self.name, self.crawler.stats)
                return
            await asyncio.sleep(self.poll / 5)

    def crawl_finished(self) -> bool:
        """Crawl over, every item stored, and every worker that crawled the spider closed it (its final
        figures pushed) or died."""
        server, keys = self.distributed_server, self.distributed_keys
        if not server.exists(keys.spider(self.name, "done")) or self.drain.waiting():
            return False
        workers = server.smembers(keys.spider(self.name, "workers"))
        closed = server.smembers(keys.spider(self.name, "closed"))
        return not any(server.exists(keys.heartbeat(w.decode())) for w in workers - closed)


def merge_worker_stats(server, keys: Keys, spider: str, stats) -> None:
    for name, value in server.hgetall(keys.spider(spider, "stats")).items():
        name, text = name.decode(), value.decode()
        number = float(text)
        number = int(number) if number.is_integer() and "." not in text else number
        if name in MAX_STATS:
            stats.max_value(name, number)
        else:
            stats.inc_value(name, number)


def drain_spider_class(spidercls):
    return type(spidercls.__name__, (DrainSpiderMixin, spidercls), {"__module__": spidercls.__module__})


def writer_settings(settings, keys: Keys) -> dict:
    # The writer downloads nothing: no embedded mirror server, no cache.
    return {"REDIS_URL": redis_url(settings), "DISTRIBUTED_RUN": keys.run_id, "MIRROR_MODE": "off",
            "HTTPCACHE_ENABLED": False}


def claim_writer(server, keys: Keys, me: str, lease_ms: int) -> str | None:
    """Take the run's writer lease; the live writer's id when another holds it."""
    if server.set(keys.writer(), me, nx=True, px=lease_ms):
        return None
    holder = server.get(keys.writer())
    if holder is None or holder.decode() == me:
        server.set(keys.writer(), me, px=lease_ms)
        return None
    return holder.decode()


def run_status(server, keys: Keys) -> dict:
    """What `scrapy runstatus` prints: the run and, per spider, its queue, leases, items and workers."""
    run = read_run(server, keys)
    if not run:
        return {}
    keys = Keys(keys.prefix, run["id"])
    spiders = {}
    for name in run["spiders"]:
        workers = {w.decode() for w in server.smembers(keys.spider(name, "workers"))}
        closed = {w.decode() for w in server.smembers(keys.spider(name, "closed"))}
        spiders[name] = {
            "queued": server.zcard(keys.spider(name, "requests")),
            "in_flight": server.hlen(keys.spider(name, "processing")),
            "seen": server.scard(keys.spider(name, "dupefilter")),
            "items_waiting": server.llen(keys.spider(name, "items")) + server.llen(keys.spider(name, "writing")),
            "crawl_over": bool(server.exists(keys.spider(name, "done"))),
            "workers_alive": sorted(w for w in workers - closed if server.exists(keys.heartbeat(w))),
        }
    return {"run": run, "spiders": spiders}
