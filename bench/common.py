"""Helpers shared by the benchmarks: the project's spiders without a reactor, the mirror's files, machine facts.

`walk(mirror_dir)` crawls a mirror folder the way the real spiders would, but offline and without Twisted:
each spider's start URLs are read from the files, its `parse` callbacks are followed (listing pages, feeds,
next pages) and every request it sends to `parse_review` is recorded with its file. The pipeline benchmark
builds its raw items from those pages; the mirror generator uses it to find each outlet's review pages,
listing pages and feeds, and to check what it generated.
"""

from __future__ import annotations

import os
import platform
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import logging  # noqa: E402

from scrapy import Request  # noqa: E402
from scrapy.responsetypes import responsetypes  # noqa: E402
from scrapy.settings import Settings  # noqa: E402
from scrapy.spiderloader import SpiderLoader  # noqa: E402
from scrapy.utils.test import get_crawler  # noqa: E402

from crawler.mirror import INDEX_FILES, content_type  # noqa: E402

MIRROR_DIR = ROOT / "data" / "mirror"


def project_settings(**overrides) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    return settings


def spider_names() -> list[str]:
    return sorted(SpiderLoader.from_settings(project_settings()).list())


def make_spider(name: str, **settings):
    """A spider instance of the project (with its crawler: settings, stats, signals), no reactor started."""
    loader = SpiderLoader.from_settings(project_settings())
    spidercls = loader.load(name)
    # No reactor runs here: leave the reactor settings to get_crawler.
    base = {k: v for k, v in project_settings().copy_to_dict().items()
            if k.isupper() and k not in ("TWISTED_REACTOR", "TWISTED_REACTOR_ENABLED")}
    crawler = get_crawler(spidercls, base | settings)
    spider = spidercls.from_crawler(crawler)
    crawler.spider = spider
    logging.getLogger("scrapy").setLevel(logging.WARNING)
    return spider


def file_for(root: Path, url: str) -> Path | None:
    """The mirror file a real URL is served from (what MirrorServer._resolve answers), or None."""
    parts = urlsplit(url)
    target = root / parts.netloc.lower() / unquote(parts.path or "/").lstrip("/")
    if target.is_dir():
        for name in INDEX_FILES:
            if (target / name).is_file():
                return target / name
        return None
    return target if target.is_file() else None


def response_for(url: str, path: Path):
    """The response Scrapy would build for this file served by the mirror, with the real URL."""
    body = path.read_bytes()
    headers = {"Content-Type": content_type(path)}
    cls = responsetypes.from_args(headers=headers, url=url, body=body)
    return cls(url=url, body=body, headers=headers, status=200)


@dataclass
class SiteWalk:
    """What one spider finds in a mirror folder."""
    spider: str
    start_urls: list[str]
    discovery: dict[str, Path] = field(default_factory=dict)     # listing pages and feeds fetched, by URL
    links: dict[str, list[str]] = field(default_factory=dict)    # discovery URL -> review URLs it yields
    next_pages: dict[str, list[str]] = field(default_factory=dict)  # discovery URL -> further discovery URLs
    reviews: dict[str, Path] = field(default_factory=dict)       # review request URL -> file
    missing: list[str] = field(default_factory=list)             # requested URLs with no file


def walk_spider(name: str, root: Path = MIRROR_DIR, follow_reviews: bool = True, spider=None) -> SiteWalk:
    spider = spider or make_spider(name)
    result = SiteWalk(name, list(spider.start_urls))
    queue = [Request(url, callback=spider.parse) for url in spider.start_urls]
    seen: set[str] = set()
    while queue:
        request = queue.pop(0)
        url = request.url.split("#")[0]
        if url in seen:
            continue
        seen.add(url)
        path = file_for(root, url)
        if path is None:
            result.missing.append(url)
            continue
        result.discovery[url] = path
        result.links[url], result.next_pages[url] = [], []
        for out in request.callback(response_for(url, path)) or []:
            if not isinstance(out, Request):
                continue
            if getattr(out.callback, "__name__", "") == "parse_review":
                result.links[url].append(out.url)
                if out.url not in result.reviews:
                    review_path = file_for(root, out.url)
                    if review_path is None:
                        result.missing.append(out.url)
                    else:
                        result.reviews[out.url] = review_path
            else:
                result.next_pages[url].append(out.url)
                queue.append(out)
    return result


def walk(root: Path = MIRROR_DIR) -> dict[str, SiteWalk]:
    return {name: walk_spider(name, root) for name in spider_names()}


def machine() -> str:
    import psutil

    mem = psutil.virtual_memory().total / 2**30
    return (f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {mem:.1f} GiB RAM, "
            f"Python {platform.python_version()}, {platform.platform()}")


class RssPoller:
    """Peak RSS of a process tree, polled every `interval` seconds from a thread (psutil)."""

    def __init__(self, pid: int, interval: float = 0.05):
        import psutil

        self.process = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                rss = self.process.memory_info().rss
                for child in self.process.children(recursive=True):
                    try:
                        rss += child.memory_info().rss
                    except psutil.Error:
                        pass
                self.peak = max(self.peak, rss)
            except psutil.Error:
                return
            time.sleep(self.interval)

    def __enter__(self) -> "RssPoller":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def mb(n_bytes: float) -> str:
    return f"{n_bytes / 2**20:.0f} MB"
