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
    # first impressions: kind episode(s) with whatever episode numbers they state
    ("First Impression: Twilight Out of Focus",
     (TOOF_LOWER, None, None, None, None, "episode", None)),
    ("First Impressions – Dandadan",
     ("Dandadan", None, None, None, None, "episode", None)),
    ("Twilight Out of Focus Episode 1 First Impressions",
     (TOOF_LOWER, None, 1, 1, None, "episode", None)),
    ("first impressions: Witch Watch Episodes 1-2",
     ("Witch Watch", None, 1, 2, None, "episodes", None)),
    # manga and light novel volumes: the volume number sits in `volume`, the episode fields stay None
    ("Twilight Out of Focus: Long Take Part 1 Volume 5 Review",
     ("Twilight Out of Focus: Long Take", 1, None, None, None, "volume", None, 5)),
    ("Manga Review: Chainsaw Man Vol. 12",
     ("Chainsaw Man", None, None, None, None, "volume", None, 12)),
    ("Light Novel Review: Spice and Wolf Volume 3",
     ("Spice and Wolf", None, None, None, None, "volume", None, 3)),
    ("Frieren Vol 13 Review",
     ("Frieren", None, None, None, None, "volume", None, 13)),
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
    ("Chainsaw Man – The Movie: Reze Arc Review", ("Chainsaw Man – The Movie: Reze Arc", None, None, None, None, "movie", None)),
    ("Mob Psycho 100 III Episode 5", ("Mob Psycho 100", 3, 5, 5, None, "episode", None)),
    ("Final Fantasy VII Remake Review", ("Final Fantasy VII Remake", None, None, None, None, "series", None)),
    ("Recap: One Piece Episode 1122", ("One Piece", None, 1122, 1122, None, "episode", None)),
    ("Dandadan (Dub) Episode 5", ("Dandadan", None, 5, 5, None, "episode", "dub")),
    ("86 EIGHTY-SIX Episode 23 review", ("86 EIGHTY-SIX", None, 23, 23, None, "episode", None)),
    # Anime News Network's feed titles use the figure dash (U+2012)
    ("Twilight Out of Focus ‒ Episode 12", ("Twilight Out of Focus", None, 12, 12, None, "episode", None)),
    ("Arte ‒ Episode 1, 2, & 3", ("Arte", None, 1, 3, None, "episodes", None)),
    ("Chainsaw Man Vol. #12 Manga Review", ("Chainsaw Man", None, None, None, None, "volume", None, 12)),
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


