"""Gay Films Review (www.gayfilmsreview.com): a Blogger blog on the Contempo theme.

Post URLs are Blogger's /YYYY/MM/slug.html. Blogger's robots.txt disallows /search, so label listings and
"More posts" pages (/search?updated-max=…) are off limits to a polite crawler; the blog's Atom feed
(/feeds/posts/default) lists every post. The homepage is written as Blogger serves it to phones, at "/?m=1":
every internal link there carries "?m=1", so a crawl reaches its posts under a second URL (each post page
names its canonical URL).
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from html import escape

from jinja2 import Environment
from markupsafe import Markup

from tools.build_mirror import Page, load_source

HOST = "www.gayfilmsreview.com"

GFR = "https://www.gayfilmsreview.com"
BLOG_ID = "2890134312205466370"
HOME_POSTS = 4  # posts on the homepage; older ones are behind "More posts" under /search
# Blogger's robots.txt (it cannot be edited unless the owner turns on a custom one).
GFR_ROBOTS = """User-agent: Mediapartners-Google
Disallow: 

User-agent: *
Disallow: /search
Allow: /

Sitemap: https://www.gayfilmsreview.com/sitemap.xml
"""


def blogger_date(iso: str) -> str:
    return datetime.fromisoformat(iso).strftime("%B %d, %Y")


def comment_date(iso: str) -> str:
    d = datetime.fromisoformat(iso)
    return f"{d:%B} {d.day}, {d.year} at {d.strftime('%I:%M %p').lstrip('0')}"


def feed_date(iso: str) -> str:
    d = datetime.fromisoformat(iso)
    return d.strftime("%Y-%m-%dT%H:%M:%S.000") + d.strftime("%z")[:3] + ":" + d.strftime("%z")[3:]


def snippet(text: str, length: int = 240) -> str:
    return text if len(text) <= length else text[:length].rsplit(" ", 1)[0] + "…"


def prepare_comments(comments: list[dict]) -> int:
    count = 0
    for c in comments:
        c["date_text"] = comment_date(c["date"])
        c["millis"] = int(datetime.fromisoformat(c["date"]).timestamp() * 1000)
        count += 1 + prepare_comments(c.get("replies") or [])
    return count


def gfr_posts() -> tuple[dict, list[dict]]:
    source = load_source("gayfilmsreview")
    posts = sorted(source["posts"], key=lambda p: datetime.fromisoformat(p["published"]), reverse=True)
    for p in posts:
        published = datetime.fromisoformat(p["published"])
        p["url"] = f"{GFR}/{published:%Y/%m}/{p['slug']}.html"
        p["path"] = f"{published:%Y/%m}/{p['slug']}.html"
        p["published_blogger"] = p["published"]
        p["published_feed"] = feed_date(p["published"])
        p["updated_feed"] = feed_date(p["updated"] or p["published"])
        p["date_text"] = blogger_date(p["published"])
        image = f"https://blogger.googleusercontent.com/img/b/R29vZ2xl/AVvXsE{p['post_id'][:12]}"
        p["image"] = f"{image}/s1600/{p['slug'][:24]}.jpg"
        p["image_small"] = f"{image}/w400-h225/{p['slug'][:24]}.jpg"
        p["image_thumb"] = f"{image}/s72-w400-h225-c/{p['slug'][:24]}.jpg"
        # The blog closes a review's last paragraph with its score: "… Anime or no anime. (5/10)".
        body = list(p["paragraphs"])
        if p.get("score"):
            body[-1] = f"{body[-1]} ({p['score']})"
        p["body_paragraphs"] = body
        p["snippet"] = snippet(" ".join(body))
        p["comment_count"] = prepare_comments(p["comments"])
        p["content_html"] = "".join(f'<p style="text-align: justify;">{escape(t, quote=False)}</p>' for t in body)
        p["jsonld"] = Markup(json.dumps({
            "@context": "http://schema.org",
            "@type": "BlogPosting",
            "mainEntityOfPage": {"@type": "WebPage", "@id": p["url"]},
            "headline": p["title"],
            "description": snippet(body[0], 150),
            "datePublished": p["published"],
            "dateModified": p["updated"] or p["published"],
            "image": {"@type": "ImageObject", "url": p["image"], "height": 348, "width": 1200},
            "publisher": {"@type": "Organization", "name": "Blogger", "logo": {
                "@type": "ImageObject", "url": "https://blogger.googleusercontent.com/img/b/U2hvZWJveA/logo/h60/",
                "width": 206, "height": 60}},
            "author": {"@type": "Person", "name": source["blog_title"]},
        }, ensure_ascii=False).replace("</", "<\\/"))
    for p in posts:
        # "Popular posts from this blog": the three most commented other posts, then the newest.
        others = sorted((o for o in posts if o is not p), key=lambda o: -o["comment_count"])
        p["more"] = others[:3]
    return source, posts


def sidebar(posts: list[dict]) -> dict:
    label_counts = Counter(label for p in posts for label in p["labels"])
    years: dict[str, Counter] = {}
    for p in posts:
        d = datetime.fromisoformat(p["published"])
        years.setdefault(d.strftime("%Y"), Counter())[(d.strftime("%m"), d.strftime("%B"))] += 1
    archive = [
        dict(year=y, count=sum(months.values()),
             months=[dict(number=n, name=name, count=c) for (n, name), c in sorted(months.items(), reverse=True)])
        for y, months in sorted(years.items(), reverse=True)
    ]
    labels = [dict(name=name, count=label_counts[name]) for name in sorted(label_counts)]
    popular = sorted(posts, key=lambda p: (-p["comment_count"], p["published"]))[:3]
    return dict(archive=archive, labels=labels, popular=popular)


def build(env: Environment) -> list[Page]:
    source, posts = gfr_posts()
    blog = dict(title=source["blog_title"], description=source["blog_description"], id=BLOG_ID)
    chrome = dict(blog=blog, **sidebar(posts))
    pages = [Page(f"{HOST}/robots.txt", GFR_ROBOTS)]
    post_template = env.get_template("gayfilmsreview/post.html")
    for p in posts:
        html = post_template.render(
            p=p, title=p["title"], canonical=p["url"], description=p["snippet"], m="", is_home=False,
            body_class="item-view version-1-3-3 variant-indie_light", **chrome,
        )
        pages.append(Page(f"{HOST}/{p['path']}", html))

    # The homepage as Blogger serves it at "/?m=1" (the mirror ignores the query string).
    shown = posts[:HOME_POSTS]
    older = f"{GFR}/search?updated-max={shown[-1]['published_blogger'].replace(':', '%3A').replace('+', '%2B')}&max-results={HOME_POSTS}&m=1"
    home = env.get_template("gayfilmsreview/home.html").render(
        posts=shown, featured=posts[0], older_link=older, title=blog["title"], canonical=f"{GFR}/",
        description=blog["description"], m="?m=1", is_home=True,
        body_class="home-view version-1-3-3 variant-indie_light", **chrome,
    )
    pages.append(Page(f"{HOST}/index.html", home))

    feed = env.get_template("gayfilmsreview/feed.xml").render(
        posts=posts, blog=blog, labels=chrome["labels"], updated=max(p["updated_feed"] for p in posts)
    )
    pages.append(Page(f"{HOST}/feeds/posts/default", feed))
    return pages
