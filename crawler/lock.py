"""One crawl at a time: an exclusive lock on a file, held for the crawl's whole life.

The operating system releases a `flock` when its process dies, however it dies (kill -9 included), so
a lock file left behind by a killed crawl is simply taken over; the pid written in it is only there to
tell the user who holds a live lock.
"""

from __future__ import annotations

import fcntl
import os
from datetime import datetime, timezone
from pathlib import Path


class CrawlLocked(Exception):
    """Another crawl holds the lock."""


class CrawlLock:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.handle = None
        self.stale_owner: str | None = None  # what a dead crawl left in the file, if anything

    def acquire(self) -> "CrawlLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            owner = handle.read().strip() or "unknown process"
            handle.close()
            raise CrawlLocked(f"another crawl is running ({owner}); lock file {self.path}") from None
        handle.seek(0)
        self.stale_owner = handle.read().strip() or None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {datetime.now(timezone.utc).isoformat(timespec='seconds')}\n")
        handle.flush()
        self.handle = handle
        return self

    def release(self) -> None:
        if self.handle is not None:
            self.handle.seek(0)
            self.handle.truncate()
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None

    def __enter__(self) -> "CrawlLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
