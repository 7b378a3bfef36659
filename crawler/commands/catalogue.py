"""`scrapy catalogue`: download bangumi-data's current data.json (CC BY 4.0), write the trimmed catalogue into the
database's `catalogue` table, relink every series, merge the series rows linked to one show into one (logging each
merge), refresh the consensus of series whose link changed, print counts.

    scrapy catalogue                               # the jsDelivr CDN's copy of the npm package
    scrapy catalogue --url http://host/data.json   # any URL, or a local path
    scrapy catalogue --url data.json --write-snapshot data/catalogue/bangumi-data.json.gz

A file that is too big, too slow, not JSON, truncated or not shaped like bangumi-data is refused with a message
and an exit status of 1; the table is left as it was.
"""

from __future__ import annotations

import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.utils.log import configure_logging

from pipelines import store
from pipelines.catalogue import (DEFAULT_URL, MAX_BYTES, CatalogueError, parse_catalogue, romanise,
                                 upsert_catalogue, write_snapshot)
from pipelines.linking import build_index, merge_shows, relink
from pipelines.series import load_aliases

TIMEOUT = 120  # seconds for the whole download
CHUNK = 1 << 16


def fetch(source: str, timeout: float = TIMEOUT, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a URL or a local file, at most `limit` of them, within `timeout` seconds."""
    if urlparse(source).scheme not in ("http", "https"):
        path = Path(source)
        if path.stat().st_size > limit:
            raise CatalogueError(f"{source}: {path.stat().st_size} bytes, more than the {limit} a catalogue may have")
        return path.read_bytes()
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(source, headers={"User-Agent": "anime-critic-consensus catalogue"})
    with urllib.request.urlopen(request, timeout=min(timeout, 30)) as response:
        chunks, size = [], 0
        while chunk := response.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise CatalogueError(f"{source}: more than the {limit} bytes a catalogue may have")
            if time.monotonic() > deadline:
                raise CatalogueError(f"{source}: the download took more than {timeout} s")
            chunks.append(chunk)
    return b"".join(chunks)


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "[--url URL_OR_PATH] [--write-snapshot PATH]"

    def short_desc(self) -> str:
        return "Load bangumi-data's anime catalogue and link every series to it"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--url", default=DEFAULT_URL, help=f"data.json to load (default {DEFAULT_URL})")
        parser.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds for the download")
        parser.add_argument("--write-snapshot", metavar="PATH", help="also write the trimmed rows as a snapshot")

    def run(self, args: list[str], opts) -> None:
        if args:
            raise UsageError(f"unexpected arguments: {' '.join(args)}")
        configure_logging(self.settings)  # no crawler process sets it up: the merges' INFO lines go to stderr
        started = time.monotonic()
        try:
            raw = fetch(opts.url, opts.timeout)
            rows, templates = parse_catalogue(raw, opts.url)
        except (CatalogueError, OSError, ValueError) as error:
            print(f"catalogue refused, nothing changed: {error}")
            self.exitcode = 1
            return
        for row in rows:
            row["title_romaji"] = romanise(row["title"])
        path = self.settings.get("REVIEWS_DB")
        db = store.open_db(path)
        counts = upsert_catalogue(db, rows, opts.url)
        index = build_index(db, load_aliases(self.settings.get("SERIES_ALIASES")), self.settings.get("CATALOGUE_DIR"))
        changed = relink(db, index)
        merges = merge_shows(db, index)  # two series now linked to one show become one (consensus refreshed)
        store.refresh_stale(db)  # the series whose link changed (relink marked them) and any left stale before
        linked, total = db.execute(
            "select count(catalogue_id), count(*) from series_links where series_key in (select key from series)"
        ).fetchone()
        if opts.write_snapshot:
            about = {"source": opts.url, "licence": "CC BY 4.0", "attribution": "bangumi-data"}
            write_snapshot(rows, templates, about, Path(opts.write_snapshot))
        print(f"{path}: catalogue of {counts['entries']} entries from {opts.url}: {counts['new']} new, "
              f"{counts['updated']} updated, {counts['unlisted']} kept though no longer listed; "
              f"{linked} of {total} series linked, {len(changed)} links changed, {len(merges)} series merged "
              f"({time.monotonic() - started:.1f} s)")