# --- families of real headlines (issue 14) -------------------------------------------------------------------
# headline -> the fields it states. Real headlines first in each family, then ones written for other shows
# to show the rule is general. S = series, s = season, e = (episode_start, episode_end), k = kind, v = volume.
FAMILIES = {
    "bare title: the title is the series; a year or bracketed translation is not": [
        ("Death Note", dict(S="Death Note", s=None, e=(None, None), k="series")),
        ("Bocchi the Rock", dict(S="Bocchi the Rock", k="series")),
        ("Akira (1988)", dict(S="Akira", k="movie", year=1988)),
        ("Your Name (2016)", dict(S="Your Name", k="movie", year=2016)),
        ("Tokyo Godfathers 「東京ゴッドファーザーズ」", dict(S="Tokyo Godfathers", aliases=("東京ゴッドファーザーズ",))),
        ("Hauru no ugoku shiro [Howl's Moving Castle] (2004)",
         dict(S="Hauru no ugoku shiro", k="movie", year=2004, aliases=("Howl's Moving Castle",))),
        ("Sen to Chihiro no kamikakushi [Spirited Away] (2001)",
         dict(S="Sen to Chihiro no kamikakushi", k="movie", year=2001, aliases=("Spirited Away",))),
        ("Mononoke", dict(S="Mononoke", k="series")),
        ("Cowboy Bebop (Review)", dict(S="Cowboy Bebop", k="series")),
    ],
    "column and format labels before the title are not the series": [
        ("English Dub Review: Kings Ranking “The New King”", dict(S="Kings Ranking", k="episode", version="dub")),
        ("Review of Frieren: Beyond Journey's End", dict(S="Frieren: Beyond Journey's End", k="series")),
        ("Anime Corner: 91 Days Review", dict(S="91 Days", k="series")),
        ("Movie Review - Jujutsu Kaisen 0", dict(S="Jujutsu Kaisen 0", k="movie")),
        ("The Official MSBS Movie Review: Spirited Away", dict(S="Spirited Away", k="movie")),
        ("Blu-ray review: Puella Magi Madoka Magica the Complete Series",
         dict(S="Puella Magi Madoka Magica", k="series")),
        ("FX on Hulu Review: ‘The Bear’ is Off to a Solid and Stable Start in Season 3",
         dict(S="The Bear", s=3, k="season")),
        ("My Review of \"Reacher: Season 2\"", dict(S="Reacher", s=2, k="season")),
        ("Guest Post: Unearthed Treasure with Firechick – Natsu-Mon: 20th Century Summer Kid (88/100)",
         dict(S="Natsu-Mon: 20th Century Summer Kid", s=None, k="series")),
        ("Let’s Watch KAGUYA-SAMA: LOVE IS WAR -ULTRA ROMANTIC- Episode 3",
         dict(S="KAGUYA-SAMA: LOVE IS WAR -ULTRA ROMANTIC", e=(3, 3))),
        ("Final Review: Made in Abyss", dict(S="Made in Abyss", k="series")),
        ("First Episode Review for: Sakamoto Days", dict(S="Sakamoto Days", e=(1, 1), k="episode")),
        ("DVD Review – Haibane Renmei", dict(S="Haibane Renmei", k="series")),  # a disc of a TV show (catalogue)
        ("Graphic Novel Review: Blame! Vol. 2", dict(S="Blame!", k="volume", v=2)),
        ("MANGA REVIEW | Blue Period Volume 4", dict(S="Blue Period", k="volume", v=4)),
        ("Otaku Times Staff Review: Odd Taxi", dict(S="Odd Taxi", k="series")),
        ("Michael Blaker's Anime Sunday: \"Ping Pong the Animation\"",
         dict(S="Ping Pong the Animation", k="series")),
        ("Thoughts on Little Witch Academia (TV)", dict(S="Little Witch Academia", k="series")),
        ("Blu-ray Review “Akira: 25th Anniversary Edition”", dict(S="Akira", k="movie")),
    ],
    "episode numbers in every common notation": [
        ("Frieren: Beyond Journey’s End – 12 – All Who Work Hard are Warriors",
         dict(S="Frieren: Beyond Journey’s End", s=None, e=(12, 12), k="episode")),
        ("Bleach: Thousand-Year Blood War – 09 – The First Kenpachi", dict(e=(9, 9), k="episode")),
        ("The Apothecary’s Diaries #09 — Day Drinking", dict(S="The Apothecary’s Diaries", e=(9, 9))),
        ("Jack Reacher - S02E03", dict(S="Jack Reacher", s=2, e=(3, 3))),
        ("The Promised Neverland Ep #03 Review", dict(S="The Promised Neverland", e=(3, 3))),
        ("Mayoiga: The Lost Village Episode #12 Review (Finale)", dict(S="Mayoiga: The Lost Village", e=(12, 12))),
        ("Horimiya – 10-11 [Until the Snow Melts/It May Seem Like Hate]",
         dict(S="Horimiya", e=(10, 11), k="episodes")),
        ("Bleach: Thousand Year Blood War Arc (Episodes 14 – 26) Review",
         dict(S="Bleach: Thousand Year Blood War", e=(14, 26), k="episodes")),
        ("TV Review: Game of Thrones Season Seven Episode Four – “The Spoils of War”",
         dict(S="Game of Thrones", s=7, e=(4, 4), k="episode")),
        ("Re:Zero 23", dict(S="Re:Zero", e=(23, 23), k="episode")),
        ("My Hero Academia 3rd Season Episode 1 & 2 – Anime QandA Review",
         dict(S="My Hero Academia", s=3, e=(1, 2), k="episodes")),
        ("Vinland Saga S2EP9", dict(S="Vinland Saga", s=2, e=(9, 9))),
        ("Dorohedoro E11 Review", dict(S="Dorohedoro", e=(11, 11))),
        ("Mushishi Episodes 2 thru 4", dict(S="Mushishi", e=(2, 4), k="episodes")),
        ("Planetes Episode Ten", dict(S="Planetes", e=(10, 10))),
        ("Houseki no Kuni – 07 – Spring", dict(S="Houseki no Kuni", e=(7, 7))),
        ("Kino no Tabi #05 — The Land of Prophecies", dict(S="Kino no Tabi", e=(5, 5))),
    ],
    "number first: 'Episode 20 – Series'": [
        ("Episode 7 – Kaiju No. 8", dict(S="Kaiju No. 8", e=(7, 7), k="episode")),
        ("Episodes 1-3 – Gachiakuta – Anime News Network", dict(S="Gachiakuta", e=(1, 3), k="episodes")),
        ("Episode 1 – “Operation Strix” – April 9, 2022", dict(S=None, e=(1, 1), k="episode")),
        ("Episode 20 – Monster", dict(S="Monster", e=(20, 20), k="episode")),
        ("REVIEW: From Foosha Villiage to Wano: Episode 1000 of \"One Piece\"",
         dict(S="One Piece", e=(1000, 1000), k="episode")),
    ],
    "seasons: words, ordinals, Roman numerals, (TV 2), (Cour 1), British series": [
        ("Mob Psycho 100 III ⬢ A Stunning And Fantastic Send-Off", dict(S="Mob Psycho 100", s=3, k="season")),
        ("[OSHI NO KO] 2ND SEASON", dict(S="[OSHI NO KO]", s=2, k="season")),
        ("Mushoku Tensei - Isekai Ittara Honki Dasu (TV 2)", dict(s=None, k="season")),
        ("Mushoku Tensei Season 2 (Cour 1): Rejection and Reunion", dict(S="Mushoku Tensei", s=2, k="season")),
        ("Doctor Who Series 10 Review", dict(S="Doctor Who", s=10, k="season")),
        ("Stranger Things 4", dict(S="Stranger Things", s=4, k="season")),
        ("Andor (season 2) ★★★★★", dict(S="Andor", s=2, k="season")),
        ("A Credit To Its Genre – ‘Endro!’ Full Season Review", dict(S="Endro!", k="season")),
        ("Natsume Yuujinchou Season Two Review", dict(S="Natsume Yuujinchou", s=2, k="season")),
        ("Spice and Wolf II", dict(S="Spice and Wolf", s=2, k="season")),
        ("Aria the Natural (TV 2)", dict(s=None, k="season")),
    ],
    "premieres (episode 1) and finales are episodes": [
        ("Vinland Saga: Season 2 Premiere Review", dict(S="Vinland Saga", s=2, e=(1, 1), k="episode")),
        ("Mob Psycho 100 III: Season Premiere Review", dict(S="Mob Psycho 100", s=3, e=(1, 1), k="episode")),
        ("‘Frieren: Beyond Journey’s End’ Season 2 premiere review: Hello old friend",
         dict(S="Frieren: Beyond Journey’s End", s=2, e=(1, 1), k="episode")),
        ("Kaguya-sama Part 2 Premiere Review", dict(S="Kaguya-sama", e=(None, None), k="episode")),
        ("Vulture’s ‘House of Cards’ Series Finale Recap", dict(S="House of Cards", e=(None, None), k="episode")),
        ("The Dangers in My Heart season 2 review: A peak romance anime with a spectacular finale",
         dict(S="The Dangers in My Heart", s=2, k="season")),
        ("Ergo Proxy Series Finale Review", dict(S="Ergo Proxy", k="episode")),
    ],
    "volumes and disc sets": [
        ("Blood+ Vol. #02", dict(S="Blood+", e=(None, None), k="volume", v=2)),
        ("Review: 7th Garden vol. 2", dict(S="7th Garden", k="volume", v=2)),
        ("To Heart, Vol. 3: Bonds of Friendship", dict(S="To Heart", k="volume", v=3)),
        ("Neon Genesis Evangelion Volume 1-3", dict(S="Neon Genesis Evangelion", k="volume", v=1)),
        ("Blu-ray Review “Persona 4: The Animation, Collection 1”",
         dict(S="Persona 4: The Animation", k="volume", v=1)),
        ("Seraph of the End Season One: Part Two", dict(S="Seraph of the End", s=1, k="volume", v=2)),
        ("D.Gray-Man Vol. #1 (Mania.com)", dict(S="D.Gray-Man", k="volume", v=1)),
        ("Eden of the East – Complete Collection Review", dict(S="Eden of the East", k="series")),
        ("Yotsuba&! v. 5", dict(S="Yotsuba&!", k="volume", v=5)),
        ("Fruits Basket Volume Seven", dict(S="Fruits Basket", k="volume", v=7)),
        ("Gintama Set One", dict(S="Gintama", k="volume", v=1)),
        ("Claymore Part One", dict(S="Claymore", k="volume", v=1)),
        ("Doctor Who Series 8 Part 1", dict(S="Doctor Who", s=8, k="volume", v=1)),
    ],
    "movies": [
        ("Suzume: Film Review", dict(S="Suzume", k="movie")),
        ("Demon Slayer The Movie: Mugen Train (2021)", dict(S="Demon Slayer The Movie: Mugen Train", k="movie")),
        ("Ghost in the Shell (1995) – Review", dict(S="Ghost in the Shell", k="movie", year=1995)),
        ("Akira (Blu-ray Disc)", dict(S="Akira", k="movie")),
        ("Suzume Review (Opens March 8)", dict(S="Suzume", k="movie")),
        ("Movie reviews: Every frame of 'The Boy and the Heron' exudes warmth",
         dict(S="The Boy and the Heron", k="movie")),
        ("Millennium Actress (Blu-ray)", dict(S="Millennium Actress", k="movie")),
        ("Mirai Film Review", dict(S="Mirai", k="movie")),
    ],
    "first impressions and three-episode checks": [
        ("3 Episode Rule – takt op.Destiny", dict(S="takt op.Destiny", e=(1, 3), k="episodes")),
        ("Henkei Shoujo – 01 (First Impressions)", dict(S="Henkei Shoujo", e=(1, 1), k="episode")),
        ("3 Episode Rule – Sonny Boy", dict(S="Sonny Boy", e=(1, 3), k="episodes")),
    ],
    "two-line headings": [
        ("The Summer 2024 Anime Preview Guide\nTwilight Out of Focus", dict(S="Twilight Out of Focus")),
        ("Love Hina\nChristmas Special", dict(S="Love Hina", k="other")),
        ("A Silent Voice\nLoud and Clear", dict(S="A Silent Voice")),
        ("The Fall 2023 Preview Guide\nFrieren: Beyond Journey's End", dict(S="Frieren: Beyond Journey's End")),
    ],
    "numbers that are no episode": [
        ("Kaiju No. 8 – Ep. 23 (Season Finale)", dict(S="Kaiju No. 8", e=(23, 23))),
        ("86 EIGHTY-SIX Episode 23 review", dict(S="86 EIGHTY-SIX", e=(23, 23))),
        ("Zom 100: Bucket List of the Dead Episode 4 Review", dict(S="Zom 100: Bucket List of the Dead", e=(4, 4))),
        ("Zom 100: Bucket List of the Dead – 2 [Bucket List of the Dead]",
         dict(S="Zom 100: Bucket List of the Dead", e=(2, 2), k="episode")),
        ("Vinland Saga S2 Anime Review – 92/100", dict(S="Vinland Saga", s=2, e=(None, None), k="season")),
        ("Wolf’s Rain Anime Review – 89/100 – Throwback Thursday", dict(S="Wolf’s Rain", e=(None, None), k="series")),
        ("Uta No Prince-sama: Maji Love 1000%, Season 1 Complete Collection – DVD Review",
         dict(S="Uta No Prince-sama: Maji Love 1000%", s=1, k="season")),
        ("Mob Psycho 100 Review", dict(S="Mob Psycho 100", s=None, e=(None, None), k="series")),
        ("Jujutsu Kaisen 0: Movie Review", dict(S="Jujutsu Kaisen 0", k="movie")),
        ("Texhnolyze Review (92/100)", dict(S="Texhnolyze", e=(None, None), k="series")),
    ],
    "taglines after the series": [
        ("Chainsaw Man Episode 1 Review: Dog & Chainsaw", dict(S="Chainsaw Man", e=(1, 1), k="episode")),
        ("The Dangers in My Heart Season 2 Keeps Getting Better",
         dict(S="The Dangers in My Heart", s=2, k="season")),
        ("‘Lazarus’ Is a Briefly Gorgeous Anime That Vibes Hard", dict(S="Lazarus", k="series")),
        ("Cyberpunk: Edgerunners: Now that’s PUNK.", dict(S="Cyberpunk: Edgerunners", k="series")),
        ("House of the Dragon Returns: Season 2 Episode 1", dict(S="House of the Dragon", s=2, e=(1, 1))),
        ("The Worst Timeline? –  Tokyo Revengers S2 Ep 1 Review", dict(S="Tokyo Revengers", s=2, e=(1, 1))),
        ("It’s hard to break away from ‘Severance’ Season 2", dict(S="Severance", s=2, k="season")),
        ("The Bear season 3 review: \"Equal parts delicious and depressing\"", dict(S="The Bear", s=3, k="season")),
        ("FALLOUT on Prime Video is Everything This Nerd Wanted", dict(S="FALLOUT")),
        ("Lazarus: Watanabe’s Cyberpunk Parkour Thrill Ride Hits Hard—But Can It Keep Up?", dict(S="Lazarus")),
        ("Sousou no Frieren Season 2 Continues to Impress", dict(S="Sousou no Frieren", s=2, k="season")),
        ("Blue Giant: A Jazz Film That Swings?", dict(S="Blue Giant")),
        ("Pluto on Netflix is a Haunting Masterpiece", dict(S="Pluto")),
    ],
    "films titled 'The Movie', tilde ranges, compound number words, trailing ranges, mid-season": [
        ("Cowboy Bebop: The Movie Review", dict(S="Cowboy Bebop: The Movie", k="movie")),
        ("Chainsaw Man – The Movie: Reze Arc Review", dict(S="Chainsaw Man – The Movie: Reze Arc", k="movie")),
        ("Sousou no Frieren – 01~04", dict(S="Sousou no Frieren", e=(1, 4), k="episodes")),
        ("Frieren Episodes 1~4 Review", dict(S="Frieren", e=(1, 4), k="episodes")),
        ("Frieren Episode Twenty-Eight Review", dict(S="Frieren", e=(28, 28), k="episode")),
        ("One Piece Episode Thirty Review", dict(S="One Piece", e=(30, 30), k="episode")),
        ("Lycoris Recoil 1-3 Review", dict(S="Lycoris Recoil", e=(1, 3), k="episodes")),
        ("Stranger Things 4 Review", dict(S="Stranger Things", s=4, k="season")),
        ("Mob Psycho 100 Review", dict(S="Mob Psycho 100", e=(None, None))),
        ("Frieren Manga Volume 1 Review", dict(S="Frieren", v=1, k="volume")),
        ("Frieren Mid-Season Review", dict(S="Frieren", s=None, k="season")),
        ("Weekly Review: Frieren Episode 5", dict(S="Frieren", e=(5, 5), k="episode")),
        ("Winter Season 2018: First Impressions", dict(S=None, s=None, k="other", roundup=True)),
        ("2018 Spring Premiere Digest", dict(S=None, e=(None, None), k="other", roundup=True)),
        ("AG Anime Review Guide", dict(S=None, k="season", roundup=True)),  # a column of reviews: each show's season
        ("Anime Review Blog (November, 2023)", dict(S=None, k="season", roundup=True)),
        ("Winter 2021 Episode Reviews (Week 2)", dict(S=None, k="episodes", roundup=True)),
        ("Manga Monday: Manga Haul! 10 Zatch Bell Volumes and Plenty More!", dict(S="Zatch Bell", k="other")),
        ("Arcane Season 2 Acts I and II Review: Still Legendary", dict(S="Arcane", s=2, e=(1, None), k="episodes")),
        ("Arcane Season 2 Act 2 Review", dict(S="Arcane", s=2, e=(None, None), k="episodes")),
        ("Summer Anime Ep 2 Reviews", dict(S=None, roundup=True)),
        ("Review of [Oshi No Ko]", dict(S="Oshi No Ko", k="series")),
        ("2025-08-04—Frieren", dict(S="Frieren")),
        ("Chihayafuru 2 Episode #05 Anime Review", dict(S="Chihayafuru", s=2, e=(5, 5), k="episode")),
        ("Premiere Review | Fena: Pirate Princess", dict(S="Fena: Pirate Princess", e=(1, 1), k="episode")),
        ("Staff Review: Delicious in Dungeon", dict(S="Delicious in Dungeon")),
        ("Netflix Anime Series Review: Pluto", dict(S="Pluto")),
        ("OVA Impressions: xxxHolic Rou – Adayume", dict(S="xxxHolic Rou")),
        ("Seasonal First Impressions Masterpost", dict(S=None, k="other", roundup=True)),
    ],
    "more notations: first ep, foreign words, labels with a year, possessives, recaps, batches, explainers": [
        ("Anime Review: Lycoris Recoil (First Ep)", dict(S="Lycoris Recoil", e=(1, 1), k="episode")),
        ("Episodio 23 – Gachiakuta – Anime News Network", dict(S="Gachiakuta", e=(23, 23), k="episode")),
        ("SXSW Online 2021 Review: “Alien On Stage”", dict(S="Alien On Stage")),
        ("3 Episode Review: The Summer Hikaru Died", dict(S="The Summer Hikaru Died", e=(1, 3), k="episodes")),
        ("The “One Piece” review is real", dict(S="One Piece")),
        ("Naruto Shippuden Review: Episodes 241-245", dict(S="Naruto Shippuden", e=(241, 245), k="episodes")),
        ("[Anime Review] Kuzu no Honkai Episode 12 FINALE", dict(S="Kuzu no Honkai", e=(12, 12), k="episode")),
        ("Ben-To 12 - Orthrus' Weakness", dict(S="Ben-To", e=(12, 12), k="episode")),
        ("‘House of the Dragon’ recap: Here be dragons — finally", dict(S="House of the Dragon", k="episode")),
        ("FX’s “Shōgun” (Limited Series) Episodes 1-8 | Review", dict(S="Shōgun", e=(1, 8), k="episodes")),
        ("Stranger Things Season 4 Volume 1 Review", dict(S="Stranger Things", s=4, k="season")),
        ("The Boy and the Heron: A Review", dict(S="The Boy and the Heron")),
        ("Demon Slayer Season 3 Explained", dict(k="other")),
        ("Wacky Reviews: Doctor Who", dict(S="Doctor Who")),
        ("FUNimation Blu-Ray Roundup, Sept 08", dict(S=None, e=(None, None), k="other", roundup=True)),
        ("Attack on Titan, the Final Season, Episode 28, Dawn of Humanity Review: The Horrifying End of Part Two.",
         dict(e=(28, 28), v=None, k="episode")),
    ],
    "Japanese notation: 【title】 or 「title」 first, 第N話, N〜M話, N期, 感想": [
        ("【呪術廻戦】第2話 感想", dict(S="呪術廻戦", e=(2, 2), k="episode")),
        ("呪術廻戦2期1~3話まで見た感想【ネタバレ有】", dict(S="呪術廻戦", s=2, e=(1, 3), k="episodes")),
        ("「葬送のフリーレン」アニメ第1話~第6話感想。", dict(S="葬送のフリーレン", e=(1, 6), k="episodes")),
        ("アニメ葬送のフリーレン 第1話感想(ネタバレあり)", dict(S="葬送のフリーレン", e=(1, 1), k="episode")),
        ("【アニメ】第十二話", dict(S=None, e=(12, 12), k="episode")),
        ("Tokyo Godfathers 「東京ゴッドファーザーズ」", dict(S="Tokyo Godfathers", aliases=("東京ゴッドファーザーズ",))),
    ],
    "roundups: no series, the kind of what they review of each; rankings are kind other": [
        ("Spring 2022 Impressions: Shokei Shoujo no Virgin Road, Aharen-san wa Hakarenai",
         dict(S=None, k="other", roundup=True)),
        ("Anime Winter 2022 Season: First Episode Impressions", dict(S=None, e=(1, 1), k="episodes", roundup=True)),
        ("Fall 2023 What-I’m-Watching Summary – Week 5", dict(S=None, e=(None, None), k="episodes")),
        ("The Weekly Orbit [8/4/25]", dict(S=None, e=(None, None), k="episodes", roundup=True)),
        ("Weekly Anime Review (Aug 17 – 23)", dict(S=None, k="episodes")),
        ("Spring 2018 Reviews", dict(S=None, s=None, k="season", roundup=True)),
        ("Weeb Report: Fall 2022 Anime Review", dict(S=None, k="season")),
        ("Every episode of The Boys season 4, ranked from worst to best", dict(S="The Boys", s=4, k="other")),
        ("Top 60 Game of Thrones episodes", dict(S="Game of Thrones", k="other", roundup=False)),
        ("Anime Review Roundup", dict(S=None, k="other")),
        ("Spring 2024 Wrap-Up", dict(S=None, k="other", roundup=True)),
        ("The Volume Rating Thread", dict(S=None, k="other")),
        ("Stranger Things review roundup: S4 is bigger, longer & scarier",
         dict(S="Stranger Things", s=4, k="season")),
        ("Every episode of Cowboy Bebop, ranked", dict(S="Cowboy Bebop", k="other")),
        ("Top 10 Steins;Gate episodes", dict(S="Steins;Gate", k="other")),
        ("Winter 2025 First Impressions", dict(S=None, k="other")),
    ],
}
FIELD_NAMES = dict(S="series", s="season", k="kind", v="volume")


