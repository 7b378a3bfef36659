"""Check that bench/proposed.py's find_review_score gives exactly today's results, and time both.

    python bench/check_proposed.py

Compared on every file of data/mirror and every page of tests/test_find_review_score.py (plus a few edge cases):
the score found and, for HTML, every text line the score finder reads.
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT  # noqa: E402

import pipelines.scores as today  # noqa: E402
import pipelines.structured as structured  # noqa: E402

EDGE_CASES = [
    "", "   ", "<!-- only a comment -->", "Rating: 3/5 in plain text",
    "<?xml version='1.0' encoding='UTF-8'?><html><body><p>Rating: 8/10</p></body></html>",
    "<html class='sidebar'><body><p>Rating: 7/10</p></body></html>",
    "<p>Score</p><p>7/10</p><img alt='4 stars'><span class='screen-reader-text'>x</span> tail",
]


def pages() -> list[tuple[str, str]]:
    found = []
    for path in sorted((ROOT / "data" / "mirror").rglob("*")):
        if path.is_file():
            try:
                found.append((str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")))
            except UnicodeDecodeError:
                pass
    sys.path.insert(0, str(ROOT / "tests"))
    import test_find_review_score as tests

    found += [(f"tests:{name}", value) for name, value in vars(tests).items()
              if isinstance(value, str) and value.lstrip().startswith("<")]
    return found + [(f"edge case {i}", text) for i, text in enumerate(EDGE_CASES)]


def as_tuple(score):
    return None if score is None else (score.text, score.value, score.best, score.score)


def main() -> int:
    warnings.simplefilter("ignore")
    all_pages = pages()
    old_find, old_lines, old_items = today.find_review_score, today._page_lines, structured.structured_items
    soup = today.BeautifulSoup if hasattr(today, "BeautifulSoup") else None
    before = {}
    for name, text in all_pages:
        lines = old_lines(text, soup(text, "lxml")) if soup and today._is_html(text) and text.strip() else None
        before[name] = (as_tuple(old_find(text)), lines)
    started = time.process_time()
    html = [text for _, text in all_pages if len(text) > 5000]
    for text in html:
        old_find(text)
    old_ms = 1000 * (time.process_time() - started) / len(html)

    import proposed

    proposed.install()
    differences = 0
    for name, text in all_pages:
        tree = proposed._parse(text) if proposed._is_html(text) and text.strip() else None
        after = (as_tuple(proposed.find_review_score(text)),
                 proposed._page_lines(text, tree) if tree is not None and before[name][1] is not None else None)
        if after[0] != before[name][0] or (after[1] is not None and after[1] != before[name][1]):
            differences += 1
            print(f"DIFFERENT: {name}: {before[name][0]} -> {after[0]}")
    started = time.process_time()
    for text in html:
        proposed.find_review_score(text)
    new_ms = 1000 * (time.process_time() - started) / len(html)
    structured.structured_items = old_items
    print(f"{len(all_pages)} pages compared (score and text lines): {differences} differences")
    print(f"find_review_score on {len(html)} whole pages: {old_ms:.2f} ms/page today, {new_ms:.2f} ms/page proposed "
          f"({old_ms / new_ms:.1f}x)")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
