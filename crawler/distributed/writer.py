"""The writer's side: one crawler per spider of the run, named like the spider, whose start() drains that
spider's item list through the project's ITEM_PIPELINES, so `crawl_runs` gets its rows as with `crawlall`."""

from __future__ import annotations

import asyncio
import time

from scrapy import signals
from scrapy.exceptions import CloseSpider

from crawler.distributed.keys import Keys, connect, lease_ms, poll_seconds, redis_url, worker_id
from crawler.distributed.run import items_waiting, live_workers, read_run
from crawler.distributed.worker import MAX_STATS, decode_item


class ItemDrain:
    """The writer's side of one spider's item list."""

    def __init__(self, server, keys: Keys, spider: str):
        self.server = server
        self.keys = keys
        self.spider = spider
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
        return items_waiting(self.server, self.keys, self.spider)


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
        spider.poll = poll_seconds(settings)
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
        recovered = self.drain.recover()
        if recovered:
            self.logger.warning("%d items taken by an earlier writer and not stored: storing them now", recovered)
        last_check = 0.0
        while True:
            if time.monotonic() - last_check >= self.poll:  # also while items stream in
                last_check = time.monotonic()
                self.hold_run()
            data = self.drain.take()
            if data is not None:
                item = decode_item(data)
                self.taken[id(item)] = data
                yield item
                continue
            if self.crawl_finished():
                merge_worker_stats(self.distributed_server, self.distributed_keys, self.name, self.crawler.stats)
                return
            await asyncio.sleep(self.poll / 5)

    def hold_run(self) -> None:
        """Close when the run was replaced; renew the writer lease otherwise."""
        keys, server = self.distributed_keys, self.distributed_server
        run = read_run(server, keys)
        if not run or run["id"] != keys.run_id:
            raise CloseSpider("run_replaced")
        settings = self.crawler.settings
        server.set(keys.writer(), worker_id(settings), px=lease_ms(settings))

    def crawl_finished(self) -> bool:
        """Crawl over, every item stored, and every worker that crawled the spider closed it (its final
        figures pushed) or died."""
        server, keys = self.distributed_server, self.distributed_keys
        if not server.exists(keys.spider(self.name, "done")) or self.drain.waiting():
            return False
        return not live_workers(server, keys, self.name)


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


def claim_writer(server, keys: Keys, me: str, expire_ms: int) -> str | None:
    """Take the run's writer lease; the live writer's id when another holds it."""
    if server.set(keys.writer(), me, nx=True, px=expire_ms):
        return None
    holder = server.get(keys.writer())
    if holder is None or holder.decode() == me:
        server.set(keys.writer(), me, px=expire_ms)
        return None
    return holder.decode()