@pytest.mark.parametrize(
    "headline, expected", [case for cases in FAMILIES.values() for case in cases],
    ids=[f"{family[:20]}: {case[0][:40]}" for family, cases in FAMILIES.items() for case in cases],
)
def test_headline_families(headline, expected):
    read = parse_headline(headline)
    got = {}
    for key in expected:
        if key == "e":
            got[key] = (read.episode_start, read.episode_end)
        else:
            got[key] = getattr(read, FIELD_NAMES.get(key, key))
    assert got == expected


def test_long_and_hostile_input_is_cheap():
    import time
    texts = ["Episode " * 400, "‘" * 2000, "Review: " * 300 + "X", "a – 1 " * 500, ("Vol. #" + "1" * 50) * 20]
    start = time.perf_counter()
    for text in texts:
        parse_headline(text)
    assert time.perf_counter() - start < 0.5


@pytest.mark.parametrize("headline, stated", [
    ("Your Name.", False), ("Howl’s Moving Castle Review", False), ("Anime Review: Howl’s Moving Castle", False),
    ("Paprika (2006)", False), ("Suzume Movie Review", True), ("Frieren Episode 3 Review", True),
    ("Assassination Classroom: The Complete Series", True),
])
def test_a_bare_title_says_nothing_of_film_or_tv(headline, stated):
    """Its kind, series, is the default only: the pipeline asks the catalogue whether the show is a film."""
    assert parse_headline(headline).kind_stated is stated


