"""Marth's Anime Blog (marthaurion.wordpress.com): a WordPress.com blog.

Read by the `generic` spider from its home page, which lists whole posts three at a time with "Older posts"
links. Every post opens with a notice pointing to the author's own website; a review closes with
"Final Score: 7/10 <a one-line verdict>".
"""

from __future__ import annotations

import hashlib
import math
from datetime import datetime

from jinja2 import Environment

from tools.build_mirror import Page, load_source, slugify

HOST = "marthaurion.wordpress.com"
ROOT = f"https://{HOST}"

ROBOTS = """User-agent: *
Disallow: /wp-admin/
Allow: /wp-admin/admin-ajax.php
Disallow: /wp-login.php
Disallow: /wp-signup.php
Disallow: /press-this.php
Disallow: /remote-login.php
Disallow: /activate/
Disallow: /cgi-bin/
Disallow: /mshots/v1/
Disallow: /next/
Disallow: /public.api/

# This file was generated on Mon, 05 May 2025 08:14:02 +0000
Sitemap: https://marthaurion.wordpress.com/sitemap.xml
"""


def _number(text: str, digits: int) -> int:
    return int(hashlib.sha1(text.encode()).hexdigest(), 16) % 10**digits


def _date_text(moment: datetime) -> str:
    return f"{moment:%B} {moment.day}, {moment.year}"


def posts() -> tuple[dict, str, int, list[dict]]:
    source = load_source("marthaurion")
    site, author = source["site"], source["author"]
    items = sorted(source["posts"], key=lambda p: str(p["published"]), reverse=True)
    for p in items:
        published = datetime.fromisoformat(str(p["published"]))
        modified = datetime.fromisoformat(str(p["modified"]))
        p["published"], p["modified"] = published.isoformat(), modified.isoformat()
        p["date_text"], p["modified_text"] = _date_text(published), _date_text(modified)
        p["ym"] = f"{published:%Y/%m}"
        p["url"] = f"{ROOT}/{published:%Y/%m/%d}/{p['slug']}/"
        p["path"] = f"{HOST}/{published:%Y/%m/%d}/{p['slug']}/index.html"
        p["personal_url"] = f"{site['personal_site']}/blog/{p['slug']}"
        p["post_id"] = 20000 + _number(p["slug"], 4)
        p["short"] = format(_number(p["slug"], 6), "x")
        p["category_items"] = [dict(name=c, slug=slugify(c)) for c in p["categories"]]
        p["blocks"] = [
            dict(b, id=p["post_id"] + 1 + k, file=slugify(b["image"]), caption=b.get("caption")) if isinstance(b, dict) else b
            for k, b in enumerate(p["blocks"])
        ]
        text = " ".join(b for b in p["blocks"] if isinstance(b, str))
        p["description"] = text[:150].rsplit(" ", 1)[0] + "…"
        # WordPress.com's related-posts excerpt starts at the top of the post, notice included.
        p["related_excerpt"] = ("Click here to read this post on my personal website. " + text)[:130].rsplit(" ", 1)[0] + "…"
        p["comments"] = [
            dict(c, id=_number(p["slug"] + c["text"], 7), iso=published.replace(minute=(k * 13) % 60).isoformat())
            for k, c in enumerate(p["comments"] or [])
        ]
    for n, p in enumerate(items):
        p["next"] = items[n - 1] if n > 0 else None
        p["previous"] = items[n + 1] if n + 1 < len(items) else None
        p["related"] = [o for o in items if o is not p and set(o["categories"][1:]) & set(p["categories"][1:])][:3] or [
            o for o in items if o is not p
        ][:3]
    return site, author, source["per_page"], items


def page_url(n: int) -> str:
    return f"{ROOT}/" if n == 1 else f"{ROOT}/page/{n}/"


def build(env: Environment) -> list[Page]:
    site, author, per_page, items = posts()
    months = sorted({p["ym"] for p in items}, reverse=True)
    chrome = dict(
        site=site, author=author, recent=items[:5],
        top_posts=sorted((p for p in items if p["final_score"]), key=lambda p: (-len(p["comments"]), p["slug"]))[:4],
        archives=[dict(path=m, label=datetime.strptime(m, "%Y/%m").strftime("%B %Y")) for m in months],
    )
    pages = [Page(f"{HOST}/robots.txt", ROBOTS)]
    single = env.get_template("marthaurion/single.html")
    for p in items:
        body_class = (f"post-template-default single single-post postid-{p['post_id']} single-format-standard "
                      "wp-embed-responsive group-blog")
        pages.append(Page(p["path"], single.render(p=p, single=True, home=False, body_class=body_class,
                                                   title=f"{p['headline']} – {site['name']}", **chrome)))
    listing = env.get_template("marthaurion/listing.html")
    count = math.ceil(len(items) / per_page)
    for n in range(1, count + 1):
        html = listing.render(
            posts=items[(n - 1) * per_page : n * per_page], single=False, home=True,
            body_class="home blog" + ("" if n == 1 else f" paged paged-{n}") + " wp-embed-responsive group-blog",
            title=site["name"] if n == 1 else f"{site['name']} – Page {n}",
            canonical=page_url(n), prev_page=page_url(n - 1) if n > 1 else None,
            next_page=page_url(n + 1) if n < count else None, **chrome,
        )
        pages.append(Page(f"{HOST}/" + ("" if n == 1 else f"page/{n}/") + "index.html", html))
    return pages
