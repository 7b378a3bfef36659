"""A crawl of the whole mirror stores exactly the rows it stored before a change: every review, series, outlet,
sub-score, audience figure and consensus row, and each run's figures (tests/golden/mirror_crawl.json).

A change meant to alter what is stored (a reader that reads better) rewrites the file with
`UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py`, and its diff shows each row that changed.
A change meant to alter nothing (a refactoring) must leave it as it is.
"""

import json
import os
from pathlib import Path

from conftest import snapshot

GOLDEN = Path(__file__).parent / "golden" / "mirror_crawl.json"


def test_a_crawl_of_the_mirror_stores_the_rows_it_stored_before(crawled_db):
    got = snapshot(crawled_db)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert sorted(got) == sorted(expected)
    for table in expected:
        missing = sorted(set(expected[table]) - set(got[table]))[:3]
        extra = sorted(set(got[table]) - set(expected[table]))[:3]
        assert got[table] == expected[table], f"{table}: missing {missing}, extra {extra}"
