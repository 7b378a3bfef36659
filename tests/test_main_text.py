"""main_text: the article's own text of a whole page, for a known outlet (its article region) or any page."""

from pathlib import Path

import lxml.html
import pytest
import yaml

from pipelines.chrome import main_text, page_words

ROOT = Path(__file__).resolve().parent.parent
BWT_SLUG = "review-twilight-out-of-focus-episode-12-a-red-thread"
BWT_PAGE = ROOT / f"data/mirror/butwhytho.net/2024/09/{BWT_SLUG}/index.html"
BWT_URL = f"https://butwhytho.net/2024/09/{BWT_SLUG}/"

WORDPRESS_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Review: Frieren Episode 5 | Anime Desk</title>
<meta property="og:title" content="Review: Frieren Episode 5"></head>
<body class="post-template-default single single-post has-sidebar">
<header class="site-header"><a class="logo" href="/">Anime Desk</a>
  <nav class="main-navigation"><ul><li><a href="/reviews/">Reviews</a></li><li><a href="/news/">News</a></li></ul></nav>
</header>
<div id="page" class="site-content">
 <main id="main">
  <article class="post type-post">
   <header class="entry-header"><h1 class="entry-title">Review: Frieren Episode 5</h1>
     <div class="entry-meta">By Jane Critic on October 6, 2023</div></header>
   <div class="entry-content">
     <div class="sharedaddy sd-sharing-enabled"><h3>Share this:</h3><ul><li><a>Facebook</a></li><li><a>X</a></li></ul></div>
     <p>Frieren Episode 5 slows the journey down to a walk, and it is better for it.</p>
     <p>The episode spends most of its time in a village that remembers the hero's party as
        <em>statues</em> rather than people, and Frieren's quiet visits to them say more than any flashback.</p>
     <figure class="wp-block-image"><img src="a.jpg" alt=""><figcaption>Frieren in the village square</figcaption></figure>
     <h2>A slower kind of adventure</h2>
     <p>Fern and Stark get little to do, but their silences are well placed.<br>Even the music knows when to stop.</p>
     <div class="newsletter-signup"><h4>Get our reviews in your inbox</h4><p>Subscribe to the weekly newsletter.</p>
       <form><input type="email"><button>Sign up</button></form></div>
     <blockquote><p>"A hero's legacy is what people choose to remember."</p></blockquote>
     <p>It is a small episode about memory, and one of the season's best.</p>
     <div id="jp-relatedposts" class="jp-relatedposts"><h3>Related</h3>
       <ul><li><a>Review: Frieren Episode 4</a> 8.5/10</li><li><a>Review: Dandadan Episode 2</a> 9/10</li></ul></div>
   </div>
   <footer class="entry-footer"><span class="cat-links">Posted in Reviews</span> <span class="tags-links">Frieren</span></footer>
  </article>
  <div id="comments" class="comments-area"><h2 class="comments-title">2 thoughts on this review</h2>
    <ol class="comment-list"><li class="comment"><p>Great review, I loved this episode!</p></li>
    <li class="comment"><p>The statues scene made me cry.</p></li></ol>
    <div id="respond"><h3>Leave a Reply</h3><form><textarea></textarea></form></div></div>
 </main>
 <aside id="secondary" class="widget-area"><section class="widget"><h2>Popular Reviews</h2>
   <ul><li>Review: Oshi no Ko Episode 1 &ndash; 9/10</li><li>Review: Pluto &ndash; 10/10</li></ul></section></aside>
