"""m004: each crawl run's health figures and problems."""

from __future__ import annotations

import sqlite_utils

from pipelines.store.migrations.registry import MIGRATIONS

# Frozen history: this migration writes the schema and SQL of its time and imports no live code.


@MIGRATIONS()
def m004_run_health(db: sqlite_utils.Database) -> None:
    for column, kind in (("not_modified", int), ("reviews_unscored", int), ("reviews_without_series", int),
                         ("problems", str)):
        db["crawl_runs"].add_column(column, kind)
    db["crawl_runs"].create_index(["spider", "id"])
