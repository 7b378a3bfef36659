"""Merging series rows that the catalogue links to one show.

A database that stored a show under two names before the catalogue (`Sousou no Frieren` from one outlet,
`Frieren: Beyond Journey's End` from another) keeps both rows once they are linked: each row gets the show's link,
and the show's consensus stays split in two. `merge_linked_series` folds each such group into one row, in one
transaction:
- which show a series is of follows the linker: its link's entry's show (the show's first entry), so series linked
  to two seasons' entries are one show only where the catalogue groups those entries under one show;
- the kept row is the one with the most reviews, then the lowest id; it takes the show's English title from the
  catalogue when there is one;
- every review and audience figure of the others moves to it; where a series' name alone names a later season
  (`named_seasons`: "Dr. Stone: New World" is season 3), its reviews take that season, as a crawl now reads them;
- a moved review's content hash becomes the one a crawl now computes for its page (the series by its new key), so
  the next crawl finds the review unchanged; a hash that does not match the stored row (an episode number filled
  in later) is left as it is;
- the other rows are deleted, each recorded in series_merges (later crawls resolve its key to the kept row), and
  the consensus is refreshed: the kept rows rebuilt, the deleted rows' consensus rows removed.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

import sqlite_utils

from pipelines.store.clock import now_iso
from pipelines.store.reviews import SUBSCORE_FIELDS, content_hash
from pipelines.store.stale import refresh_stale

logger = logging.getLogger(__name__)


class Merge(NamedTuple):
    from_id: int
    from_title: str
    from_key: str
    reviews: int  # how many reviews moved
    into_id: int
    into_title: str
    catalogue_id: str  # the show's first entry


class Member(NamedTuple):
    show: str
    title_en: str | None  # the show's English title in the catalogue
    id: int
    key: str
    title: str
    reviews: int


# Every linked series of a show that more than one series is linked to: the kept one (most reviews, lowest id) first.
SHARED_SHOWS_SQL = """with linked as (
  select series.id, series.key, series.title, coalesce(entry.show_id, entry.id) as show
  from series
  join series_links on series_links.series_key = series.key
  join catalogue entry on entry.id = series_links.catalogue_id
),
shared as (select show from linked group by show having count(*) > 1)
select linked.show, show_entry.title_en, linked.id, linked.key, linked.title,
       (select count(*) from reviews where reviews.series_id = linked.id) as reviews
from linked
join shared on shared.show = linked.show
left join catalogue show_entry on show_entry.id = linked.show
order by linked.show, reviews desc, linked.id"""


def merge_linked_series(db: sqlite_utils.Database, named_seasons: Mapping[str, int] | None = None) -> list[Merge]:
    """Merge every group of series linked to one show into one row (see the module's doc), in one transaction, and
    log each merge; returns the merges (none when no show has two series)."""
    named_seasons = named_seasons or {}
    merges: list[Merge] = []
    with db.atomic():
        members = [Member(*row) for row in db.execute(SHARED_SHOWS_SQL).fetchall()]
        for _, group in groupby(members, key=itemgetter(0)):
            merges += merge_group(db, list(group), named_seasons)
        if merges:
            merged_away = [merge.from_id for merge in merges]
            # Rebuilds the kept rows and, the merged-away rows having no reviews left, deletes their consensus rows.
            refresh_stale(db, also=[*merged_away, *(merge.into_id for merge in merges)])
            db.execute(f"delete from series where id in ({', '.join('?' * len(merged_away))})", merged_away)
    for merge in merges:
        logger.info("merged series '%s' (%d review%s) into '%s'", merge.from_title, merge.reviews,
                    "" if merge.reviews == 1 else "s", merge.into_title)
    return merges


def merge_group(db: sqlite_utils.Database, group: list[Member], named_seasons: Mapping[str, int]) -> list[Merge]:
    """Move the reviews of a show's other series to its kept one (the first) and record each merge."""
    kept, others = group[0], group[1:]
    title = kept.title_en or kept.title
    if title != kept.title:
        db.execute("update series set title = ? where id = ?", [title, kept.id])
    if kept.key in named_seasons:
        move_reviews(db, kept, kept, named_seasons[kept.key])
    merged_at = now_iso()
    merges = []
    for other in others:
        moved = move_reviews(db, other, kept, named_seasons.get(other.key))
        db.execute("update audience_scores set series_id = ?, season = coalesce(?, season) where series_id = ?",
                   [kept.id, named_seasons.get(other.key), other.id])
        # A row merged into the one now merged away resolves to the kept row from now on.
        db.execute("update series_merges set into_id = ? where into_id = ?", [kept.id, other.id])
        db["series_merges"].insert({"from_title": other.title, "from_key": other.key, "reviews": moved,
                                    "into_id": kept.id, "catalogue_id": kept.show, "merged_at": merged_at})
        merges.append(Merge(other.id, other.title, other.key, moved, kept.id, title, kept.show))
    return merges


def move_reviews(db: sqlite_utils.Database, source: Member, target: Member, season: int | None) -> int:
    """Give the reviews of `source` the series `target` (and `season`, if set) with the content hash a crawl would
    now compute; returns how many there were. The reviews table's triggers mark both series stale."""
    cursor = db.execute("select * from reviews where series_id = ?", [source.id])
    names = [column[0] for column in cursor.description]
    updates = []
    for values in cursor.fetchall():
        review = dict(zip(names, values))
        subscores = [dict(zip(SUBSCORE_FIELDS, sub)) for sub in db.execute(
            f"select {', '.join(SUBSCORE_FIELDS)} from subscores where review = ? order by id", [review["url"]])]
        moved = review | {"series_id": target.id, "season": season or review["season"]}
        as_crawled = content_hash(review, subscores, source.key) == review["content_hash"]
        new_hash = content_hash(moved, subscores, target.key) if as_crawled else review["content_hash"]
        updates.append((target.id, moved["season"], new_hash, review["url"]))
    db.conn.executemany("update reviews set series_id = ?, season = ?, content_hash = ? where url = ?", updates)
    return len(updates)
