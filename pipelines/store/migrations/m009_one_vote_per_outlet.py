"""m009: consensus counts one vote per outlet per episode (issue 17)."""

from __future__ import annotations

import sqlite_utils

from pipelines.store.migrations.registry import MIGRATIONS

# Frozen history: this migration writes the schema and SQL of its time and imports no live code.


@MIGRATIONS()
def m009_one_vote_per_outlet(db: sqlite_utils.Database) -> None:
    pass  # filled in by the work
