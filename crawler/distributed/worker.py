"""What makes a crawl process a worker: its settings (the leased Redis scheduler, no item pipelines), its
spider middleware, the items' encoding on their way to the writer, and which figures it shares."""

from __future__ import annotations

import json
import logging

from itemadapter import ItemAdapter
from scrapy.http import Request
from scrapy.utils.misc import load_object
from scrapy.utils.serialize import ScrapyJSONEncoder

from crawler.distributed.keys import Keys, redis_url
from crawler.distributed.leases import LEASE_META

logger = logging.getLogger(__name__)

# Figures kept by the writer itself (items, pipelines) or meaningless summed over processes.
LOCAL_STATS = ("item_scraped_count", "item_dropped_count", "item_dropped_reasons_count/", "log_count/",
               "memusage/", "scheduler/", "start_time", "finish_time", "finish_reason", "elapsed_time_seconds",
               "items_per_minute", "responses_per_minute", "reviews/", "health/", "errors")
MAX_STATS = {"request_depth_max"}


def mergeable(name: str, value) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and not any(name == p or name.startswith(p) for p in LOCAL_STATS))


def worker_settings(settings, keys: Keys) -> dict:
    """What makes a crawl process a worker: the Redis scheduler, no item pipelines (workers never write
    the database), the item-capturing middleware, and no HTTP cache (requests land on any worker, so a
    private cache seldom hits; `-s HTTPCACHE_ENABLED=True -s HTTPCACHE_DIR=<per-worker dir>` turns it on)."""
    middlewares = dict(settings.getdict("SPIDER_MIDDLEWARES"))
    middlewares["crawler.distributed.worker.WorkerMiddleware"] = 1000
    return {
        "REDIS_URL": redis_url(settings),
        "DISTRIBUTED_RUN": keys.run_id,
        "SCHEDULER": "crawler.distributed.scheduler.LeasedScheduler",
        "SCHEDULER_QUEUE_CLASS": "crawler.distributed.scheduler.LeasedQueue",
        "SCHEDULER_QUEUE_KEY": keys.pattern("requests"),
        "SCHEDULER_DUPEFILTER_KEY": keys.pattern("dupefilter"),
        "DUPEFILTER_CLASS": "crawler.distributed.scheduler.RedisDupeFilter",
        "SCHEDULER_SERIALIZER": "scrapy_redis.picklecompat",
        "SCHEDULER_PERSIST": True,
        "ITEM_PIPELINES": {},
        "SPIDER_MIDDLEWARES": middlewares,
        "HTTPCACHE_ENABLED": False,
    }


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
