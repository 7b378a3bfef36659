"""Quiet, honest crawl logs: every line at INFO and above says something a user acts on.

- `QuietLogFormatter` (the LOG_FORMATTER setting): an item a pipeline drops is one INFO line (its title, URL and
  the reason), never Scrapy's dump of the whole item (its `body_html` and `page_html` included), which made 84% of
  a crawl's output. An item that raised an error is named the same way; its traceback still follows. Scraped items
  stay at DEBUG, with the item, as in Scrapy.
- `quiet_startup_logs()`: what Scrapy logs at INFO about its own configuration (versions, overridden settings,
  enabled add-ons, extensions, middlewares and pipelines, the telnet console, the stats dump, a spider opening
  and closing as it should) is logged at DEBUG instead: `-L DEBUG` still shows it all. A spider that closes for
  any other reason than "finished" (shutdown, a CLOSESPIDER_* limit) stays at INFO, and so does the stats dump of
  a crawl with the setting LOG_STATS_AT_INFO (bench/crawl.py reads its figures from there).

The records are lowered by filters on Scrapy's own loggers, which run before the handlers compare the level:
so a lowered record is shown exactly when DEBUG records are.
"""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter
from scrapy.logformatter import LogFormatter

TITLE_CHARS = 120  # a headline is a stranger's text: a log line shows a bounded part of it
URL_CHARS = 300
REASON_CHARS = 300


def shortened(text, limit: int) -> str:
    """One line of at most `limit` characters."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def item_names(item, response) -> tuple[str, str]:
    """The item's title and URL (the page's, when the item has none), as a log line shows them."""
    adapter = ItemAdapter(item) if ItemAdapter.is_item(item) else None
    title = (adapter.get("headline") if adapter else None) or ""
    url = (adapter.get("url") if adapter else None) or getattr(response, "url", None) or "no URL"
    return shortened(title, TITLE_CHARS), shortened(url, URL_CHARS)


class QuietLogFormatter(LogFormatter):
    def dropped(self, item, exception, response, spider):
        title, url = item_names(item, response)
        reason = shortened(exception, REASON_CHARS)
        if not title or title in reason:  # "not a review: 'Top 5 openings'" names the title already
            return {"level": logging.INFO, "msg": "dropped %(url)s: %(reason)s", "args": {"url": url, "reason": reason}}
        return {"level": logging.INFO, "msg": "dropped %(title)r %(url)s: %(reason)s",
                "args": {"title": title, "url": url, "reason": reason}}

    def item_error(self, item, exception, response, spider):
        title, url = item_names(item, response)
        return {"level": logging.ERROR, "msg": "error processing %(title)r %(url)s",
                "args": {"title": title, "url": url}}


def finished_normally(record: logging.LogRecord) -> bool:
    return isinstance(record.args, dict) and record.args.get("reason") == "finished"


def stats_not_wanted(record: logging.LogRecord) -> bool:
    """The stats dump names its spider (`extra`), so its crawler's settings say whether it is wanted at INFO."""
    crawler = getattr(getattr(record, "spider", None), "crawler", None)
    return crawler is None or not crawler.settings.getbool("LOG_STATS_AT_INFO")


# logger -> the messages (their format strings' beginnings) lowered to DEBUG, each with an optional condition.
STARTUP_MESSAGES = {
    "scrapy.utils.log": {"Scrapy ": None, "Versions:": None},
    "scrapy.addons": {"Enabled addons": None},
    "scrapy.middleware": {"Enabled ": None},
    "scrapy.crawler": {"Overridden settings": None},
    "scrapy.extensions.telnet": {"Telnet ": None},
    "scrapy.statscollectors": {"Dumping Scrapy stats": stats_not_wanted},
    "scrapy.core.engine": {"Spider opened": None, "Closing spider": finished_normally,
                           "Spider closed": finished_normally},
}


class LowerToDebug(logging.Filter):
    """Logs the chosen INFO records of one logger at DEBUG."""

    def __init__(self, messages: dict):
        super().__init__()
        self.messages = messages

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.INFO:
            message = str(record.msg)
            for start, condition in self.messages.items():
                if message.startswith(start) and (condition is None or condition(record)):
                    record.levelno, record.levelname = logging.DEBUG, "DEBUG"
                    break
        return True


def quiet_startup_logs() -> None:
    """Install the filters (once: calling again replaces them)."""
    for name, messages in STARTUP_MESSAGES.items():
        logger = logging.getLogger(name)
        for old in [f for f in logger.filters if isinstance(f, LowerToDebug)]:
            logger.removeFilter(old)
        logger.addFilter(LowerToDebug(messages))
