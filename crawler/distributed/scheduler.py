"""scrapy-redis' scheduler, queue and duplicate filter, made safe for killed workers (see the package's
docstring). Scrapy loads them by name, through the SCHEDULER, SCHEDULER_QUEUE_CLASS and DUPEFILTER_CLASS
settings of `worker_settings()`, so only a worker imports scrapy-redis and redis-py."""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import CloseSpider, DontCloseSpider, UsageError
from scrapy.utils.asyncio import create_looping_call
from scrapy.utils.misc import load_object
from scrapy.utils.serialize import ScrapyJSONEncoder
from scrapy_redis import dupefilter as redis_dupefilter, queue as redis_queue, scheduler as redis_scheduler

from crawler.distributed import engine
from crawler.distributed.keys import Keys, lease_ms, now_iso, poll_seconds, setting, worker_id
from crawler.distributed.leases import COMMIT_LUA, DONE_LUA, ENQUEUE_LUA, HMAX_LUA, LEASE_META, POP_LUA, REAP_LUA
from crawler.distributed.run import read_run
from crawler.distributed.worker import MAX_STATS, encode_item, mergeable

logger = logging.getLogger(__name__)


class RedisDupeFilter(redis_dupefilter.RFPDupeFilter):
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


class LeasedQueue(redis_queue.PriorityQueue):
    """scrapy-redis' priority queue (a sorted set) whose pops are leases (see the package's docstring)."""

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


class LeasedScheduler(redis_scheduler.Scheduler):
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
        instance.lease_ms = lease_ms(settings)
        instance.poll = poll_seconds(settings)
        instance.stats_every = float(setting(settings, "DISTRIBUTED_STATS_SECONDS"))
        instance._hmax = instance.server.register_script(HMAX_LUA)
        # An idle worker asks Redis again every `poll` seconds, not every 5 s (the engine's default).
        engine.warn_if_unchecked()
        engine.set_idle_poll(crawler.engine, instance.poll)
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
            raise UsageError("SCHEDULER_QUEUE_CLASS must be crawler.distributed.scheduler.LeasedQueue")
        self.queue.worker = self.worker
        leases = str(setting(self.crawler.settings, "DISTRIBUTED_LEASES")).lower()
        self.queue.leases = leases not in ("0", "false", "no", "off")
        self.queue.spider_items_key = self.keys.spider(spider.name, "items")
        self.max_leases = self.lease_limit(spider)
        engine.on_request_done(self.crawler.engine, self.request_done)
        self.beat()
        self.server.sadd(self.keys.spider(spider.name, "workers"), self.worker)
        self.crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        self.crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        self.encoder = ScrapyJSONEncoder(ensure_ascii=False)
        self.loop = create_looping_call(self.tick)
        self.loop.start(min(self.stats_every, self.lease_ms / 3000), now=False)
        logger.info("worker %s on run %s: %d requests queued, %d in flight", self.worker, self.keys.run_id,
                    len(self.queue), self.queue.in_flight())

    def lease_limit(self, spider) -> int:
        """Lease about what can be downloaded at once (twice that, so the next downloads start while the last
        pages are parsed): Scrapy alone would pop CONCURRENT_REQUESTS requests and queue them per site
        locally, where no other worker can take them (and a dying worker would hold them all)."""
        settings = self.crawler.settings
        sites = max(1, len(getattr(spider, "allowed_domains", None) or []))
        return int(setting(settings, "DISTRIBUTED_MAX_LEASES")) or min(
            settings.getint("CONCURRENT_REQUESTS"), 2 * settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") * sites)

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
            engine.wake(self.crawler.engine)

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
            # A maximum is sent whenever it changes (even a first 0); a sum only when it grew.
            previous = self.flushed.get(name, None if name in MAX_STATS else 0)
            if not mergeable(name, value) or value == previous:
                continue
            if name in MAX_STATS:
                self._hmax(keys=[key], args=[name, value], client=pipe)
            elif isinstance(value, int) and isinstance(previous, int):
                pipe.hincrby(key, name, value - previous)
            else:
                pipe.hincrbyfloat(key, name, value - previous)
            self.flushed[name] = value
        pipe.execute()
