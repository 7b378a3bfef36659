"""find_review_score on whole pages shaped like real outlets' review pages (written for these tests).

Each page also shows numbers that are not the review's score: related and trending posts with their
own scores, community scores, polls, sub-scores, dates, times and episode counts.
"""

from pathlib import Path

import pytest

from pipelines.score_finder import find_review_score
from pipelines.scores import Score

ROOT = Path(__file__).resolve().parent.parent

ANN_EPISODE = """<html><head><title>Episode 7 - Dan Da Dan - Anime News Network</title></head><body>
<div id="topbar"><a href="/news/">News</a><a href="/review/">Reviews</a></div>
<div id="maincontent"><div class="KonaBody">
<h1 id="page_header">Episode 7<div class="subheader">Dan Da Dan</div></h1>
<div class="community-score"><span>Community score: 3.9</span><span>(512 votes)</span></div>
<div class="meat"><p>How would you rate episode 7 of Dan Da Dan?</p>
<p>Episode 7 slows down for a ghost story about grief, and it lands every beat.</p>
<p>The animation of the final chase is the best the series has looked.</p>
<div class="review-rating"><b>Rating:</b> <img src="/stars/4.5.png" alt="4.5 stars"></div>
<p>Dan Da Dan is currently streaming on Crunchyroll and Netflix.</p></div>
</div></div>
<div id="sidebar" class="sidebar"><h3>Latest Reviews</h3><ul><li>Frieren Episode 28 <img alt="5 stars"></li>
<li>Blue Lock Episode 3 <img alt="2.5 stars"></li></ul></div>
<div id="footer">© 1998-2025 Anime News Network</div></body></html>"""

FANDOM_POST = """<html><body><header class="site-header"><ul class="menu"><li>Anime Reviews</li></ul></header>
<article class="post"><h1 class="entry-title">Frieren: Beyond Journey’s End Episode 28 Anime Review</h1>
<div class="entry-content"><p>Posted 09/19/2024 at 10:30 by Chris Beveridge</p>
<p>The journey pauses for a quiet goodbye in the snow.</p>
<p><strong>In Summary:</strong> A gentle, confident close to the first cour.</p>
<p><strong>Grade:</strong> B+</p>
<p><strong>Streamed By:</strong> Crunchyroll</p>
<p><strong>Age Rating:</strong> 14+</p>
<p><strong>Running Time:</strong> 24 Minutes</p></div></article>
<div class="widget popular-posts"><h3>Popular</h3><p>Grade: A-</p></div></body></html>"""

FANDOM_POST_DISC = """<article><div class="entry-content"><p>The set collects all twelve episodes.</p>
<p>Content Grade: A-<br>Audio Grade: B+<br>Video Grade: A<br>Packaging Grade: B<br>Menu Grade: B<br>
Extras Grade: C+</p><p>Released By: Sentai Filmworks</p><p>Release Date: 05/14/2024</p>
<p>MSRP: $69.98</p><p>Running Time: 300 Minutes</p></div></article>"""

WORDPRESS_JSON_LD = """<html><head><script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [
 {"@type": "WebPage", "@id": "https://blog.example/review/"},
 {"@type": "Review", "name": "Kaiju No. 8 Episode 1 Review",
  "itemReviewed": {"@type": "TVEpisode", "name": "Kaiju No. 8 Episode 1"},
  "author": {"@type": "Person", "name": "Sam"},
  "reviewRating": {"@type": "Rating", "ratingValue": "4", "bestRating": "5", "worstRating": "1"}}]}
</script></head><body><article><p>Strong start.</p><p>Our rating: 4/5</p></article>
<section class="related-posts"><p>Rating: 2/5</p></section></body></html>"""

AGGREGATE_ONLY = """<html><head><script type="application/ld+json">
{"@context": "https://schema.org", "@type": "TVSeries", "name": "Solo Leveling",
 "aggregateRating": {"@type": "AggregateRating", "ratingValue": "4.6", "bestRating": "5", "ratingCount": "1203"}}
</script></head><body><article><p>Solo Leveling returns for a second season.</p>
<p>Published 01/05/2025. 12 episodes.</p></article></body></html>"""

