"""1st Reviews (www.1streviews.ca): a Blogger blog on a custom domain, classic "Simple" layout.

Read by the `generic` spider from its Atom feed (/feeds/posts/default). Posts are written in Blogger's
compose mode (paragraphs separated by <br /><br />, pictures in "separator" divs), and a review closes
with its score line, "Rating: 8/10", in bold.
"""

from __future__ import annotations

import hashlib
import html
import re
from datetime import datetime, timezone

from jinja2 import Environment

from tools.build_mirror import Page, load_source, slugify

HOST = "www.1streviews.ca"
ROOT = f"https://{HOST}"
IMAGES = "https://blogger.googleusercontent.com/img/b/R29vZ2xl"

ROBOTS = """User-agent: Mediapartners-Google
Disallow: 

User-agent: *
Disallow: /search
Disallow: /share-widget
Allow: /

Sitemap: https://www.1streviews.ca/sitemap.xml
"""


def _number(text: str, digits: int) -> int:
    return int(hashlib.sha1(text.encode()).hexdigest(), 16) % 10**digits


def _inline(text: str) -> str:
    """Escape a paragraph and turn *Show Name* into <i>Show Name</i>, as Blogger's editor writes italics."""
    return re.sub(r"\*([^*]+)\*", r"<i>\1</i>", html.escape(text, quote=False))


def _image(post: dict, name: str) -> str:
    src = f"{IMAGES}/AVvXsE{_number(post['slug'] + name, 12)}/s1600/{slugify(name)}.jpg"
    return (f'<div class="separator" style="clear: both; text-align: center;"><a href="{src}" imageanchor="1" '
            f'style="margin-left: 1em; margin-right: 1em;"><img border="0" data-original-height="720" '
            f'data-original-width="1280" height="360" src="{src}" width="640" /></a></div>')


def _body(post: dict) -> str:
    """The post body as Blogger's compose mode saves it: one picture on top, <br /> line breaks between paragraphs."""
    parts = [_image(post, post["headline"])]
    for block in post["paragraphs"]:
        if isinstance(block, dict):
            parts.append(_image(post, block["image"]))
        else:
            parts.append(_inline(block) + "<br /><br />")
    if post["rating"]:
        parts.append(f"<b>{html.escape(post['rating'])}</b>")
    else:
        parts[-1] = parts[-1].removesuffix("<br /><br />")
    return "<br />".join(parts[:1]) + "<br />" + "".join(
        part + ("<br />" if part.startswith("<div") else "") for part in parts[1:]
    )


def _plain(post: dict) -> str:
    return " ".join(re.sub(r"\*", "", b) for b in post["paragraphs"] if isinstance(b, str))


def posts() -> tuple[dict, str, list[dict]]:
    source = load_source("firstreviews")
    site, author = source["site"], source["author"]
    site["profile_id"] = "09817264530918273645"
    items = sorted(source["posts"], key=lambda p: str(p["published"]), reverse=True)
    for p in items:
        published = datetime.fromisoformat(str(p["published"]))
        p["published"] = published.isoformat()
        p["published_atom"] = published.isoformat(timespec="milliseconds")
        p["url"] = f"{ROOT}/{published:%Y/%m}/{p['slug']}.html"
        p["path"] = f"{HOST}/{published:%Y/%m}/{p['slug']}.html"
        p["post_id"] = f"{7000000000000000000 + _number(p['slug'], 18)}"
        p["date_header"] = f"{published:%A, %B} {published.day}, {published.year}"
        p["time_text"] = published.strftime("%I:%M %p").lstrip("0")
        p["image"] = f"{IMAGES}/AVvXsE{_number(p['slug'] + p['headline'], 12)}/s1600/{slugify(p['headline'])}.jpg"
        p["thumbnail"] = p["image"].replace("/s1600/", "/s72-c/")
        plain = _plain(p)
        p["snippet"] = plain[:150].rsplit(" ", 1)[0] + "..."
        p["popular_snippet"] = plain[:200].rsplit(" ", 1)[0] + "..."
        p["body_html"] = _body(p)
        p["label_items"] = [dict(name=label, path=label.replace(" ", "%20")) for label in p["labels"]]
        p["comments"] = [
            dict(c, id=_number(p["slug"] + c["text"], 19), stamp=1700000000000 + _number(c["text"], 9))
            for c in p["comments"] or []
        ]
    for n, p in enumerate(items):
        p["newer"] = items[n - 1] if n > 0 else None
        p["older"] = items[n + 1] if n + 1 < len(items) else None
    return site, author, items


def _archive(items: list[dict]) -> list[dict]:
    years: dict[str, dict] = {}
    for p in items:
        moment = datetime.fromisoformat(p["published"])
        year = years.setdefault(str(moment.year), dict(year=str(moment.year), count=0, months={}))
        year["count"] += 1
        month = year["months"].setdefault(f"{moment:%Y/%m}", dict(path=f"{moment:%Y/%m}", label=f"{moment:%B}", count=0))
        month["count"] += 1
    return [dict(y, months=list(y["months"].values())) for y in years.values()]


def build(env: Environment) -> list[Page]:
    site, author, items = posts()
    counts: dict[str, int] = {}
    for p in items:
        for label in p["labels"]:
            counts[label] = counts.get(label, 0) + 1
    label_counts = [dict(name=name, path=name.replace(" ", "%20"), count=counts[name]) for name in sorted(counts)]
    # Blogger's Popular Posts gadget: the most viewed posts, here the reviews with the most comments.
    popular = sorted((p for p in items if p["rating"]), key=lambda p: (-len(p["comments"]), p["slug"]))[:3]
    chrome = dict(site=site, author=author, popular=popular, label_counts=label_counts, archive=_archive(items))
    pages = [Page(f"{HOST}/robots.txt", ROBOTS)]
    template = env.get_template("firstreviews/post.html")
    for p in items:
        pages.append(Page(p["path"], template.render(p=p, **chrome)))
    updated = max(datetime.fromisoformat(p["published"]) for p in items).astimezone(timezone.utc)
    feed = env.get_template("firstreviews/feed.xml").render(
        posts=items, updated=updated.isoformat(timespec="milliseconds"), **chrome
    )
    # Blogger serves the feed at /feeds/posts/default, a path without an extension.
    pages.append(Page(f"{HOST}/feeds/posts/default", feed))
    return pages
