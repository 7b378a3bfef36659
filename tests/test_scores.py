import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipelines.score_finder import find_review_score
from pipelines.scores import LETTER_GRADES, Score, parse_score

# (text, best, expected value, expected best, expected 0-10 score); None = rejected.
CASES = [
    # x/N, x out of N, x of N
    ("8/10", None, 8.0, 10.0, 8.0),
    ("8.5 / 10", None, 8.5, 10.0, 8.5),
    ("7.8 out of 10.0 Pretty Gay Boys", None, 7.8, 10.0, 7.8),
    ("(5/10)", None, 5.0, 10.0, 5.0),
    ("Rating - 8/10", None, 8.0, 10.0, 8.0),
    ("Score: 7/10", None, 7.0, 10.0, 7.0),
    ("4 out of 5 stars", None, 4.0, 5.0, 8.0),
    ("3.5/5", None, 3.5, 5.0, 7.0),
    ("85/100", None, 85.0, 100.0, 8.5),
    ("Overall: 9/10", None, 9.0, 10.0, 9.0),
    ("7,5/10", None, 7.5, 10.0, 7.5),
    ("3 of 4", None, 3.0, 4.0, 7.5),
    ("16/20", None, 16.0, 20.0, 8.0),
    ("2/3", None, 2.0, 3.0, 6.67),
    ("10/10", None, 10.0, 10.0, 10.0),
    ("0/10", None, 0.0, 10.0, 0.0),
    ("9 / 10.0", None, 9.0, 10.0, 9.0),
    ("4.0 out of 5.0", None, 4.0, 5.0, 8.0),
    ("Final Score: 6.5 / 10", None, 6.5, 10.0, 6.5),
    ("  Verdict:\n 8/10  ", None, 8.0, 10.0, 8.0),
    ("Story 6/10, Overall: 9/10", None, 9.0, 10.0, 9.0),
    ("6/10 story, 9/10 animation", None, 6.0, 10.0, 6.0),
    # stars
    ("★★★½☆", None, 3.5, 5.0, 7.0),
    ("★★★★☆", None, 4.0, 5.0, 8.0),
    ("★★★★★", None, 5.0, 5.0, 10.0),
    ("★★★", None, 3.0, 5.0, 6.0),
    ("☆☆☆☆☆", None, 0.0, 5.0, 0.0),
    ("★★★★★★★☆☆☆", None, 7.0, 10.0, 7.0),
    ("4.5 stars", None, 4.5, 5.0, 9.0),
    ("4 stars", None, 4.0, 5.0, 8.0),
    ("1 star", None, 1.0, 5.0, 2.0),
    ("Rating: 3.5 stars", None, 3.5, 5.0, 7.0),
    # percent and bare numbers with a known scale
    ("85%", None, 85.0, 100.0, 8.5),
    ("Score: 83 %", None, 83.0, 100.0, 8.3),
    ("9.0", 10, 9.0, 10.0, 9.0),
    ("8.0", 10, 8.0, 10.0, 8.0),
    ("4", 5, 4.0, 5.0, 8.0),
    ("Score: 72", 100, 72.0, 100.0, 7.2),
    ("8/10", 100, 8.0, 10.0, 8.0),
    # letter grades
    ("Rating: B+", None, 8.3, 10.0, 8.3),
    ("Grade: A-", None, 9.2, 10.0, 9.2),
    ("Grade: A−", None, 9.2, 10.0, 9.2),
    ("Grade: A–", None, 9.2, 10.0, 9.2),
    ("B+", None, 8.3, 10.0, 8.3),
    ("Overall Grade: C", None, 5.0, 10.0, 5.0),
    ("rating: b+", None, 8.3, 10.0, 8.3),
    ("A+", None, 10.0, 10.0, 10.0),
    ("F", None, 0.0, 10.0, 0.0),
    ("Final Grade: D-", None, 1.7, 10.0, 1.7),
    ("Verdict: C+", None, 5.8, 10.0, 5.8),
    ("Rating: B (Good)", None, 7.5, 10.0, 7.5),
    ("Grade: A- Great stuff", None, 9.2, 10.0, 9.2),
    # rejections: off the scale
    ("11/10", None, None, None, None),
    ("6/5", None, None, None, None),
    ("-1/10", None, None, None, None),
    ("120%", None, None, None, None),
    ("6 stars", None, None, None, None),
    ("11", 10, None, None, None),
    # rejections: dates and times
    ("09/19/2024", None, None, None, None),
    ("9/19/24", None, None, None, None),
    ("2024/09/19", None, None, None, None),
    ("19/09", None, None, None, None),
    ("3/7", None, None, None, None),
    ("Posted 10/05/2023", None, None, None, None),
    ("10:30", None, None, None, None),
    ("10:30", 10, None, None, None),
    ("4 Mins Read", None, None, None, None),
    ("4 Mins Read", 10, None, None, None),
    # rejections: episode numbers and counts
    ("Episode 12", None, None, None, None),
    ("Episode 3", 10, None, None, None),
    ("Episodes 1-4", None, None, None, None),
    ("Episodes 1-4", 10, None, None, None),
    ("12 episodes", None, None, None, None),
    ("Season 2", 10, None, None, None),
    ("1/12 episodes", None, None, None, None),
    ("Episode 3/12", None, None, None, None),
    ("Episode 3/10", None, None, None, None),
    ("Ep 2/5", None, None, None, None),
    ("Chapter 4/10", None, None, None, None),
    ("Vol. 3/5", None, None, None, None),
    ("Part 1/3", None, None, None, None),
    ("#1/10", None, None, None, None),
    ("3 out of 5 episodes", None, None, None, None),
    # rejections: no score at all
    ("", None, None, None, None),
    (None, None, None, None, None),
    ("   ", None, None, None, None),
    ("7.0", None, None, None, None),
    ("A great show", None, None, None, None),
    ("Verdict: A great show", None, None, None, None),
    ("Rating: Average", None, None, None, None),
    ("Final Fantasy", None, None, None, None),
]