MICRODATA_REVIEW = """<html><body><div itemscope itemtype="https://schema.org/Review">
<h1 itemprop="name">Sakamoto Days Review</h1>
<div itemprop="reviewRating" itemscope itemtype="https://schema.org/Rating">
<meta itemprop="worstRating" content="0"><span itemprop="ratingValue">6.5</span>/<span itemprop="bestRating">10</span>
</div><div itemprop="reviewBody"><p>Stylish fights, thin story.</p></div></div></body></html>"""

BLOGGER = """<html><body><div class="main-inner"><div class="post hentry">
<h3 class="post-title entry-title">Twilight Out of Focus</h3>
<div class="post-body entry-content">Three couples at a boarding school film club fall in love.<br><br>
The dialogue rambles and the pacing rushes each couple. Personally, it was just an ok series for me. (5/10)</div>
<div class="post-footer"><span class="post-labels">Labels: anime, BL</span></div></div>
<div class="comments" id="comments"><h4>1 comment:</h4><p>I'd give it (9/10) honestly!</p></div></div>
<div class="sidebar section" id="sidebar"><div class="widget PopularPosts"><h2>Popular Posts</h2>
<p>Given the Movie ... great film. (8/10)</p></div></div></body></html>"""

ANIMERANTS = """<article><div class="entry-content"><p>It’s not that BL ever went anywhere.</p>
<ol><li>Story</li><li>Visuals</li><li>Audio</li><li>Characters</li><li>Personal Enjoyment</li><li>Overall Score</li></ol>
<h2>Story</h2><p>Score: 7/10</p><p>Three arcs, three couples.</p>
<h2>Visuals</h2><p>Score: 8/10</p><h2>Audio</h2><p>Score: 9/10</p>
<h2>Characters</h2><p>Score: 8/10</p><h2>Personal Enjoyment</h2><p>Score: 7/10</p>
<h2>Overall Score</h2><p>7.8 out of 10.0 Pretty Gay Boys</p></div>
<div id="jp-relatedposts" class="jp-relatedposts"><h3>Related</h3><p>Score: 3/10</p></div>
<div class="sharedaddy"><h3>Share this:</h3></div><div id="comments" class="comments-area">
<p>Great review! I'd say 10/10.</p></div></article>"""

BUBBLEBLABBER = """<html><body><nav class="menu"><a>Reviews</a></nav><article><h1>Dandadan Season 2 Episode 5 Review</h1>
<div class="td-post-content"><p>The curse arc hits a new gear.</p>
<div class="td-review"><div class="td-review-row"><span>Story</span><span>8.0/10</span></div>
<div class="td-review-row"><span>Animation</span><span>9.0/10</span></div>
<div class="td-review-final-score">Overall Score <span>8.5/10</span></div>
<div class="td-review-summary">A great follow-up.</div></div></div></article>
<div class="td-trending-now-wrapper"><span>Trending Now</span><span>9.5/10</span></div></body></html>"""

REVIEW_GEEK = """<html><body><article><h1>‘Lazarus’ Review: Cowboy Bebop’s Spirit, A New Body</h1>
<div class="review-summary"><div class="rating"><span class="label">Rating:</span> <span>7/10</span></div>
<div class="pros"><h3>Here’s What We Like</h3><ul><li>Kinetic action</li></ul></div>
<div class="cons"><h3>And What We Don’t</h3><ul><li>Thin early episodes</li></ul></div></div>
<div class="article-body"><p>Watanabe returns with a chase across a dying city.</p>
<p>Episodes 1-4 move fast; the score by Kamasi Washington steals the show.</p></div></article></body></html>"""

POLL_ONLY = """<html><body><article><h1>Witch Watch Episode 5</h1><p>Another week of magic mischief.</p>
<div class="poll"><p>Rate this episode!</p><p>Average: 4.2/5 (120 votes)</p></div></article></body></html>"""

DATES_AND_COUNTS = """Frieren Episode 28 of 28 recap
Posted 09/19/2024 10:30 PM · 4 Mins Read · Season 2 announced for 2026
Episodes 1-4 were 24 minutes each; the finale ran 1/2 an hour."""


