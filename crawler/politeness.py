"""Retries that back off: a server's `Retry-After` is honoured, otherwise the wait doubles each time.

Waiting inside the middleware keeps the request in its site's download slot, so a site that asked us
to slow down gets no other request from us meanwhile (CONCURRENT_REQUESTS_PER_DOMAIN permitting).
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import time

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.response import response_status_message

logger = logging.getLogger(__name__)


def retry_after_seconds(value: bytes | str | None) -> float | None:
    """`Retry-After: 120` or `Retry-After: Wed, 21 Oct 2026 07:28:00 GMT` -> seconds to wait."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, when - time.time())


class PoliteRetryMiddleware(RetryMiddleware):
    def __init__(self, settings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE")
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX")

    async def process_response(self, request, response):
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        await self.wait(request, retry_after_seconds(response.headers.get("Retry-After")))
        return retry

    async def process_exception(self, request, exception):
        if request.meta.get("dont_retry") or not isinstance(exception, self.exceptions_to_retry):
            return None
        retry = self._retry(request, exception)
        if retry is not None:
            await self.wait(request, None)
        return retry

    async def wait(self, request, asked: float | None) -> None:
        backoff = self.backoff_base * 2 ** request.meta.get("retry_times", 0)
        seconds = min(self.backoff_max, asked if asked is not None else backoff)
        if seconds > 0:
            logger.debug("waiting %.1f s before retrying %s%s", seconds, request.url,
                         " (Retry-After)" if asked is not None else "")
            self.crawler.stats.inc_value("retry/waited_seconds", seconds)
            await asyncio.sleep(seconds)
