"""m011: a durable mark on every series whose reviews changed, set by triggers in the writing transaction and
cleared once its consensus rows are refreshed: whatever a crawl dies in (a kill, a full disk while closing, a
failing refresh), the next refresh finds every series left stale."""

from __future__ import annotations

import sqlite_utils

from pipelines.store.migrations.registry import MIGRATIONS

# Frozen history: this migration writes the schema and SQL of its time and imports no live code.

# The columns the consensus tables read: a change to any other (last_seen, body_text) leaves them as they are.
CONSENSUS_INPUTS = ("series_id", "season", "episode_start", "episode_end", "kind", "score", "version", "outlet",
                    "published", "episode_title")

_CHANGED = " or ".join(f"old.{column} is not new.{column}" for column in CONSENSUS_INPUTS)
DIRTY_SERIES_STATEMENTS = (
    "create table _dirty_series (series_id integer primary key)",
    """create trigger reviews_mark_dirty_insert after insert on reviews when new.series_id is not null
       begin insert or ignore into _dirty_series values (new.series_id); end""",
    """create trigger reviews_mark_dirty_delete after delete on reviews when old.series_id is not null
       begin insert or ignore into _dirty_series values (old.series_id); end""",
    f"""create trigger reviews_mark_dirty_update after update on reviews when {_CHANGED}
       begin
         insert or ignore into _dirty_series select old.series_id where old.series_id is not null;
         insert or ignore into _dirty_series select new.series_id where new.series_id is not null;
       end""",
    # What runs that never finished well may have left stale, marked once: from the first such run on.
    """insert or ignore into _dirty_series
       select distinct series_id from reviews
       where series_id is not null and last_changed >= coalesce(
         (select min(started) from crawl_runs where status in ('running', 'failed')), '9999')""",
)


@MIGRATIONS()
def m011_dirty_series(db: sqlite_utils.Database) -> None:
    # Statement by statement: executescript() would commit the migration's transaction.
    for statement in DIRTY_SERIES_STATEMENTS:
        db.execute(statement)
