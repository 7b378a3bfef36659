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

In test mode the server injects faults, per path or at random with a seed (see FAULTS), to prove that
a crawl survives what real servers do: errors, timeouts, resets, truncated or huge bodies, redirect loops,
robots.txt bans, wrong charsets, binary junk and broken markup.

Run a standalone server with `python -m crawler.mirror --port 8002` (`--fault PATH=KIND`, `--fault-rate`).
"""

from __future__ import annotations

import argparse
import email.utils
import hashlib
import logging
import mimetypes
import fnmatch
import random
import re
import socket
import struct
import threading
import time
from collections import Counter
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit, urlunsplit

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import NotConfigured

from crawler.safety import check_public

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
        host = self.path.lstrip("/").split("/")[0]
        self.server.arrived(host, self.headers.get("User-Agent", ""))
        try:
            if self.server.latency:
                time.sleep(self.server.latency)
            self._answer(send_body)
        finally:
            self.server.left(host)

    def _answer(self, send_body: bool) -> None:
        fault = self.server.fault_for(self.path)
        if fault:
            logger.info("mirror: %s for %s", fault, self.path)
            self.server.count(f"fault_{fault}")
            if self._answer_with_fault(fault):
                return
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
        body, kind = path.read_bytes(), content_type(path)
        if path.name == "robots.txt":
            body += self.server.robots_disallows(self.path)
        if fault:
            body, kind = spoil(fault, body, kind, self.path)
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
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", last_modified)
        # Like most WordPress sites: cache, but ask again each time (a conditional request, 304 when unchanged).
        self.send_header("Cache-Control", "max-age=0, must-revalidate")
        self.end_headers()
        if send_body and fault == "truncated":
            self.wfile.write(body[: len(body) // 2])  # then the connection drops mid-body
            self.close_connection = True
            return
        if send_body:
            self.wfile.write(body)
            self.server.count("body_bytes", len(body))

    def _answer_with_fault(self, fault: str) -> bool:
        """Faults that replace the whole answer; False for those that only spoil the page's body."""
        if fault in ("500", "503", "404", "410"):
            headers = {"Retry-After": "1"} if fault == "503" else {}
            self._send_plain(HTTPStatus(int(fault)), f"mirror fault {fault}\n".encode(), True, headers)
        elif fault == "timeout":
            time.sleep(self.server.timeout_seconds)  # the client gives up first
            self.close_connection = True
        elif fault == "reset":
            # Linger 0: closing sends a TCP RST instead of a clean FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
        elif fault == "redirect-loop":
            hop = int(parse_qs(urlsplit(self.path).query).get("hop", ["0"])[0]) + 1
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", real_url_of("", self.path.split("?")[0]) + f"?hop={hop}")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            return False
        return True

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

    def _send_plain(self, status: HTTPStatus, body: bytes, send_body: bool, headers: dict | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)
            self.server.count("body_bytes", len(body))


# Faults the server can inject (test mode).
FAULTS = ("500", "503", "timeout", "reset", "truncated", "redirect-loop", "404", "410", "robots-disallow",
          "wrong-charset", "no-charset", "huge", "binary", "malformed")
HUGE_BYTES = 20 * 1024 * 1024


