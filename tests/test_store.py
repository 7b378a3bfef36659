"""The store: schema by migrations, upsert by URL, change tracking."""

import ast
import pathlib

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
    [change] = db["review_changes"].rows
    assert {k: change[k] for k in ("review", "run_id", "fields", "old_score", "new_score", "old_values", "new_values")} == {
        "review": ITEM["url"], "run_id": run, "fields": "score_text, score", "old_score": 8.0, "new_score": 7.0,
        "old_values": '{"score_text": "Rating - 8/10", "score": 8.0}',
        "new_values": '{"score_text": "Rating - 7/10", "score": 7.0}',
    }


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
    store.refresh_consensus(db)  # what the store pipeline does when a spider closes
    rows = list(db.query("select series, season, episode, reviews, review_count, scored_reviews, mean_score "
                         "from episode_scores"))
    # a.example's two reviews of episode 1 (one unscored) are one vote: `reviews` counts outlets
    assert rows == [
        {"series": "X", "season": 1, "episode": 1, "reviews": 2, "review_count": 3, "scored_reviews": 2,
         "mean_score": 7.0},
        {"series": "X", "season": 1, "episode": 2, "reviews": 1, "review_count": 1, "scored_reviews": 0,
         "mean_score": None},
    ]


def review(n: int, outlet: str, score, episode: int = 1, **extra) -> dict:
    return ITEM | {"url": f"https://{outlet}/review/{n}", "outlet": outlet, "outlet_name": outlet.upper(),
                   "score": score, "episode_start": episode, "episode_end": episode} | extra


def test_consensus_statistics_per_episode(tmp_path):
    db = store.open_db(tmp_path / "r.db")
    for n, (outlet, score) in enumerate([("a.example", 9.0), ("b.example", 5.0), ("c.example", 7.0),
                                         ("d.example", 8.0), ("e.example", None)]):
        store.save_review(db, review(n, outlet, score))
    store.refresh_consensus(db)  # what the store pipeline does when a spider closes
    [row] = db.query("select * from episode_scores")
    assert {k: row[k] for k in ("reviews", "scored_reviews", "mean_score", "median_score", "min_score",
                                 "max_score", "spread", "stdev", "positive_share")} == {
        "reviews": 5, "scored_reviews": 4, "mean_score": 7.25, "median_score": 7.5, "min_score": 5.0,
        "max_score": 9.0, "spread": 4.0, "stdev": 1.48, "positive_share": 0.75,
    }


def test_series_scores_keep_season_reviews_apart_from_episodes(tmp_path):
    db = store.open_db(tmp_path / "r.db")
    store.save_review(db, review(1, "a.example", 8.0, episode=1))
    store.save_review(db, review(2, "a.example", 6.0, episode=2))
    store.save_review(db, review(3, "b.example", 7.0, episode=2))
    store.save_review(db, review(4, "a.example", 9.0, kind="season", episode_start=None, episode_end=None))
    store.save_review(db, review(5, "c.example", 5.0, kind="season", episode_start=None, episode_end=None))
    store.refresh_consensus(db)  # what the store pipeline does when a spider closes
    [row] = db.query("select * from series_scores")
    assert row == {"series": "X", "season": 1, "reviewed_episodes": 2, "episode_reviews": 3, "episode_review_count": 3,
                   "mean_of_episode_means": 7.25, "season_reviews": 2, "season_review_count": 2,
                   "season_review_mean": 7.0, "series_id": 1,
                   "catalogue_id": None, "mal_id": None, "anilist_id": None, "anidb_id": None}  # X is no catalogued show


