"""All four performance benchmarks in one go, each printing its figures.

    python bench/run_all.py              # the full run (about 15 minutes on 2 cores)
    python bench/run_all.py --quick      # small sizes, a couple of minutes: does everything still run?
    python bench/run_all.py --only crawl,scale

1. bench/pipeline.py  item pipelines vs trafilatura.extract on the mirror's review pages (>= 2,000 pages)
2. bench/crawl.py     scrapy bench, then crawlall of a generated 5,000-page mirror over loopback
3. bench/scale.py     the same crawl at 1,000 / 5,000 / 20,000 pages (5,000 is step 2's crawl)
4. bench/queries.py   Datasette JSON API over a synthetic 1,000,000-review database
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import crawl  # noqa: E402
import pipeline  # noqa: E402
import queries  # noqa: E402
import scale  # noqa: E402
from common import machine  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run of every benchmark")
    parser.add_argument("--only", help="comma-separated subset of: pipeline,crawl,scale,queries")
    args = parser.parse_args()
    only = set(args.only.split(",")) if args.only else {"pipeline", "crawl", "scale", "queries"}
    sizes = {"pipeline": 2000, "crawl": 5000, "scale": "1000,5000,20000", "reviews": 1_000_000, "series": 5000,
             "samples": 40}
    if args.quick:
        sizes = {"pipeline": 300, "crawl": 500, "scale": "250,500,1000", "reviews": 50_000, "series": 500,
                 "samples": 8}
    print(f"machine: {machine()}\n")
    started = time.perf_counter()
    timings = {}

    def step(name, function):
        began = time.perf_counter()
        result = function()
        timings[name] = time.perf_counter() - began
        print(f"[{name}: {timings[name]:.0f} s]\n", flush=True)
        return result

    if "pipeline" in only:
        step("pipeline", lambda: pipeline.main(["--pages", str(sizes["pipeline"])]))
    crawled = None
    if "crawl" in only:
        crawled = step("crawl", lambda: crawl.main(["--pages", str(sizes["crawl"])]))
    if "scale" in only:
        known = {sizes["crawl"]: crawled["crawl"]} if crawled else None
        step("scale", lambda: scale.main(["--sizes", sizes["scale"]], known=known))
    if "queries" in only:
        step("queries", lambda: queries.main(["--reviews", str(sizes["reviews"]), "--series", str(sizes["series"]),
                                              "--samples", str(sizes["samples"])]))
    print("run times: " + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in timings.items())
          + f"; total {(time.perf_counter() - started) / 60:.1f} min")


if __name__ == "__main__":
    main()
