"""m005: the field of a dropped value, and each run's failed pages and faults."""

from __future__ import annotations

import sqlite_utils

from pipelines.store.migrations.registry import MIGRATIONS

# Frozen history: this migration writes the schema and SQL of its time and imports no live code.


@MIGRATIONS()
def m005_faults_and_dropped_fields(db: sqlite_utils.Database) -> None:
    # A value dropped from a stored review (an absurd score, a future date) is recorded with its field;
    # a whole page not stored has no field.
    db["dropped_items"].add_column("field", str)
    db["crawl_runs"].add_column("failed_pages", int)
    db["crawl_runs"].add_column("faults", str)  # JSON: what went wrong while fetching, by kind
