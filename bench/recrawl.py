"""First crawl against a second crawl of the unchanged offline mirror: pages fetched, bytes, seconds.

    python bench/recrawl.py

Both crawls run every spider (`scrapy crawlall`) in a child process with politeness delays off, against
the mirror served on a free loopback port; the mirror server counts what it sent.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.mirror import MirrorServer  # noqa: E402


def crawl(server: MirrorServer, workdir: Path) -> dict:
    before = dict(server.served)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "scrapy", "crawlall", "-s", f"REVIEWS_DB={workdir / 'reviews.db'}",
         "-s", f"MIRROR_MODE={server.base_url}", "-s", f"HTTPCACHE_DIR={workdir / 'httpcache'}",
         "-s", f"CRAWL_LOCK={workdir / 'crawl.lock'}", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
         "-s", "LOG_LEVEL=WARNING"],
        cwd=ROOT, check=True, capture_output=True,
    )
    seconds = time.perf_counter() - started
    served = {key: server.served[key] - before.get(key, 0) for key in server.served}
    return {
        "requests": sum(v for k, v in served.items() if isinstance(k, int)),
        "full bodies (200)": served.get(200, 0),
        "not modified (304)": served.get(304, 0),
        "body bytes": served.get("body_bytes", 0),
        "seconds": round(seconds, 2),
    }


def main() -> None:
    server = MirrorServer(ROOT / "data" / "mirror").start()
    try:
        with tempfile.TemporaryDirectory() as workdir:
            first = crawl(server, Path(workdir))
            second = crawl(server, Path(workdir))
    finally:
        server.stop()
    print(f"{'':22}{'first crawl':>14}{'second crawl':>14}{'ratio':>8}")
    for key in first:
        ratio = second[key] / first[key] if first[key] else 0
        print(f"{key:22}{first[key]:>14}{second[key]:>14}{ratio:>8.2f}")


if __name__ == "__main__":
    main()
