"""The offline mirror: review sites served from `data/mirror/<host>/<path>` over loopback HTTP.

Two halves:
- `MirrorServer`, a small threaded HTTP server. A request for `/<host>/<path>` answers with the file
  `<root>/<host>/<path>` (`index.html` or `index.xml` for a path ending in `/`), with its content type,
  `Last-Modified`, a content `ETag`, `304 Not Modified` on conditional requests and each host's own
  `robots.txt`. Query strings are ignored, as the sites themselves mostly do (`?m=0`, `?utm_…`).
- `MirrorDownloadHandler`, the Scrapy download handler for http and https. With mirror mode on it sends
  `https://butwhytho.net/x/` to `http://127.0.0.1:<port>/butwhytho.net/x/` and gives the response back
  its real URL, so spiders, middlewares and items only ever see the sites' real URLs. Doing it at the
  download-handler level keeps every downloader middleware (robots.txt, retries, cache, stats) and the
  per-site download slots working on the real URLs, exactly as in a live crawl.

Run a standalone server with `python -m crawler.mirror --port 8002`.
"""

from __future__ import annotations

import argparse
import email.utils
import hashlib
import logging
import mimetypes
import threading
from collections import Counter
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler

logger = logging.getLogger(__name__)

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
}
INDEX_FILES = ("index.html", "index.xml")


def mirror_url(base: str, real_url: str) -> str:
    """`https://host/path?q` -> `<base>/host/path?q`."""
    parts = urlsplit(real_url)
    return f"{base.rstrip('/')}/{parts.netloc.lower()}{parts.path or '/'}" + (
        f"?{parts.query}" if parts.query else ""
    )


def real_url_of(base: str, mirrored: str) -> str:
    """Inverse of `mirror_url` (the mirror only serves https sites)."""
    path = mirrored[len(base.rstrip("/")) + 1 :]
    host, _, rest = path.partition("/")
    return urlunsplit(("https", host, "/" + rest.split("?")[0], urlsplit(mirrored).query, ""))


class MirrorRequestHandler(SimpleHTTPRequestHandler):
    server: "MirrorServer"
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        logger.debug("mirror: " + format, *args)

    def do_HEAD(self):
        self._serve(send_body=False)

    def do_GET(self):
        self._serve(send_body=True)

    def send_response(self, code, message=None):
        self.server.count(code)
        super().send_response(code, message)

    def _serve(self, send_body: bool) -> None:
        path = self._resolve()
        if path is None:
            self._send_plain(HTTPStatus.NOT_FOUND, b"not in the mirror\n", send_body)
            return
        if path == "redirect":
            # Like WordPress: a directory path without its slash is redirected, to the real site's URL.
            location = real_url_of("", self.path.split("?")[0] + "/")
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = path.read_bytes()
        etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
        mtime = path.stat().st_mtime
        last_modified = email.utils.formatdate(mtime, usegmt=True)
        if self._not_modified(etag, mtime):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", last_modified)
            self.end_headers()
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type(path))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", last_modified)
        # Like most WordPress sites: cache, but ask again each time (a conditional request, 304 when unchanged).
        self.send_header("Cache-Control", "max-age=0, must-revalidate")
        self.end_headers()
        if send_body:
            self.wfile.write(body)
            self.server.count("body_bytes", len(body))

    def _resolve(self) -> Path | str | None:
        root = self.server.root
        relative = unquote(self.path.split("?")[0]).lstrip("/")
        target = (root / relative).resolve()
        if root not in target.parents and target != root:
            return None  # no escaping the mirror with ../
        if target.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return "redirect"
            for name in INDEX_FILES:
                if (target / name).is_file():
                    return target / name
            return None
        return target if target.is_file() else None

    def _not_modified(self, etag: str, mtime: float) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            return etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match.strip() == "*"
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since:
            try:
                since = email.utils.parsedate_to_datetime(if_modified_since).timestamp()
            except (TypeError, ValueError):
                return False
            return int(mtime) <= since
        return False

    def _send_plain(self, status: HTTPStatus, body: bytes, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)
            self.server.count("body_bytes", len(body))


def content_type(path: Path) -> str:
    if path.suffix in CONTENT_TYPES:
        return CONTENT_TYPES[path.suffix]
    if not path.suffix.strip(".").isalpha():
        # Extensionless pages (ANN's ".../episode-4/.223934") are HTML, as on the real site.
        return CONTENT_TYPES[".html"]
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


class MirrorServer(ThreadingHTTPServer):
    """The mirror on 127.0.0.1; port 0 picks a free one. `start()` serves from a daemon thread."""

    daemon_threads = True

    def __init__(self, root: str | Path, port: int = 0, host: str = "127.0.0.1"):
        self.root = Path(root).resolve()
        super().__init__((host, port), MirrorRequestHandler)
        self._thread: threading.Thread | None = None
        # What was served, for tests and benchmarks: responses by status code, and body bytes.
        self.served: Counter = Counter()
        self._served_lock = threading.Lock()

    def count(self, key, amount: int = 1) -> None:
        with self._served_lock:
            self.served[key] += amount

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "MirrorServer":
        self._thread = threading.Thread(target=self.serve_forever, name="mirror-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


_embedded: MirrorServer | None = None
_embedded_lock = threading.Lock()


def embedded_server(root: str | Path) -> MirrorServer:
    """One in-process mirror server shared by every spider of a crawl."""
    global _embedded
    with _embedded_lock:
        if _embedded is None:
            _embedded = MirrorServer(root).start()
            logger.info("offline mirror of %s serving on %s", root, _embedded.base_url)
        return _embedded


def mirror_base(settings) -> str | None:
    """The mirror's base URL for these settings, or None when crawling the live sites."""
    mode = str(settings.get("MIRROR_MODE", "off")).strip()
    if mode.lower() in ("", "off", "0", "false", "no", "live"):
        return None
    if mode.lower() in ("embedded", "on", "1", "true", "yes"):
        return embedded_server(settings.get("MIRROR_DIR")).base_url
    return mode.rstrip("/")


class MirrorDownloadHandler(HTTP11DownloadHandler):
    """HTTP(S) download handler that, in mirror mode, fetches real URLs from the offline mirror."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.base = mirror_base(crawler.settings)

    async def download_request(self, request):
        if self.base is None:
            return await super().download_request(request)
        mirrored = request.replace(url=mirror_url(self.base, request.url))
        response = await super().download_request(mirrored)
        return response.replace(url=request.url)


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the offline mirror of the review sites on loopback.")
    parser.add_argument("--root", default=str(Path(__file__).resolve().parent.parent / "data" / "mirror"))
    parser.add_argument("--port", type=int, default=8002)
    args = parser.parse_args()
    server = MirrorServer(args.root, args.port)
    print(f"offline mirror of {server.root} on {server.base_url}  (crawl with -s MIRROR_MODE={server.base_url})")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
