"""The database: the only package that knows its layout (tables, views, indexes) and writes to it.

- `migrations`: the schema's history (sqlite-utils `Migrations`), one frozen module per migration; a schema change
  is a new migration, never an edit of an applied one, and an existing `data/reviews.db` upgrades in place when
  the store opens it (`opening.open_db`).
- `reviews`: saving reviews, one review per transaction, in WAL mode, so a killed crawl leaves every stored review
  whole and Datasette can read while a crawl writes.
- `consensus`: the materialised consensus tables and their refresh; `runs`: crawl runs and dropped items.
- the kinds of review are named once in `pipelines.kinds` (the readers use them too).

Callers use the package: `from pipelines import store`, then `store.open_db`, `store.save_review`, ...
"""

from pipelines.store.clock import now_iso
from pipelines.store.consensus import TITLE_KEY, changed_series, fill_episode_numbers, refresh_consensus
from pipelines.kinds import EPISODE_KINDS, KINDS, WHOLE_KINDS, Kind, sql_list, sql_literal
from pipelines.store.migrations import MIGRATIONS
from pipelines.store.merging import Merge, merge_linked_series
from pipelines.store.opening import open_db
from pipelines.store.reviews import (
    BOOKKEEPING_COLUMNS,
    PROVENANCE_COLUMNS,
    REVIEW_COLUMNS,
    TRACKED_CHANGES,
    content_hash,
    ensure_outlet,
    ensure_series,
    looks_broken,
    record_changes,
    save_audience,
    save_review,
    save_subscores,
    series_titles,
)
from pipelines.store.runs import dead_runs, finish_run, previous_run, record_dropped, start_run
from pipelines.store.stale import refresh_stale, stale_series

__all__ = [
    "BOOKKEEPING_COLUMNS", "EPISODE_KINDS", "KINDS", "MIGRATIONS", "PROVENANCE_COLUMNS", "REVIEW_COLUMNS",
    "TITLE_KEY", "TRACKED_CHANGES", "WHOLE_KINDS", "Kind", "changed_series", "content_hash", "dead_runs", "ensure_outlet",
    "ensure_series", "fill_episode_numbers", "finish_run", "looks_broken", "now_iso", "open_db", "previous_run",
    "record_changes", "record_dropped", "refresh_consensus", "refresh_stale", "save_audience", "save_review", "save_subscores",
    "series_titles", "sql_list", "stale_series", "sql_literal", "start_run",
    "Merge", "merge_linked_series",
]
