"""D&A Anime (daanimeblog.com): a self-hosted WordPress blog (Astra theme, Yoast SEO, Jetpack).

Read by the `generic` spider from its RSS feed with no selectors at all. Review posts carry a WP Review
box whose schema.org `Review` JSON-LD holds the score; titles are catchy lines, and the formal
"<Show> Ep 4 Review" line is the first heading of the post body, as on the real blog.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
from datetime import datetime
from email.utils import format_datetime

from jinja2 import Environment

from tools.build_mirror import Page, load_source, slugify

HOST = "daanimeblog.com"
ROOT = f"https://{HOST}"

ROBOTS = """# START YOAST BLOCK
# ---------------------------
User-agent: *
Disallow: /wp-admin/
Allow: /wp-admin/admin-ajax.php
Disallow: /?s=
Disallow: /search/

Sitemap: https://daanimeblog.com/sitemap_index.xml
# ---------------------------
# END YOAST BLOCK
"""

# Readers' comments (our own wording): they quote numbers that are nobody's review score.
REVIEW_COMMENTS = [
    ("Kenny R.", "Great write-up! Honestly this one was a 10/10 for me, the ending got me."),
    ("Hana", "I think you were a little generous, I'd put it closer to 6/10. Still a fun watch."),
]
OTHER_COMMENTS = [("Marcus", "Adding this to my list, thanks for the heads up!")]


def _number(slug: str, digits: int) -> int:
    """A stable id from a slug (Python's hash() changes between runs)."""
    return int(hashlib.sha1(slug.encode()).hexdigest(), 16) % 10**digits


def _date_text(moment: datetime) -> str:
    return f"{moment:%B} {moment.day}, {moment.year}"


def _feed_html(post: dict) -> str:
    parts = []
    for block in post["blocks"]:
        if isinstance(block, str):
            parts.append(f"<p>{html.escape(block, quote=False)}</p>")
        elif "h2" in block or "h3" in block:
            level = "h2" if "h2" in block else "h3"
            parts.append(f'<{level} class="wp-block-heading"><strong>{html.escape(block[level], quote=False)}</strong></{level}>')
        else:
            tweet = block["tweet"]
            parts.append(f'<figure class="wp-block-embed is-type-rich is-provider-twitter wp-block-embed-twitter">'
                         f'<div class="wp-block-embed__wrapper">https://twitter.com/{tweet["handle"]}/status/{tweet["status"]}</div></figure>')
    return "\n".join(parts)


def posts() -> tuple[dict, str, list[dict]]:
    source = load_source("daanimeblog")
    site, author, tweets = source["site"], source["author"], source["tweets"]
    items = sorted(source["posts"], key=lambda p: str(p["published"]), reverse=True)  # newest first
    for n, p in enumerate(items):
        published = datetime.fromisoformat(str(p["published"]))
        modified = datetime.fromisoformat(str(p["modified"]))
        p["published"], p["modified"] = published.isoformat(), modified.isoformat()
        p["pub_date"] = format_datetime(published)
        p["date_text"], p["modified_text"] = _date_text(published), _date_text(modified)
        p["url"] = f"{ROOT}/{published:%Y/%m/%d}/{p['slug']}/"
        p["path"] = f"{HOST}/{published:%Y/%m/%d}/{p['slug']}/index.html"
        p["post_id"] = 4000 + _number(p["slug"], 4)
        p["short"] = format(_number(p["slug"], 6), "x")
        p["image"] = f"{ROOT}/wp-content/uploads/{published:%Y/%m}/{p['slug']}.jpg"
        p["image_alt"] = p["review_title"] or p["title"]
        p["category_items"] = [dict(name=c, slug=slugify(c)) for c in p["categories"]]
        p["tag_items"] = [dict(name=t, slug=slugify(t)) for t in p["tags"]]
        words = sum(len(b.split()) for b in p["blocks"] if isinstance(b, str))
        p["read_minutes"] = max(1, math.ceil(words / 200))
        p["blocks"] = [
            dict(b, tweet=dict(tweets[b["tweet"]], short=format(_number(b["tweet"], 9), "x")))
            if isinstance(b, dict) and "tweet" in b else b
            for b in p["blocks"]
        ]
        p["feed_html"] = _feed_html(p)
        chosen = REVIEW_COMMENTS if p["score"] is not None else OTHER_COMMENTS
        p["comments"] = [
            dict(id=p["post_id"] * 10 + k, author=name, text=text, iso=published.replace(hour=20, minute=k * 7).isoformat(),
                 date=f"{_date_text(published)} at {8 + k}:{k * 7:02d} pm")
            for k, (name, text) in enumerate(chosen)
        ]
        if p["score"] is not None:
            score = float(p["score"])
            p["score_text"] = f"{score:.1f}"
            p["sub"] = dict(story=score, animation=min(10.0, score + 0.5), characters=max(0.0, score - 0.5))
            p["user_rating"] = f"{max(0.0, score - 0.6):.1f}"
            p["user_votes"] = 9 + n * 4
            p["review_jsonld"] = json.dumps(
                {
                    "@context": "http://schema.org",
                    "@type": "Review",
                    "name": p["review_title"],
                    "reviewBody": p["summary"],
                    "author": {"@type": "Person", "name": author},
                    "datePublished": p["published"],
                    "itemReviewed": {"@type": "Thing", "name": p["review_title"]},
                    "reviewRating": {"@type": "Rating", "ratingValue": p["score_text"], "bestRating": "10", "worstRating": "0"},
                },
                ensure_ascii=False,
            )
        else:
            p["review_jsonld"] = None
        p["yoast_jsonld"] = json.dumps(_yoast_graph(p, site, author, words), ensure_ascii=False)
    for n, p in enumerate(items):
        p["next"] = items[n - 1] if n > 0 else None
        p["previous"] = items[n + 1] if n + 1 < len(items) else None
        others = sorted((o for o in items if o is not p),
                        key=lambda o: abs(datetime.fromisoformat(o["published"]) - datetime.fromisoformat(p["published"])))
        p["related"] = others[:3]
    return site, author, items


def _yoast_graph(p: dict, site: dict, author: str, words: int) -> dict:
    url = p["url"]
    return {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "Article", "@id": f"{url}#article", "isPartOf": {"@id": url},
             "author": {"name": author, "@id": f"{ROOT}/#/schema/person/5f1c0a9d2e"},
             "headline": p["title"], "datePublished": p["published"], "dateModified": p["modified"],
             "mainEntityOfPage": {"@id": url}, "wordCount": words, "commentCount": len(p["comments"]),
             "publisher": {"@id": f"{ROOT}/#organization"}, "image": {"@id": f"{url}#primaryimage"},
             "thumbnailUrl": p["image"], "keywords": p["tags"], "articleSection": p["categories"],
             "inLanguage": "en-US"},
            {"@type": "WebPage", "@id": url, "url": url, "name": f"{p['title']} - {site['name']}",
             "isPartOf": {"@id": f"{ROOT}/#website"}, "primaryImageOfPage": {"@id": f"{url}#primaryimage"},
             "datePublished": p["published"], "dateModified": p["modified"], "description": p["summary"],
             "breadcrumb": {"@id": f"{url}#breadcrumb"}, "inLanguage": "en-US"},
            {"@type": "ImageObject", "inLanguage": "en-US", "@id": f"{url}#primaryimage", "url": p["image"],
             "contentUrl": p["image"], "width": 1280, "height": 720},
            {"@type": "BreadcrumbList", "@id": f"{url}#breadcrumb", "itemListElement": [
                {"@type": "ListItem", "position": 1, "name": "Home", "item": f"{ROOT}/"},
                {"@type": "ListItem", "position": 2, "name": p["title"]}]},
            {"@type": "WebSite", "@id": f"{ROOT}/#website", "url": f"{ROOT}/", "name": site["name"],
             "description": site["tagline"], "publisher": {"@id": f"{ROOT}/#organization"}, "inLanguage": "en-US"},
            {"@type": "Organization", "@id": f"{ROOT}/#organization", "name": site["name"], "url": f"{ROOT}/",
             "sameAs": ["https://www.facebook.com/daanimeblog", "https://x.com/DandAAnime"]},
            {"@type": "Person", "@id": f"{ROOT}/#/schema/person/5f1c0a9d2e", "name": author,
             "url": f"{ROOT}/author/dandaanime/"},
        ],
    }