@pytest.mark.parametrize(
    "name, page, expected",
    [
        ("ANN star image, community score elsewhere", ANN_EPISODE, (4.5, 5.0, 9.0)),
        ("Fandom Post letter grade", FANDOM_POST, (8.3, 10.0, 8.3)),
        ("Fandom Post disc: content grade over sub-grades", FANDOM_POST_DISC, (9.2, 10.0, 9.2)),
        ("JSON-LD Review", WORDPRESS_JSON_LD, (4.0, 5.0, 8.0)),
        ("JSON-LD AggregateRating only", AGGREGATE_ONLY, None),
        ("microdata Review", MICRODATA_REVIEW, (6.5, 10.0, 6.5)),
        ("Blogger closing (5/10)", BLOGGER, (5.0, 10.0, 5.0)),
        ("animerants sub-scores and overall", ANIMERANTS, (7.8, 10.0, 7.8)),
        ("Bubbleblabber final score box", BUBBLEBLABBER, (8.5, 10.0, 8.5)),
        ("Review Geek rating box", REVIEW_GEEK, (7.0, 10.0, 7.0)),
        ("reader poll only", POLL_ONLY, None),
        ("dates, times and episode counts", DATES_AND_COUNTS, None),
    ],
)
def test_review_score_on_real_shaped_pages(name, page, expected):
    result = find_review_score(page)
    assert (None if result is None else (result.value, result.best, result.score)) == expected, name


def test_mirror_page_gives_its_own_score_not_related_or_trending_ones():
    page = (ROOT / "data/mirror/butwhytho.net/2024/09/review-twilight-out-of-focus-episode-12-a-red-thread/index.html")
    assert find_review_score(page.read_text(encoding="utf-8")) == Score(
        text="Rating - 8/10", value=8.0, best=10.0, score=8.0
    )


def test_unscored_mirror_page_has_no_score():
    [page] = (ROOT / "data/mirror/butwhytho.net").glob("*/*/review-lazarus-episodes-1-3/index.html")
    assert find_review_score(page.read_text(encoding="utf-8")) is None


def mirror_pages():
    import yaml

    source = yaml.safe_load((ROOT / "tools/mirror_src/butwhytho.yml").read_text(encoding="utf-8"))["reviews"]
    for review in source:
        [page] = (ROOT / "data/mirror/butwhytho.net").glob(f"*/*/{review['slug']}/index.html")
        yield pytest.param(page, review["score"], id=review["slug"][:50])


@pytest.mark.parametrize("page, score_text", list(mirror_pages()))
def test_every_mirror_page_gives_exactly_its_own_score(page, score_text):
    result = find_review_score(page.read_text(encoding="utf-8"))
    expected = None if score_text is None else float(score_text.split("/")[0])
    assert (result and result.score) == expected


WP_REVIEW_PLUGIN_POINTS = """<html><body><div class="trending-widget"><span class="review-total-box">9.9</span></div>
<article><h1>Witch Watch Episode 5 Review</h1><p>A fun episode.</p>
<div class="review-wrapper wp-review-point-type"><div class="review-total-wrapper">
<span class="review-total-box">8.5</span></div></div></article>
<aside class="widget"><span class="review-total-box">3.0</span></aside></body></html>"""

WP_REVIEW_PLUGIN_STARS = """<html><body><article><p>A fun episode.</p>
<div class="review-wrapper wp-review-star-type"><div class="review-total-wrapper">
<span class="review-total-box review-total-star">4.5</span></div></div></article></body></html>"""

LETS_REVIEW_PERCENT = """<html><body><article><p>Worth it.</p>
<div class="lets-review-block__final-score"><span class="score">85%</span></div></article></body></html>"""


@pytest.mark.parametrize(
    "page, expected",
    [(WP_REVIEW_PLUGIN_POINTS, (8.5, 10.0, 8.5)), (WP_REVIEW_PLUGIN_STARS, (4.5, 5.0, 9.0)),
     (LETS_REVIEW_PERCENT, (85.0, 100.0, 8.5))],
)
def test_review_plugin_score_boxes(page, expected):
    result = find_review_score(page)
    assert (result.value, result.best, result.score) == expected


PAGES = ROOT / "tests/pages/review_scores"


def page_cases():
    import json

    for page in sorted(PAGES.glob("*.html")):
        truth = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
        yield pytest.param(page, truth["score_10"], id=f"{page.stem} ({truth['family']})")


@pytest.mark.parametrize("page, expected", list(page_cases()))
def test_whole_pages_of_many_kinds(page, expected):
    result = find_review_score(page.read_text(encoding="utf-8"))
    assert (result and result.score) == expected


