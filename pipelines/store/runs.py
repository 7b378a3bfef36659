"""Crawl runs: one `crawl_runs` row per spider run with its figures, and the items or values it dropped."""

from __future__ import annotations

import sqlite_utils

from pipelines.store.clock import now_iso


def start_run(db: sqlite_utils.Database, spider: str, partial: bool = False) -> int:
    """A run's row, `running`; `partial`: it crawls from pages it was given (start_urls), not the whole site."""
    with db.atomic():
        return db["crawl_runs"].insert({"spider": spider, "started": now_iso(), "status": "running",
                                        "partial": int(partial)}).last_pk


def previous_run(db: sqlite_utils.Database, spider: str, run_id: int) -> dict | None:
    """The spider's last completed full run before this one: the baseline a full run's count is checked against.
    A run whose process died has no figures; a partial run (a page or two) would make any full run look like
    a collapse, or a site that lost most of its reviews look fine."""
    rows = list(db.query(
        "select * from crawl_runs where spider = ? and id < ? and finished is not null and status != 'killed' "
        "and partial = 0 order by id desc limit 1",
        [spider, run_id],
    ))
    return rows[0] if rows else None


def dead_runs(db: sqlite_utils.Database, live: set[int]) -> list[dict]:
    """Runs left `running` that are none of the `live` ones: their process died (killed, a power cut)."""
    return [run for run in db.query("select id, spider, started from crawl_runs where status = 'running'")
            if run["id"] not in live]


def finish_run(db: sqlite_utils.Database, run_id: int, **figures) -> None:
    with db.atomic():
        db["crawl_runs"].update(run_id, {"finished": now_iso(), **figures})


def record_dropped(db: sqlite_utils.Database, run_id: int | None, url: str | None, reason: str,
                   field: str | None = None) -> None:
    with db.atomic():
        db["dropped_items"].insert({"run_id": run_id, "url": url, "reason": reason, "dropped_at": now_iso(),
                                    "field": field})
