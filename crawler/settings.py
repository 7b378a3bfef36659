"""Scrapy settings for the critic-consensus crawler.

Every value can be overridden on the command line (`-s NAME=value`) or, for the
few marked below, through the environment.
"""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

BOT_NAME = "animecritic"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
COMMANDS_MODULE = "crawler.commands"

# Where reviews land. Datasette serves the folder it sits in.
REVIEWS_DB = os.environ.get("REVIEWS_DB", str(PROJECT_ROOT / "data" / "reviews.db"))

# Sites the `generic` spider reads (see the file for its format).
GENERIC_SITES = os.environ.get("GENERIC_SITES", str(PROJECT_ROOT / "crawler" / "generic_sites.yml"))

# Other names of shows (romaji, Japanese, short names) that outlets use; extend it for your outlets.
SERIES_ALIASES = os.environ.get("SERIES_ALIASES", str(PROJECT_ROOT / "data" / "series_aliases.yml"))
# The anime catalogue's shipped snapshot and extra names (data/catalogue/: bangumi-data, CC BY 4.0); an empty
# catalogue table is filled from it when a crawl starts.
CATALOGUE_DIR = os.environ.get("CATALOGUE_DIR", str(PROJECT_ROOT / "data" / "catalogue"))

# Offline mirror of the review sites (see crawler/mirror.py):
#   "embedded"            start a loopback server over MIRROR_DIR inside the crawl (the default here,
#                         where no machine reaches the internet)
#   "http://127.0.0.1:N"  use a mirror server that is already running
#   "off"                 crawl the live sites
MIRROR_MODE = os.environ.get("MIRROR_MODE", "embedded")
MIRROR_DIR = str(PROJECT_ROOT / "data" / "mirror")
DOWNLOAD_HANDLERS = {
    "http": "crawler.mirror.MirrorDownloadHandler",
    "https": "crawler.mirror.MirrorDownloadHandler",
}

# Politeness: we are a small aggregator reading other people's sites, and say who we are.
CONTACT_URL = os.environ.get("CONTACT_URL", "https://github.com/animecritic/animecritic")
USER_AGENT = f"animecritic/0.1 (+{CONTACT_URL}; critic-consensus crawler)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.25
AUTOTHROTTLE_MAX_DELAY = 30
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
RETRY_TIMES = 3
RETRY_BACKOFF_BASE = 1.0   # seconds before the first retry, doubled each time, unless Retry-After says
RETRY_BACKOFF_MAX = 120.0
DOWNLOAD_TIMEOUT = 30
# Breadth-first by depth: a listing page's reviews are fetched before the listing pages after it, so the queue of
# requests stays a few listing pages long however long the archive (lower-priority deeper requests).
DEPTH_PRIORITY = 1
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # no review page is 10 MB; a bigger one is not downloaded
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.politeness.PoliteRetryMiddleware": 550,
}
# Live crawls refuse hosts that are (or resolve to) loopback, private or link-local addresses.
ALLOW_PRIVATE_ADDRESSES = False

# Incremental crawls: responses are cached (.scrapy/httpcache) and revalidated with conditional requests
# (If-None-Match / If-Modified-Since) as RFC 2616 says, so an unchanged page costs a 304, not a body.
HTTPCACHE_ENABLED = True
HTTPCACHE_POLICY = "scrapy.extensions.httpcache.RFC2616Policy"
HTTPCACHE_STORAGE = "crawler.httpcache.AtomicFilesystemCacheStorage"  # entries written whole: see the module
HTTPCACHE_DIR = os.environ.get("HTTPCACHE_DIR", "httpcache")
HTTPCACHE_GZIP = True

# What a review page must have: enough words of text, in a language the consensus is built from.
MIN_REVIEW_WORDS = 40
REVIEW_LANGUAGES = ["en"]
# Reviews of manga, light novels and live-action dramas or films are dropped (with their reason in dropped_items):
# the consensus is of anime. True keeps them (pipelines/anime_only.py says how they are recognised).
KEEP_NON_ANIME = False

# Health checks after each spider's run (pipelines/health.py): a run that finds no reviews, too many
# without a score or a series, far fewer than last time, or parse errors is marked failed.
HEALTH_MIN_REVIEWS = 1
HEALTH_MAX_UNSCORED_SHARE = 0.5
HEALTH_MAX_NO_SERIES_SHARE = 0.3
HEALTH_MAX_DROP_SHARE = 0.5
HEALTH_MAX_FAILED_SHARE = 0.5

# Bounds of one spider's run, far beyond a real outlet's (a site's whole archive is a few thousand pages): an
# endless next-page chain, a page of 100,000 links or a site that never stops answering ends the run, marked
# failed with the limit it hit (crawler/runs.py), instead of holding the crawl lock forever.
CLOSESPIDER_PAGECOUNT = 50_000     # responses per spider run
CLOSESPIDER_TIMEOUT = 6 * 3600     # seconds per spider run
DEPTH_LIMIT = 2_000                # listing pages followed one after another (each next page is one deeper)
MAX_LINKS_PER_PAGE = 5_000         # review links taken from one listing page, feed or sitemap

# Only one crawl at a time (crawler/lock.py); a lock left by a killed crawl is taken over.
CRAWL_LOCK = os.environ.get("CRAWL_LOCK", str(PROJECT_ROOT / "data" / "crawl.lock"))
# A crawl running longer than this many hours is stuck: deploy/run-crawl stops it (systemd: TimeoutStartSec= in
# deploy/animecritic-crawl.service), and a crawlall that finds the lock held for longer fails (exit 1), not 75.
CRAWL_MAX_HOURS = os.environ.get("CRAWL_MAX_HOURS", "8")

EXTENSIONS = {
    "crawler.progress.ProgressLog": 500,
    "crawler.runs.CrawlRuns": 600,  # the crawl_runs row, its figures and health (crawler/runs.py)
}
PROGRESS_INTERVAL = 10.0
LOGSTATS_INTERVAL = 0  # ProgressLog says the same, per spider, with errors

ITEM_PIPELINES = {
    "pipelines.item_pipelines.ValidatePipeline": 100,
    "pipelines.item_pipelines.ChromePipeline": 200,
    "pipelines.item_pipelines.HeadlinePipeline": 300,
    "pipelines.item_pipelines.ScorePipeline": 400,
    "pipelines.item_pipelines.SeriesPipeline": 500,
    "pipelines.item_pipelines.StorePipeline": 900,
}

# No interactive consoles on a crawler that runs unattended.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
# Quiet, honest logs (crawler/logformatter.py): a dropped item is one INFO line (title, URL, reason), never the
# item; Scrapy's startup configuration and stats dump are logged at DEBUG. Installed here, where every process that
# crawls (scrapy crawl, crawlall, Scrapyd's jobs) reads its settings before Scrapy logs anything.
LOG_FORMATTER = "crawler.logformatter.QuietLogFormatter"
from crawler.logformatter import quiet_startup_logs  # noqa: E402

quiet_startup_logs()
LOG_STATS_AT_INFO = False  # True: Scrapy's stats dump at each spider's close stays at INFO (the benchmarks read it)
FEED_EXPORT_ENCODING = "utf-8"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