# Page texts by family (sentences written for these tests; short score strings as real sites print them).
@pytest.mark.parametrize(
    "text, expected",
    [
        # the score in the headline, as archive pages show it
        ("Paprika Review – 74/100\n\nSatoshi Kon returns with a dream heist.", 7.4),
        ("Wolf’s Rain Anime Review – 89/100 – Throwback Thursday\n\nThe early 2000s were rough.", 8.9),
        # star rows of newspaper capsules, alone or mid-sentence
        ("The Capture\n\nBBC1\n\n★★★★★\n\nThe finale ran long.", 10.0),
        ("Andor (season 2) ★★★★★\n\nThe final season is its best.", 10.0),
        ("A feast of a season (now streaming on Hulu, ★★★ out of four). Devour it.", 7.5),
        # disc reviews: the film's or episodes' grade, not the extras' or the picture's
        ("Rated: R\nRun Time: 124 minutes\n\nFilm: 5 out of 5 stars\nExtras: 3.5 out of 5 stars", 10.0),
        ("Extras: 3 out of 5 stars\nEpisodes: 4 out of 5 stars", 8.0),
        ("Mania Grade: B\n• Audio Rating: B+\n• Menus Rating: B+\n• Age Rating: 13+\n• Region: 1", 7.5),
        ("Video: 5/5\nAudio: 4/5\nExtras: 2/5", None),
        # prose verdicts
        ("I really liked this movie and give it a 9 out of 10.\n\nTell me your thoughts!", 9.0),
        ("Overall, the film is a 8.5 out of 10.\n\nArt: 9/10\nMusic: 10/10", 8.5),
        # a flattened rating box: header, aspects, total (scale from the aspects)
        ("9.5\n\nChainsaw Man Review\n\nOur Rating\n\nPlot9.5\nAnimation 9.5\nSoundtrack9.5\n9.5", 9.5),
        ("Our Rating\n\nPlot 4\nArt 4.5\n4.2", None),
        # a score glued to an embedded review's title
        ("REVIEWS\nmelamuna\n90/100Intensely dramatic yet humorous", 9.0),
        # not quality: ages, advisories, family-friendly scores
        ("Suggested Age: 10+ (MPAA Rating: PG)\n\nMy Rating: 9/10\n\nViolence: (4/10)\nLanguage: (0/10)", 9.0),
        ("Final Review 9/10\nFamily friendly review 7/10", 9.0),
        ("Age Rating: 13+\nRated: R\nRunning Time: 24 Minutes", None),
        # other people's and other sites' figures
        ("It holds 97% on Rotten Tomatoes and an IMDb rating of 8.1/10.", None),
        ("Metascore: 78\nUser score: 8.4/10", None),
        # roundups: one score per show or per episode
        ("Spring 2018 Reviews\n\nFinal Score: 5/5\n\nComic Girls", None),
        ("Weeb Report: Fall 2022 Anime Review\n\nOverall, I would give this show eight goals out of ten.", None),
        ("The scores:\n\nShow A, episode 7 – 10/12 A\n\nShow B, episode 7 – 12/12 Perfect", None),
        ("Rating for the series is 7/10.\n- Episode 9: All Aboard\n- Episode 10: Bathhouse\nEpisode Rating: 7/10", None),
        ("Slow Horses\n★★★★☆\nThe Night Manager\n★★☆☆☆", None),
        # a gallery counter is no score
        ("Photo gallery\n1 / 5\nNext", None),
    ],
)
def test_page_text_families(text, expected):
    result = find_review_score(text)
    assert (result and result.score) == expected


@pytest.mark.parametrize(
    "page, best, expected",
    [
        ('<html><body><article><div class="score">6.2</div><p>Fine.</p></article></body></html>', None, None),
        ('<html><body><article><div class="score">6.2</div><p>Fine.</p></article></body></html>', 10, 6.2),
        ('<html><body><article><div class="score" data-max="10">6.2</div></article></body></html>', None, 6.2),
        ('<html><body><article><div class="star-rating"><span class="score">4</span></div></article></body></html>',
         None, 8.0),
        ('<html><body><article><p>Our score: <span class="score">7</span><span>/10</span></p></article></body></html>',
         None, 7.0),
    ],
)
def test_scale_of_a_number_printed_alone(page, best, expected):
    result = find_review_score(page, best=best)
    assert (result and result.score) == expected