@pytest.mark.parametrize("text, best, value, scale, score", CASES)
def test_parse_score(text, best, value, scale, score):
    result = parse_score(text, best=best)
    if value is None:
        assert result is None
    else:
        expected_text = " ".join(text.split())
        assert result == Score(text=expected_text, value=value, best=scale, score=score)


def test_letter_ladder_is_the_design_ladder():
    assert LETTER_GRADES == {
        "A+": 10, "A": 10, "A-": 9.2, "B+": 8.3, "B": 7.5, "B-": 6.7,
        "C+": 5.8, "C": 5.0, "C-": 4.2, "D+": 3.3, "D": 2.5, "D-": 1.7, "F": 0,
    }


@given(
    scale=st.sampled_from([5, 10, 100]),
    tenths=st.integers(min_value=0, max_value=1000),
)
def test_fraction_normalises_to_ten(scale, tenths):
    x = min(tenths, scale * 10) / 10
    result = parse_score(f"{x}/{scale}")
    assert result is not None
    assert result.score == round(10 * x / scale, 2)
    assert 0 <= result.score <= 10


@given(x=st.integers(min_value=0, max_value=100), scale=st.sampled_from([5, 10, 100]))
def test_integer_fraction_normalises_to_ten(x, scale):
    x = min(x, scale)
    assert parse_score(f"{x}/{scale}").score == round(10 * x / scale, 2)


@given(
    month=st.integers(1, 12), day=st.integers(1, 31), year=st.integers(1990, 2099),
    short_year=st.booleans(),
)
def test_dates_never_parse(month, day, year, short_year):
    year_text = f"{year % 100:02d}" if short_year else str(year)
    for date in (f"{month:02d}/{day:02d}/{year_text}", f"{month}/{day}/{year_text}",
                 f"{year}/{month:02d}/{day:02d}"):
        assert parse_score(date) is None
        assert parse_score(f"Published {date}") is None


@given(hour=st.integers(0, 23), minute=st.integers(0, 59))
def test_times_never_parse(hour, minute):
    assert parse_score(f"{hour:02d}:{minute:02d}") is None
    assert parse_score(f"{hour}:{minute:02d}", best=10) is None


@given(text=st.text(alphabet="0123456789/.,:%★☆½ -ABCDF+ratingscoreoutf", max_size=30),
       best=st.sampled_from([None, 5, 10, 100]))
def test_any_parsed_score_is_between_zero_and_ten(text, best):
    result = parse_score(text, best=best)
    if result is not None:
        assert 0 <= result.score <= 10
        assert 0 <= result.value <= result.best


REVIEW_WITH_RELATED_POSTS = """
Twilight Out of Focus Episode 12 Review
The finale ties the film club's threads together.
Rating - 8/10
Related Posts
Frieren Episode 3
7.0
Dandadan Episode 5
8.5/10
"""

REVIEW_WITH_COMMUNITY_SCORE = """
<html><body>
<article>
<h1>Dandadan Season 2 Review</h1>
<p>Community score: 3.9</p>
<p>A loud, loving sequel.</p>
<div class="verdict">Overall: ★★★★☆</div>
</article>
</body></html>
"""

REVIEW_WITH_SUB_SCORES = """
Twilight Out Of Focus Anime Review – BL is So Back!
Story Score: 7/10
Visuals Score: 8/10
Music Score: 9/10
All told it is a warm, funny show.
7.8 out of 10.0 Pretty Gay Boys
"""

REVIEW_WITHOUT_SCORE = """
<html><body><h1>Frieren Episode 28</h1>
<p>Posted 09/19/2024 at 10:30. 4 Mins Read</p>
<p>Episode 28 of 28 is a quiet goodbye.</p></body></html>
"""

REVIEW_WITH_SPLIT_LABEL = """
<html><body><p>Great episode.</p>
<div class="score"><span>Rating</span><span>9/10</span></div>
<ul class="reader-poll"><li>Reader rating: 6/10</li></ul>
<script>var score = "1/10";</script>
</body></html>
"""

REVIEW_WITH_SUB_AND_OVERALL = """
Story Score: 7/10
Overall Score: 8.5/10
Sound Score: 9/10
"""


@pytest.mark.parametrize(
    "page, expected",
    [
        (REVIEW_WITH_RELATED_POSTS, 8.0),
        (REVIEW_WITH_COMMUNITY_SCORE, 8.0),
        (REVIEW_WITH_SUB_SCORES, 7.8),
        (REVIEW_WITHOUT_SCORE, None),
        (REVIEW_WITH_SPLIT_LABEL, 9.0),
        (REVIEW_WITH_SUB_AND_OVERALL, 8.5),
        ("Story Score: 7/10\nVisuals Score: 8/10", 8.0),
        ("", None),
    ],
)
def test_find_review_score(page, expected):
    result = find_review_score(page)
    if expected is None:
        assert result is None
    else:
        assert result is not None and result.score == expected


def test_find_review_score_keeps_the_source_text():
    result = find_review_score(REVIEW_WITH_COMMUNITY_SCORE)
    assert result == Score(text="Overall: ★★★★☆", value=4.0, best=5.0, score=8.0)
