"""`scrapy consensus`: rebuild the consensus tables (episode_scores, series_scores, outlet_leniency) of every
series. Crawls refresh the series they touch; this is for a database edited by hand."""

from __future__ import annotations

import time

from scrapy.commands import ScrapyCommand

from pipelines import store


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def short_desc(self) -> str:
        return "Rebuild the consensus tables of every series from the reviews"

    def run(self, args: list[str], opts) -> None:
        path = self.settings.get("REVIEWS_DB")
        db = store.open_db(path)
        started = time.monotonic()
        store.refresh_stale(db, every_series=True)
        count = db["episode_scores"].count
        print(f"{path}: {count} episodes in episode_scores, refreshed in {time.monotonic() - started:.1f} s")
