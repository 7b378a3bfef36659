"""The Review Geek (www.thereviewgeek.com): a tagDiv "Newspaper" WordPress theme; anime under /category/anime/.

Reviews live at flat URLs ("/dandadan-s1e7review/", "/twilightoutoffocus-s1review/"), news at other flat
slugs ("/new-netflix-anime-may2025/"); the category listing mixes both, five posts a page, with a tagDiv
page-nav whose "next" link is an arrow icon rather than a rel=next or a.next.
"""

from __future__ import annotations

import json
import math
from datetime import datetime

from jinja2 import Environment

from tools.build_mirror import Page, load_source, slugify

HOST = "www.thereviewgeek.com"

TRG = "https://www.thereviewgeek.com"
TRG_LISTING = f"{TRG}/category/anime/"
TRG_PER_PAGE = 5

# The sidebar's "Popular" widget and the top menu show the site's other sections; our own wording.
TRG_POPULAR = [
    dict(title="Squid Game – Season 3 Review – A bleak, brutal final round", stars="★★★½☆", date="June 27, 2025",
         url=f"{TRG}/squidgame-s3review/", category="TV Reviews"),
    dict(title="The Last of Us – Season 2 Episode 7 Recap & Review", stars="★★★☆☆", date="May 25, 2025",
         url=f"{TRG}/thelastofus-s2e7review/", category="TV Reviews"),
    dict(title="Sinners (2025) Movie Review – A blood-soaked Southern gothic", stars="★★★★½", date="April 18, 2025",
         url=f"{TRG}/sinners-moviereview/", category="Movie Reviews"),
    dict(title="Adolescence Ending Explained – What happens to Jamie?", stars=None, date="March 13, 2025",
         url=f"{TRG}/adolescence-endingexplained/", category="Ending Explained"),
]
TRG_AUTHOR_BIOS = {
    "Greg Wheeler": "Greg is the founder of The Review Geek and has been writing about film and television "
    "for well over a decade.",
}
TRG_DEFAULT_BIO = "{name} writes recaps and reviews for The Review Geek, with a particular soft spot for anime."
TRG_ROBOTS = """User-agent: *
Disallow: /wp-admin/
Allow: /wp-admin/admin-ajax.php
Disallow: /?s=
Disallow: /search/
Disallow: /wp-content/plugins/

Sitemap: https://www.thereviewgeek.com/sitemap_index.xml
"""


def long_date(iso: str) -> str:
    stamp = datetime.fromisoformat(iso)
    return f"{stamp.strftime('%B')} {stamp.day}, {stamp.year}"


def stars(score: str) -> str:
    """ "3.5/5" -> "★★★½☆": the star row the site draws under the rating."""
    value = float(score.split("/")[0])
    full, half = int(value), value % 1 >= 0.5
    return "★" * full + ("½" if half else "") + "☆" * (5 - full - (1 if half else 0))


def trg_posts() -> list[dict]:
    source = load_source("thereviewgeek")
    posts = [dict(r, is_review=True) for r in source["reviews"]]
    posts += [dict(n, is_review=False, recap=[], review=n["paragraphs"], review_heading=None, score=None,
                   subtitle=None, rating_label=None) for n in source["news"]]
    posts.sort(key=lambda p: p["published"], reverse=True)  # newest first, as the category lists them
    for number, p in enumerate(posts):
        p["url"] = f"{TRG}/{p['slug']}/"
        p["date"] = long_date(p["published"])
        p["post_id"] = 1200000 + (len(posts) - number) * 113
        p["author_slug"] = slugify(p["author"])
        p["author_bio"] = TRG_AUTHOR_BIOS.get(p["author"], TRG_DEFAULT_BIO.format(name=p["author"]))
        p["image"] = f"{TRG}/wp-content/uploads/{p['published'][:4]}/{p['published'][5:7]}/{p['slug']}.jpg"
        p["stars"] = stars(p["score"]) if p["score"] else None
        p["category"] = "Anime" if p["is_review"] else "News"
        p["comment_count"] = (p["post_id"] // 113) % 7
        p["excerpt"] = (p["recap"] or p["review"])[0][:140].rsplit(" ", 1)[0] + "…"
    reviews = [p for p in posts if p["is_review"]]
    for p in posts:
        others = [o for o in reviews if o is not p]
        others.sort(key=lambda o: (abs(datetime.fromisoformat(o["published"]) - datetime.fromisoformat(p["published"])),
                                   o["slug"]))
        p["related"] = others[:3]
        series = [o for o in reviews if o is not p and o["slug"].split("-")[0] == p["slug"].split("-")[0]]
        series.sort(key=lambda o: o["published"])
        p["previous_episode"] = next((o for o in reversed(series) if o["published"] < p["published"]), None)
        p["next_episode"] = next((o for o in series if o["published"] > p["published"]), None)
        p["jsonld"] = json.dumps(
            {
                "@context": "https://schema.org",
                "@graph": [
                    {
                        "@type": "Article",
                        "@id": p["url"] + "#article",
                        "headline": p["headline"],
                        "datePublished": p["published"],
                        "dateModified": p["updated"] or p["published"],
                        "author": {"@type": "Person", "name": p["author"]},
                        "publisher": {"@type": "Organization", "name": "The Review Geek"},
                        "articleSection": [p["category"]],
                        "inLanguage": "en-GB",
                    },
                    {"@type": "WebPage", "@id": p["url"], "url": p["url"], "name": p["headline"]},
                ],
            },
            ensure_ascii=False,
        )
    return posts


def build(env: Environment) -> list[Page]:
    posts = trg_posts()
    chrome = dict(popular=TRG_POPULAR, latest=[p for p in posts if p["is_review"]][:4])
    pages = [Page(f"{HOST}/robots.txt", TRG_ROBOTS)]
    post_template = env.get_template("thereviewgeek/post.html")
    for p in posts:
        html = post_template.render(p=p, title=p["headline"], canonical=p["url"], og_type="article",
                                    body_class="post-template-default single single-post single-format-standard",
                                    **chrome)
        pages.append(Page(f"{HOST}/{p['slug']}/index.html", html))

    page_count = math.ceil(len(posts) / TRG_PER_PAGE)
    page_url = lambda n: TRG_LISTING if n == 1 else f"{TRG_LISTING}page/{n}/"  # noqa: E731
    listing = env.get_template("thereviewgeek/listing.html")
    for n in range(1, page_count + 1):
        html = listing.render(
            posts=posts[(n - 1) * TRG_PER_PAGE : n * TRG_PER_PAGE],
            page_number=n, page_count=page_count,
            pages=[dict(number=k, url=page_url(k), current=k == n) for k in range(1, page_count + 1)],
            prev_page=page_url(n - 1) if n > 1 else None,
            next_page=page_url(n + 1) if n < page_count else None,
            title="Anime Archives" if n == 1 else f"Anime Archives - Page {n} of {page_count}",
            canonical=page_url(n), og_type="website", body_class="archive category category-anime",
            **chrome,
        )
        pages.append(Page(f"{HOST}/category/anime/" + ("" if n == 1 else f"page/{n}/") + "index.html", html))
    return pages