</div>
<footer class="site-footer"><p>&copy; 2023 Anime Desk. All rights reserved.</p><a href="/privacy">Privacy Policy</a></footer>
</body></html>"""

BLOGGER_PAGE = """<html><head><title>Mecha Notes: Gundam GQuuuuuuX, first impressions</title></head>
<body>
<div class="navbar section" id="navbar"><div class="widget Navbar">Blogger navbar</div></div>
<div class="header-outer"><h1 class="title">Mecha Notes</h1><p class="description">A blog about robots</p></div>
<div class="main-outer">
 <div class="date-outer"><h2 class="date-header"><span>Saturday, January 18, 2025</span></h2>
 <div class="post hentry">
  <h3 class="post-title entry-title">Gundam GQuuuuuuX, first impressions</h3>
  <div class="post-header"><div class="post-header-line-1"></div></div>
  <div class="post-body" id="post-body-8812">
   I went in knowing nothing, which is the best way to watch it.<br><br>
   The first twenty minutes are a different show from the rest, and the switch is <b>thrilling</b>.<br>
   Saying more would spoil it.<br><br><br>
   <div class="separator"><a href="x.jpg"><img src="x.jpg"></a></div>
   Verdict: watch it now.
  </div>
  <div class="post-footer"><span class="post-author vcard">Posted by Kenji</span>
   <div class="post-share-buttons"><a class="share-button">Email This</a><a class="share-button">BlogThis!</a></div>
   <span class="post-labels">Labels: Gundam, first impressions</span></div>
 </div></div>
 <div class="comments" id="comments"><h4>3 comments:</h4><dl><dt>Anonymous said...</dt><dd><p>Agreed, no spoilers!</p></dd></dl></div>
 <div class="blog-pager" id="blog-pager"><a class="blog-pager-older-link">Older Post</a><a>Home</a></div>
</div>
<div class="sidebar section" id="sidebar"><div class="widget BlogArchive"><h2>Blog Archive</h2><ul><li>2025 (4)</li></ul></div></div>
</body></html>"""

EMPTY_PAGE = """<html><head><title>Page not found | Anime Desk</title></head><body>
<header class="site-header"><nav class="main-navigation"><ul><li><a href="/">Home</a></li><li><a href="/reviews/">Reviews</a></li></ul></nav></header>
<div class="search-box"><form><input type="search" placeholder="Search"><button>Search</button></form></div>
<footer class="site-footer"><p>&copy; 2023 Anime Desk.</p><a href="/privacy">Privacy Policy</a></footer>
</body></html>"""

NEWS_PAGE = """<html><head><title>Studio announces second season of Dungeon Meshi - Anime News</title>
<meta property="og:title" content="Studio announces second season of Dungeon Meshi"></head><body>
<div class="top-bar"><a href="/">Anime News</a> <a href="/login">Log in</a></div>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<div class="layout">
<article>
 <h1>Studio announces second season of Dungeon Meshi</h1>
 <h2>Production continues at Trigger with the same staff</h2>
 <p>Studio Trigger announced on Sunday that Dungeon Meshi will return for a second season, with director
    Yoshihiro Miyajima and the main cast returning.</p>
 <p>The first season adapted the manga's first half and ended with the party's descent toward the Winged Lion.
    The new season is expected to cover the rest of the story.</p>
 <p>No release date was given, but the studio said more details would follow at a festival event next month,
    where a teaser trailer will be screened.</p>
 <ul><li><a href="/a"><h3>Frieren wins anime of the year</h3></a></li>
     <li><a href="/b"><h3>Oshi no Ko season 3 dated</h3></a></li></ul>
