"""Opening the database: pragmas, then every pending migration (an existing database upgrades in place)."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from pipelines.store.migrations import MIGRATIONS


def open_db(path: str | Path) -> sqlite_utils.Database:
    """Open (creating or upgrading) the reviews database."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA journal_mode=WAL")
    # In WAL mode a commit need not wait for the disk: a killed crawl still leaves every committed review whole,
    # only a power cut can lose the last ones. (FULL, the default, fsyncs the log on every review's commit.)
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA busy_timeout=5000")
    MIGRATIONS.apply(db)
    return db
