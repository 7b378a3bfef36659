"""Generate a big mirror for crawl benchmarks: the real outlets' pages cloned under new URLs.

    python bench/generate_mirror.py OUT_DIR [--pages 5000]

OUT_DIR starts as a copy of data/mirror (robots.txt, chrome, everything). Then, per outlet host, review pages are
cloned from that host's own review pages (every page its spider sends to parse_review, news included, so some
clones are dropped by the pipelines as in a real crawl) under new URLs that still match the spider's review URL
pattern: `<slug>-c17/`, `<slug>-c17.html`, `c17-<slug>review/` (The Review Geek), `.100000017` (ANN's id). In
each clone every occurrence of its template's URL (canonical link, og:url, JSON-LD, share links) is the new URL.

The spiders find the clones the way they find reviews on the real sites:
- outlets with a paginated listing (But Why Tho?, Anime Rants, The Fandom Post, The Review Geek, Marth's blog):
  listing page 1 of the real site is the template of every generated listing page 1..M, its review links
  pointing at clones and its next-page link at `…/page/<j+1>/` (the last one back at page 1, which the crawl
  has seen);
- feed-only outlets (ANN, Bubbleblabber, Gay Films Review, D&A Anime, 1st Reviews): their real feed with its
  review items repeated, one per clone, at most 50 (`--feed-items`: real feeds list their latest 10-100 posts);
- other start pages of an outlet (The Fandom Post's feed, Gay Films Review's mobile home page) link the first
  clones again (the crawl's duplicate filter drops them).

Pages are shared out over hosts in proportion to each host's real review pages; what the feed cap leaves over goes
to the outlets with paginated listings. The generator checks its work
with an offline walk of the spiders over OUT_DIR (bench/common.py): every clone must be found exactly once.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import MIRROR_DIR, file_for, make_spider, response_for, spider_names, walk_spider  # noqa: E402

# Real feeds list their latest 10-100 posts: a feed-only outlet's generated feed lists at most this many.
FEED_ITEMS = 50
FEED_BLOCK = re.compile(r"<(item|entry)\b.*?</\1>", re.S)
PAGE_2 = "/page/2/"


def clone_url(url: str, n: int) -> str:
    """A new URL for clone n of the review page at `url`, of the same shape (so the spider's pattern matches)."""
    parts = urlsplit(url)
    path = parts.path
    head, _, last = path.rstrip("/").rpartition("/")
    slash = "/" if path.endswith("/") else ""
    if re.fullmatch(r"\.\d+", last):              # ANN: /review/<show>/episode-4/.223934
        last = f".{100_000_000 + n}"
    elif last.endswith(".html"):                  # Blogger: /2024/09/<slug>.html
        last = f"{last[:-5]}-c{n}.html"
    elif last.endswith("review") and slash:       # The Review Geek: /<show>-s1e7review/
        last = f"c{n}-{last}"
    else:                                         # WordPress: /2024/08/<slug>/
        last = f"{last}-c{n}"
    return urlunsplit((parts.scheme, parts.netloc, f"{head}/{last}{slash}", "", ""))


def path_for(root: Path, url: str) -> Path:
    """Where the mirror server looks for a URL's file (a trailing slash means index.html or index.xml)."""
    parts = urlsplit(url)
    target = root / parts.netloc.lower() / parts.path.lstrip("/")
    return target / "index.html" if parts.path.endswith("/") else target


def without_query(url: str) -> str:
    return url.split("?")[0].split("#")[0]


def replace_all(text: str, mapping: dict[str, str]) -> str:
    """Every key replaced by its value at once (longest keys first; no value is replaced again)."""
    if not mapping:
        return text
    pattern = re.compile("|".join(re.escape(key) for key in sorted(mapping, key=len, reverse=True)))
    return pattern.sub(lambda m: mapping[m.group()], text)


def shares(total: int, weights: dict[str, int]) -> dict[str, int]:
    """`total` split in proportion to the weights, largest remainders first."""
    whole = sum(weights.values())
    exact = {key: total * weight / whole for key, weight in weights.items()}
    out = {key: int(value) for key, value in exact.items()}
    for key in sorted(exact, key=lambda k: out[k] - exact[k])[: total - sum(out.values())]:
        out[key] += 1
    return out


class Host:
    def __init__(self, host: str, spider: str, pattern: str | None):
        self.host, self.spider, self.pattern = host, spider, pattern
        self.templates: dict[str, Path] = {}         # review URL (no query) -> file
        self.starts: list[str] = []                  # the spider's start URLs on this host
        self.clones: list[str] = []

    def clone(self, n: int) -> str:
        return self.clones[n % len(self.clones)]


def hosts_of(mirror: Path) -> dict[str, Host]:
    hosts: dict[str, Host] = {}
    walks = {}
    for name in spider_names():
        spider = make_spider(name)
        site = walks[name] = walk_spider(name, mirror, spider=spider)
        for url, path in sorted(site.reviews.items()):
            host = urlsplit(url).hostname
            if host not in hosts:
                hosts[host] = Host(host, name, spider.site_for(url).review_url_pattern)
            hosts[host].templates.setdefault(without_query(url), path)
        for url in site.start_urls:
            hosts[urlsplit(url).hostname].starts.append(url)
    return hosts, walks


def generate(out: Path, pages: int, mirror: Path = MIRROR_DIR, quiet: bool = False,
             feed_items: int | None = FEED_ITEMS) -> dict:
    """`feed_items`: at most this many review items in the feed of an outlet found only through its feed (real feeds
    list their latest 10-100 posts); the pages this leaves over go to the outlets with paginated listings.
    0 or None: no cap, every outlet gets its proportional share (feeds of thousands of items)."""
    started = time.perf_counter()
    mirror = Path(mirror).resolve()
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(mirror, out)
    hosts, walks = hosts_of(mirror)
    quota = shares(pages, {name: len(host.templates) for name, host in hosts.items()})
    if feed_items:
        paginated = {name for name, host in hosts.items()
                     if any(walks[host.spider].next_pages.get(start) for start in host.starts)}
        spare = sum(max(0, quota[name] - feed_items) for name in hosts if name not in paginated)
        for name in hosts:
            if name not in paginated:
                quota[name] = min(quota[name], feed_items)
        extra = shares(spare, {name: len(hosts[name].templates) for name in paginated})
        for name in paginated:
            quota[name] += extra[name]
    written = 0
    for name, host in hosts.items():
        templates = sorted(host.templates.items())
        for n in range(quota[name]):
            url, path = templates[n % len(templates)]
            new = clone_url(url, n)
            if host.pattern and not re.search(host.pattern, new):
                raise ValueError(f"clone URL {new} does not match {host.spider}'s pattern {host.pattern}")
            text = path.read_text(encoding="utf-8")
            target = path_for(out, new)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text.replace(url, new), encoding="utf-8")
            host.clones.append(new)
            written += 1
        site = walks[host.spider]
        primary = next((s for s in host.starts if site.next_pages.get(s)), None) or host.starts[0]
        for start in host.starts:
            links = list(dict.fromkeys(without_query(u) for u in site.links.get(start, [])))
            source = site.discovery[start]
            target = out / source.relative_to(mirror)   # the start page's own file, overwritten
            text = source.read_text(encoding="utf-8")
            if start != primary:        # another start page: the first clones again (duplicates)
                write_listing(target, text, links, host, site.next_pages[start], start)
            elif site.next_pages.get(start):
                write_chain(out, target, start, text, links, site.next_pages[start][0], host)
            else:
                write_feed(target, start, text, links, host)
    seconds = time.perf_counter() - started

    # Check: the spiders, walked offline over the new mirror, find every clone once and nothing else.
    found = defaultdict(set)
    for name in spider_names():
        site = walk_spider(name, out)
        if site.missing:
            raise RuntimeError(f"{name}: {len(site.missing)} linked URLs have no file, e.g. {site.missing[:3]}")
        for url in site.reviews:
            found[urlsplit(url).hostname].add(without_query(url))
    for name, host in hosts.items():
        # A clone reads as its own page: its canonical URL is the new one.
        spider = make_spider(host.spider)
        for url in host.clones[: len(host.templates)]:
            for item in spider.parse_review(response_for(url, file_for(out, url))):
                if without_query(item["url"]) != url:
                    raise RuntimeError(f"clone {url} reads as {item['url']}")
        if found[name] != set(host.clones):
            raise RuntimeError(f"{name}: the spiders find {len(found[name])} review pages, "
                               f"{len(host.clones)} were generated")
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    if not quiet:
        print(f"generated {written} review pages over {len(hosts)} hosts in {out} "
              f"({size / 2**20:.0f} MB, {seconds:.1f} s; checked by an offline walk)")
        print("  " + ", ".join(f"{name} {quota[name]}" for name in sorted(hosts)))
    return {"pages": written, "hosts": quota, "bytes": size, "seconds": seconds}


