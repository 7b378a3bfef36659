"""Anime Rants (animerants.net): a WordPress.com blog; whole-series reviews scored per category.

Post URLs are WordPress.com's /YYYY/MM/DD/slug/. Reviews and seasonal lists share the "Anime" category
listing (/category/anime/, five posts a page, /page/N/). WordPress.com appends its share buttons, likes
and related posts inside .entry-content; comments with likes and replies follow the article.
"""

from __future__ import annotations

import hashlib
import math
from datetime import datetime
from email.utils import format_datetime

from jinja2 import Environment

from tools.build_mirror import Page, load_source, slugify

HOST = "animerants.net"

AR = "https://animerants.net"
AR_LISTING = f"{AR}/category/anime/"
AR_PER_PAGE = 5
CATEGORY_PATHS = {"Anime": "anime", "Anime Reviews": "anime/anime-reviews", "Seasonal Anime": "anime/seasonal-anime"}
# WordPress.com's robots.txt for a custom domain.
AR_ROBOTS = """User-agent: *
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

User-agent: IRLbot
Crawl-delay: 3600

Sitemap: https://animerants.net/sitemap.xml
Sitemap: https://animerants.net/news-sitemap.xml
"""


def long_date(iso: str) -> str:
    d = datetime.fromisoformat(iso)
    return f"{d:%B} {d.day}, {d.year}"


def comment_date(iso: str) -> str:
    d = datetime.fromisoformat(iso)
    return f"{d:%B} {d.day}, {d.year} at {d.strftime('%I:%M %p').lstrip('0').lower()}"


def digest(text: str, length: int) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:length]


def prepare_comments(comments: list[dict]) -> int:
    count = 0
    for c in comments:
        c["date_text"] = comment_date(c["date"])
        c["avatar"] = digest(c["author"], 32)
        count += 1 + prepare_comments(c.get("replies") or [])
    return count


def ar_posts() -> tuple[dict, list[dict]]:
    source = load_source("animerants")
    posts = sorted(source["posts"], key=lambda p: p["published"], reverse=True)
    for p in posts:
        published = datetime.fromisoformat(p["published"])
        p["url"] = f"{AR}/{published:%Y/%m/%d}/{p['slug']}/"
        p["ym"] = f"{published:%Y/%m}"
        p["date_text"] = long_date(p["published"])
        p["updated_text"] = long_date(p["updated"]) if p.get("updated") else None
        p["image"] = f"{AR}/wp-content/uploads/{p['ym']}/{p['slug'][:40].rstrip('-')}-header.png"
        p["categories"] = [dict(name=c, slug=slugify(c), path=CATEGORY_PATHS[c]) for c in p["categories"]]
        p["tags"] = [dict(name=t, slug=slugify(t)) for t in p["tags"]]
        p["comment_count"] = prepare_comments(p["comments"])
        p["shortlink"] = f"https://wp.me/p9ZK3d-{digest(p['slug'], 3)}"
        first = (p.get("intro") or p.get("paragraphs"))[0]
        p["description"] = first[:150].rsplit(" ", 1)[0] + "…"
        p["excerpt"] = first[:200].rsplit(" ", 1)[0] + " […]"
        if p.get("sections"):
            scores = [s["score"] for s in p["sections"]]
            # The site's overall score is the plain mean of the five categories.
            assert round(sum(scores) / len(scores), 1) == p["overall"], p["slug"]
            p["overall_line"] = f"{p['overall']:.1f} out of 10.0 {p['overall_unit']}"
            figure_number = 0
            for s in p["sections"]:
                s["anchor"] = slugify(s["title"])
                s["figures"] = []
                for caption in s.get("captions") or []:
                    figure_number += 1
                    name = f"{p['slug'].split('-anime-review')[0]}-{figure_number}"
                    s["figures"].append(dict(
                        id=p["post_id"] + 10 + figure_number, caption=caption, name=name,
                        src=f"{AR}/wp-content/uploads/{p['ym']}/{name}.png",
                    ))
                s["video"] = (
                    dict(id=digest(p["slug"] + s["title"], 11), caption=s["video_caption"])
                    if s.get("video_caption") else None
                )
    for number, p in enumerate(posts):
        p["next"] = posts[number - 1] if number > 0 else None  # newer
        p["previous"] = posts[number + 1] if number + 1 < len(posts) else None  # older
        others = [o for o in posts if o is not p]
        others.sort(key=lambda o: abs(datetime.fromisoformat(o["published"]) - datetime.fromisoformat(p["published"])))
        p["related"] = others[:3]
    return source, posts


def archive_months(posts: list[dict]) -> list[dict]:
    months = sorted({p["ym"] for p in posts}, reverse=True)
    return [dict(path=m, label=datetime.strptime(m, "%Y/%m").strftime("%B %Y")) for m in months]


def build(env: Environment) -> list[Page]:
    source, posts = ar_posts()
    chrome = dict(
        author=source["author"],
        signoff=source["signoff"],
        recent_posts=posts[:5],
        top_posts=[p for p in posts if p.get("sections")][:4],
        archive_months=archive_months(posts),
    )
    pages = [Page(f"{HOST}/robots.txt", AR_ROBOTS)]
    post_template = env.get_template("animerants/post.html")
    for p in posts:
        html = post_template.render(
            r=p, title=p["headline"], canonical=p["url"], shortlink=p["shortlink"], og_type="article",
            is_home=False,
            body_class=f"post-template-default single single-post postid-{p['post_id']} single-format-standard",
            **chrome,
        )
        pages.append(Page(f"{HOST}/{p['url'][len(AR) + 1:]}index.html", html))

    page_count = math.ceil(len(posts) / AR_PER_PAGE)
    page_url = lambda n: AR_LISTING if n == 1 else f"{AR_LISTING}page/{n}/"  # noqa: E731
    listing = env.get_template("animerants/listing.html")
    for n in range(1, page_count + 1):
        html = listing.render(
            posts=posts[(n - 1) * AR_PER_PAGE : n * AR_PER_PAGE],
            older_page=page_url(n + 1) if n < page_count else None,
            newer_page=page_url(n - 1) if n > 1 else None,
            title="Anime" if n == 1 else f"Anime – Page {n}", canonical=page_url(n), shortlink=None,
            og_type="website", is_home=False, body_class="archive category category-anime category-2 hfeed",
            **chrome,
        )
        pages.append(Page(f"{HOST}/category/anime/" + ("" if n == 1 else f"page/{n}/") + "index.html", html))

    items = [dict(p, pub_date=format_datetime(datetime.fromisoformat(p["published"]))) for p in posts]
    feed = env.get_template("animerants/feed.xml").render(
        items=items, author=source["author"], last_build=items[0]["pub_date"]
    )
    pages.append(Page(f"{HOST}/feed/index.xml", feed))
    return pages
