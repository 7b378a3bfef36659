import pytest

from pipelines.headlines import WORD_ORDINALS, Headline, parse_headline, roman_to_int

TOOF = "Twilight Out Of Focus"
TOOF_LOWER = "Twilight Out of Focus"

# headline -> (series, season, episode_start, episode_end, episode_title, kind, version)
CASES = [
    # quoted series after a REVIEW prefix, with quoted episode titles
    ("REVIEW: ‘Twilight Out Of Focus’ Episode 12 — “A Red Thread”",
     (TOOF, None, 12, 12, "A Red Thread", "episode", None)),
    ("REVIEW: ‘Witch Watch’ Episode 4 —”Kanshi Kazamatsuri, The Tengu”",
     ("Witch Watch", None, 4, 4, "Kanshi Kazamatsuri, The Tengu", "episode", None)),
    ("REVIEW ‘Mobile Suit Gundam: GQuuuuuuX’ Episode 4 — “The Witch’s War”",
     ("Mobile Suit Gundam: GQuuuuuuX", None, 4, 4, "The Witch’s War", "episode", None)),
    ("REVIEW: ‘My Hero Academia: Vigilantes’ Episode 4 – “Top Runner “",
     ("My Hero Academia: Vigilantes", None, 4, 4, "Top Runner", "episode", None)),
    ("REVIEW: ‘Frieren: Beyond Journey’s End’ Episode 28 — “It Would Be Embarrassing”",
     ("Frieren: Beyond Journey’s End", None, 28, 28, "It Would Be Embarrassing", "episode", None)),
    ("Review: 'Dandadan' Episode 7 - 'To A Kinder World'",
     ("Dandadan", None, 7, 7, "To A Kinder World", "episode", None)),
    ("review: “Kaiju No. 8” Episode 3",
     ("Kaiju No. 8", None, 3, 3, None, "episode", None)),
    # episode ranges
    ("REVIEW: ‘SHOSHIMIN: How To Become Ordinary’ Episodes 1-4",
     ("SHOSHIMIN: How To Become Ordinary", None, 1, 4, None, "episodes", None)),
    ("REVIEW: ‘SHOSHIMIN: How To Become Ordinary’ Episodes 1–3",
     ("SHOSHIMIN: How To Become Ordinary", None, 1, 3, None, "episodes", None)),
    ("REVIEW: ‘Kowloon Generic Romance’ Episodes 5 & 6",
     ("Kowloon Generic Romance", None, 5, 6, None, "episodes", None)),
    ("REVIEW: ‘Kowloon Generic Romance’ Episodes 1 and 2",
     ("Kowloon Generic Romance", None, 1, 2, None, "episodes", None)),
    ("Apothecary Diaries Season 2 Episodes 13-14 Review",
     ("Apothecary Diaries", 2, 13, 14, None, "episodes", None)),
    # season + episode
    ("REVIEW: ‘Fire Force’ Season 3 Episode 5 — “A Chance Meeting with an Archenemy”",
     ("Fire Force", 3, 5, 5, "A Chance Meeting with an Archenemy", "episode", None)),
    # whole seasons and series, with taglines
    ("REVIEW: ‘Twilight Out Of Focus’ Season 1 Is A Tender Film Club Romance",
     (TOOF, 1, None, None, None, "season", None)),
    ("REVIEW: ‘Twilight Out Of Focus’ Season 1 Is Charming But Visually Stale",
     (TOOF, 1, None, None, None, "season", None)),
    ("REVIEW: ‘Dan Da Dan’ Is A Wild Ride",
     ("Dan Da Dan", None, None, None, None, "series", None)),
    ("REVIEW: ‘The Colors Within’ Is A Gentle Triumph",
     ("The Colors Within", None, None, None, None, "series", None)),
    ("REVIEW: ‘Dan Da Dan’ Is The “Best” Show Of The Year",
     ("Dan Da Dan", None, None, None, None, "series", None)),
    ("REVIEW: ‘Sakamoto Days’ Season 1 Part 2 Is Even Better",
     ("Sakamoto Days", 1, None, None, None, "season", None)),
    # dubs and subs
    ("English Dub Review: Twilight Out of Focus “A Red Thread”",
     (TOOF_LOWER, None, None, None, "A Red Thread", "episode", "dub")),
    ("Frieren Episode 5 (Dub)",
     ("Frieren", None, 5, 5, None, "episode", "dub")),
    ("[Sub] Frieren Episode 5 Review",
     ("Frieren", None, 5, 5, None, "episode", "sub")),
    ("Frieren Simuldub Review",
     ("Frieren", None, None, None, None, "series", "dub")),
    ("Dandadan Episode 2 [Sub] Review",
     ("Dandadan", None, 2, 2, None, "episode", "sub")),
    ("English Dub Review: Dandadan Episode 3",
     ("Dandadan", None, 3, 3, None, "episode", "dub")),
    ("Spy x Family Season 2 Episode 6 (English Dub)",
     ("Spy x Family", 2, 6, 6, None, "episode", "dub")),
    # unquoted episode shapes
    ("Twilight Out of Focus Episode 12",
     (TOOF_LOWER, None, 12, 12, None, "episode", None)),
    ("Twilight Out of Focus – Episode 12 Review",
     (TOOF_LOWER, None, 12, 12, None, "episode", None)),
    ("Twilight Out of Focus Ep. 7",
     (TOOF_LOWER, None, 7, 7, None, "episode", None)),
    ("Twilight Out of Focus Ep 7 Review",
     (TOOF_LOWER, None, 7, 7, None, "episode", None)),
    ("Twilight Out of Focus S2E07",
     (TOOF_LOWER, 2, 7, 7, None, "episode", None)),
    ("Twilight Out of Focus s01e12 Review",
     (TOOF_LOWER, 1, 12, 12, None, "episode", None)),
    ("Frieren 2x05",
     ("Frieren", 2, 5, 5, None, "episode", None)),
    ("Oshi no Ko 2nd Season Episode 3",
     ("Oshi no Ko", 2, 3, 3, None, "episode", None)),
    ("Attack on Titan Season II Episode 4",
     ("Attack on Titan", 2, 4, 4, None, "episode", None)),
    ("Re:Zero Season 3 Part 2 Episode 1",
     ("Re:Zero", 3, 1, 1, None, "episode", None)),
    ("Bocchi the Rock! Episode 12 Review",
     ("Bocchi the Rock!", None, 12, 12, None, "episode", None)),
    ("Spy x Family Season 2 – 01",
     ("Spy x Family", 2, 1, 1, None, "episode", None)),
    ("Frieren: Beyond Journey’s End – Episode 28 Review",
     ("Frieren: Beyond Journey’s End", None, 28, 28, None, "episode", None)),
    ("Kaguya-sama: Love is War Episode 9 Review",
     ("Kaguya-sama: Love is War", None, 9, 9, None, "episode", None)),
    ("Dr. Stone Second Season Episode 11",
     ("Dr. Stone", 2, 11, 11, None, "episode", None)),
    ("Recap: Dandadan Episode 7",
     ("Dandadan", None, 7, 7, None, "episode", None)),
    ("[Review] Frieren Episode 3",
     ("Frieren", None, 3, 3, None, "episode", None)),
    ("Episode Review: Dandadan Episode 4",
     ("Dandadan", None, 4, 4, None, "episode", None)),
    ("Solo Leveling Season 2 Episode #8 Review",
     ("Solo Leveling", 2, 8, 8, None, "episode", None)),
    # first impressions
    ("First Impression: Twilight Out of Focus",
     (TOOF_LOWER, None, None, None, None, "first-impressions", None)),
    ("First Impressions – Dandadan",
     ("Dandadan", None, None, None, None, "first-impressions", None)),
    ("Twilight Out of Focus Episode 1 First Impressions",
     (TOOF_LOWER, None, 1, 1, None, "first-impressions", None)),
    ("first impressions: Witch Watch Episodes 1-2",
     ("Witch Watch", None, 1, 2, None, "first-impressions", None)),
    # manga and light novel volumes: the volume number sits in the episode fields
    ("Twilight Out of Focus: Long Take Part 1 Volume 5 Review",
     ("Twilight Out of Focus: Long Take", 1, 5, 5, None, "volume", None)),
    ("Manga Review: Chainsaw Man Vol. 12",
     ("Chainsaw Man", None, 12, 12, None, "volume", None)),
    ("Light Novel Review: Spice and Wolf Volume 3",
     ("Spice and Wolf", None, 3, 3, None, "volume", None)),
    ("Frieren Vol 13 Review",
     ("Frieren", None, 13, 13, None, "volume", None)),
    # series reviews
    ("Twilight Out Of Focus Anime Review – BL is So Back!",
     (TOOF, None, None, None, None, "series", None)),
    ("Twilight Out of Focus Review",
     (TOOF_LOWER, None, None, None, None, "series", None)),
    ("Anime Review: Frieren",
     ("Frieren", None, None, None, None, "series", None)),
    ("'Bocchi the Rock!' Review",
     ("Bocchi the Rock!", None, None, None, None, "series", None)),
    ("Series Review: Vinland Saga",
     ("Vinland Saga", None, None, None, None, "series", None)),
    # movies
    ("Movie Review: Look Back",
     ("Look Back", None, None, None, None, "movie", None)),
    ("‘Suzume’ Movie Review",
     ("Suzume", None, None, None, None, "movie", None)),
    ("“Look Back” Movie Review",
     ("Look Back", None, None, None, None, "movie", None)),
    ("Film Review: The Boy and the Heron",
     ("The Boy and the Heron", None, None, None, None, "movie", None)),
    ("Haikyu!! The Dumpster Battle Movie Review (Dub)",
     ("Haikyu!! The Dumpster Battle", None, None, None, None, "movie", "dub")),
    # season words
    ("Mob Psycho 100 Third Season Review",
     ("Mob Psycho 100", 3, None, None, None, "season", None)),
    ("Mob Psycho 100 S3 Review",
     ("Mob Psycho 100", 3, None, None, None, "season", None)),
    ("Vinland Saga Season III Review",
     ("Vinland Saga", 3, None, None, None, "season", None)),
    ("Vinland Saga Season 2 Review",
     ("Vinland Saga", 2, None, None, None, "season", None)),
    ("Kaguya-sama Part 2 Review",
     ("Kaguya-sama", 2, None, None, None, "season", None)),
    ("Blue Lock 2nd Season Review",
     ("Blue Lock", 2, None, None, None, "season", None)),
    ("Season Review: Apothecary Diaries Season 2",
     ("Apothecary Diaries", 2, None, None, None, "season", None)),
    # not reviews
    ("5 Anime To Watch This Fall", (None, None, None, None, None, "other", None)),
    ("Crunchyroll Announces Winter Lineup", (None, None, None, None, None, "other", None)),
    ("Crunchyroll Announces Frieren Season 2", (None, None, None, None, None, "other", None)),
    ("Dandadan Season 2 Trailer Reveals Premiere Date", (None, None, None, None, None, "other", None)),
    ("The Best Anime of 2024", (None, None, None, None, None, "other", None)),
    ("Crunchyroll Adds Frieren Dub", (None, None, None, None, None, "other", "dub")),
    ("", (None, None, None, None, None, "other", None)),
    # shapes seen on aggregator-style blogs
    ("[Review] Frieren – 02", ("Frieren", None, 2, 2, None, "episode", None)),
    ("Chainsaw Man – The Movie: Reze Arc Review", ("Chainsaw Man", None, None, None, None, "movie", None)),
    ("Mob Psycho 100 III Episode 5", ("Mob Psycho 100", 3, 5, 5, None, "episode", None)),
    ("Final Fantasy VII Remake Review", ("Final Fantasy VII Remake", None, None, None, None, "series", None)),
    ("Recap: One Piece Episode 1122", ("One Piece", None, 1122, 1122, None, "episode", None)),
    ("Dandadan (Dub) Episode 5", ("Dandadan", None, 5, 5, None, "episode", "dub")),
    ("86 EIGHTY-SIX Episode 23 review", ("86 EIGHTY-SIX", None, 23, 23, None, "episode", None)),
    # Anime News Network's feed titles use the figure dash (U+2012)
    ("Twilight Out of Focus ‒ Episode 12", ("Twilight Out of Focus", None, 12, 12, None, "episode", None)),
    ("Arte ‒ Episode 1, 2, & 3", ("Arte", None, 1, 3, None, "episodes", None)),
    ("Chainsaw Man Vol. #12 Manga Review", ("Chainsaw Man", None, 12, 12, None, "volume", None)),
    # blog shapes: a finale by its number in brackets; a quoted show in a post that is not a review
    ("Twilight Out of Focus Final Episode (12): Roll credits",
     ("Twilight Out of Focus", None, 12, 12, None, "episode", None)),
    ("Watch ‘Murder Drones’ for Halloween!", (None, None, None, None, None, "other", None)),
]


@pytest.mark.parametrize("headline, expected", CASES)
def test_parse_headline(headline, expected):
    assert parse_headline(headline) == Headline(*expected)


@pytest.mark.parametrize("numeral, value", [
    ("I", 1), ("II", 2), ("III", 3), ("IV", 4), ("V", 5), ("VI", 6),
    ("IX", 9), ("X", 10), ("XIV", 14), ("xl", 40), ("MCMXCIX", 1999),
])
def test_roman_to_int(numeral, value):
    assert roman_to_int(numeral) == value


@pytest.mark.parametrize("text", ["", "IIZ", "12"])
def test_roman_to_int_rejects_non_numerals(text):
    with pytest.raises(ValueError):
        roman_to_int(text)


@pytest.mark.parametrize("word, season", list(WORD_ORDINALS.items()))
def test_word_ordinal_seasons(word, season):
    result = parse_headline(f"Frieren {word.title()} Season Review")
    assert (result.series, result.season, result.kind) == ("Frieren", season, "season")
