"""Bubbleblabber (www.bubbleblabber.com): a WordPress animation site; anime posts in /category/anime/ and its feed.

Reviews and news share one URL shape (/YYYY/MM/<slug>/) and one category feed, so only the page itself
tells them apart. Anime reviews are written per track: a subtitled review when an episode simulcasts and
an "English Dub Review" weeks later, at two URLs. The score sits in a WP Review box at the end of the
article as a bare number on a 10-point scale; the author box comes from the Fancier Author Box plugin.
"""

from __future__ import annotations

import json
from datetime import datetime
from email.utils import format_datetime

from jinja2 import Environment

from tools.build_mirror import Page, load_source, slugify

HOST = "www.bubbleblabber.com"

BB = "https://www.bubbleblabber.com"
BB_CATEGORY = f"{BB}/category/anime/"

# The trending bar and sidebar show the site's other coverage; our own wording.
BB_TRENDING = [
    dict(title="‘Common Side Effects’ Renewed For Season 2 At Adult Swim", url=f"{BB}/2025/06/common-side-effects-renewed/"),
    dict(title="Toonami Schedule Shake-Up Announced For July", url=f"{BB}/2025/06/toonami-july-schedule/"),
    dict(title="‘Smiling Friends’ Creators Tease What Comes Next", url=f"{BB}/2025/06/smiling-friends-creators-tease/"),
    dict(title="Annecy 2025: Every Feature In Competition", url=f"{BB}/2025/06/annecy-2025-features/"),
]
BB_LATEST_REVIEWS = [
    dict(title="Review: Invincible “I Thought You’d Never Shut Up”", score="8.5", url=f"{BB}/2025/03/review-invincible-i-thought-youd-never-shut-up/"),
    dict(title="Review: Common Side Effects “Cure All”", score="9", url=f"{BB}/2025/02/review-common-side-effects-cure-all/"),
    dict(title="Review: Bob’s Burgers “The Grand Mall Hotel”", score="6.5", url=f"{BB}/2025/04/review-bobs-burgers-the-grand-mall-hotel/"),
]
BB_POST_COUNTS = {"Marcus Hale": 1184, "Priya Natarajan": 742, "Tom Brennan": 2316}
BB_BIOS = {
    "Marcus Hale": "Marcus has been reviewing English dubs for Bubbleblabber since his college days and will defend "
    "a good ADR script to anyone who asks.",
    "Priya Natarajan": "Priya covers simulcasts as they air and spends far too much of her weekend catching up on "
    "seasonal anime.",
    "Tom Brennan": "Tom writes news and reviews for Bubbleblabber and still owns every Toonami VHS tape he recorded.",
}
BB_ROBOTS = """User-agent: *
Disallow: /wp-admin/
Allow: /wp-admin/admin-ajax.php
Disallow: /?s=
Disallow: /search/
Disallow: /author/*/feed/

Sitemap: https://www.bubbleblabber.com/sitemap_index.xml
"""


def long_date(iso: str) -> str:
    stamp = datetime.fromisoformat(iso)
    return f"{stamp.strftime('%B')} {stamp.day}, {stamp.year}"


def bb_posts() -> list[dict]:
    source = load_source("bubbleblabber")
    posts = [dict(r, is_review=True) for r in source["reviews"]]
    posts += [dict(n, is_review=False, score=None, summary=None, version=None,
                   sections=[dict(heading=None, paragraphs=n["paragraphs"])]) for n in source["news"]]
    posts.sort(key=lambda p: p["published"], reverse=True)  # newest first, as the feed lists them
    for number, p in enumerate(posts):
        published = datetime.fromisoformat(p["published"])
        p["ym"] = published.strftime("%Y/%m")
        p["url"] = f"{BB}/{p['ym']}/{p['slug']}/"
        p["date"] = long_date(p["published"])
        p["updated_date"] = long_date(p["updated"]) if p.get("updated") else None
        p["post_id"] = 300000 + (len(posts) - number) * 211
        p["author_slug"] = slugify(p["author"])
        p["author_bio"] = BB_BIOS[p["author"]]
        p["author_posts"] = BB_POST_COUNTS[p["author"]]
        p["image"] = f"{BB}/wp-content/uploads/{p['ym']}/{p['slug']}.jpg"
        p["categories"] = (["Anime", "Reviews"] + (["English Dub"] if p["version"] == "dub" else [])
                           if p["is_review"] else ["Anime", "News"])
        p["excerpt"] = p["sections"][0]["paragraphs"][0][:150].rsplit(" ", 1)[0] + "…"
        p["pub_date"] = format_datetime(published)
    reviews = [p for p in posts if p["is_review"]]
    for p in posts:
        others = [o for o in reviews if o is not p]
        others.sort(key=lambda o: (abs(datetime.fromisoformat(o["published"]) - datetime.fromisoformat(p["published"])),
                                   o["slug"]))
        p["related"] = others[:4]
        p["jsonld"] = json.dumps(
            {
                "@context": "https://schema.org",
                "@graph": [
                    {
                        "@type": "NewsArticle",
                        "@id": p["url"] + "#article",
                        "headline": p["headline"],
                        "datePublished": p["published"],
                        "dateModified": p["updated"] or p["published"],
                        "author": {"@type": "Person", "name": p["author"]},
                        "publisher": {"@type": "Organization", "name": "Bubbleblabber"},
                        "articleSection": p["categories"],
                        "inLanguage": "en-US",
                    },
                    {"@type": "WebPage", "@id": p["url"], "url": p["url"], "name": p["headline"]},
                ],
            },
            ensure_ascii=False,
        )
    return posts


def build(env: Environment) -> list[Page]:
    posts = bb_posts()
    chrome = dict(trending=BB_TRENDING, latest_reviews=BB_LATEST_REVIEWS,
                  recent=[dict(title=p["headline"], url=p["url"], date=p["date"]) for p in posts[:5]])
    pages = [Page(f"{HOST}/robots.txt", BB_ROBOTS)]
    template = env.get_template("bubbleblabber/post.html")
    for p in posts:
        html = template.render(p=p, title=p["headline"], canonical=p["url"], **chrome)
        pages.append(Page(f"{HOST}/{p['ym']}/{p['slug']}/index.html", html))
    feed = env.get_template("bubbleblabber/feed.xml").render(items=posts, category=BB_CATEGORY)
    pages.append(Page(f"{HOST}/category/anime/feed/index.xml", feed))
    return pages
