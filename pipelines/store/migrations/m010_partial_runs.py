"""m010: crawl runs record whether they were partial (given start_urls) (issue 17)."""

from __future__ import annotations

import sqlite_utils

from pipelines.store.migrations.registry import MIGRATIONS

# Frozen history: this migration writes the schema and SQL of its time and imports no live code.


@MIGRATIONS()
def m010_partial_runs(db: sqlite_utils.Database) -> None:
    # 1: the run crawled from pages it was given (`-a start_urls=…`), not the spider's whole listing. Its count of
    # reviews says nothing about the site's health against a full run's, and is never a full run's baseline.
    # Every run before this migration was a full one.
    db.execute("ALTER TABLE crawl_runs ADD COLUMN partial INTEGER NOT NULL DEFAULT 0")
    db.execute("CREATE INDEX idx_crawl_runs_spider_partial_id ON crawl_runs (spider, partial, id)")
