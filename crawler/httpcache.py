"""Scrapy's filesystem HTTP cache, each entry written whole or not at all.

FilesystemCacheStorage writes an entry's files one by one, `pickled_meta` (what marks the entry as cached)
before `response_body`. A crawl killed between the two leaves an entry that is "cached" with an empty body:
every later crawl revalidates it, the site answers 304 Not Modified, and the empty body is reused, so the
review is dropped ("no headline") on every crawl from then on. Here an entry is written into a staging
folder beside its place and renamed into place when complete; a kill leaves at worst a stray staging folder
(never read) or no entry (a cache miss: the page is fetched again). An entry that cannot be read whole (one
left by an older version, a truncated gzip file) is a cache miss too, never an error.
"""

from __future__ import annotations

import logging
import os
import pickle
import shutil
import zlib
from pathlib import Path

from scrapy.extensions.httpcache import FilesystemCacheStorage

logger = logging.getLogger(__name__)

UNREADABLE = (OSError, EOFError, zlib.error, pickle.UnpicklingError, ValueError, KeyError, SyntaxError)


class AtomicFilesystemCacheStorage(FilesystemCacheStorage):
    _writing_to: Path | None = None

    def _get_request_path(self, spider, request) -> str:
        # Scrapy's own store_response writes wherever this says: the staging folder while an entry is written.
        if self._writing_to is not None:
            return str(self._writing_to)
        return super()._get_request_path(spider, request)

    def store_response(self, spider, request, response) -> None:
        final = Path(super()._get_request_path(spider, request))
        staging = final.with_name(f".{final.name}.{os.getpid()}.partial")
        shutil.rmtree(staging, ignore_errors=True)
        self._writing_to = staging
        try:
            super().store_response(spider, request, response)
        finally:
            self._writing_to = None
        if final.exists():
            # A folder cannot be renamed over a non-empty one: the old entry steps aside first. A kill
            # between the two renames leaves no entry, a cache miss.
            old = final.with_name(f".{final.name}.{os.getpid()}.old")
            shutil.rmtree(old, ignore_errors=True)
            final.rename(old)
            staging.rename(final)
            shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(final)

    def retrieve_response(self, spider, request):
        try:
            response = super().retrieve_response(spider, request)
        except UNREADABLE as error:
            logger.warning("unreadable HTTP cache entry for %s, fetched again: %r", request.url, error)
            return None
        if response is not None and not response.body and response.headers.get("Content-Length", b"0") != b"0":
            # An entry an older version left half written: the headers promise a body the file lacks.
            logger.warning("HTTP cache entry for %s has lost its body, fetched again", request.url)
            return None
        return response
