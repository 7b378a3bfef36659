"""Table-driven tests of the small pipeline steps: canonical URLs, series keys, chrome stripping."""

import pytest

from pipelines.chrome import strip_chrome, word_count
from pipelines.dates import iso_utc
from pipelines.series import series_key
from pipelines.urls import canonical_url


@pytest.mark.parametrize(
    "url, canonical",
    [
        ("https://butwhytho.net/2024/09/x/", "https://butwhytho.net/2024/09/x/"),
        ("https://ButWhyTho.net/2024/09/x/#comments", "https://butwhytho.net/2024/09/x/"),
        ("https://blog.example/2024/09/x.html?m=0", "https://blog.example/2024/09/x.html"),
        ("https://blog.example/2024/09/x.html?m=1&utm_source=rss", "https://blog.example/2024/09/x.html"),
        ("https://site.example/review/x/amp/", "https://site.example/review/x/"),
        ("https://site.example/?p=123&fbclid=abc", "https://site.example/?p=123"),
    ],
)
def test_canonical_url(url, canonical):
    assert canonical_url(url) == canonical


@pytest.mark.parametrize(
    "title, key",
    [
        ("Twilight Out Of Focus", "twilight out of focus"),
        ("Twilight Out of Focus", "twilight out of focus"),
        ("SHOSHIMIN: How To Become Ordinary", "shoshimin how to become ordinary"),
        ("Frieren: Beyond Journey’s End", "frieren beyond journeys end"),
        ("Pokémon Horizons", "pokemon horizons"),
        ("Oshi no Ko Season 2", "oshi no ko"),
        ("Oshi no Ko 2nd Season", "oshi no ko"),
        ("Mobile Suit Gundam: GQuuuuuuX", "mobile suit gundam gquuuuuux"),
        ("Attack on Titan: Junior High", "attack on titan junior high"),
    ],
)
def test_series_key(title, key):
    assert series_key(title) == key


PAGE_REGION = """
<div class="post-content entry-content">
  <p>First paragraph of the <em>review</em>.</p>
  <div class="bwt-newsletter-box"><h3>Get BWT in your inbox!</h3><p>Subscribe to our weekly newsletter.</p></div>
  <figure class="wp-block-image"><img alt="x"><figcaption>A still from the episode</figcaption></figure>
  <p>Second
     paragraph.</p>
  <h2>A heading in the review</h2>
  <ul><li>A list item</li></ul>
  <div class="post-share-bot"><span>Share.</span><a>Facebook</a></div>
  <div id="review" class="review-box"><span class="label">Rating - 8/10</span><div class="comment">TL;DR text</div></div>
  <section class="related-posts"><h4>Related Posts</h4><p>7.0 Another review</p></section>
  <script>var x = 1;</script>
</div>
"""


def test_strip_chrome_keeps_paragraphs_and_drops_chrome():
    assert strip_chrome(PAGE_REGION) == (
        "First paragraph of the review.\n\nSecond paragraph.\n\nA heading in the review\n\nA list item"
    )


def test_strip_chrome_of_nothing_is_empty():
    assert strip_chrome(None) == "" and strip_chrome("<div> </div>") == ""


def test_word_count_counts_contractions_as_one_word():
    assert word_count("It’s a strong, sweeping finale.") == 5


@pytest.mark.parametrize(
    "text, iso",
    [
        ("2024-09-19T09:00:00-04:00", "2024-09-19T13:00:00+00:00"),
        ("2025-04-30T18:00:00Z", "2025-04-30T18:00:00+00:00"),
        ("2025-04-28T14:30:00+00:00", "2025-04-28T14:30:00+00:00"),
        ("2024-09-19T23:30:00-04:00", "2024-09-20T03:30:00+00:00"),
        ("2024-09-19 10:00", "2024-09-19T10:00:00+00:00"),
        ("2024-09-19", "2024-09-19"),
        ("September 19, 2024", "2024-09-19"),
        ("Thursday, September 19, 2024 at 9:00 AM", "2024-09-19T09:00:00+00:00"),
        ("09/19/2024", "2024-09-19"),
        ("Sun, 05 Jan 2025 15:00:00 +0000", "2025-01-05T15:00:00+00:00"),
        ("", None),
        (None, None),
        ("no date here", None),
    ],
)
def test_iso_utc(text, iso):
    assert iso_utc(text) == iso
