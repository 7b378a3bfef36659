"""Anime News Network (www.animenewsnetwork.com): weekly episode reviews, listed in the review RSS feed.

Review pages live at /review/<series-slug>/episode-<n>/.<cms id> (the last path segment is the numeric
CMS id after a dot, so the mirror stores them as files of that name). The page shows the series as its
headline with an "Episode N" subheadline, a reader poll ("How would you rate episode N of …? Community
score: 4.1"), the review text, and the critic's rating as a star image after "Rating:".
"""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime
from zoneinfo import ZoneInfo

from jinja2 import Environment

from tools.build_mirror import Page, load_source

HOST = "www.animenewsnetwork.com"

ANN = f"https://{HOST}"
CDN = "https://cdn.animenewsnetwork.com"
FEED_PATH = "review/rss.xml"
EASTERN = ZoneInfo("America/New_York")
ANN_ROBOTS = """User-agent: *
Disallow: /bbs/
Disallow: /cgi-bin/
Disallow: /mailbox/
Disallow: /login.php
Disallow: /search
Disallow: /encyclopedia/search/
Disallow: /MyAnime/

Sitemap: https://www.animenewsnetwork.com/sitemap.xml
"""

# The right column's other boxes: facts only, our wording.
ANN_LATEST_NEWS = [
    dict(title="Kaiju No. 8 Anime's 2nd Season Reveals July Premiere", date="May 2, 2025",
         url=f"{ANN}/news/2025-05-02/kaiju-no-8-anime-2nd-season-reveals-july-premiere/.224052"),
    dict(title="Solo Leveling Anime Gets 3rd Season", date="May 1, 2025",
         url=f"{ANN}/news/2025-05-01/solo-leveling-anime-gets-3rd-season/.224019"),
    dict(title="Anime Expo Announces First Guests", date="Apr 30, 2025",
         url=f"{ANN}/news/2025-04-30/anime-expo-announces-first-guests/.223987"),
]
ANN_EXTRA_REVIEWS = [
    dict(title="The Apothecary Diaries Season 2", subtitle="Episode 16", stars="4.5", date="May 2, 2025",
         url=f"{ANN}/review/the-apothecary-diaries-season-2/episode-16/.224033"),
    dict(title="Lazarus", subtitle="Episode 4", stars="3.5", date="May 1, 2025",
         url=f"{ANN}/review/lazarus/episode-4/.224002"),
]


def ordinal_date(moment: datetime) -> str:
    """ANN's byline date: "Apr 28th 2025"."""
    day = moment.day
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{moment.strftime('%b')} {day}{suffix} {moment.year}"


def ann_reviews() -> tuple[list[dict], list[dict]]:
    source = load_source("animenewsnetwork")
    reviews = sorted(source["reviews"], key=lambda r: str(r["published"]), reverse=True)
    for r in reviews:
        published = datetime.fromisoformat(str(r["published"]).replace("Z", "+00:00"))
        r["iso"] = published.strftime("%Y-%m-%dT%H:%M:%SZ")
        r["date"] = ordinal_date(published.astimezone(EASTERN))
        r["pub_date"] = format_datetime(published.astimezone(EASTERN))
        r["subtitle"] = f"Episode {r['episode']}"
        r["title"] = f"{r['series']} ‒ {r['subtitle']}"  # the feed's and the <title>'s figure dash
        r["path"] = f"/review/{r['slug']}/episode-{r['episode']}/.{r['id']}"
        r["url"] = ANN + r["path"]
        r["stars_image"] = f"{CDN}/stylesheets/img/rating/stars-{r['stars'].replace('.', '-')}.svg"
        r["still"] = f"{CDN}/thumbnails/max650x650/cms/episode-review.3/{r['id']}/{r['image']}.jpg"
    for r in reviews:
        others = [o for o in reviews if o is not r][:6]
        r["latest_reviews"] = [
            dict(title=o["series"], subtitle=o["subtitle"], stars=o["stars"], url=o["url"],
                 date=o["date"]) for o in others
        ] + ANN_EXTRA_REVIEWS
    others = source.get("others") or []
    for o in others:
        published = datetime.fromisoformat(str(o["published"]).replace("Z", "+00:00"))
        o["iso"] = published.strftime("%Y-%m-%dT%H:%M:%SZ")
        o["date"] = ordinal_date(published.astimezone(EASTERN))
        o["pub_date"] = format_datetime(published.astimezone(EASTERN))
        o["url"] = ANN + o["path"]
    return reviews, others


def build(env: Environment) -> list[Page]:
    reviews, others = ann_reviews()
    chrome = dict(latest_news=ANN_LATEST_NEWS)
    pages = [Page(f"{HOST}/robots.txt", ANN_ROBOTS)]
    review_template = env.get_template("animenewsnetwork/review.html")
    for r in reviews:
        html = review_template.render(r=r, page_title=r["title"], canonical=r["url"],
                                      latest_reviews=r["latest_reviews"], **chrome)
        pages.append(Page(HOST + r["path"], html))
    news_template = env.get_template("animenewsnetwork/news.html")
    latest = reviews[0]["latest_reviews"]
    for o in others:
        html = news_template.render(o=o, page_title=o["title"], canonical=o["url"], latest_reviews=latest, **chrome)
        pages.append(Page(HOST + o["path"], html))
    # The review feed: newest first, the news post among them as the site's feeds mix sections.
    items = [dict(title=r["title"], url=r["url"], id=r["id"], teaser=r["teaser"], pub_date=r["pub_date"],
                  sort=r["iso"], category="Anime") for r in reviews]
    items += [dict(title=o["title"], url=o["url"], id=o["path"].rsplit(".", 1)[1], teaser=o["teaser"],
                   pub_date=o["pub_date"], sort=o["iso"], category="Anime") for o in others]
    items.sort(key=lambda i: i["sort"], reverse=True)
    feed = env.get_template("animenewsnetwork/rss.xml").render(items=items, build_date=items[0]["pub_date"])
    pages.append(Page(f"{HOST}/{FEED_PATH}", feed))
    return pages
