"""crawler/distributed/engine.py, the only code using Scrapy's private engine attributes, against the
installed Scrapy: it must be a version the adapter was checked against, and a real crawl's engine must have
every attribute, behaving as the adapter expects. On a new Scrapy, read scrapy/core/engine.py again, then
add the version to CHECKED_VERSIONS."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from types import SimpleNamespace

import pytest
import scrapy

from conftest import ROOT
from crawler.distributed import engine

# A crawl whose scheduler goes through the adapter: a fast idle poll, a hook on requests leaving the
# engine, and a wake-up. It prints the URLs the hook saw.
PROBE = """
import json
from scrapy import Request, Spider
from scrapy.core.scheduler import Scheduler
from scrapy.crawler import CrawlerProcess
from crawler.distributed import engine

done = []

class AdapterScheduler(Scheduler):
    @classmethod
    def from_crawler(cls, crawler):
        instance = super().from_crawler(crawler)
        instance.crawler = crawler
        engine.set_idle_poll(crawler.engine, 0.1)
        return instance

    def open(self, spider):
        opened = super().open(spider)
        engine.on_request_done(self.crawler.engine, lambda request: done.append(request.url))
        engine.wake(self.crawler.engine)
        return opened

class Probe(Spider):
    name = "probe"

    async def start(self):
        yield Request("data:,hello")

    def parse(self, response):
        pass

process = CrawlerProcess({"SCHEDULER": "__main__.AdapterScheduler", "LOG_LEVEL": "ERROR",
                          "TELNETCONSOLE_ENABLED": False})
process.crawl(Probe)
process.start()
print(json.dumps(done))
"""


def test_installed_scrapy_is_a_version_the_adapter_was_checked_against():
    assert scrapy.__version__ in engine.CHECKED_VERSIONS, (
        f"Scrapy {scrapy.__version__} is not one crawler/distributed/engine.py was checked against "
        f"({', '.join(engine.CHECKED_VERSIONS)}): check {', '.join(engine.ATTRIBUTES)} in scrapy/core/engine.py, "
        f"then add {scrapy.__version__} to CHECKED_VERSIONS")


def test_a_real_engine_has_every_attribute_the_adapter_uses():
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "EngineMismatch" not in result.stderr, result.stderr[-3000:]
    # The hook saw the request leave the engine: a worker's leases would end.
    assert json.loads(result.stdout.strip().splitlines()[-1]) == ["data:,hello"], result.stderr[-3000:]


def slot(**attributes):
    return SimpleNamespace(**{"inprogress": set(), "nextcall": SimpleNamespace(schedule=lambda: None)} | attributes)


@pytest.mark.parametrize("call, fake, attribute", [
    (lambda e: engine.set_idle_poll(e, 0.5), SimpleNamespace(_slot=slot()), "engine._SLOT_HEARTBEAT_INTERVAL"),
    (lambda e: engine.on_request_done(e, print), SimpleNamespace(_slot=None), "engine._slot"),
    (lambda e: engine.on_request_done(e, print), SimpleNamespace(_slot=slot(inprogress=[])), "engine._slot.inprogress"),
    (engine.wake, SimpleNamespace(_slot=slot(nextcall=None)), "engine._slot.nextcall"),
    (engine.wake, SimpleNamespace(_slot=slot(nextcall=SimpleNamespace())), "engine._slot.nextcall.schedule"),
])
def test_a_missing_attribute_is_named(call, fake, attribute):
    with pytest.raises(engine.EngineMismatch, match=f"{scrapy.__version__}: {attribute.replace('.', '[.]')} is"):
        call(fake)


def test_an_unchecked_version_is_said(monkeypatch, caplog):
    monkeypatch.setattr(scrapy, "__version__", "0.0.1")
    with caplog.at_level(logging.WARNING, logger=engine.__name__):
        engine.warn_if_unchecked()
    assert "Scrapy 0.0.1" in caplog.text and "engine._slot.inprogress" in caplog.text