def build(env: Environment) -> list[Page]:
    site, author, items = posts()
    reviews = [p for p in items if p["score"] is not None]
    top_rated = sorted(reviews, key=lambda p: (-float(p["score"]), p["slug"]))[:4]
    counts: dict[str, int] = {}
    for p in items:
        for c in p["categories"]:
            counts[c] = counts.get(c, 0) + 1
    months = sorted({datetime.fromisoformat(p["published"]).strftime("%Y/%m") for p in items}, reverse=True)
    chrome = dict(
        site=site, author=author, recent=items[:5], top_rated=top_rated,
        category_counts=[dict(name=c, slug=slugify(c), count=counts[c]) for c in sorted(counts)],
        archives=[dict(path=m, label=datetime.strptime(m, "%Y/%m").strftime("%B %Y")) for m in months],
    )
    pages = [Page(f"{HOST}/robots.txt", ROBOTS)]
    single = env.get_template("daanimeblog/single.html")
    for p in items:
        pages.append(Page(p["path"], single.render(p=p, **chrome)))
    last_build = format_datetime(max(datetime.fromisoformat(p["modified"]) for p in items))
    feed = env.get_template("daanimeblog/feed.xml").render(posts=items[:10], last_build=last_build, **chrome)
    pages.append(Page(f"{HOST}/feed/index.xml", feed))
    return pages