def spoil(fault: str, body: bytes, kind: str, path: str) -> tuple[bytes, str]:
    """A page's body and content type as a faulty server sends them."""
    if fault == "wrong-charset":
        return body, "text/html; charset=iso-8859-1"  # the body stays UTF-8
    if fault == "no-charset":
        return re.sub(rb"<meta charset=[^>]*>", b"", body, flags=re.I), "text/html"
    if fault == "huge":
        return body + b"<!--" + b"x" * HUGE_BYTES + b"-->", kind
    if fault == "binary":
        return random.Random(path).randbytes(len(body)), kind
    if fault == "malformed":
        # No closing tags for blocks, an unclosed bold, a tag cut in half at the end: what a broken
        # template or CMS emits. Browsers (and lxml) still read the same text out of it.
        broken = re.sub(rb"</(p|div|li|ul|article|section|span)>", b"", body).replace(b"<body", b"<b><body", 1)
        return broken.replace(b"</body>", b"<div class=\"x"), kind
    return body, kind


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

    def __init__(self, root: str | Path, port: int = 0, host: str = "127.0.0.1", faults: dict[str, str] | None = None,
                 fault_rate: float = 0.0, fault_seed: int = 0):
        self.root = Path(root).resolve()
        # Test mode: request path (a glob, e.g. "/butwhytho.net/2024/09/*") -> fault, and/or a share of
        # all paths, chosen per path from the seed so a rerun fails the same pages.
        self.faults: dict[str, str] = dict(faults or {})
        self.fault_rate = fault_rate
        self.fault_seed = fault_seed
        self.timeout_seconds = 10.0
        self.latency = 0.0  # seconds each answer takes, to make concurrency visible
        # Who asked and how many at once, per host: politeness is checked here, where requests arrive.
        self.user_agents: set[str] = set()
        self.in_flight: Counter = Counter()
        self.most_in_flight: Counter = Counter()
        super().__init__((host, port), MirrorRequestHandler)
        self._thread: threading.Thread | None = None
        # What was served, for tests and benchmarks: responses by status code, and body bytes.
        self.served: Counter = Counter()
        self._served_lock = threading.Lock()

    def handle_error(self, request, client_address):
        # A client that hung up mid-answer (a crawler giving up on a timeout or a 20 MB page) is no
        # server error; the stdlib would print a traceback for it.
        logger.debug("mirror: connection from %s ended early", client_address, exc_info=True)

    def fault_for(self, request_path: str) -> str | None:
        path = request_path.split("?")[0]
        if path.endswith("/robots.txt"):
            return None  # robots.txt faults are bans, served by robots_disallows
        for pattern, fault in self.faults.items():
            if fault != "robots-disallow" and fnmatch.fnmatchcase(path, pattern):
                return fault
        if self.fault_rate:
            chance = random.Random(f"{self.fault_seed}:{path}")
            if chance.random() < self.fault_rate:
                return chance.choice([f for f in FAULTS if f != "robots-disallow"])
        return None

    def robots_disallows(self, robots_path: str) -> bytes:
        """Extra robots.txt lines banning the paths that have a robots-disallow fault on this host."""
        host = robots_path.strip("/").split("/")[0]
        banned = [p.split(host, 1)[1] for p, f in self.faults.items() if f == "robots-disallow" and f"/{host}/" in p]
        return "".join(f"\nUser-agent: *\nDisallow: {path}\n" for path in banned).encode()

    def arrived(self, host: str, user_agent: str) -> None:
        with self._served_lock:
            self.served[f"host {host}"] += 1
            self.user_agents.add(user_agent)
            self.in_flight[host] += 1
            self.most_in_flight[host] = max(self.most_in_flight[host], self.in_flight[host])

    def left(self, host: str) -> None:
        with self._served_lock:
            self.in_flight[host] -= 1

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
    if not Path(root).is_dir():
        # Inside a Scrapyd egg the project's data/ folder is not on disk: the mirror must be named (MIRROR_DIR).
        # NotConfigured: Scrapy then fails every page of the crawl with this sentence, and the run fails.
        raise NotConfigured(f"MIRROR_DIR {root} is not a folder: set MIRROR_DIR to the mirror's folder "
                            f"(data/mirror of a checkout), or MIRROR_MODE=off to crawl the live sites")
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
        self.allow_private = crawler.settings.getbool("ALLOW_PRIVATE_ADDRESSES")
        self.resolved: dict[str, bool] = {}

    async def download_request(self, request):
        if self.base is None:
            if not self.allow_private:
                await check_public(request.url, self.resolved)
            return await super().download_request(request)
        mirrored = request.replace(url=mirror_url(self.base, request.url))
        response = await super().download_request(mirrored)
        return response.replace(url=request.url)


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the offline mirror of the review sites on loopback.")
    parser.add_argument("--root", default=str(Path(__file__).resolve().parent.parent / "data" / "mirror"))
    parser.add_argument("--port", type=int, default=8002)
    parser.add_argument("--fault", action="append", default=[], metavar="PATH=KIND",
                        help=f"inject a fault on paths matching the glob; kinds: {', '.join(FAULTS)}")
    parser.add_argument("--fault-rate", type=float, default=0.0, help="share of all paths given a random fault")
    parser.add_argument("--fault-seed", type=int, default=0)
    args = parser.parse_args()
    faults = dict(item.rsplit("=", 1) for item in args.fault)
    server = MirrorServer(args.root, args.port, faults=faults, fault_rate=args.fault_rate, fault_seed=args.fault_seed)
    print(f"offline mirror of {server.root} on {server.base_url}  (crawl with -s MIRROR_MODE={server.base_url})")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