</article>
</div>
<footer><p>Copyright 2025 Anime News</p></footer>
</body></html>"""


def test_wordpress_page_gives_exactly_the_article_paragraphs():
    assert main_text(WORDPRESS_PAGE) == (
        "Frieren Episode 5 slows the journey down to a walk, and it is better for it.\n\n"
        "The episode spends most of its time in a village that remembers the hero's party as statues rather than "
        "people, and Frieren's quiet visits to them say more than any flashback.\n\n"
        "A slower kind of adventure\n\n"
        "Fern and Stark get little to do, but their silences are well placed. Even the music knows when to stop.\n\n"
        "\"A hero's legacy is what people choose to remember.\"\n\n"
        "It is a small episode about memory, and one of the season's best."
    )


def test_blogger_post_body_splits_paragraphs_at_blank_lines_of_line_breaks():
    assert main_text(BLOGGER_PAGE) == (
        "I went in knowing nothing, which is the best way to watch it.\n\n"
        "The first twenty minutes are a different show from the rest, and the switch is thrilling. "
        "Saying more would spoil it.\n\n"
        "Verdict: watch it now."
    )


def test_page_without_declared_region_drops_headline_standfirst_and_teasers():
    assert main_text(NEWS_PAGE, url="https://news.example/dungeon-meshi-season-2") == (
        "Studio Trigger announced on Sunday that Dungeon Meshi will return for a second season, with director "
        "Yoshihiro Miyajima and the main cast returning.\n\n"
        "The first season adapted the manga's first half and ended with the party's descent toward the Winged Lion. "
        "The new season is expected to cover the rest of the story.\n\n"
        "No release date was given, but the studio said more details would follow at a festival event next month, "
        "where a teaser trailer will be screened."
    )


def bwt_source():
    reviews = yaml.safe_load((ROOT / "tools/mirror_src/butwhytho.yml").read_text(encoding="utf-8"))["reviews"]
    [source] = [r for r in reviews if r["slug"] == BWT_SLUG]
    return source


@pytest.mark.parametrize("url", [BWT_URL, BWT_URL.replace("://", "://www.")])
def test_known_outlet_page_gives_the_reviews_paragraphs(url):
    source = bwt_source()
    text = main_text(BWT_PAGE.read_text(encoding="utf-8"), url=url, article=butwhytho_site().article)
    assert text.startswith(source["paragraphs"][0] + "\n\n")
    assert text == "\n\n".join([*source["paragraphs"], source["closing"]])
    for chrome in ["Get BWT in your inbox", "Related Posts", "TL;DR", "Rating - 8/10", "TRENDING POSTS"]:
        assert chrome not in text


def butwhytho_site():
    from crawler.site import Site
    from crawler.spiders.butwhytho import ButWhyThoSpider

    return Site.of_spider(ButWhyThoSpider())


def test_generic_path_agrees_on_the_known_outlet_page():
    html = BWT_PAGE.read_text(encoding="utf-8")
    assert main_text(html) == main_text(html, url=BWT_URL, article=butwhytho_site().article)


def test_site_without_its_region_falls_back_to_the_generic_path():
    assert main_text(WORDPRESS_PAGE, article=butwhytho_site().article) == main_text(WORDPRESS_PAGE)


def test_declared_region_holding_only_a_lead_in_loses_to_the_whole_story():
    paragraphs = [f"Paragraph {i} of the story tells how the festival went on day {i}, with crowds, music and a long "
                  "queue for the new figures." for i in range(1, 7)]
    html = ("<html><body><nav><a>Home</a></nav><h1>Festival report</h1><article>"
            f'<div itemprop="articleBody"><p>{paragraphs[0]}</p></div>'
            + "".join(f"<p>{p}</p>" for p in paragraphs[1:])
            + "</article><footer>Copyright</footer></body></html>")
    assert main_text(html) == "\n\n".join(paragraphs)




@pytest.mark.parametrize("html", [EMPTY_PAGE, "", None, "   ", "<html><body><div> </div></body></html>"])
def test_page_without_article_text_gives_nothing(html):
    assert main_text(html) == ""


def test_page_words_counts_the_body_text_with_blocks_apart():
    # main_text compares a declared article's words with this count to skip trafilatura: blocks written
    # without whitespace between them ("one</p><p>two") must still count as two words.
    tree = lxml.html.document_fromstring(
        "<html><head><title>Not counted</title></head><body><p>one</p><p>two three</p><div>four <b>five</b></div>"
        "</body></html>")
    assert page_words(tree) == 5
