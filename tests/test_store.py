"""The store: schema by migrations, upsert by URL, change tracking."""

import sqlite_utils

from pipelines import store

ITEM = {
    "url": "https://butwhytho.net/2024/09/review-x-episode-1/",
    "outlet": "butwhytho.net",
    "outlet_name": "But Why Tho?",
    "headline": "REVIEW: ‘X’ Episode 1 — “Start”",
    "author": "A. Critic",
    "published": "2024-09-01T10:00:00-04:00",
    "series": "X",
    "series_key": "x",
    "season": 1,
    "episode_start": 1,
    "episode_end": 1,
    "kind": "episode",
    "score_text": "Rating - 8/10",
    "score_value": 8.0,
    "score_best": 10.0,
    "score": 8.0,
    "body_text": "A review.",
    "word_count": 2,
}


def test_new_then_unchanged_then_updated_with_a_change_row(tmp_path):
    db = store.open_db(tmp_path / "r.db")
    run = store.start_run(db, "test")
    assert store.save_review(db, dict(ITEM), run) == "new"
    assert store.save_review(db, dict(ITEM), run) == "unchanged"
    assert store.save_review(db, ITEM | {"score_text": "Rating - 7/10", "score_value": 7.0, "score": 7.0}, run) == "updated"
    assert db["reviews"].count == 1
    assert db["reviews"].get(ITEM["url"])["score"] == 7.0
    changes = [(c["field"], c["old"], c["new"]) for c in db["review_changes"].rows]
    assert changes == [("score_text", "Rating - 8/10", "Rating - 7/10"), ("score", "8.0", "7.0")]


def test_series_and_outlets_are_shared_rows(tmp_path):
    db = store.open_db(tmp_path / "r.db")
    store.save_review(db, dict(ITEM))
    store.save_review(db, ITEM | {"url": ITEM["url"] + "2/", "episode_start": 2, "episode_end": 2, "series": "x"})
    assert db["series"].count == 1 and db["outlets"].count == 1
    assert [dict(r) for r in db["outlets"].rows] == [
        {"id": "butwhytho.net", "name": "But Why Tho?", "homepage": "https://butwhytho.net/"}
    ]


def test_episode_scores_view_expands_ranges_and_ignores_missing_scores(tmp_path):
    db = store.open_db(tmp_path / "r.db")
    store.save_review(db, dict(ITEM))
    store.save_review(db, ITEM | {"url": "https://a.example/1", "outlet": "a.example", "score": 6.0})
    store.save_review(db, ITEM | {"url": "https://a.example/2", "outlet": "a.example", "kind": "episodes",
                                  "episode_start": 1, "episode_end": 2, "score": None})
    rows = list(db.query("select series, season, episode, reviews, scored_reviews, mean_score from episode_scores"))
    assert rows == [
        {"series": "X", "season": 1, "episode": 1, "reviews": 3, "scored_reviews": 2, "mean_score": 7.0},
        {"series": "X", "season": 1, "episode": 2, "reviews": 1, "scored_reviews": 0, "mean_score": None},
    ]


def test_opening_twice_applies_migrations_once_and_uses_wal(tmp_path):
    path = tmp_path / "r.db"
    store.open_db(path).close()
    db = store.open_db(path)
    assert [m.name for m in store.MIGRATIONS.applied(db)] == ["m001_initial", "m002_subscores_and_audience"]
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert set(sqlite_utils.Database(path).view_names()) >= {"episode_scores"}


def test_crawl_run_and_dropped_items_are_recorded(tmp_path):
    db = store.open_db(tmp_path / "r.db")
    run = store.start_run(db, "butwhytho")
    store.record_dropped(db, run, "https://x.example/a", "no headline")
    store.finish_run(db, run, status="finished", pages=3, reviews_new=1)
    row = db["crawl_runs"].get(run)
    assert (row["spider"], row["status"], row["pages"], row["reviews_new"]) == ("butwhytho", "finished", 3, 1)
    assert [(d["url"], d["reason"]) for d in db["dropped_items"].rows] == [("https://x.example/a", "no headline")]
