"""The one place that touches Scrapy's private engine attributes.

A worker must know when the engine is completely done with a leased request (to end its lease with the
request's items), must wake the engine when dead workers' requests come back to the queue, and should poll
Redis more often than every 5 s when idle. Scrapy offers no public API for any of these, so this module uses
`engine._SLOT_HEARTBEAT_INTERVAL`, `engine._slot`, `engine._slot.inprogress` and `engine._slot.nextcall`,
as they are in the Scrapy versions below (scrapy/core/engine.py). tests/test_engine_adapter.py fails on any
other version: re-read the engine there, then add the version. At run time a missing attribute raises
EngineMismatch naming it, rather than leases silently never ending.
"""

from __future__ import annotations

import logging
from typing import Callable

import scrapy

logger = logging.getLogger(__name__)

CHECKED_VERSIONS = ("2.19.0",)
ATTRIBUTES = ("engine._SLOT_HEARTBEAT_INTERVAL", "engine._slot", "engine._slot.inprogress",
              "engine._slot.nextcall")


class EngineMismatch(RuntimeError):
    """This Scrapy's engine lacks a private attribute the distributed worker relies on."""


def _require(obj, path: str, kind: type | tuple[type, ...] | None = None):
    """`path`'s last attribute of `obj`, or EngineMismatch naming it."""
    value = getattr(obj, path.rsplit(".", 1)[-1], None)
    if value is None or (kind is not None and not isinstance(value, kind)):
        raise EngineMismatch(
            f"Scrapy {scrapy.__version__}: {path} is missing or not what the distributed worker expects "
            f"({value!r}); crawler/distributed/engine.py was checked against Scrapy {', '.join(CHECKED_VERSIONS)}")
    return value


def _slot(engine):
    return _require(engine, "engine._slot")


def warn_if_unchecked() -> None:
    if scrapy.__version__ not in CHECKED_VERSIONS:
        logger.warning("Scrapy %s: the distributed worker's use of %s was checked against Scrapy %s only",
                       scrapy.__version__, ", ".join(ATTRIBUTES), ", ".join(CHECKED_VERSIONS))


def set_idle_poll(engine, seconds: float) -> None:
    """Call the scheduler every `seconds` when nothing happens (the engine's default is 5 s). The engine
    reads the interval when it starts the slot's heartbeat, after building the scheduler: set it then."""
    _require(engine, "engine._SLOT_HEARTBEAT_INTERVAL", (int, float))
    engine._SLOT_HEARTBEAT_INTERVAL = seconds


def on_request_done(engine, callback: Callable) -> None:
    """Call `callback(request)` whenever the engine lets go of a request (the spider is open)."""
    slot = _slot(engine)
    slot.inprogress = _RequestDoneSet(_require(slot, "engine._slot.inprogress", set), callback)


def wake(engine) -> None:
    """Ask the engine for the scheduler's next requests now, not at its next heartbeat."""
    nextcall = _require(_slot(engine), "engine._slot.nextcall")
    _require(nextcall, "engine._slot.nextcall.schedule")()


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
