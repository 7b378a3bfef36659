"""m007: reviews.series_source, which signal of the page gave a review its series."""

from __future__ import annotations

import sqlite_utils

from pipelines.store.migrations.registry import MIGRATIONS

# Frozen history: this migration writes the schema and SQL of its time and imports no live code.


@MIGRATIONS()
def m007_series_source(db: sqlite_utils.Database) -> None:
    # Which signal of the page gave a review its series. Every series stored before this came from a headline.
    db.execute("alter table reviews add column series_source text")
    db.execute("update reviews set series_source = 'headline' where series_id is not null")
