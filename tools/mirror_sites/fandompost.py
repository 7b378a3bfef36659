"""The Fandom Post (www.fandompost.com): a WordPress site; reviews under /category/reviews/, all posts in /feed/.

Posts live at /YYYY/MM/DD/<slug>/. A review ends with an "In Summary:" paragraph, then its letter grade
("Grade: B+", or "Content Grade: A-" with Audio/Video/Packaging/Menu/Extras grades for a disc) and the
release details (age rating, publisher, dates, running time), then Jetpack's sharing and related-posts
blocks inside the content, the author box, comments and the sidebar widgets.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from email.utils import format_datetime

from jinja2 import Environment

from tools.build_mirror import Page, load_source

HOST = "www.fandompost.com"

FP = f"https://{HOST}"
LISTING = f"{FP}/category/reviews/"
PER_PAGE = 5
FP_ROBOTS = """User-agent: *
Disallow: /wp-admin/
Allow: /wp-admin/admin-ajax.php
Disallow: /?s=
Disallow: /search/
Disallow: /wp-login.php

Sitemap: https://www.fandompost.com/sitemap_index.xml
"""
# Section labels a paragraph may open with; the page sets them in bold.
LABEL = re.compile(r"^(In Summary|Content|Audio|Video|Packaging|Menu|Extras):\s+")
AUTHOR_BIOS = {
    "Chris Beveridge": "Chris Beveridge is the founder of The Fandom Post and has been writing about anime and "
    "manga since the late nineties.",
}
# The sidebar's other sections: facts only, our wording.
SIDEBAR_NEWS = [
    dict(title="Sentai Filmworks Adds Three Titles To Summer Slate", url=f"{FP}/2025/05/02/sentai-summer-slate/"),
    dict(title="Yen Press Announces New Light Novel Licenses", url=f"{FP}/2025/05/01/yen-press-new-licenses/"),
]


def section(paragraph: str) -> dict:
    m = LABEL.match(paragraph)
    return dict(label=m.group(1) + ":", text=paragraph[m.end():]) if m else dict(label=None, text=paragraph)


def fp_posts() -> tuple[list[dict], list[dict]]:
    source = load_source("fandompost")
    reviews, others = source["reviews"], source.get("others") or []
    for p in reviews + others:
        published = datetime.fromisoformat(str(p["published"]))
        p["published"] = published.isoformat()
        p["updated"] = datetime.fromisoformat(str(p["updated"])).isoformat() if p.get("updated") else None
        p["date"] = f"{published.strftime('%B')} {published.day}, {published.year}"
        p["pub_date"] = format_datetime(published)
        p["url"] = f"{FP}/{published.strftime('%Y/%m/%d')}/{p['slug']}/"
        p["path"] = f"{HOST}/{published.strftime('%Y/%m/%d')}/{p['slug']}/index.html"
        p["sections"] = [section(text) for text in p["paragraphs"]]
        p["author_bio"] = AUTHOR_BIOS.get(p["author"], f"{p['author']} writes for The Fandom Post.")
        p["excerpt"] = (p.get("tagline") or p["paragraphs"][0])
        p["overall"] = p["grades"][0][1] if p.get("grades") else None
    reviews.sort(key=lambda p: p["published"], reverse=True)
    for p in reviews + others:
        when = datetime.fromisoformat(p["published"])
        near = sorted((o for o in reviews if o is not p),
                      key=lambda o: abs(datetime.fromisoformat(o["published"]) - when))
        p["related"] = near[:3]
        p["latest"] = [o for o in reviews if o is not p][:5]
        index = reviews.index(p) if p in reviews else None
        p["newer"] = reviews[index - 1] if index else None
        p["older"] = reviews[index + 1] if index is not None and index + 1 < len(reviews) else None
    return reviews, others


def build(env: Environment) -> list[Page]:
    reviews, others = fp_posts()
    pages = [Page(f"{HOST}/robots.txt", FP_ROBOTS)]
    post = env.get_template("fandompost/post.html")
    for p in reviews + others:
        html = post.render(p=p, title=p["headline"], canonical=p["url"], og_type="article",
                           body_class="post-template-default single single-post single-format-standard",
                           latest=p["latest"], news=SIDEBAR_NEWS)
        pages.append(Page(p["path"], html))

    page_count = math.ceil(len(reviews) / PER_PAGE)
    page_url = lambda n: LISTING if n == 1 else f"{LISTING}page/{n}/"  # noqa: E731
    listing = env.get_template("fandompost/listing.html")
    for n in range(1, page_count + 1):
        html = listing.render(
            posts=reviews[(n - 1) * PER_PAGE: n * PER_PAGE],
            pages=[dict(number=k, url=page_url(k), current=k == n) for k in range(1, page_count + 1)],
            prev_page=page_url(n - 1) if n > 1 else None,
            next_page=page_url(n + 1) if n < page_count else None,
            title="Reviews" if n == 1 else f"Reviews - Page {n} of {page_count}",
            canonical=page_url(n), og_type="website", body_class="archive category category-reviews",
            latest=reviews[:5], news=SIDEBAR_NEWS,
        )
        pages.append(Page(f"{HOST}/category/reviews/" + ("" if n == 1 else f"page/{n}/") + "index.html", html))

    # The site feed: every post, newest first, news among the reviews.
    everything = sorted(reviews + others, key=lambda p: p["published"], reverse=True)
    feed = env.get_template("fandompost/feed.xml").render(items=everything, build_date=everything[0]["pub_date"])
    pages.append(Page(f"{HOST}/feed/index.xml", feed))
    return pages
