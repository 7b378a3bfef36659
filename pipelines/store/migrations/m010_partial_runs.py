"""m010: crawl runs record whether they were partial (given start_urls) (issue 17)."""

from __future__ import annotations

import sqlite_utils

from pipelines.store.migrations.registry import MIGRATIONS

# Frozen history: this migration writes the schema and SQL of its time and imports no live code.


@MIGRATIONS()
def m010_partial_runs(db: sqlite_utils.Database) -> None:
    pass  # filled in by the work
