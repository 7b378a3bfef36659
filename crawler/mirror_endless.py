"""An endless next-page chain on the offline mirror, for the tests and benchmarks of crawl bounds (issue 16).

`endless_mirror()` serves the mirror as `crawler.mirror.MirrorServer` does, except But Why Tho?'s listing pages:
every page N is the first listing page with its next-page link pointing at page N + 1, forever. The server counts
the deepest page it served (`listings_served`).
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

from crawler.mirror import MirrorRequestHandler, MirrorServer

LISTING_PAGE = re.compile(r"^/butwhytho\.net/category/reviews/anime/page/(\d+)/$")
FIRST_PAGE = "butwhytho.net/category/reviews/anime/index.html"
NEXT_LINK = "/category/reviews/anime/page/2/"


class EndlessListing(MirrorRequestHandler):
    def do_GET(self):
        match = LISTING_PAGE.match(self.path)
        if not match:
            return super().do_GET()
        page = int(match[1])
        body = self.server.first_page.replace(NEXT_LINK, f"/category/reviews/anime/page/{page + 1}/").encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        with self.server.listings_lock:
            self.server.listings_served = max(self.server.listings_served, page)


def endless_mirror(root: str | Path) -> MirrorServer:
    """The mirror in `root` with an endless listing chain, started on a free loopback port."""
    server = MirrorServer(root)
    server.RequestHandlerClass = EndlessListing
    server.first_page = (Path(root) / FIRST_PAGE).read_text(encoding="utf-8")
    server.listings_served = 0
    server.listings_lock = threading.Lock()
    return server.start()
