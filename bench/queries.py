"""Datasette's JSON API over a synthetic database of 1,000,000 reviews, built with the project's own store code.

    python bench/queries.py [--reviews 1000000] [--series 5000] [--samples 40] [--keep DIR]

1. Build: pipelines/store's `open_db` makes the schema (every migration, FTS triggers, the consensus tables);
   outlets, series and reviews rows shaped like `save_review`'s are bulk-inserted with sqlite-utils `insert_all`
   in big batches. Shows have popularity, seasons, 12-26 episodes (a few long runners past 1,000), multi-episode,
   season and series reviews, sub/dub, scores with outlet bias, and review text drawn from a Zipf vocabulary.
2. Consensus: `store.refresh_consensus` over every series (what the m006 migration does to an existing database,
   and `scrapy consensus`), then over 10 series (what the store does when a spider closes), both timed, and the
   other close-of-spider steps (`changed_series`, `fill_episode_numbers`).
3. `datasette serve` (a process, with data/metadata.yml, settings.json and plugins/) on the database: p50/p95 of
   every view, canned query and a few table pages over HTTP.

Target: every view and canned query p95 under 100 ms. A request cut off by Datasette's 2 s SQL time limit counts
as 2,000+ ms.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, machine  # noqa: E402
import sqlite_utils  # noqa: E402

from pipelines import store  # noqa: E402
from pipelines.series import series_key  # noqa: E402

SYLLABLES = ("ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no ha hi fu he ho ma mi mu me mo ya yu "
             "yo ra ri ru re ro wa n ga gi gu ge go za ji zu ze zo ba bi bu be bo pa pi pu pe po").split()
REVIEW_WORDS = ("the episode series season anime story character animation fight music scene moment arc opening "
                "ending finale premiere studio director voice dub sub pacing plot twist romance comedy drama action "
                "villain hero friendship battle art style soundtrack review score recap adaptation manga").split()
KINDS = [("episode", 0.84), ("episodes", 0.05), ("season", 0.05), ("series", 0.02), ("other", 0.04)]


def vocabulary(rng: random.Random, size: int) -> list[str]:
    words = set(REVIEW_WORDS)
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    ordered = REVIEW_WORDS + sorted(words - set(REVIEW_WORDS), key=lambda w: rng.random())
    return ordered


def build(path: Path, n_reviews: int, n_series: int, n_outlets: int, body_words: int, seed: int = 8) -> dict:
    """The synthetic database, through the project's store: schema by open_db, rows shaped like save_review's."""
    rng = random.Random(seed)
    started = time.perf_counter()
    db = store.open_db(path)
    db.execute("PRAGMA synchronous=OFF")  # a bulk load; the crawl's own writes are not what is measured here
    db.execute("PRAGMA cache_size=-200000")
    words = vocabulary(rng, 30000)
    zipf = [1 / (rank + 10) ** 1.05 for rank in range(len(words))]
    cumulative = list(_accumulate(zipf))

    outlets = [{"id": f"outlet{i:02d}.example", "name": f"Outlet {i:02d}", "homepage": f"https://outlet{i:02d}.example/"}
               for i in range(n_outlets)]
    db["outlets"].insert_all(outlets)
    bias = [rng.gauss(0, 0.6) for _ in outlets]
    series, keys = [], set()
    while len(series) < n_series:
        title = " ".join(w.capitalize() for w in rng.sample(words[40:3000], rng.randint(1, 4)))
        key = series_key(title)
        if key and key not in keys:
            keys.add(key)
            series.append({"id": len(series) + 1, "title": title, "key": key})
    db["series"].insert_all(series)
    shows = []
    for s in series:
        long_runner = rng.random() < 0.005
        seasons = 1 if long_runner else rng.choice([1, 1, 1, 2, 2, 3, 4])
        episodes = [rng.randint(900, 1150) if long_runner else rng.choice([12, 12, 13, 24, 25, 26])
                    for _ in range(seasons)]
        shows.append((s["id"], episodes, rng.gauss(7, 1)))
    popularity = list(_accumulate(1 / (i + 50) for i in range(len(shows))))
    kinds, kind_weights = zip(*KINDS)

    def rows():
        for i in range(n_reviews):
            series_id, episodes, quality = shows[_pick(rng, popularity)]
            o = rng.randrange(n_outlets)
            kind = rng.choices(kinds, kind_weights)[0]
            season = rng.randrange(len(episodes)) + 1
            start = end = None
            if kind == "episode":
                start = end = rng.randint(1, episodes[season - 1])
            elif kind == "episodes":
                start = rng.randint(1, max(1, episodes[season - 1] - 3))
                end = min(episodes[season - 1], start + rng.randint(1, 3))
            elif kind == "series":
                season = None
            scored = rng.random() < 0.9 and kind != "other"
            value = round(min(10, max(0, rng.gauss(quality + bias[o], 1.2))) * 2) / 2 if scored else None
            published = f"{2012 + i * 14 // n_reviews}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T" \
                         f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00+00:00"
            body = " ".join(_pick_words(rng, words, cumulative, body_words))
            title = series[series_id - 1]["title"]
            yield {
                "url": f"https://{outlets[o]['id']}/{published[:4]}/{published[5:7]}/review-{i}/",
                "outlet": outlets[o]["id"], "headline": f"{title} Season {season} Episode {start} Review",
                "author": f"Critic {rng.randrange(500)}", "published": published, "updated": None,
                "series_id": series_id if kind != "other" else None, "season": season if kind != "other" else None,
                "episode_start": start, "episode_end": end,
                "episode_title": " ".join(rng.choice(words[:5000]) for _ in range(3)) if start else None,
                "kind": kind, "version": rng.choice([None, None, None, "sub", "dub"]),
                "score_text": f"{value:g}/10" if value is not None else None, "score_value": value,
                "score_best": 10.0 if value is not None else None, "score": value,
                "verdict": " ".join(_pick_words(rng, words, cumulative, 12)), "body_text": body,
                "word_count": body_words, "content_hash": f"{rng.getrandbits(128):032x}",
                "first_seen": published, "last_seen": published, "last_changed": published,
            }

    batch, inserted = 50_000, 0
    generator = rows()
    while inserted < n_reviews:
        chunk = [row for _, row in zip(range(batch), generator)]
        with db.atomic():
            db["reviews"].insert_all(chunk, batch_size=1000)
        inserted += len(chunk)
        print(f"\r  {inserted} reviews inserted, {time.perf_counter() - started:.0f} s", end="", flush=True)
    print()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "bytes": path.stat().st_size}


def _accumulate(values):
    total = 0.0
    for value in values:
        total += value
        yield total


def _pick(rng: random.Random, cumulative: list[float]) -> int:
    import bisect

    return min(bisect.bisect_left(cumulative, rng.random() * cumulative[-1]), len(cumulative) - 1)


def _pick_words(rng: random.Random, words: list[str], cumulative: list[float], n: int) -> list[str]:
    return rng.choices(words, cum_weights=cumulative, k=n)


def refresh(path: Path) -> dict:
    """Time the consensus refresh in full and for 10 series, and the other steps of a spider's close."""
    db = store.open_db(path)
    timings = {}

    def timed(name, function):
        started = time.perf_counter()
        result = function()
        timings[name] = time.perf_counter() - started
        return result

    timed("full", lambda: store.refresh_consensus(db))
    touched = [row[0] for row in db.execute("select id from series order by random() limit 10")]
    timed("incremental_10", lambda: store.refresh_consensus(db, touched))
    timed("changed_series", lambda: store.changed_series(db, "2030-01-01T00:00:00+00:00"))
    timed("fill_episode_numbers", lambda: store.fill_episode_numbers(db))
    counts = {name: db[name].count for name in ("episode_scores", "series_scores", "outlet_leniency")}
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return timings | {"rows": counts, "bytes": path.stat().st_size}


