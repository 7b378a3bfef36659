"""The show page, /show/<name>: one show's critic consensus per episode and every critic's review under it.

The name is resolved as everywhere else, through `series_key()` (series_names.py): any case, punctuation or alias
finds the show, and the page redirects to its one address (/show/twilight-out-of-focus). Everything is bounded:
MAX_EPISODES consensus rows, PAGE_SIZE episode reviews a page (?page=N), MAX_WHOLE_REVIEWS season and series
reviews. Also the home page's list of shows, newest reviewed first (templates/index.html).
"""

from __future__ import annotations

import itertools
import urllib.parse

from datasette import hookimpl
from datasette.utils.asgi import Response

DATABASE = "reviews"
PAGE_SIZE = 100
MAX_PAGE = 1000
MAX_EPISODES = 500
MAX_WHOLE_REVIEWS = 100
MAX_AUDIENCE = 500
MAX_NAME_CHARS = 300
HOME_SHOWS = 100
HOME_RECENT_REVIEWS = 20000  # the home page ranks the shows of this many newest reviews
POSITIVE = 6.0  # a review at or above this is positive (Rotten Tomatoes' 60 % line)

# A name merged into another series (two names of one show, joined through the catalogue: series_merges) finds
# the series it was merged into.
SERIES_SQL = """select * from (
  select series.*, 0 as merged from series where key = series_key(:name)
  union all
  select series.*, 1 from series_merges join series on series.id = series_merges.into_id
  where series_merges.from_key = series_key(:name)
) order by merged limit 1"""

# Every column: since m009 `reviews` counts votes (one per outlet) and `review_count` the reviews themselves.
EPISODES_SQL = f"""select * from episode_scores where series_id = :id order by season, episode limit {MAX_EPISODES}"""

SEASONS_SQL = """select * from series_scores where series_id = :id order by season is null, season limit 200"""

REVIEW_COLUMNS = """reviews.url, outlets.name as outlet, reviews.author, reviews.headline, reviews.published,
       reviews.season, reviews.episode_start, reviews.episode_end, reviews.episode_title, reviews.kind,
       reviews.version, reviews.score_text, reviews.score, reviews.verdict"""

EPISODE_REVIEWS_SQL = f"""select {REVIEW_COLUMNS}
from reviews join outlets on outlets.id = reviews.outlet
where reviews.series_id = :id and reviews.kind in ('episode', 'episodes')
order by reviews.season, reviews.episode_start is null, reviews.episode_start, reviews.episode_end, outlets.name,
         reviews.version, reviews.published, reviews.url
limit {PAGE_SIZE + 1} offset :offset"""

WHOLE_REVIEWS_SQL = f"""select {REVIEW_COLUMNS}
from reviews join outlets on outlets.id = reviews.outlet
where reviews.series_id = :id and reviews.kind not in ('episode', 'episodes')
order by reviews.kind != 'season', reviews.season is null, reviews.season, outlets.name, reviews.version,
         reviews.published, reviews.url
limit {MAX_WHOLE_REVIEWS + 1}"""

# Issue 18's catalogue (migration m008): shown when the database has it, else the page leaves its place empty.
CATALOGUE_SQL = "select * from series_catalogue where series_id = :id limit 1"
HAS_CATALOGUE_SQL = "select count(*) from sqlite_master where type = 'view' and name = 'series_catalogue'"

AUDIENCE_SQL = f"""select season, episode, source, value, best, score, votes, review
from audience_scores where series_id = :id order by season, episode, source limit {MAX_AUDIENCE}"""

HOME_SQL = f"""with recent as (
  select series_id, max(published) as latest from (
    select series_id, published from reviews where series_id is not null
    order by published desc limit {HOME_RECENT_REVIEWS})
  group by series_id order by latest desc limit {HOME_SHOWS}
)
select series.title, series.key, recent.latest,
       (select count(*) from reviews where reviews.series_id = series.id) as reviews,
       (select count(*) from episode_scores where episode_scores.series_id = series.id) as episodes,
       (select round(avg(mean_score), 2) from episode_scores where episode_scores.series_id = series.id) as score,
       (select round(avg(score), 2) from reviews where reviews.series_id = series.id
          and reviews.kind in ('season', 'series')) as whole_score
from recent join series on series.id = recent.series_id
order by recent.latest desc, series.title"""


def slug(key: str) -> str:
    return key.replace(" ", "-")


def show_url(datasette, key: str, page: int = 1) -> str:
    url = datasette.urls.path("/show/" + urllib.parse.quote(slug(key), safe=""))
    return url + (f"?page={page}" if page > 1 else "")


async def query(datasette, sql: str, params: dict) -> list[dict]:
    return [dict(row) for row in await datasette.get_database(DATABASE).execute(sql, params)]


def episode_label(review: dict) -> str:
    season, start, end = review["season"], review["episode_start"], review["episode_end"]
    prefix = f"Season {season}" if season is not None else "Season unknown"
    if start is None:
        return f"{prefix} · episode not numbered"
    if end is not None and end != start:
        return f"{prefix} · Episodes {start}–{end}"
    return f"{prefix} · Episode {start}"


def group_episode_reviews(reviews: list[dict], episodes: dict, audience: dict) -> list[dict]:
    """Reviews in groups of the episodes they cover, each with the episode's consensus and audience figures."""
    groups = []
    for key, members in itertools.groupby(reviews, lambda r: (r["season"], r["episode_start"], r["episode_end"])):
        members = list(members)
        season, start, end = key
        single = start is not None and start == end
        groups.append({
            "label": episode_label(members[0]),
            "anchor": f"s{season}e{start}" + (f"-{end}" if end != start else ""),
            "title": next((r["episode_title"] for r in members if r["episode_title"]), None),
            "consensus": episodes.get((season, start)) if single else None,
            "audience": audience.get((season, start), []) if single else [],
            "reviews": members,
        })
    return groups


