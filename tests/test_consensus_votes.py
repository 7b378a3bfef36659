"""One vote per outlet (issue 17): an outlet's sub and dub reviews, and its repeat reviews, of one episode count once
in the consensus, its spread and the outlets' leniency; whole-series reviews count for a show's only season."""

import sqlite_utils

from pipelines import store

BASE = {"headline": "A review", "published": "2025-01-01T10:00:00+00:00", "series": "X", "series_key": "x",
        "season": 1, "kind": "episode", "body_text": "A review.", "word_count": 2}


def review(outlet: str, score, episode: int | None = 1, version: str | None = None, **extra) -> dict:
    """One outlet's review of an episode (episode None: of the whole season, unless `kind` says otherwise)."""
    kind = "episode" if episode is not None else "season"
    where = (extra.get("series_key", "x"), extra.get("kind", kind), extra.get("season", 1), episode)
    url = f"https://{outlet}/" + "/".join(map(str, where)) + "/"
    return BASE | {"url": url + (version or ""), "outlet": outlet, "outlet_name": outlet.split(".")[0].upper(),
                   "score": score, "episode_start": episode, "episode_end": episode, "kind": kind,
                   "version": version} | extra


# X season 1: episode 1 has A's sub (8.0) and dub (9.0) reviews and B's (5.0) and C's (8.0); episode 2 A's sub (6.0)
# and B's (7.0); episode 3 only A's sub (7.0) and dub (9.0).
SUB_AND_DUB = [
    review("a.example", 8.0, 1, "sub"), review("a.example", 9.0, 1, "dub"), review("b.example", 5.0, 1),
    review("c.example", 8.0, 1), review("a.example", 6.0, 2, "sub"), review("b.example", 7.0, 2),
    review("a.example", 7.0, 3, "sub"), review("a.example", 9.0, 3, "dub"),
]


def database(tmp_path, reviews) -> sqlite_utils.Database:
    db = store.open_db(tmp_path / "reviews.db")
    for item in reviews:
        assert store.save_review(db, dict(item)) == "new"
    store.refresh_consensus(db)  # what the store pipeline does when a spider closes
    return db


def test_an_outlets_sub_and_dub_reviews_are_one_vote_scored_with_their_mean(tmp_path):
    db = database(tmp_path, SUB_AND_DUB)
    votes = db.query("select outlet, reviews, scored_reviews, score from outlet_episode_votes where episode = 1 "
                     "order by outlet")
    assert [tuple(v.values()) for v in votes] == [("a.example", 2, 2, 8.5), ("b.example", 1, 1, 5.0),
                                                  ("c.example", 1, 1, 8.0)]
    [first] = db.query("select * from episode_scores where episode = 1")
    # Over the votes 8.5, 5.0 and 8.0 (over the four reviews it would be 4 reviews, mean 7.5, median 8.0,
    # spread 4.0).
    assert first == {
        "series": "X", "season": 1, "episode": 1, "reviews": 3, "review_count": 4, "scored_reviews": 3,
        "mean_score": 7.17, "median_score": 8.0, "min_score": 5.0, "max_score": 8.5, "spread": 3.5, "stdev": 1.55,
        "positive_share": 0.67, "outlets": first["outlets"], "series_id": 1,
    }
    assert sorted(first["outlets"].split(",")) == ["A", "B", "C"]
    rest = db.query("select episode, reviews, review_count, scored_reviews, mean_score, median_score, spread "
                    "from episode_scores where episode > 1 order by episode")
    assert [tuple(r.values()) for r in rest] == [(2, 2, 2, 2, 6.5, 6.5, 1.0), (3, 1, 2, 1, 8.0, 8.0, 0.0)]
    [season] = db.query("select reviewed_episodes, episode_reviews, episode_review_count, mean_of_episode_means "
                        "from series_scores")
    assert season == {"reviewed_episodes": 3, "episode_reviews": 6, "episode_review_count": 8,
                      "mean_of_episode_means": 7.22}


def test_leniency_compares_an_outlets_vote_with_the_other_outlets_only(tmp_path):
    db = database(tmp_path, SUB_AND_DUB)
    rows = db.query("select outlet_id, episodes_compared, outlet_mean, others_mean, leniency from outlet_leniency "
                    "order by outlet_id")
    # A: episode 1 8.5 against B and C's 6.5, episode 2 6.0 against 7.0; its episode 3 has no other outlet (its dub
    # is not a second critic). B: 5.0 against 8.25, 7.0 against 6.0. C: 8.0 against 6.75.
    assert [tuple(r.values()) for r in rows] == [
        ("a.example", 2, 7.25, 6.75, 0.5), ("b.example", 2, 6.0, 7.13, -1.13), ("c.example", 1, 8.0, 6.75, 1.25)]


def test_a_repeat_review_and_an_unscored_one_add_no_vote(tmp_path):
    db = database(tmp_path, [
        review("a.example", 6.0, 1), review("a.example", 7.0, 1, url="https://a.example/x/episode/1/again/"),
        review("a.example", None, None, kind="episodes", episode_start=1, episode_end=2,
               url="https://a.example/x/episodes-1-2/"),
        review("b.example", None, 2),
    ])
    rows = db.query("select episode, reviews, review_count, scored_reviews, mean_score from episode_scores "
                    "order by episode")
    assert [tuple(r.values()) for r in rows] == [(1, 1, 3, 1, 6.5), (2, 2, 2, 0, None)]
    assert list(db.query("select * from outlet_leniency")) == []


def whole(outlet: str, score, kind: str, series: str, season: int | None = None) -> dict:
    return review(outlet, score, None, kind=kind, season=season, series=series, series_key=series.lower())


