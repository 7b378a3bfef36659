"""Series whose consensus rows are stale: marked by triggers (migration m011) in the very transaction that
stores, changes or deletes one of their reviews, cleared in the transaction that refreshes them. So a crawl killed
after storing, or failing while it closes (a full disk, a locked database), leaves its series marked, and the next
refresh, by any later run or `scrapy consensus`, brings them up to date."""

from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils

from pipelines.store.consensus import refresh_consensus


def stale_series(db: sqlite_utils.Database) -> list[int]:
    return [series_id for (series_id,) in db.execute("select series_id from _dirty_series order by series_id")]


def refresh_stale(db: sqlite_utils.Database, also: Iterable[int] = (), every_series: bool = False) -> int:
    """Refresh the consensus rows of every marked series (and `also`; every series with `every_series`) and clear
    their marks, all in one transaction; returns how many series were refreshed."""
    with db.atomic():
        if every_series:
            refresh_consensus(db)
            count = db["series"].count
            db.execute("delete from _dirty_series")
            return count
        series_ids = sorted(set(stale_series(db)) | set(also))
        if series_ids:
            refresh_consensus(db, series_ids)
            db.execute("delete from _dirty_series")
        return len(series_ids)