@contextmanager
def datasette(db_path: Path, config_dir: Path):
    """The project's Datasette configuration directory (data/: metadata, settings, plugins) serving db_path."""
    config_dir.mkdir(parents=True, exist_ok=True)
    for name in ("metadata.yml", "settings.json"):
        shutil.copy(ROOT / "data" / name, config_dir / name)
    shutil.copytree(ROOT / "data" / "plugins", config_dir / "plugins", dirs_exist_ok=True)
    link = config_dir / "reviews.db"
    if link.exists() or link.is_symlink():
        link.unlink()
    link.symlink_to(db_path)
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = open(config_dir / "datasette.log", "wb")
    process = subprocess.Popen([sys.executable, "-m", "datasette", "serve", str(config_dir), "--host", "127.0.0.1",
                                "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/-/versions.json")
            conn.getresponse().read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError((config_dir / "datasette.log").read_text())
            time.sleep(0.2)
    try:
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def fetch(conn: http.client.HTTPConnection, path: str) -> tuple[float, int, bytes]:
    started = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    return 1000 * (time.perf_counter() - started), response.status, body


def requests(rng: random.Random, titles: list[str], series_ids: list[int], terms: dict[str, list[str]]):
    """(label, kind, path maker) of every request measured; parameters vary from sample to sample."""
    q = lambda **params: "?" + urlencode(params)  # noqa: E731
    pick = rng.choice
    return [
        ("episode_scores (first page)", "view", lambda: "/reviews/episode_scores.json"),
        ("episode_scores?series=", "view", lambda: "/reviews/episode_scores.json" + q(series=pick(titles))),
        ("series_scores (first page)", "view", lambda: "/reviews/series_scores.json"),
        ("series_scores?series=", "view", lambda: "/reviews/series_scores.json" + q(series=pick(titles))),
        ("outlet_leniency", "view", lambda: "/reviews/outlet_leniency.json"),
        ("episode_reviews?series_id=", "view", lambda: "/reviews/episode_reviews.json" + q(series_id=pick(series_ids))),
        ("show_episodes", "canned", lambda: "/reviews/show_episodes.json" + q(series=pick(titles))),
        ("season_top_episodes", "canned", lambda: "/reviews/season_top_episodes.json" + q(series=pick(titles), season=1)),
        ("biggest_disagreements", "canned", lambda: "/reviews/biggest_disagreements.json"),
        ("latest_reviews", "canned", lambda: "/reviews/latest_reviews.json" + q(series="")),
        ("latest_reviews?series=", "canned", lambda: "/reviews/latest_reviews.json" + q(series=pick(titles))),
        ("latest_reviews.atom?series=", "canned", lambda: "/reviews/latest_reviews.atom" + q(series=pick(titles))),
        ("search_reviews (rare word)", "canned", lambda: "/reviews/search_reviews.json" + q(q=pick(terms["rare"]))),
        ("search_reviews (show title)", "canned", lambda: "/reviews/search_reviews.json" + q(q=pick(terms["title"]))),
        ("search_reviews (common word)", "canned", lambda: "/reviews/search_reviews.json" + q(q=pick(terms["common"]))),
        ("reviews?series_id= +facets", "table", lambda: "/reviews/reviews.json" + q(series_id=pick(series_ids))
         + "&_facet=outlet&_facet=kind&_facet=season"),
        ("reviews (first page, facets)", "table", lambda: "/reviews/reviews.json"),
        ("reviews?_search= +series_id", "table", lambda: "/reviews/reviews.json" + q(_search=pick(terms["title"]),
                                                                                      series_id=pick(series_ids))),
    ]


def measure(port: int, plan, samples: int, slow_samples: int) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    results = {}
    for label, kind, make in plan:
        times, errors = [], 0
        first, status, body = fetch(conn, make())  # warm-up (page cache, Datasette's introspection)
        n = samples if first < 1000 else slow_samples
        for _ in range(n):
            ms, status, body = fetch(conn, make())
            if status != 200:
                errors += 1
                ms = max(ms, 2000.0)  # the 2 s time limit cut it off
            times.append(ms)
        times.sort()
        results[label] = {"kind": kind, "n": n, "p50": statistics.median(times),
                          "p95": times[min(len(times) - 1, math.ceil(0.95 * len(times)) - 1)], "errors": errors}
    return results


def sample_parameters(db_path: Path, rng: random.Random) -> tuple[list[str], list[int], dict[str, list[str]]]:
    conn = sqlite3.connect(db_path)
    rows = conn.execute("select id, title from series").fetchall()
    picked = rng.sample(rows, 200)
    titles = [title for _, title in picked]
    ids = [i for i, _ in picked]
    # Terms by how many documents hold them (fts5vocab), for searches of rare, title and common words.
    conn.execute("create virtual table temp.v using fts5vocab(main, reviews_fts, 'row')")
    vocab = conn.execute("select term, doc from temp.v order by doc desc").fetchall()
    conn.close()
    n = len(vocab)
    terms = {
        "common": [t for t, _ in vocab[20:60]],
        "rare": [t for t, _ in vocab[n // 2: n // 2 + 200]],
        "title": [title.split()[0].lower() for title in titles],
    }
    docs = dict(vocab)
    for band, words in terms.items():
        counts = sorted(docs.get(w, 0) for w in words)
        print(f"  search terms, {band}: e.g. {words[:3]}, median {counts[len(counts) // 2]} matching reviews")
    return titles, ids, terms


def print_table(results: dict) -> None:
    print(f"\n{'request (ms)':32}{'p50':>9}{'p95':>9}{'n':>4}  target p95 < 100 ms")
    for label, r in results.items():
        fmt = lambda k: (">2000" if r["errors"] and r[k] >= 2000 else f"{r[k]:.1f}")  # noqa: E731
        ok = "ok" if r["p95"] < 100 else ("-" if r["kind"] == "table" else "MISSED")
        print(f"{label:32}{fmt('p50'):>9}{fmt('p95'):>9}{r['n']:>4}  {ok}")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--series", type=int, default=5000)
    parser.add_argument("--outlets", type=int, default=40)
    parser.add_argument("--body-words", type=int, default=60, help="words of review text per row")
    parser.add_argument("--samples", type=int, default=40, help="timed requests per endpoint")
    parser.add_argument("--slow-samples", type=int, default=3, help="when the warm-up took over a second")
    parser.add_argument("--keep", type=Path, help="work (and keep the databases) in this folder; an existing "
                                                  "synthetic.db of the same size there is reused")
    args = parser.parse_args(argv)
    print(f"== bench/queries.py  ({machine()}, SQLite {sqlite3.sqlite_version})")
    with tempfile.TemporaryDirectory(prefix="bench-queries-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        path = work / "synthetic.db"
        stamp = work / "synthetic.json"
        wanted = {"reviews": args.reviews, "series": args.series, "outlets": args.outlets, "words": args.body_words,
                  "schema": [migration.name for migration in store.MIGRATIONS.pending(sqlite_utils.Database(memory=True))]}
        if path.exists() and stamp.exists() and json.loads(stamp.read_text()).get("wanted") == wanted:
            built = json.loads(stamp.read_text())["built"]
            print(f"reusing {path} (built in {built['seconds']:.0f} s)")
        else:
            path.unlink(missing_ok=True)
            built = build(path, args.reviews, args.series, args.outlets, args.body_words)
            stamp.write_text(json.dumps({"wanted": wanted, "built": built}))
        print(f"built {args.reviews} reviews over {args.series} series and {args.outlets} outlets in "
              f"{built['seconds']:.0f} s: {built['bytes'] / 2**20:.0f} MB")
        consensus = refresh(path)
        print(f"refresh_consensus: every series {consensus['full']:.1f} s, 10 series "
              f"{consensus['incremental_10'] * 1000:.0f} ms; changed_series {consensus['changed_series'] * 1000:.0f} ms, "
              f"fill_episode_numbers {consensus['fill_episode_numbers'] * 1000:.0f} ms; rows {consensus['rows']}; "
              f"file {consensus['bytes'] / 2**20:.0f} MB")
        titles, ids, terms = sample_parameters(path, random.Random(1))
        with datasette(path, work / "datasette") as port:
            results = measure(port, requests(random.Random(2), titles, ids, terms), args.samples, args.slow_samples)
    print_table(results)
    missed = [label for label, r in results.items() if r["kind"] != "table" and r["p95"] >= 100]
    print(f"database file {consensus['bytes'] / 2**20:.0f} MB; views and canned queries over 100 ms at p95: "
          f"{', '.join(missed) or 'none'}")
    return {"built": built, "consensus": consensus, "results": results}


if __name__ == "__main__":
    main()
