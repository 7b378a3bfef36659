"""The series linker on real title spellings, and the series identity of a database.

    python bench/catalogue.py [DB] [--misses]

1. Every row of bench/catalogue_spellings.csv (a spelling written as a real page or the catalogue writes it, the
   season the page states, film or series, the catalogue entry it names or none) is linked against the shipped
   catalogue snapshot (data/catalogue/), with the alias file and data/catalogue/names.yml, as a crawl links it.
   A row with a season is right when the link and the season give the expected season's entry; a row without,
   when the link is the expected entry's show. Precision: right links / links made (a link on a row that expects
   none is wrong); recall: right links / rows that expect an entry.
2. With DB (default data/reviews.db, if it exists): how many series link, and how many reviews are in a series
   that also holds another outlet's review (the reviews whose show's consensus is shared), as stored and after the
   merge the next crawl makes (series linked to one show become one row; done on a copy, DB is left as it is).
"""

from __future__ import annotations

import argparse
import csv
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipelines import store  # noqa: E402
from pipelines.linking import CatalogueIndex, Facts, build_index, merge_shows, relink  # noqa: E402
from pipelines.series import load_aliases, series_key  # noqa: E402

SPELLINGS = ROOT / "bench" / "catalogue_spellings.csv"
ALIASES = ROOT / "data" / "series_aliases.yml"


def predicted_entry(index: CatalogueIndex, spelling: str, season: int | None, film: bool) -> tuple[str | None, str]:
    """The entry a spelling (and its stated season) links to, and how."""
    key = series_key(spelling)
    link = index.link(key, Facts(film=film))
    if link is None or link.catalogue_id is None:
        return None, link.method if link else "none"
    season = index.season_named(key) or season
    if not season:
        return link.catalogue_id, link.method
    found = [entry for entry in index.entries.values()
             if entry["show_id"] == link.catalogue_id and entry["season"] == season and entry["part"] == 1]
    return (found[0]["id"] if len(found) == 1 else None), link.method


def spellings_report(index: CatalogueIndex, show_misses: bool) -> tuple[float, float]:
    rows = list(csv.DictReader(SPELLINGS.open(encoding="utf-8")))
    made = right = expected = 0
    misses = []
    for row in rows:
        season = int(row["season"]) if row["season"] else None
        entry, method = predicted_entry(index, row["spelling"], season, row["kind"] == "movie")
        want = row["expected"] or None
        if want and not (season or index.season_named(series_key(row["spelling"]))):
            want = index.show_of(want) if want in index.entries else want  # the show is what counts
        expected += want is not None
        made += entry is not None
        ok = entry is not None and entry == want
        right += ok
        if (entry or want) and not ok:
            misses.append(f"  {'WRONG' if entry else 'miss '} {row['spelling']!r} season {season}: got {entry} "
                          f"({method}), expected {want or 'none'}")
    precision = right / made if made else 1.0
    recall = right / expected if expected else 1.0
    print(f"spellings: {len(rows)} ({expected} with an entry); links made {made}, right {right}: "
          f"precision {precision:.1%}, recall {recall:.1%}")
    wrong = [miss for miss in misses if "WRONG" in miss]
    for line in (misses if show_misses else wrong):
        print(line)
    return precision, recall


SHARED_SQL = """select count(*) filter (where series_id in (select series_id from reviews where series_id is not null
                                                     group by series_id having count(distinct outlet) > 1)),
                         count(*) from reviews where series_id is not null"""


def database_report(path: Path, aliases: dict[str, str]) -> None:
    db = store.open_db(path)
    linked, total = db.execute("select count(catalogue_id), count(*) from series_catalogue").fetchone()
    shared, reviews = db.execute(SHARED_SQL).fetchone()
    print(f"{path}: {linked} of {total} series linked to the catalogue; {shared} of {reviews} reviews are in a "
          f"series that holds another outlet's review")
    with tempfile.TemporaryDirectory() as folder:
        copy = sqlite3.connect(Path(folder) / "merged.db")
        db.conn.backup(copy)
        copy.close()
        merged = store.open_db(Path(folder) / "merged.db")
        index = build_index(merged, aliases)
        relink(merged, index, only_unlinked=True)  # what the next crawl does first
        merges = merge_shows(merged, index)
        shared_after, _ = merged.execute(SHARED_SQL).fetchone()
        merged.close()
    print(f"  after merging the series linked to one show ({len(merges)} series merged into another, "
          f"reviews moved: {sum(merge.reviews for merge in merges)}): {shared_after} of {reviews} reviews")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("db", nargs="?", default=str(ROOT / "data" / "reviews.db"))
    parser.add_argument("--misses", action="store_true", help="list every miss, not only wrong links")
    args = parser.parse_args()
    started = time.monotonic()
    scratch = store.open_db(":memory:")
    aliases = load_aliases(ALIASES)
    index = build_index(scratch, aliases)
    print(f"catalogue: {len(index.entries)} entries, indexed in {time.monotonic() - started:.2f} s")
    spellings_report(index, args.misses)
    if Path(args.db).exists():
        database_report(Path(args.db), aliases)
    else:
        print(f"{args.db}: no database (run `make crawl` first)")


if __name__ == "__main__":
    main()