def series_rows(db) -> list[tuple]:
    return [tuple(r.values()) for r in db.query(
        """select series, season, reviewed_episodes, episode_reviews, season_reviews, season_review_count,
                  season_review_mean from series_scores order by series, season""")]


def test_whole_series_reviews_fold_into_a_shows_only_season(tmp_path):
    db = database(tmp_path, [
        # Y has one season: B's season review and series review are one vote (8.5), C's series review another.
        review("a.example", 7.0, 1, series="Y", series_key="y"), whole("b.example", 8.0, "season", "Y", 1),
        whole("b.example", 9.0, "series", "Y"), whole("c.example", 6.0, "series", "Y"),
        # Z has two seasons: its series review stays on the row of no season.
        review("a.example", 7.0, 1, series="Z", series_key="z"),
        review("a.example", 5.0, 1, series="Z", series_key="z", season=2), whole("b.example", 4.0, "series", "Z"),
        # W has no season at all.
        whole("c.example", 3.0, "series", "W"),
    ])
    assert series_rows(db) == [
        ("W", None, 0, 0, 1, 1, 3.0),
        ("Y", 1, 1, 1, 2, 3, 7.25),
        ("Z", None, 0, 0, 1, 1, 4.0), ("Z", 1, 1, 1, 0, 0, None), ("Z", 2, 1, 1, 0, 0, None),
    ]
    # A second season of Y is reviewed: its series reviews have no only season any more.
    since = store.now_iso()
    store.save_review(db, review("a.example", 8.0, 1, series="Y", series_key="y", season=2))
    store.refresh_consensus(db, store.changed_series(db, since))
    assert [row for row in series_rows(db) if row[0] == "Y"] == [
        ("Y", None, 0, 0, 2, 2, 7.5), ("Y", 1, 1, 1, 1, 1, 8.0), ("Y", 2, 1, 1, 0, 0, None)]


CONSENSUS = {"episode_scores": "series_id, season, episode", "series_scores": "series_id, season",
             "outlet_leniency": "outlet_id", "_leniency_parts": "series_id, outlet"}


def consensus_tables(db) -> dict[str, list[dict]]:
    """The consensus tables' rows, outlets sorted within a row (their order follows the order rows were read in)."""
    tables = {}
    for table, order in CONSENSUS.items():
        rows = [dict(r) for r in db.query(f"select * from {table} order by {order}")]
        for row in rows:
            if row.get("outlets"):
                row["outlets"] = ",".join(sorted(row["outlets"].split(",")))
        tables[table] = rows
    return tables


def test_refreshing_the_changed_series_after_each_crawl_equals_a_full_rebuild(tmp_path):
    db = store.open_db(tmp_path / "reviews.db")
    crawls = [
        SUB_AND_DUB[:3] + [whole("c.example", 7.0, "series", "X")],
        # the dub of A's episode 2 arrives, B rescores episode 1, a second show and its one-season fold
        [review("a.example", 8.0, 2, "dub"), review("b.example", 6.0, 1),
         review("b.example", 9.0, 1, series="Y", series_key="y"), whole("a.example", 5.0, "series", "Y"),
         review("c.example", 7.0, 1, series="Y", series_key="y")],
        # A's dub of episode 1 turns out to be of Y: it leaves X
        [review("a.example", 9.0, 1, "dub", series="Y", series_key="y") | {"url": SUB_AND_DUB[1]["url"]},
         review("a.example", 6.0, 2, "sub"), review("a.example", 6.0, 2, season=2)],
    ]
    for crawl in crawls:
        since = store.now_iso()
        for item in crawl:
            store.save_review(db, dict(item))
        store.refresh_consensus(db, store.changed_series(db, since))  # what a spider's close does
    incremental = consensus_tables(db)
    store.refresh_consensus(db)  # `scrapy consensus`
    assert consensus_tables(db) == incremental
    assert [(r["series_id"], r["season"], r["episode"], r["reviews"], r["review_count"], r["mean_score"])
            for r in incremental["episode_scores"]] == [
        (1, 1, 1, 2, 2, 7.0), (1, 1, 2, 1, 2, 7.0), (1, 2, 2, 1, 1, 6.0), (2, 1, 1, 3, 3, 8.33)]


def test_an_older_database_gets_one_vote_per_outlet_on_upgrade(tmp_path):
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    store.MIGRATIONS.apply(old, stop_before="m009_one_vote_per_outlet")
    for item in SUB_AND_DUB + [whole("c.example", 7.0, "series", "X")]:
        store.save_review(old, dict(item))
    old.close()
    db = store.open_db(path)  # m009 fills the consensus tables again, the new way
    upgraded = consensus_tables(db)
    assert [(r["episode"], r["reviews"], r["review_count"], r["mean_score"]) for r in upgraded["episode_scores"]] == [
        (1, 3, 4, 7.17), (2, 2, 2, 6.5), (3, 1, 2, 8.0)]
    assert series_rows(db) == [("X", 1, 3, 6, 1, 1, 7.0)]
    store.refresh_consensus(db)
    assert consensus_tables(db) == upgraded


def test_a_refresh_of_more_series_than_one_statement_binds(tmp_path):
    db = database(tmp_path, SUB_AND_DUB + [review("b.example", 6.0, 1, series="Y", series_key="y")])
    full = consensus_tables(db)
    db.execute("delete from episode_scores")
    db.execute("delete from series_scores")
    # 1,202 ids: three statements' worth, the two real series (1 and 2) in the last
    store.refresh_consensus(db, list(range(-1199, 1)) + [2, 1])
    assert consensus_tables(db) == full and len(full["episode_scores"]) == 4
