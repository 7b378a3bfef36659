"""The distributed mode's settings, Redis connection and key names."""

from __future__ import annotations

import os
import re
import secrets
import socket
from datetime import datetime, timezone
from typing import Any

from scrapy.exceptions import UsageError

# The distributed mode's settings and their defaults. They are not in crawler/settings.py: every reader goes
# through `setting()`, which falls back to the environment (REDIS_URL, DISTRIBUTED_PREFIX) and to these, as
# scrapy-redis' own defaults.py does.
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


def setting(settings, name: str):
    value = settings.get(name)
    if value in (None, ""):
        value = os.environ.get(name) if name in ENVIRONMENT else None
    return value if value not in (None, "") else DEFAULTS[name]


def lease_ms(settings) -> int:
    return int(float(setting(settings, "DISTRIBUTED_LEASE_SECONDS")) * 1000)


def poll_seconds(settings) -> float:
    return float(setting(settings, "DISTRIBUTED_POLL_SECONDS"))


def redis_url(settings) -> str:
    url = setting(settings, "REDIS_URL")
    if not url:
        raise UsageError("distributed mode needs REDIS_URL (a setting or environment variable), "
                         "e.g. REDIS_URL=redis://127.0.0.1:6379/0")
    return url


def connect(settings):
    """A Redis client for these settings (scrapy-redis' connection helper; bytes in and out)."""
    # Imported here: redis-py takes a quarter of a second, and Scrapy imports every command module (which
    # import this one) for every command.
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
