"""The item pipelines against `trafilatura.extract` on every review page of the offline mirror.

    python bench/pipeline.py [--pages 2000] [--profile out.html]

Every review page of data/mirror (the pages the real spiders send to `parse_review`, found by an offline walk of
the mirror: bench/common.py) is read by its spider's `parse_review` into a raw item, as in a crawl. The items
then go through the project's item pipelines (validate, strip chrome, read headline, score, series, store into
a fresh temporary database), repeated until at least --pages pages; each repetition gives the URLs a distinct
query (`?rep=N`), so every page is a new review row, as in a first crawl of that many pages. In the same run,
interleaved repetition by repetition, `trafilatura.extract` reads the same pages' whole HTML.

Printed: pages/s of each and their ratio (target: pipelines >= 2x trafilatura), CPU ms per page by pipeline step
(and per outlet), and the spider's own parse_review time, which a crawl adds on top of the pipelines.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, machine, make_spider, response_for, walk  # noqa: E402

import trafilatura  # noqa: E402
from scrapy.exceptions import DropItem  # noqa: E402
from scrapy.utils.conf import build_component_list  # noqa: E402
from scrapy.utils.misc import build_from_crawler, load_object  # noqa: E402

from crawler.runs import CrawlRuns  # noqa: E402
from pipelines import item_pipelines as ip  # noqa: E402


def raw_pages(mirror: Path) -> list[dict]:
    """[{spider, url, html, item, parse_cpu}] for every review page of the mirror, in a stable order."""
    pages = []
    for name, site in walk(mirror).items():
        spider = make_spider(name)
        for url, path in site.reviews.items():
            response = response_for(url, path)
            started = time.process_time()
            items = list(spider.parse_review(response))
            parse_cpu = time.process_time() - started
            for item in items:
                pages.append({"spider": name, "url": url, "html": response.text, "item": item,
                              "parse_cpu": parse_cpu})
    return pages


STEP_NAMES = {  # the README's names of the steps, by pipeline class
    "ValidatePipeline": "validate", "ChromePipeline": "strip chrome", "HeadlinePipeline": "read headline",
    "ScorePipeline": "score", "SeriesPipeline": "series", "StorePipeline": "store",
}


def call_hook(pipeline, hook: str, spider) -> None:
    method = getattr(pipeline, hook, None)
    if method is None:
        return
    try:
        method()
    except TypeError:
        method(spider)


class Pipelines:
    """The project's ITEM_PIPELINES, built as Scrapy builds them, one chain per spider (as each crawler of a
    crawlall has its own)."""

    def __init__(self, db_path: Path, spiders: list[str]):
        settings = {"REVIEWS_DB": str(db_path), "LOG_LEVEL": "ERROR"}
        ip.SeriesPipeline.resolvers.clear()
        self.chains, self.stores = {}, {}
        for name in spiders:
            spider = make_spider(name, **settings)
            crawler = spider.crawler
            chain = []
            for path in build_component_list(crawler.settings.getwithbase("ITEM_PIPELINES")):
                cls = load_object(path)
                pipeline = build_from_crawler(cls, crawler)
                call_hook(pipeline, "open_spider", spider)
                chain.append((STEP_NAMES.get(cls.__name__, cls.__name__), pipeline))
                if isinstance(pipeline, ip.StorePipeline):
                    self.stores[name] = pipeline
                    # The crawl-run extension a crawl enables (no engine here to build it): it opens the run the
                    # store pipeline saves under, and at the end writes the run's figures and health and
                    # refreshes the consensus.
                    pipeline.runs = CrawlRuns(crawler)
                    pipeline.runs.spider_opened(spider)
            self.chains[name] = chain
        self.steps = [step for step, _ in next(iter(self.chains.values()))]
        self.cpu = defaultdict(float)    # step -> CPU seconds
        self.wall = defaultdict(float)   # step -> wall seconds
        self.by_spider = defaultdict(float)
        self.dropped = defaultdict(int)  # reason -> items

    def process(self, spider: str, item) -> None:
        for step, pipeline in self.chains[spider]:
            cpu, wall = time.process_time(), time.perf_counter()
            try:
                item = pipeline.process_item(item)
            except DropItem as exc:
                # What the store pipeline's item_dropped signal handler does in a crawl.
                self.stores[spider].item_dropped(item, None, exc)
                self.dropped[str(exc).split(":")[0][:40]] += 1
                return
            finally:
                spent = time.process_time() - cpu
                self.cpu[step] += spent
                self.by_spider[spider] += spent
                self.wall[step] += time.perf_counter() - wall

    def close(self) -> None:
        cpu, wall = time.process_time(), time.perf_counter()
        for name, store in self.stores.items():
            call_hook(store, "close_spider", store.crawler.spider)
            # health checks, fill_episode_numbers, the consensus refresh, the run's row
            store.runs.spider_closed(store.crawler.spider, "finished")
        self.cpu["close (per crawl)"] += time.process_time() - cpu
        self.wall["close (per crawl)"] += time.perf_counter() - wall


def with_rep(url: str, rep: int) -> str:
    return url + ("&" if "?" in url else "?") + f"rep={rep}"


def run(pages_wanted: int, mirror: Path, profile: str | None = None) -> dict:
    pages = raw_pages(mirror)
    reps = -(-pages_wanted // len(pages))
    total = reps * len(pages)
    print(f"{len(pages)} review pages in {mirror} ({len({p['spider'] for p in pages})} spiders), "
          f"{reps} repetitions: {total} pages each side")
    # All raw items of every repetition are copied before timing, so copying is never measured.
    batches = []
    for rep in range(reps):
        batch = []
        for page in pages:
            item = page["item"].deepcopy()
            item["url"] = with_rep(item["url"], rep)
            batch.append((page["spider"], item))
        batches.append(batch)

    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as tmp:
        chains = Pipelines(Path(tmp) / "reviews.db", sorted({p["spider"] for p in pages}))
        pipe_wall = traf_wall = pipe_cpu = traf_cpu = 0.0
        gc.collect()
        for batch in batches:
            # Interleaved, so both sides see the same machine load.
            if profiler:
                profiler.start()
            cpu, wall = time.process_time(), time.perf_counter()
            for spider, item in batch:
                chains.process(spider, item)
            pipe_wall += time.perf_counter() - wall
            pipe_cpu += time.process_time() - cpu
            if profiler:
                profiler.stop()
            cpu, wall = time.process_time(), time.perf_counter()
            for page in pages:
                trafilatura.extract(page["html"])
            traf_wall += time.perf_counter() - wall
            traf_cpu += time.process_time() - cpu
        cpu, wall = time.process_time(), time.perf_counter()
        chains.close()
        pipe_wall += time.perf_counter() - wall
        pipe_cpu += time.process_time() - cpu
        db_bytes = sum(f.stat().st_size for f in Path(tmp).iterdir())
    if profiler:
        Path(profile).write_text(profiler.output_html())
        print(f"pyinstrument profile of the pipelines: {profile}")

    pipe_rate, traf_rate = total / pipe_wall, total / traf_wall
    parse_cpu = sum(p["parse_cpu"] for p in pages) / len(pages)
    print(f"\n{'':34}{'pages':>7}{'seconds':>9}{'pages/s':>9}{'CPU ms/page':>13}")
    print(f"{'item pipelines (all six steps)':34}{total:>7}{pipe_wall:>9.2f}{pipe_rate:>9.1f}"
          f"{1000 * pipe_cpu / total:>13.2f}")
    print(f"{'trafilatura.extract':34}{total:>7}{traf_wall:>9.2f}{traf_rate:>9.1f}{1000 * traf_cpu / total:>13.2f}")
    print(f"ratio pipelines / trafilatura pages/s: {pipe_rate / traf_rate:.2f}x  (target >= 2x)")
    print(f"(spider parse_review, not a pipeline, adds {1000 * parse_cpu:.2f} CPU ms/page in a crawl: "
          f"with it {total / (pipe_wall + parse_cpu * total):.1f} pages/s, "
          f"{total / (pipe_wall + parse_cpu * total) / traf_rate:.2f}x)")
    print(f"\n{'pipeline step':24}{'CPU ms/page':>12}{'wall ms/page':>13}{'share':>7}")
    all_cpu = sum(chains.cpu.values())
    for step in [*chains.steps, "close (per crawl)"]:
        print(f"{step:24}{1000 * chains.cpu[step] / total:>12.3f}{1000 * chains.wall[step] / total:>13.3f}"
              f"{chains.cpu[step] / all_cpu:>7.0%}")
    per_spider_pages = defaultdict(int)
    for page in pages:
        per_spider_pages[page["spider"]] += reps
    print(f"\n{'spider':18}{'pages':>6}{'CPU ms/page':>12}")
    for spider in sorted(chains.by_spider, key=lambda s: -chains.by_spider[s] / per_spider_pages[s]):
        print(f"{spider:18}{per_spider_pages[spider]:>6}{1000 * chains.by_spider[spider] / per_spider_pages[spider]:>12.2f}")
    dropped = ", ".join(f"{n} {reason}" for reason, n in sorted(chains.dropped.items()))
    print(f"\ndropped: {sum(chains.dropped.values())} ({dropped}); database after the run: {db_bytes / 2**20:.1f} MB")
    return {"pages": total, "pipeline_pages_s": pipe_rate, "trafilatura_pages_s": traf_rate,
            "ratio": pipe_rate / traf_rate, "steps_cpu_ms": {k: 1000 * v / total for k, v in chains.cpu.items()}}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000, help="at least this many pages each side (default 2000)")
    parser.add_argument("--mirror", type=Path, default=ROOT / "data" / "mirror")
    parser.add_argument("--profile", metavar="HTML", help="write a pyinstrument profile of the pipelines here")
    args = parser.parse_args(argv)
    print(f"== bench/pipeline.py  ({machine()})")
    return run(args.pages, args.mirror, args.profile)


if __name__ == "__main__":
    main()