@pytest.mark.parametrize("headline, series, season, episode, kind", [
    ("Dan Da Dan First Episode Review", "Dan Da Dan", None, 1, "episode"),
    ("Frieren – First Episode Impressions", "Frieren", None, 1, "episode"),
    ("Oshi no Ko Season 2 First Episode Review", "Oshi no Ko", 2, 1, "episode"),
    ("The Apothecary Diaries Second Episode Review", "The Apothecary Diaries", None, 2, "episode"),
    ("Frieren 3rd Episode Review", "Frieren", None, 3, "episode"),
    ("Solo Leveling: The First Episode Is Here", "Solo Leveling", None, 1, "episode"),
    ("Witch Watch Final Episode Review", "Witch Watch", None, None, "episode"),
])
def test_an_ordinal_episode_is_that_episode(headline, series, season, episode, kind):
    """Family: "First Episode", "3rd Episode" name the episode; "Final Episode" is one episode, its number unsaid.
    The ordinal is never part of the series ("Dan Da Dan First" was read before)."""
    read = parse_headline(headline)
    assert (read.series, read.season, read.episode_start, read.episode_end, read.kind) == (
        series, season, episode, episode, kind)


@pytest.mark.parametrize("headline, series, season, kind", [
    # film title: a bare title the catalogue knows as a film
    ("Howl’s Moving Castle Review", "Howl’s Moving Castle", None, "movie"),
    ("‘Suzume’: An honest review", "Suzume", None, "movie"),
    ("Your Name.", "Your Name.", None, "movie"),
    ("Cowboy Bebop Review", "Cowboy Bebop", None, "series"),
    # later-season title: the title of a later season alone
    ("DR. STONE: NEW WORLD", "DR. STONE: NEW WORLD", 3, "season"),
    # title: tagline (five words or more), but a subtitle the catalogue does not know stays the series
    ("Kowloon Generic Romance: A Fascinating Mystery Sci Fi Romance", "Kowloon Generic Romance", None, "series"),
    ("Bleach: The Thousand Year Bloodwar Review", "Bleach: The Thousand Year Bloodwar", None, "series"),
    ("Review: Nisekoi: False Love Vol. 13-15", "Nisekoi: False Love", None, "volume"),
    # phrase: title
    ("Epic Revelations Unveiled: The Heavenly Delusion Finale Ignites a Spectacular Prelude", "Heavenly Delusion",
     None, "episode"),
    # title with a dash: a known title runs on past its own separator; a known show's subtitle after a dash does not
    ("Legend of the Galactic Heroes: Die Neue These - Collision Episode 3 Review",
     "Legend of the Galactic Heroes: Die Neue These - Collision", None, "episode"),
    ("Demon Slayer: Kimetsu No Yaiba – Swordsmith Village Arc Ep. 5 Review", "Demon Slayer: Kimetsu No Yaiba", None,
     "episode"),
    # known title first, title after a phrase or a column
    ("BanG Dream! It’s MyGO!!!!! – Episode 6", "BanG Dream! It’s MyGO!!!!!", None, "episode"),
    ("Consequences of Holding a Grudge – That Time I Got Reincarnated as a Slime Episode 5 Review",
     "That Time I Got Reincarnated as a Slime", None, "episode"),
    ("Monster Hunter Stories Review", "Monster Hunter Stories", None, "series"),  # "Monster" opens no title here
    # a dated title the catalogue knows on TV is the show's
    ("Bocchi The Rock! (2022) [REVIEW]", "Bocchi The Rock!", None, "series"),
    ("DVD Review – Haibane Renmei", "Haibane Renmei", None, "series"),
    # a title inside a sentence the word rules took whole; films data/catalogue/names.yml names in English
    ("20 Years Later: SPIRITED AWAY is Studio Ghibli’s magnum opus", "SPIRITED AWAY", None, "movie"),
    ("Demon Slayer The Movie: Mugen Train (2021)", "Demon Slayer The Movie: Mugen Train", None, "movie"),
    ("Evangelion: 3.0+1.0 Thrice Upon a Time", "Evangelion: 3.0+1.0 Thrice Upon a Time", None, "movie"),
    ("Made in Abyss: Dawn of the Deep Soul Review", "Made in Abyss: Dawn of the Deep Soul", None, "movie"),
    # title, tagline; a known title's possessive; a title of two shows (a film and a series) runs on to its number
    ("Frieren, The One Worth Waiting For", "Frieren", None, "series"),
    ("Chainsaw Man’s Bombastic, Gory First Episode Lives Up To The Hype", "Chainsaw Man", None, "episode"),
    ("Kaguya-sama: Love is War – The First Kiss That Never Ends – 04 (Fin) – Ordinary Things",
     "Kaguya-sama: Love is War – The First Kiss That Never Ends", None, "episode"),
    ("The Evil of the Abyss – Made in Abyss Dawn of the Deep Soul Anime Review", "Made in Abyss Dawn of the Deep Soul",
     None, "movie"),
    # glued lines
    ("AkiraBandai Visual (Blu-ray)", "Akira", None, "movie"),
    # title in a sentence, written as a title
    ("Want A Dash Of Satoshi Kon’s PAPRIKA?!", "PAPRIKA", None, "movie"),
    ("A Tengu Moves In Next Door", None, None, "other"),
    # shows the catalogue does not hold are read from the words alone
    ("Doctor Who Empress of Mars Review", "Doctor Who Empress of Mars", None, "series"),
    ("Ten Years of the Tenth Doctor: The Fires of Pompeii", "Ten Years of the Tenth Doctor: The Fires of Pompeii",
     None, "series"),
])
def test_the_catalogue_tells_films_and_names_inside_phrases(headline, series, season, kind):
    """pipelines.headline_catalogue's families, with the catalogue shipped in data/catalogue (the default)."""
    read = parse_headline(headline)
    assert (read.series, read.season, read.kind) == (series, season, kind)


