"""But Why Tho? (butwhytho.net): a SmartMag WordPress theme; anime reviews under /category/reviews/anime/."""

from __future__ import annotations

import json
import math
from datetime import datetime
from email.utils import format_datetime

from jinja2 import Environment

from tools.build_mirror import Page, load_source, slugify, us_date

HOST = "butwhytho.net"

BWT = "https://butwhytho.net"
BWT_LISTING = f"{BWT}/category/reviews/anime/"
BWT_PER_PAGE = 10

# The sidebar and ticker show the site's other sections; facts from the real page, our own wording.
BWT_TRENDING_POSTS = [
    dict(title="REVIEW: ‘The Eternaut’ Is Another International Sci-Fi Hit", score="8.5", category="TV",
         author="Kate Sánchez", date="05/03/2025", updated=None, url=f"{BWT}/2025/05/review-the-eternaut/",
         image_alt="The Eternaut promotional image from Netflix",
         excerpt="An Argentine survival story that turns a snowfall into something far more frightening."),
    dict(title="RECAP: ‘9-1-1’ Season 8 Episode 16 — “The Last Alarm”", score="8.5", category="TV",
         author="Katey Stoetzel", date="05/01/2025", updated="05/03/2025",
         url=f"{BWT}/2025/05/recap-9-1-1-season-8-episode-16/", image_alt="Hen in 9-1-1 Season 8 Episode 16",
         excerpt="The firehouse faces its hardest week yet, and the episode does not look away from it."),
    dict(title="REVIEW: ‘Exterritorial’ Is A Netflix Action Movie Worth Watching", score="7.0", category="Film",
         author="Kate Sánchez", date="05/03/2025", updated="05/03/2025",
         url=f"{BWT}/2025/05/review-exterritorial/",
         image_alt="Jeanne Goursaud as Sarah in Netflix Original Film The Exterritorial",
         excerpt="A lean consulate siege thriller that knows exactly what kind of movie it wants to be."),
    dict(title="REVIEW: ‘The Four Seasons’ Is As Relatable As It Is Messy", score="9.0", category="TV",
         author="Kate Sánchez", date="05/03/2025", updated=None, url=f"{BWT}/2025/05/review-the-four-seasons/",
         image_alt="Will Forte and Tina Fey in The Four Seasons on Netflix",
         excerpt="Three couples, four weekends away, and a lot of honest arguing about long love."),
]
BWT_TICKER = [
    dict(title="10 ‘Sunderfolk’ Tips To Help You And Your Party Thrive", date="05/02/2025",
         iso="2025-05-02T10:00:00-04:00", url=f"{BWT}/2025/05/sunderfolk-tips/", image_alt="Sunderfolk Phone Players"),
    dict(title="‘Thunderbolts*’ Visualizes Depression As Only A Superhero Movie Can", date="05/02/2025",
         iso="2025-05-02T12:00:00-04:00", url=f"{BWT}/2025/05/thunderbolts-depression/",
         image_alt="Bob in Thunderbolts But Why Tho"),
    dict(title="5 Games to Play After Beating ‘Clair Obscur: Expedition 33’", date="05/01/2025",
         iso="2025-05-01T12:00:00-04:00", url=f"{BWT}/2025/05/games-after-expedition-33/",
         image_alt="Games to Play After Expedition 33"),
    dict(title="‘Cinderella’ (2015) 10 Years Later: Disney’s Live-Action Jubilant Peak", date="04/28/2025",
         iso="2025-04-28T12:00:00-04:00", url=f"{BWT}/2025/04/cinderella-10-years-later/",
         image_alt="Lily James in Cinderella (2015)"),
    dict(title="‘Grave Encounters’ Is Still One Of The Best Found Footage Horror Films", date="04/26/2025",
         iso="2025-04-26T12:00:00-04:00", url=f"{BWT}/2025/04/grave-encounters/",
         image_alt="One of the spirits seen in Grave Encounters"),
]
BWT_AUTHOR_BIOS = {
    "Allyson Johnson": "Allyson Johnson writes about film, television and anime for But Why Tho?, with a soft "
    "spot for romance stories and the people who make them.",
}
BWT_DEFAULT_BIO = "{name} is a contributor to But Why Tho? who covers anime, film and television."
BWT_ROBOTS = """User-agent: *
Disallow: /wp-admin/
Allow: /wp-admin/admin-ajax.php
Disallow: /?s=
Disallow: /search/

Sitemap: https://butwhytho.net/sitemap_index.xml
"""


