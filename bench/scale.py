"""The crawl of bench/crawl.py at several sizes: is time linear and memory flat?

    python bench/scale.py [--sizes 1000,5000,20000] [--feed-items 50]

For each size a fresh mirror is generated (bench/generate_mirror.py) and crawled with `scrapy crawlall` over
loopback, politeness off, into a fresh database (bench/crawl.py's `crawl`). Printed per size: pages fetched,
crawl seconds (Scrapy stats window, and the whole process), seconds per 1,000 review pages, and peak RSS of
the crawl process. Targets: seconds per 1,000 pages the same at every size (linear time); peak RSS of the
largest size within 20% of the smallest's and under 300 MB.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine  # noqa: E402
from crawl import crawl  # noqa: E402
from generate_mirror import FEED_ITEMS, generate  # noqa: E402


def main(argv: list[str] | None = None, known: dict[int, dict] | None = None) -> dict:
    """`known`: results of sizes already crawled in this run (bench/run_all.py passes bench/crawl.py's)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,20000", help="review pages per crawl, comma-separated")
    parser.add_argument("--profile-largest", metavar="HTML", help="pyinstrument profile of the largest crawl")
    parser.add_argument("--feed-items", type=int, default=FEED_ITEMS,
                        help=f"items in a feed-only outlet's feed (default {FEED_ITEMS}; 0: all its pages)")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    print(f"== bench/scale.py  ({machine()}), feeds of {args.feed_items or 'all'} items")
    results = dict(known or {})
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        for size in sizes:
            if size in results:
                print(f"{size} pages: measured above by bench/crawl.py in this run")
                continue
            mirror = Path(tmp) / f"mirror-{size}"
            generate(mirror, size, feed_items=args.feed_items)
            profile = args.profile_largest if size == max(sizes) else None
            results[size] = crawl(mirror, Path(tmp), profile, tag=f"crawl-{size}") | {"size": size}
            shutil.rmtree(mirror)
    print(f"\n{'review pages':>12}{'pages':>8}{'seconds':>9}{'(process)':>11}{'s/1k pages':>12}{'vs smallest':>13}"
          f"{'peak RSS':>10}{'vs smallest':>13}")
    base = results[sizes[0]]
    for size in sizes:
        r = results[size]
        per_k = 1000 * r["window"] / size
        print(f"{size:>12}{r['pages']:>8}{r['window']:>9.1f}{r['seconds']:>11.1f}{per_k:>12.2f}"
              f"{per_k / (1000 * base['window'] / sizes[0]):>13.2f}{r['maxrss'] / 2**20:>7.0f} MB"
              f"{r['maxrss'] / base['maxrss']:>13.2f}")
    largest = results[sizes[-1]]
    growth = largest["maxrss"] / base["maxrss"]
    print(f"time per page, largest / smallest: {largest['window'] / sizes[-1] / (base['window'] / sizes[0]):.2f} "
          f"(target ~1.0: linear); peak RSS largest / smallest: {growth:.2f} (target <= 1.20), "
          f"largest {largest['maxrss'] / 2**20:.0f} MB (target < 300 MB)")
    return results


if __name__ == "__main__":
    main()