@pytest.mark.parametrize("headline, series, kind", [
    ("Howl’s Moving Castle Review", "Howl’s Moving Castle", "series"),
    ("Want A Dash Of Satoshi Kon’s PAPRIKA?!", None, "other"),
    ("AkiraBandai Visual (Blu-ray)", "AkiraBandai Visual", "movie"),
    ("Kowloon Generic Romance: A Fascinating Mystery Sci Fi Romance",
     "Kowloon Generic Romance: A Fascinating Mystery Sci Fi Romance", "series"),
])
def test_without_the_catalogue_the_words_alone_are_read(headline, series, kind):
    alone = parse_headline(headline, catalogue=None)
    assert (alone.series, alone.kind) == (series, kind)


def test_without_the_shipped_catalogue_on_disk_the_words_alone_are_read(monkeypatch, tmp_path):
    """A Scrapyd egg carries no data/ folder: parse_headline reads on, with the words alone."""
    from pipelines import catalogue, headline_catalogue

    monkeypatch.setattr(catalogue, "SNAPSHOT", tmp_path / "missing.json.gz")
    headline_catalogue.shipped_index.cache_clear()
    try:
        read = parse_headline("Howl’s Moving Castle Review")
        assert (read.series, read.kind) == ("Howl’s Moving Castle", "series")
    finally:
        headline_catalogue.shipped_index.cache_clear()