def bwt_reviews() -> list[dict]:
    reviews = load_source("butwhytho")["reviews"]
    reviews.sort(key=lambda r: r["published"], reverse=True)  # newest first, as the site lists them
    for number, r in enumerate(reviews):
        published = datetime.fromisoformat(str(r["published"]))
        r["published"] = published.isoformat()
        r["updated"] = datetime.fromisoformat(str(r["updated"])).isoformat() if r.get("updated") else None
        r["date"] = published.strftime("%m/%d/%Y")
        r["updated_date"] = us_date(r["updated"]) if r["updated"] else None
        r["ym"] = published.strftime("%Y/%m")
        r["url"] = f"{BWT}/{r['ym']}/{r['slug']}/"
        r["post_id"] = 400000 + (len(reviews) - number) * 37
        r["author_slug"] = slugify(r["author"])
        r["author_bio"] = BWT_AUTHOR_BIOS.get(r["author"], BWT_DEFAULT_BIO.format(name=r["author"]))
        words = sum(len(p.split()) for p in r["paragraphs"])
        r["read_minutes"] = max(1, math.ceil(words / 200))
        r["image"] = f"{BWT}/wp-content/uploads/{r['ym']}/{r['slug']}.jpg"
        # The related-post badge shows the number alone, one decimal ("8.0"): a trap for score finders.
        r["score_number"] = f"{float(r['score'].split('/')[0]):.1f}" if r.get("score") else None
        r["excerpt"] = r["paragraphs"][0][:160].rsplit(" ", 1)[0] + "…"
    for number, r in enumerate(reviews):
        r["next"] = reviews[number - 1] if number > 0 else None
        r["previous"] = reviews[number + 1] if number + 1 < len(reviews) else None
        others = [o for o in reviews if o is not r]
        others.sort(key=lambda o: abs(datetime.fromisoformat(o["published"]) - datetime.fromisoformat(r["published"])))
        r["related"] = others[:6]
        r["jsonld"] = json.dumps(
            {
                "@context": "https://schema.org",
                "@graph": [
                    {
                        "@type": "Article",
                        "@id": r["url"] + "#article",
                        "headline": r["headline"],
                        "datePublished": r["published"],
                        "dateModified": r["updated"] or r["published"],
                        "author": {"@type": "Person", "name": r["author"]},
                        "publisher": {"@type": "Organization", "name": "But Why Tho?"},
                        "articleSection": ["Anime", "Reviews"],
                        "inLanguage": "en-US",
                    },
                    {"@type": "WebPage", "@id": r["url"], "url": r["url"], "name": r["headline"]},
                ],
            },
            ensure_ascii=False,
        ).replace("</", "<\\/")  # JSON inside <script>: no "</script>" may close it early
    return reviews


def build(env: Environment) -> list[Page]:
    reviews = bwt_reviews()
    chrome = dict(trending_ticker=BWT_TICKER, trending_posts=BWT_TRENDING_POSTS)
    pages = [Page("butwhytho.net/robots.txt", BWT_ROBOTS)]
    review_template = env.get_template("butwhytho/review.html")
    for r in reviews:
        html = review_template.render(
            r=r, title=r["headline"], canonical=r["url"], og_type="article", crumb=r["headline"],
            body_class="post-template-default single single-post single-format-standard", **chrome,
        )
        pages.append(Page(f"butwhytho.net/{r['ym']}/{r['slug']}/index.html", html))

    page_count = math.ceil(len(reviews) / BWT_PER_PAGE)
    page_url = lambda n: BWT_LISTING if n == 1 else f"{BWT_LISTING}page/{n}/"  # noqa: E731
    listing = env.get_template("butwhytho/listing.html")
    for n in range(1, page_count + 1):
        html = listing.render(
            posts=reviews[(n - 1) * BWT_PER_PAGE : n * BWT_PER_PAGE],
            pages=[dict(number=k, url=page_url(k), current=k == n) for k in range(1, page_count + 1)],
            prev_page=page_url(n - 1) if n > 1 else None,
            next_page=page_url(n + 1) if n < page_count else None,
            title="Anime Archives" if n == 1 else f"Anime Archives - Page {n} of {page_count}",
            canonical=page_url(n), og_type="website", crumb=None, body_class="archive category category-anime",
            **chrome,
        )
        path = "butwhytho.net/category/reviews/anime/" + ("" if n == 1 else f"page/{n}/") + "index.html"
        pages.append(Page(path, html))
    pages.append(Page("butwhytho.net/category/reviews/anime/feed/index.xml", bwt_feed(env, reviews)))
    return pages


def bwt_feed(env: Environment, reviews: list[dict]) -> str:
    items = [
        dict(r, pub_date=format_datetime(datetime.fromisoformat(r["published"])), description=r["excerpt"])
        for r in reviews[:BWT_PER_PAGE]
    ]
    return env.get_template("butwhytho/feed.xml").render(items=items, listing=BWT_LISTING)
