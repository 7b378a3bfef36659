"""Settings checked before a crawl starts: a bad value is one line naming the setting, never a traceback.

Scrapy reads most settings only when the component that uses them starts, so `-s DOWNLOAD_DELAY=abc` used to
end in a ValueError traceback mid-start, `-s CONCURRENT_REQUESTS_PER_DOMAIN=-1` in a crawl that fetched nothing
and never ended, and a generic_sites.yml entry without `host` in a KeyError naming neither file nor entry.
The commands that crawl (`crawl`, `crawlall`, `worker`, `writer`) call `refuse_bad_settings` first.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from urllib.parse import urlsplit

from scrapy.settings import BaseSettings

# setting: (type, lowest, highest). The ranges are those of a sane crawl: a delay of an hour between requests or
# a million concurrent requests is a typo, not a choice.
NUMBERS: dict[str, tuple[type, float, float]] = {
    "DOWNLOAD_DELAY": (float, 0, 3600),
    "DOWNLOAD_TIMEOUT": (float, 0.001, 3600),
    "CONCURRENT_REQUESTS": (int, 1, 10_000),
    "CONCURRENT_REQUESTS_PER_DOMAIN": (int, 1, 10_000),
    "CONCURRENT_ITEMS": (int, 1, 100_000),
    "AUTOTHROTTLE_START_DELAY": (float, 0, 3600),
    "AUTOTHROTTLE_MAX_DELAY": (float, 0, 86_400),
    "AUTOTHROTTLE_TARGET_CONCURRENCY": (float, 0.001, 10_000),
    "RETRY_TIMES": (int, 0, 100),
    "RETRY_BACKOFF_BASE": (float, 0, 3600),
    "RETRY_BACKOFF_MAX": (float, 0, 86_400),
    "DOWNLOAD_MAXSIZE": (int, 0, 2**40),
    "DOWNLOAD_WARNSIZE": (int, 0, 2**40),
    "MIN_REVIEW_WORDS": (int, 0, 100_000),
    "HEALTH_MIN_REVIEWS": (int, 0, 10**9),
    "HEALTH_MAX_UNSCORED_SHARE": (float, 0, 1),
    "HEALTH_MAX_NO_SERIES_SHARE": (float, 0, 1),
    "HEALTH_MAX_DROP_SHARE": (float, 0, 1),
    "HEALTH_MAX_FAILED_SHARE": (float, 0, 1),
    "CLOSESPIDER_PAGECOUNT": (int, 0, 10**9),
    "CLOSESPIDER_ITEMCOUNT": (int, 0, 10**9),
    "CLOSESPIDER_ERRORCOUNT": (int, 0, 10**9),
    "CLOSESPIDER_TIMEOUT": (float, 0, 30 * 86_400),
    "DEPTH_LIMIT": (int, 0, 10**6),
    "MAX_LINKS_PER_PAGE": (int, 0, 10**7),
    "PROGRESS_INTERVAL": (float, 0.01, 86_400),
}
BOOLEANS = ("AUTOTHROTTLE_ENABLED", "ROBOTSTXT_OBEY", "HTTPCACHE_ENABLED", "HTTPCACHE_GZIP", "ALLOW_PRIVATE_ADDRESSES")
MIRROR_OFF = ("", "off", "0", "false", "no", "live")
MIRROR_EMBEDDED = ("embedded", "on", "1", "true", "yes")


def number_problem(settings: BaseSettings, name: str) -> str | None:
    kind, lowest, highest = NUMBERS[name]
    raw = settings.get(name)
    if raw is None:
        return None
    try:
        value = settings.getint(name) if kind is int else settings.getfloat(name)
        if kind is int and float(raw) != value:
            raise ValueError
    except (TypeError, ValueError):
        return f"{name}={raw!r} is not {'a whole number' if kind is int else 'a number'}"
    if not lowest <= value <= highest:
        return f"{name}={raw!r} is out of range: it must be between {lowest:g} and {highest:g}"
    return None


def boolean_problem(settings: BaseSettings, name: str) -> str | None:
    try:
        settings.getbool(name)
    except ValueError:
        return f"{name}={settings.get(name)!r} is not a yes/no value: use True or False"
    return None


def mirror_problem(settings: BaseSettings) -> str | None:
    mode = str(settings.get("MIRROR_MODE", "off")).strip()
    if mode.lower() in MIRROR_OFF + MIRROR_EMBEDDED:
        return None
    parts = urlsplit(mode)
    if parts.scheme in ("http", "https") and parts.hostname:
        try:
            parts.port  # noqa: B018 -- raises ValueError on a port that is no number or out of range
            return None
        except ValueError:
            pass
    return f"MIRROR_MODE={mode!r} is not embedded, off or a mirror's URL like http://127.0.0.1:8080"


def file_problem(settings, name: str, load) -> str | None:
    """The file a setting names, read by the code that will use it: any error is the setting's problem."""
    path = settings.get(name)
    try:
        load(path)
    except OSError as error:
        return f"{name}: cannot read {path}: {error.strerror or error}"
    except Exception as error:  # noqa: BLE001 -- YAML, shape and value errors alike end the same way
        return f"{name}: {error}" if str(path) in str(error) else f"{name}: {path} is not usable: {error}"
    return None


def settings_problems(settings: BaseSettings, spiders: Iterable[str] = (), arguments: dict | None = None) -> list[str]:
    """Every problem of these settings (and spider arguments) for a crawl of `spiders`, one line each."""
    from crawler.spiders.generic import load_sites
    from pipelines.series import load_aliases

    problems = [number_problem(settings, name) for name in NUMBERS]
    problems += [boolean_problem(settings, name) for name in BOOLEANS]
    problems += [mirror_problem(settings), file_problem(settings, "SERIES_ALIASES", load_aliases)]
    if "generic" in spiders:
        if (arguments or {}).get("sites"):  # `-a sites=path.yml` stands in for the setting
            problems.append(file_problem({"-a sites": arguments["sites"]}, "-a sites", load_sites))
        else:
            problems.append(file_problem(settings, "GENERIC_SITES", load_sites))
    return [problem for problem in problems if problem]


def refuse_bad_settings(settings: BaseSettings, spiders: Iterable[str] = (), arguments: dict | None = None) -> None:
    """Exit with status 2 and one line per bad setting, before anything starts (the lock, the mirror, a run)."""
    problems = settings_problems(settings, list(spiders), arguments)
    if problems:
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        sys.exit(2)


def refuse_unknown_spiders(spider_loader, names: Iterable[str]) -> None:
    available = sorted(spider_loader.list())
    unknown = [name for name in names if name not in available]
    if unknown:
        print(f"error: unknown spider(s): {', '.join(unknown)}; available: {', '.join(available)}", file=sys.stderr)
        sys.exit(2)