def test_outlet_leniency_against_the_other_outlets(tmp_path):
    db = store.open_db(tmp_path / "r.db")
    for n, (outlet, score, episode) in enumerate([("kind.example", 9.0, 1), ("harsh.example", 5.0, 1),
                                                  ("mid.example", 7.0, 1), ("kind.example", 8.0, 2),
                                                  ("harsh.example", 6.0, 2), ("kind.example", 10.0, 3)]):
        store.save_review(db, review(n, outlet, score, episode=episode))
    store.refresh_consensus(db)  # what the store pipeline does when a spider closes
    rows = {r["outlet_id"]: r for r in db.query("select * from outlet_leniency")}
    assert {k: (r["episodes_compared"], r["outlet_mean"], r["others_mean"], r["leniency"]) for k, r in rows.items()} == {
        "kind.example": (2, 8.5, 6.0, 2.5),
        "mid.example": (1, 7.0, 7.0, 0.0),
        "harsh.example": (2, 5.5, 8.0, -2.5),
    }


def test_full_text_search_follows_inserts_and_updates(tmp_path):
    db = store.open_db(tmp_path / "r.db")
    store.save_review(db, ITEM | {"body_text": "A gentle story about a red thread of fate."})
    assert [r["url"] for r in db["reviews"].search("thread")] == [ITEM["url"]]
    store.save_review(db, ITEM | {"body_text": "Rewritten without that word."})
    assert list(db["reviews"].search("thread")) == []


def test_an_older_database_upgrades_in_place_and_keeps_every_row(tmp_path):
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    store.MIGRATIONS.apply(old, stop_before="m003_consensus_views_and_search")
    for n in range(3):
        store.save_review(old, review(n, "a.example", 6.0 + n))
    old.close()
    db = store.open_db(path)
    assert db["reviews"].count == 3
    store.refresh_consensus(db)  # what the store pipeline does when a spider closes
    assert [r["mean_score"] for r in db.query("select mean_score from episode_scores")] == [7.0]
    assert len(list(db["reviews"].search("review"))) == 3


def test_opening_twice_applies_migrations_once_and_uses_wal(tmp_path):
    path = tmp_path / "r.db"
    store.open_db(path).close()
    db = store.open_db(path)
    assert [m.name for m in store.MIGRATIONS.applied(db)] == [
        "m001_initial", "m002_subscores_and_audience", "m003_consensus_views_and_search", "m004_run_health",
        "m005_faults_and_dropped_fields",
        "m006_materialised_consensus", "m007_series_source", "m008_catalogue", "m009_one_vote_per_outlet",
        "m010_partial_runs", "m011_dirty_series", "m012_series_scores_catalogue_ids",
    ]
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert set(sqlite_utils.Database(path).table_names()) >= {"episode_scores"}
    assert set(sqlite_utils.Database(path).view_names()) >= {"episode_reviews"}


def test_crawl_run_and_dropped_items_are_recorded(tmp_path):
    db = store.open_db(tmp_path / "r.db")
    run = store.start_run(db, "butwhytho")
    store.record_dropped(db, run, "https://x.example/a", "no headline")
    store.finish_run(db, run, status="finished", pages=3, reviews_new=1)
    row = db["crawl_runs"].get(run)
    assert (row["spider"], row["status"], row["pages"], row["reviews_new"]) == ("butwhytho", "finished", 3, 1)
    assert [(d["url"], d["reason"]) for d in db["dropped_items"].rows] == [("https://x.example/a", "no headline")]


def test_an_episode_named_only_by_its_title_takes_its_number_from_another_review(tmp_path):
    db = store.open_db(tmp_path / "r.db")
    store.save_review(db, review(1, "a.example", 8.0, episode=12, episode_title="A Red Thread"))
    store.save_review(db, review(2, "dub.example", 9.0, episode=None, season=None, episode_title="A red thread",
                                 version="dub"))
    store.save_review(db, review(3, "dub.example", 7.0, episode=None, season=None, episode_title="Unknown Title"))
    assert store.fill_episode_numbers(db) == 1
    rows = list(db.query("select url, season, episode_start, episode_end from reviews order by url"))
    assert [(r["season"], r["episode_start"], r["episode_end"]) for r in rows] == [
        (1, 12, 12), (1, 12, 12), (None, None, None)]
    store.refresh_consensus(db)  # what the store pipeline does when a spider closes
    [episode] = db.query("select episode, reviews, mean_score from episode_scores")
    assert episode == {"episode": 12, "reviews": 2, "mean_score": 8.5}