def chart(episodes: list[dict], width: int = 900, height: int = 240) -> dict:
    """SVG coordinates of the consensus chart: each episode's mean (a line, per season), its spread (min to max)
    and the 6.0 line. Drawn on the server: no script, readable without JavaScript."""
    left, right, top, bottom = 36, 10, 10, 30
    scored = [e for e in episodes if e["mean_score"] is not None]
    step = (width - left - right) / max(len(scored), 1)

    def y(score: float) -> float:
        return round(top + (height - top - bottom) * (1 - score / 10), 1)

    points = []
    for index, episode in enumerate(scored):
        x = round(left + step * (index + 0.5), 1)
        points.append({**episode, "x": x, "y": y(episode["mean_score"]), "y_min": y(episode["min_score"]),
                       "y_max": y(episode["max_score"]), "label": f"S{episode['season']}E{episode['episode']}"})
    lines = [" ".join(f"{p['x']},{p['y']}" for p in season_points)
             for _, season_points in itertools.groupby(points, lambda p: p["season"])]
    every = max(1, len(points) // 24)  # at most ~24 episode labels on the axis
    return {"width": width, "height": height, "left": left, "right": width - right, "bottom": height - bottom,
            "points": points, "lines": lines, "ticks": [(y(v), v) for v in (0, 2, 4, 6, 8, 10)],
            "positive_y": y(POSITIVE), "labels": points[::every]}


def page_number(request) -> int | None:
    text = request.args.get("page", "1")
    if not text.isdigit() or not 1 <= int(text) <= MAX_PAGE:
        return None
    return int(text)


async def not_found(datasette, request, name: str) -> Response:
    html = await datasette.render_template("show_not_found.html", {"name": name}, request=request)
    return Response.html(html, status=404)


async def show_page(request, datasette):
    name = urllib.parse.unquote(request.url_vars["name"])[:MAX_NAME_CHARS]
    page = page_number(request)
    if page is None:
        return Response.text(f"page must be a whole number from 1 to {MAX_PAGE}", status=400)
    found = await query(datasette, SERIES_SQL, {"name": name})
    if not found:
        return await not_found(datasette, request, name)
    series = found[0]
    if name != slug(series["key"]):
        return Response.redirect(show_url(datasette, series["key"], page))
    context = await show_context(datasette, series, page)
    return Response.html(await datasette.render_template("show.html", context, request=request))


async def show_context(datasette, series: dict, page: int) -> dict:
    params = {"id": series["id"]}
    episodes = await query(datasette, EPISODES_SQL, params)
    audience: dict = {}
    for figure in await query(datasette, AUDIENCE_SQL, params):
        audience.setdefault((figure["season"], figure["episode"]), []).append(figure)
    reviews = await query(datasette, EPISODE_REVIEWS_SQL, {**params, "offset": (page - 1) * PAGE_SIZE})
    whole = await query(datasette, WHOLE_REVIEWS_SQL, params)
    by_episode = {(e["season"], e["episode"]): e for e in episodes}
    for episode in episodes:
        episode["audience"] = audience.get((episode["season"], episode["episode"]), [])
    [[has_catalogue]] = [list(row.values()) for row in await query(datasette, HAS_CATALOGUE_SQL, {})]
    catalogue = await query(datasette, CATALOGUE_SQL, params) if has_catalogue else []
    return {
        "series": series,
        "catalogue": catalogue[0] if catalogue else None,
        "show_url": show_url(datasette, series["key"]),
        "episodes": episodes,
        "episodes_capped": len(episodes) == MAX_EPISODES,
        "seasons": await query(datasette, SEASONS_SQL, params),
        "chart": chart(episodes),
        "groups": group_episode_reviews(reviews[:PAGE_SIZE], by_episode, audience),
        "whole_reviews": whole[:MAX_WHOLE_REVIEWS],
        "whole_capped": len(whole) > MAX_WHOLE_REVIEWS,
        "page": page,
        "previous_url": show_url(datasette, series["key"], page - 1) if page > 1 else None,
        "next_url": show_url(datasette, series["key"], page + 1) if len(reviews) > PAGE_SIZE else None,
        "positive": POSITIVE,
        # Issue 18 (the anime catalogue): `catalogue` is the show's series_catalogue row (Japanese title, airing
        # season, MyAnimeList / AniList / AniDB links), shown in templates/show.html's `catalogue` block.
    }


async def find_show(request, datasette):
    """/show?name=…: the home page's "find a show" box."""
    name = request.args.get("name", "").strip()[:MAX_NAME_CHARS]
    found = await query(datasette, SERIES_SQL, {"name": name}) if name else []
    if not found:
        return await not_found(datasette, request, name)
    return Response.redirect(show_url(datasette, found[0]["key"]))


@hookimpl
def register_routes():
    return [(r"^/show/(?P<name>[^/]+)$", show_page), (r"^/show$", find_show)]


@hookimpl
def extra_template_vars(template, datasette):
    if template != "index.html":
        return {}

    async def home_shows():
        shows = await query(datasette, HOME_SQL, {})
        for show in shows:
            show["url"] = show_url(datasette, show["key"])
        return shows

    return {"home_shows": home_shows}
