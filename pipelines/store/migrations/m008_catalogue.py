"""m008: the bangumi-data catalogue table and each series' link to one entry (issue 18)."""

from __future__ import annotations

import sqlite_utils

from pipelines.store.migrations.registry import MIGRATIONS

# Frozen history: this migration writes the schema and SQL of its time and imports no live code.


@MIGRATIONS()
def m008_catalogue(db: sqlite_utils.Database) -> None:
    pass  # filled in by the work