def test_a_broken_recrawl_does_not_overwrite_a_good_review(tmp_path):
    db = store.open_db(tmp_path / "r.db")
    good = ITEM | {"body_text": "word " * 300, "word_count": 300}
    assert store.save_review(db, dict(good)) == "new"
    assert store.save_review(db, good | {"body_text": "word " * 40, "word_count": 40}) == "kept"
    assert store.save_review(db, good | {"score_text": None, "score_value": None, "score": None}) == "kept"
    assert store.save_review(db, good | {"body_text": "word " * 280 + "more", "word_count": 281}) == "updated"
    row = db["reviews"].get(ITEM["url"])
    assert (row["word_count"], row["score"]) == (281, 8.0)
    assert [r["reason"] for r in db["dropped_items"].rows] == [
        "re-crawled page has 40 words of text, was 300: the stored review is kept",
        "re-crawled page lost its score ('Rating - 8/10'): the stored review is kept",
    ]


def test_refreshing_the_changed_series_updates_the_series_a_review_left(tmp_path):
    db = store.open_db(tmp_path / "r.db")
    store.save_review(db, review(1, "a.example", 8.0))
    store.save_review(db, review(2, "b.example", 6.0))
    store.refresh_consensus(db)
    since = store.now_iso()
    # b.example's headline is corrected: its review is of "Y", not "X"
    store.save_review(db, review(2, "b.example", 6.0, series="Y", series_key="y"))
    x, y = (db.execute("select id from series where key = ?", [key]).fetchone()[0] for key in ("x", "y"))
    assert sorted(store.changed_series(db, since)) == [x, y]
    store.refresh_consensus(db, store.changed_series(db, since))
    assert [(r["series"], r["reviews"], r["mean_score"]) for r in db.query(
        "select series, reviews, mean_score from episode_scores order by series")] == [("X", 1, 8.0), ("Y", 1, 6.0)]
    assert [(r["series"], r["episode_reviews"]) for r in db.query(
        "select series, episode_reviews from series_scores order by series")] == [("X", 1), ("Y", 1)]


def test_migrations_are_frozen_history_that_imports_no_live_code():
    folder = pathlib.Path(store.__file__).parent / "migrations"
    modules = sorted(folder.glob("m[0-9][0-9][0-9]_*.py"))
    assert [m.name for m in store.MIGRATIONS.pending(sqlite_utils.Database(memory=True))] == [p.stem for p in modules]
    for path in modules:
        nodes = list(ast.walk(ast.parse(path.read_text())))
        imported = {node.module for node in nodes if isinstance(node, ast.ImportFrom)}
        imported |= {alias.name for node in nodes if isinstance(node, ast.Import) for alias in node.names}
        assert imported <= {"__future__", "sqlite_utils", "pipelines.store.migrations.registry"}, path.name


def test_the_kinds_are_named_once_and_the_schema_agrees():
    assert store.KINDS == ("episode", "episodes", "season", "series", "movie", "volume", "other")
    assert store.EPISODE_KINDS == ("episode", "episodes") and store.WHOLE_KINDS == ("season", "series")
    assert store.sql_list(store.EPISODE_KINDS) == "('episode', 'episodes')"
    db = sqlite_utils.Database(memory=True)
    store.MIGRATIONS.apply(db)
    # The episode_reviews view (frozen in m006) filters by the live tuple: changing EPISODE_KINDS needs a migration.
    [view] = db.execute("select sql from sqlite_master where name = 'episode_reviews'").fetchone()
    assert f"r.kind in {store.sql_list(store.EPISODE_KINDS)}" in view
