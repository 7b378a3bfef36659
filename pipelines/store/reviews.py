"""Saving reviews: one review per transaction, upserted by URL, with its sub-scores, audience figures and a
`review_changes` row per edit; a re-crawl that looks like a broken page never overwrites a stored review."""

from __future__ import annotations

import hashlib
import json

import sqlite_utils

from pipelines.store.clock import now_iso

# Columns of `reviews` that the pipelines fill from an item; a change in any of them is a review change.
# (Live code only: migration m001 keeps its own copy of the columns it created.)
REVIEW_COLUMNS = {
    "url": str,
    "outlet": str,
    "headline": str,
    "author": str,
    "published": str,
    "updated": str,
    "series_id": int,
    "season": int,
    "episode_start": int,
    "episode_end": int,
    "episode_title": str,
    "kind": str,  # one of kinds.KINDS
    "version": str,
    "score_text": str,
    "score_value": float,
    "score_best": float,
    "score": float,
    "verdict": str,
    "body_text": str,
    "word_count": int,
}
# Columns about how a value was read, not what the page says: stored, never part of the content hash (a better
# reader must not make every stored review look edited).
PROVENANCE_COLUMNS = {"series_source": str}
BOOKKEEPING_COLUMNS = {"content_hash": str, "first_seen": str, "last_seen": str, "last_changed": str}
# The fields whose edits are worth a `review_changes` row.
# series_id too: a review that moved to another series (a corrected headline, a new alias) leaves the consensus of
# its old series to be refreshed, and review_changes is where `changed_series` finds that old series.
TRACKED_CHANGES = ("headline", "score_text", "score", "verdict", "body_text", "updated", "series_id")
SUBSCORE_FIELDS = ("label", "score_text", "score_value", "score_best", "score")


def content_hash(row: dict, subscores: list[dict], series_key: str | None) -> str:
    """A hash of what the page says: its fields (the series by its key, not by this database's row id)
    and its sub-scores."""
    fields = {k: row.get(k) for k in REVIEW_COLUMNS if k != "series_id"} | {"series": series_key}
    payload = json.dumps([fields, subscores], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def ensure_outlet(db: sqlite_utils.Database, outlet: str, name: str | None) -> None:
    if db["outlets"].count_where("id = ?", [outlet]) == 0:
        db["outlets"].insert({"id": outlet, "name": name or outlet, "homepage": f"https://{outlet}/"})


def series_titles(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    return [(key, title) for key, title in db.execute("select key, title from series")]


def ensure_series(db: sqlite_utils.Database, title: str, key: str) -> int:
    row = db.execute("select id from series where key = ?", [key]).fetchone()
    if row:
        return row[0]
    return db["series"].insert({"title": title, "key": key}).last_pk


def save_review(db: sqlite_utils.Database, item: dict, run_id: int | None = None) -> str:
    """Insert or update one review by its URL, in one transaction.

    Returns "new", "updated", "unchanged", or "kept" when the new version looks like a broken page (see
    `looks_broken`): the stored review stays and the reason lands in dropped_items."""
    seen = now_iso()
    with db.atomic():
        ensure_outlet(db, item["outlet"], item.get("outlet_name"))
        row = {column: item.get(column) for column in REVIEW_COLUMNS if column != "series_id"}
        provenance = {column: item[column] for column in PROVENANCE_COLUMNS if column in item}
        row["series_id"] = ensure_series(db, item["series"], item["series_key"]) if item.get("series_key") else None
        subscores = [{key: sub.get(key) for key in SUBSCORE_FIELDS} for sub in item.get("subscores") or []]
        row["content_hash"] = content_hash(row, subscores, item.get("series_key"))
        existing = stored_review(db, row["url"])
        if existing is None:
            db["reviews"].insert(row | provenance | {"first_seen": seen, "last_seen": seen, "last_changed": seen})
            save_subscores(db, row["url"], subscores)
            outcome = "new"
        else:
            outcome = update_review(db, existing, row, provenance, subscores, run_id, seen)
        save_audience(db, row, item.get("audience") or [], seen)
        return outcome


def stored_review(db: sqlite_utils.Database, url: str) -> dict | None:
    cursor = db.execute("select * from reviews where url = ?", [url])
    existing = cursor.fetchone()
    return None if existing is None else dict(zip([d[0] for d in cursor.description], existing))


def update_review(db: sqlite_utils.Database, existing: dict, row: dict, provenance: dict, subscores: list[dict],
                  run_id: int | None, seen: str) -> str:
    """A review seen again: "unchanged", "kept" (a broken page, see `looks_broken`) or "updated"."""
    if existing["content_hash"] == row["content_hash"]:
        db["reviews"].update(row["url"], provenance | {"last_seen": seen})
        return "unchanged"
    if reason := looks_broken(existing, row):
        # A page that broke (markup, a half-served body) must not overwrite a good review.
        db["reviews"].update(row["url"], {"last_seen": seen})
        db["dropped_items"].insert({"run_id": run_id, "url": row["url"], "dropped_at": seen,
                                    "reason": f"{reason}: the stored review is kept"})
        return "kept"
    db["reviews"].update(row["url"], row | provenance | {"last_seen": seen, "last_changed": seen})
    save_subscores(db, row["url"], subscores)
    record_changes(db, existing, row, run_id, seen)
    return "updated"


def looks_broken(old: dict, new: dict) -> str | None:
    """Why a re-crawled version of a review looks like a broken page rather than an edit, if it does."""
    if old["score"] is not None and new["score"] is None:
        return f"re-crawled page lost its score ({old['score_text']!r})"
    if (old["word_count"] or 0) >= 100 and (new["word_count"] or 0) < 0.5 * old["word_count"]:
        return f"re-crawled page has {new['word_count']} words of text, was {old['word_count']}"
    return None


def record_changes(db: sqlite_utils.Database, old: dict, new: dict, run_id: int | None, seen: str) -> None:
    fields = [field for field in TRACKED_CHANGES if old[field] != new[field]]
    if fields:
        db["review_changes"].insert({
            "review": new["url"], "run_id": run_id, "changed_at": seen, "fields": ", ".join(fields),
            "old_score": old["score"], "new_score": new["score"],
            "old_values": json.dumps({f: old[f] for f in fields}, ensure_ascii=False),
            "new_values": json.dumps({f: new[f] for f in fields}, ensure_ascii=False),
        })


def save_subscores(db: sqlite_utils.Database, url: str, subscores: list[dict]) -> None:
    db.execute("delete from subscores where review = ?", [url])
    if subscores:
        db["subscores"].insert_all([{"review": url, **sub} for sub in subscores])


def save_audience(db: sqlite_utils.Database, row: dict, figures: list[dict], seen: str) -> None:
    """Audience figures of the page, upserted by (page, source); only the latest reading is kept."""
    for figure in figures:
        db.execute(
            """insert into audience_scores (review, series_id, season, episode, source, value, best, score, votes,
                                            seen_at)
               values (:review, :series_id, :season, :episode, :source, :value, :best, :score, :votes, :seen_at)
               on conflict (review, source) do update set value = excluded.value, best = excluded.best,
                 score = excluded.score, votes = excluded.votes, seen_at = excluded.seen_at,
                 series_id = excluded.series_id, season = excluded.season, episode = excluded.episode""",
            {"review": row["url"], "series_id": row["series_id"], "season": row["season"],
             "episode": row["episode_start"], "source": figure["source"], "value": figure.get("value"),
             "best": figure.get("best"), "score": figure.get("score"), "votes": figure.get("votes"),
             "seen_at": seen},
        )