def write_listing(target: Path, text: str, links: list[str], host: Host, next_from: list[str], next_to: str) -> None:
    mapping = {link: host.clone(k) for k, link in enumerate(links)}
    for href in next_from:
        mapping[href] = next_to
    target.write_text(replace_all(text, mapping), encoding="utf-8")


def write_chain(out: Path, first_target: Path, start: str, text: str, links: list[str], next_url: str,
                host: Host) -> None:
    """Listing pages 1..M, each the real page 1 with its K review links pointing at the next K clones."""
    if PAGE_2 not in next_url:
        raise ValueError(f"{start}: next page {next_url} is not …/page/2/")
    per_page = len(links)
    count = -(-len(host.clones) // per_page)
    page_url = lambda j: start if j == 1 else next_url.replace(PAGE_2, f"/page/{j}/")  # noqa: E731
    for j in range(1, count + 1):
        first = (j - 1) * per_page
        mapping = {link: host.clone(min(first + k, len(host.clones) - 1)) for k, link in enumerate(links)}
        mapping[next_url] = page_url(j + 1) if j < count else start
        target = first_target if j == 1 else path_for(out, page_url(j))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(replace_all(text, mapping), encoding="utf-8")


def write_feed(target: Path, start: str, text: str, links: list[str], host: Host) -> None:
    """The real feed with one review item per clone (news items kept once)."""
    blocks = list(FEED_BLOCK.finditer(text))
    if not blocks:
        raise ValueError(f"{start}: no <item> or <entry> in its feed")
    reviews, others = [], []
    for block in blocks:
        link = next((u for u in links if u in block.group()), None)
        (reviews if link else others).append((block.group(), link))
    items = []
    for n in range(len(host.clones)):
        block, link = reviews[n % len(reviews)]
        items.append(block.replace(link, host.clone(n)))
    body = text[: blocks[0].start()] + "".join(items) + "".join(b for b, _ in others) + text[blocks[-1].end():]
    target.write_text(body, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--mirror", type=Path, default=MIRROR_DIR)
    parser.add_argument("--feed-items", type=int, default=FEED_ITEMS,
                        help=f"items in a feed-only outlet's feed (default {FEED_ITEMS}; 0: all its pages)")
    args = parser.parse_args(argv)
    generate(args.out, args.pages, args.mirror, feed_items=args.feed_items)


if __name__ == "__main__":
    main()
