"""The families of review headline, as the patterns that recognise them: one block per step of
pipelines.headlines.parse_headline, each pattern with the family it serves ("Family: …").

Kept apart from the reading steps so that a new family is a pattern added here and a line in a step there.
"""

from __future__ import annotations

import re

WORD_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
    "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
}
WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}
# Family: compound number words after a number's noun ("Episode Twenty-Eight"): read as digits first.
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
COMPOUND_NUMBER = re.compile(
    rf"\b(?P<noun>episodes?|season|volume|vol\.|part|series)\s+(?P<tens>{'|'.join(_TENS)})"
    r"(?:[-\s](?P<unit>one|two|three|four|five|six|seven|eight|nine)\b)?\b",
    re.I,
)


def compound_to_digits(m: re.Match) -> str:
    tens = _TENS[m["tens"].lower()] + (WORD_NUMBERS[m["unit"].lower()] if m["unit"] else 0)
    return f"{m['noun']} {tens}"


# --- building blocks -------------------------------------------------------------------------------------
_WORDS = "|".join(WORD_NUMBERS)
_ORDINALS = "|".join(WORD_ORDINALS)
_ROMAN_NUM = r"(?:iii|ii|iv|vi{0,3}|ix|x|i)"
# A number as headlines write it: digits ("02", "#3"), a word ("Seven") or a Roman numeral ("II"). Any count of
# digits (a headline is cut at MAX_CHARS first): "Episodes 1-3000000" or "Episode 99999999999999999999999" must
# read as what they say, to be refused by pipelines.bounds with a reason, not taken for a whole-series review.
_NUM = rf"(?:\#?\d+|{_WORDS}|{_ROMAN_NUM})"
_DASH = r"[–—‒―-]"
_SEP = r"[:|–—‒―⬢-]"
_RANGE_JOIN = r"(?:-|–|—|~|〜|&|\+|and|to|thru|through)"
# The seasons anime air in ("Fall 2024"): roundups and columns are named after them, shows never are.
AIRING_SEASON = r"(?:spring|summer|fall|autumn|winter)"

# --- step 1: line and version ----------------------------------------------------------------------------
# Family: two-line heading whose first line is a column/guide title ("The Summer 2024 Anime Preview Guide").
_GUIDE_LINE = re.compile(
    r"\b(?:guide|preview|previews|round-?up|impressions|reviews|digest)\s*$|"
    rf"\b{AIRING_SEASON}\s+\d{{4}}\b",
    re.I,
)
# Family: the second line names a special, not the series ("Love Hina" / "Christmas Special"); OVAs too.
_SPECIAL = re.compile(r"^(?:[\w’'-]+\s+){0,2}special$|(?-i:\b(?:OVA|OAD)\b)", re.I)
_VERSION_TAG = re.compile(
    r"[(\[]\s*(?:english\s+)?(?:(?:simul)?dub(?:bed)?|sub(?:bed|titled)?)\s*[)\]]", re.I
)
_DUB = re.compile(r"\b(?:simul)?dub(?:bed)?\b", re.I)
_SUB = re.compile(r"\bsub(?:bed|titled)?\b", re.I)

# --- step 2: noise ---------------------------------------------------------------------------------------
# Family: a score printed in the headline ("– 92/100", "(88/100)", "★★★★★").
_SCORE = re.compile(
    rf"\s*{_DASH}?\s*[(\[]?\s*\d{{1,3}}(?:\.\d+)?\s*/\s*(?:100|10|5)\b\s*[)\]]?|\s*[★☆½⯪]+"
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# Family: a date in the headline ("[8/4/25]", "– April 9, 2022").
_DATE = re.compile(
    rf"\s*[\[(]\s*\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\s*[\])]|\s*{_DASH}\s*{_MONTH}\s+\d{{1,2}},?\s*\d{{4}}\s*$"
    rf"|^\s*\d{{4}}-\d{{2}}-\d{{2}}\s*{_DASH}?\s*|\s+\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\s*$",  # "2025-08-04—Frieren", "Briefs 4/17/19"
    re.I,
)
_JAPANESE_BRACKETS = re.compile(r"\s*「([^」]{1,80})」")
_LENTICULAR = re.compile(r"\s*【[^】]{0,80}】")
_PAREN = re.compile(r"(?:^|\s+)\(([^()]{0,80})\)")
_BRACKET = re.compile(r"(?<=\S)\s+\[([^\[\]]{1,80})\]")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
# Parentheses whose words still matter are unwrapped ("(Episodes 14 – 26)", "(season 2)", "(Season Finale)").
_KEEP_PAREN = re.compile(r"\b(?:episodes?|eps?\.?|season|finale|premiere|first\s+impressions?)\b|^\d{1,4}$|"
                         r"^vol(?:ume)?\.?\s*\d", re.I)  # "Blue Dragon (Vol. 1)"
# Family: "(TV 2)" numbers a TV run (often a cour), so it marks a season-long review without a season number.
_TV_RUN = re.compile(r"^TV(?:\s+\d+)?$", re.I)
_DISC = re.compile(r"\bblu-?ray\b|\bdvd\b", re.I)
# Family: a film's theatrical run in the headline ("(Opens March 8)", "in theaters").
_THEATRICAL = re.compile(r"\bopens\b|\bin\s+(?:theaters|theatres|cinemas)\b", re.I)
# Family: a blog's origin-and-medium tag ("Tasogare Outfocus (Japanese Anime Series)", "X (Korean Movie)").
_MEDIUM_PAREN = re.compile(r"^(?:[^\W\d_]+\s+){0,3}?(?P<medium>(?:anime\s+)?series|anime|drama|movie|film|documentary)$", re.I)

# --- step 3: labels before the title ---------------------------------------------------------------------
_LABEL_WORDS = (
    r"(?:english|dub|dubbed|sub|subbed|simuldub|final|first|episode|episodes|dvd|blu-?ray|graphic|novel|"
    r"light|manga|anime|movie|movies|film|tv|series|season|my|a|an|the|full|spoiler-?free|spoiler|quick|"
    r"mini|early|initial|weekly|new|premiere|staff|ova|ona|special|netflix|crunchyroll|hidive|book|japanese|korean|"
    r"chinese)"
)
# Family: format labels ending in a review word ("English Dub Review:", "First Episode Review for:",
# "DVD Review –", "MANGA REVIEW |", "Movie reviews:", "Review Roundup:", "Blu-ray Review “…”", "Review of").
_FORMAT_LABEL = re.compile(
    rf"""^(?:{_LABEL_WORDS}\s+){{0,4}}(?:reviews?|recap|impressions?)(?:\s+round-?up)?
        (?:\s*(?:for|of|on)\b\s*{_SEP}?|\s*{_SEP}|\s*(?=[“"‘']))\s*""",
    re.I | re.X,
)
# Family: "Review" opening the headline before a capitalised title, no colon ("Review Mushoku Tensei: … part 2").
_REVIEW_OPENING = re.compile(r"^(?i:reviews?)\s+(?!(?i:round-?up|bomb|of|on|for)\b)(?=[A-Z0-9“\"‘'])")
_BRACKET_LABEL = re.compile(rf"^\[\s*(?:{_LABEL_WORDS}\s+){{0,3}}(?:reviews?|recap)\s*\]\s*{_SEP}?\s*", re.I)
# Family: a site's own label ("<Site name> Staff Review:", "The Official MSBS Movie Review:").
_SITE_LABEL = re.compile(
    r"^(?:the\s+)?(?:official\s+)?[\w.&’'-]+(?:\s+[\w.&’'-]+){0,3}?\s+(?:staff|official)\s+"
    r"(?:(?:movie|anime|tv|manga)\s+)?reviews?\s*:\s*|^the\s+official\s+[\w.&’'-]+\s+(?:\w+\s+)?reviews?\s*:\s*",
    re.I,
)
# Family: a label before a quoted show ("FX on Hulu Review: ‘The Bear’ …").
# (a year may be part of the label: "SXSW Online 2021 Review: “Alien On Stage”")
_LABEL_BEFORE_QUOTE = re.compile(r"^(?:[^:‘“'\"\d]|\b(?:19|20)\d\d\b){1,40}\breviews?\s*:\s*(?=[‘“'\"])", re.I)
_COLUMN_WORDS = (
    r"(?:corner|report|post|column|spotlight|thoughts|try\s+it|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
)
# Family: a column name before the title ("Anime Corner: 91 Days", "Michael Blaker's Anime Sunday: …",
# "Should You Try It: Fallout"); "Guest Post: <column> – <title>" drops up to the dash.
# A column named "<Name> Reviews:" ("Wacky Reviews: Doctor Who"): a show's name is never followed by "Reviews:".
_COLUMN_LABEL = re.compile(rf"^(?:[\w’'.-]+\s+){{0,4}}?{_COLUMN_WORDS}\s*:\s*|^[\w’'.-]+(?:\s+[\w’'.-]+)?\s+reviews\s*:\s*", re.I)
_GUEST_POST = re.compile(rf"^guest\s+post\s*:[^–—|]{{0,80}}?\s{_DASH}\s+", re.I)
# Family: first-person and question lead-ins ("Thoughts on X", "Let’s Watch X", "I Watched X", "Why the X …").
_LEAD_IN = re.compile(
    r"^(?:(?:my\s+)?thoughts\s+on\s+|let[’']s\s+watch\s+|i\s+watched\s+|(?-i:Why)\s+(?-i:the\s+)?)", re.I
)
# Family: a three-episode check names its episodes in the label ("3 Episode Rule – X" = episodes 1-3).
_EPISODE_RULE = re.compile(rf"^(\d|{_WORDS})[- ]episodes?\s+(?:rule|review|check|test)\s*{_SEP}?\s*", re.I)
# Family: rankings of one show ("Every episode of X, ranked", "Top 60 X episodes") are kind other.
_RANKING_LABEL = re.compile(r"^(?:every\s+episode\s+of|top\s+\d+|the\s+\d+\s+best)\s+", re.I)
_RANKED = re.compile(r"\branked\b|\branking\s+of\s+(?:every|all)\b", re.I)
# Family: a tagline before the show ("The Worst Timeline? – Tokyo Revengers …", "GAL APPROVED! The Boys …").
_LEADING_TAGLINE = re.compile(rf"^[^–—|]{{3,60}}?[?!]\s*{_DASH}\s+|^(?-i:[A-Z][A-Z ]{{2,30}}[!?])\s+")

# --- step 4: series --------------------------------------------------------------------------------------
# A series quoted at the start: ‘…’ / '…' close at a quote not followed by a letter, so the apostrophe in
# ‘Frieren: Beyond Journey’s End’ does not end it.
# A leading "The" or a network's possessive before the quotes ("The “One Piece” review", "FX’s “Shōgun”").
_QUOTED_START = re.compile(
    r"""^(?:the\s+|[\w.&+-]{1,20}[’']s\s+)?(?:[‘'](?P<single>.+?)[’'](?![^\W\d_])|[“"”](?P<double>.+?)[”"“])""", re.I)
# Family: a show in single quotes inside a sentence ("It’s hard to break away from ‘Severance’ Season 2").
_QUOTED_INSIDE = re.compile(r"""(?:^|(?<=\s))[‘'](?P<single>[^‘’']{2,80}?)[’'](?![^\W\d_])""")
# Family: number first ("Episode 20 – Series", "Episodes 1-3 – Gachiakuta – Site").
_NUMBER_FIRST = re.compile(
    rf"^(?:episodes?|eps?\.?)\s*\#?({_NUM})(?:\s*{_RANGE_JOIN}\s*\#?({_NUM}))?\s*{_SEP}\s*(?P<rest>.+)$", re.I
)
# Family: "Episode 1000 of "One Piece"": the series closes the headline.
_EPISODE_OF = re.compile(r"\bepisodes?\s+\#?(\d{1,4})\s+of\s+[“\"‘']?(?P<series>[^”\"’']+?)[”\"’']?\s*$", re.I)
# Family: "Second Season of Mushoku Tensei: Jobless Reincarnation": the season, then the series.
_SEASON_OF = re.compile(rf"^(?:the\s+)?(?P<n>{_ORDINALS}|\d+(?:st|nd|rd|th))\s+season\s+of\s+(?P<series>.+)$", re.I)
_EDITION = r"(?:\d+(?:st|nd|rd|th)\s+anniversary|collector[’']?s|limited|special|deluxe|ultimate|remastered)\s+edition"
_EDITION_RE = re.compile(_EDITION, re.I)  # "Akira: 25th Anniversary Edition" names a disc of a film
_STREAMERS = r"(?:netflix|prime\s+video|amazon|hulu|disney\+?|crunchyroll|hbo(?:\s+max)?|max|apple\s+tv\+?|hidive|paramount\+?)"
# Where an unquoted series stops: the first sign of numbers, a label, a separator or a tagline.
_SERIES_END = re.compile(
    rf"""
      \s{_SEP}\s(?!the\s+movie\b) | \s⬢ | \s\#\d
    | \s[“"”‘]
    | \b(?:final\s+)?(?:episodes?|eps?\.?)\s*\#?\s*\(?\s*(?:\d|(?:{_WORDS})\b)
    | \b(?:the\s+)?(?:\d+(?:st|nd|rd|th)|{_ORDINALS}|final|last)\s+ep(?:isode)?\b
    | \bS\d{{1,2}}(?:\s*EP?\.?\s*\d{{1,4}})?\b | (?-i:\bE\d{{1,4}}\b) | \b\d{{1,2}}x\d{{1,3}}\b
    | \bseason[\s-]+(?:\d+|{_ROMAN_NUM}|{_WORDS}|premiere|finale)\b
    | \b(?:\d+(?:st|nd|rd|th)|{_ORDINALS})\s+season\b
    | \b(?:full|whole|entire|complete)\s+season\b
    | \bseries[\s-]+(?:\d+|{_WORDS}|finale|premiere)\b
    | \b(?:the\s+)?complete\s+(?:series|collection)\b
    | \b(?:finale|premiere)\b
    | \bparts?\s+(?:\d+|{_ROMAN_NUM}|{_WORDS})\b | \bacts?\s+(?:\d|{_ROMAN_NUM}\b)
    | \bvol(?:ume)?s?\.?\s*\#?\s*(?:\d|(?:{_WORDS})\b) | \bv\.\s*\d
    | \b(?:collection|set)\s+(?:\d+|{_WORDS})\b
    | {_EDITION}
    | \b(?:(?:an?|my|our)\s+)?(?:(?<!the\s)(?:movie|film)\s+|(?:anime|manga|series|episode|season|tv|spoiler|honest|full|summary\s+and)\s+)*
      (?:review|recap)s?\b
    | \bmid-?season\b | \bhalf-?way\s+(?:review|point|check)
    | \b(?:first\s+)?impressions?\b
    | \b(?:english\s+)?(?:(?:simul)?dub(?:bed)?|sub(?:bed|titled)?)\b
    | \s(?:returns|keeps|continues|serves|completes|hits|trades|shifts|exudes|ignites|delivers|proves)\b
    | \s(?:is|are)\s+(?:a|an|the|off|back|everything|still|so|not|finally|worth|more|one|now)\b
    | \son\s+{_STREAMERS}\b
    | ,\s*ranked\b | \sepisodes(?:\s+ranked)?\s*$ | \sranked\b
    """,
    re.I | re.X,
)
# Family: a tagline after a second colon or a sentence after the first ("Cyberpunk: Edgerunners: Now that’s
# PUNK.", "Lazarus: Watanabe’s … Keep Up?", "Weathering with You: Impressions from …").
_COLON_TAGLINE = re.compile(r":\s+(?=[^:\d]*[?!.…]$|(?:impressions|thoughts|an?\s+honest)\b)", re.I)
# Family: a Roman numeral closing the series name is its season ("Mob Psycho 100 III").
_ROMAN_SEASON_SUFFIX = re.compile(r"^(?P<series>.+?)\s+(?P<numeral>I{2,3}|IV|VI{0,3}|IX|X)$")
# Family: a bare number closing a bare title: one digit is a season ("Stranger Things 4"), two an episode
# ("Re:Zero 23"); three or more belong to the name ("Mob Psycho 100").
_TRAILING_NUMBER = re.compile(
    r"(?<=[^\W\d_][^\W\d_])\s+(?P<number>[2-9]|\d\d)$|(?<=[^\W\d_][^\W\d_])\s+(?P<start>\d{1,3})\s*[-–~〜]\s*(?P<end>\d{1,3})$"
)
# An episode title after a dash ("Ben-To 12 - Orthrus' Weakness"): a two-digit number before it is the episode.
_DASH_TITLE = re.compile(r"^\s*[–—-]\s+[^\W\d_]")
# What may follow such a number: nothing, or the review word ("Lycoris Recoil 1-3 Review", "Re:Zero 23").
_ONLY_REVIEW_WORD = re.compile(r"\s*(?:(?:anime|episodes?)\s+)?(?:review|recap)?\s*", re.I)
# Family: a medium word closing the series before its numbers ("Frieren Manga Volume 1"): not part of the name.
_MEDIUM_SUFFIX = re.compile(r"\s+(?:manga|anime|light\s+novel)$", re.I)
_ARC = re.compile(r"\s+arc$", re.I)
# Family: one digit closing the series before an episode number is its season ("Chihayafuru 2 Episode #05").
_SEASON_DIGIT = re.compile(r"(?<=[^\W\d_][^\W\d_])\s+([2-9])$")

# --- step 5: numbers -------------------------------------------------------------------------------------
# "Episodes 1-4", "Episodes 5 & 6", "Episodes 2 thru 4", and lists: "Episode 1, 2, & 3" covers 1 to 3.
_RANGE = re.compile(
    rf"\b(?:episodes?|eps?\.?)\s*\#?({_NUM})(?:\s*,\s*\d+)*\s*,?\s*{_RANGE_JOIN}\s*\#?({_NUM})\b", re.I
)
# "S01E03", "S2EP9", "2x05", and a bare "E28".
_SXE = re.compile(r"\bS(\d{1,2})\s*EP?\.?\s*(\d{1,4})\b|\b(\d{1,2})x(\d{1,3})\b", re.I)
_E_ONLY = re.compile(r"(?-i:\bE(\d{1,4})\b)")
# "Episode 12", "Ep. 7", "Episode #01", "Episode Four", and finales written "Final Episode (12)".
_EPISODE = re.compile(rf"\b(?:episode|eps?\.?)\s*\#?\s*\(?\s*({_NUM})\b", re.I)
# Family: an ordinal episode ("Dan Da Dan First Episode Review", "Season 2 3rd Episode"): that episode.
_ORDINAL_EPISODE = re.compile(rf"\b(\d+(?:st|nd|rd|th)|{_ORDINALS})\s+ep(?:isode)?\b", re.I)
# Family: dash or hash number after the series ("Frieren – 12 – Title", "Horimiya – 10-11", "#09 —").
_DASH_EPISODE = re.compile(
    rf"^\s*(?:{_DASH}\s*\#?|\#)(\d{{1,4}})(?:\s*[-–~〜]\s*(\d{{1,4}}))?(?=\s*(?:$|{_SEP}|\[|review|recap|first))", re.I
)
# "Spy x Family Season 2 – 01": after a season, a dash number is the episode.
_DASH_AFTER_SEASON = re.compile(rf"{_DASH}\s*(\d{{1,3}})(?![\d\w/])")
_SEASON = re.compile(
    rf"\bseason\s+({_NUM})\b|\b(\d+)(?:st|nd|rd|th)\s+season\b|\b({_ORDINALS})\s+season\b|\bS(\d{{1,2}})\b"
    rf"|\bseries\s+(\d{{1,2}}|{_WORDS})\b",
    re.I,
)
# Family: a streaming season's batch ("Stranger Things Season 4, Volume 1"): a part of the season, no disc.
_SEASON_BATCH = re.compile(r"\bseason\s+\w+\s*,?\s*(?:vol(?:ume)?\.?|part|act)\s*\w+", re.I)
# Family: a recap with no numbers is an episode's ("‘House of the Dragon’ recap: Here be dragons").
_RECAP = re.compile(r"\brecap\b", re.I)
# Outlets number cours as "Part 2"; alone after a series it stands for the season. Disc sets spell it
# ("Season One: Part Two", "Series 8 Part 1"): then it is a volume.
_PART = re.compile(rf"\bpart\s+({_NUM})\b", re.I)
_SPELLED = re.compile(rf"^(?:{_WORDS})$", re.I)
_BRITISH_SERIES = re.compile(r"\bseries\s+\d", re.I)
_VOLUME = re.compile(rf"\bvol(?:ume)?s?\.?\s*\#?\s*(\d+|{_WORDS})\b|\bv\.\s*(\d+)|\b(?:collection|set)\s+(\d+|{_WORDS})\b", re.I)
# Family: acts of a season ("Arcane Season 2 Act 2", "Acts I and II") cover several episodes; the first act
# starts with the season's first episode, where the last one ends is unsaid.
_ACT = re.compile(rf"\bacts?\s+(?:\d|{_ROMAN_NUM}\b)", re.I)
_FIRST_ACT = re.compile(r"\bacts?\s+(?:1|i|one)\b", re.I)
# A finale or premiere, "the final/last episode": one episode, its number unsaid but a premiere's.
_PREMIERE_FINALE = re.compile(r"\b(?:finale|premiere|(?:final|last)\s+episode)\b", re.I)
# Family: a (season or series) premiere is the season's episode 1; a premiere after a cour ("Part 2") is not.
_PREMIERE = re.compile(r"\bpremiere\b(?!\s+date)", re.I)
# Family: a mid-season or halfway review is of the season so far.
_WHOLE_SEASON = re.compile(r"\b(?:full|whole|entire)\s+season\b|\(tv\b|\bmid-?season\b|\bhalf-?way\b", re.I)
_COMPLETE_SERIES = re.compile(r"\bcomplete\s+(?:series|collection)\b", re.I)
_FIRST_EPISODE = re.compile(r"\bfirst\s+episode\b", re.I)
_FIRST_IMPRESSIONS = re.compile(r"\bfirst\s+(?:episode\s+)?impressions?\b", re.I)
_MOVIE = re.compile(r"\b(?:movie|film)\b", re.I)
_DOUBLE_QUOTED = re.compile(r"[“”\"](.+?)[“”\"]|[“”\"](.+)$")
# A single-quoted episode title follows a separator ("Episode 7 - 'To A Kinder World'").
_SINGLE_QUOTED = re.compile(r"(?<=[—–‒:-])\s*[‘'](.+)[’']")
# A quote after "review:" is a pull quote, not an episode title.
# What follows "Review:" is a tagline ("… season 2 review: A peak romance with a spectacular finale").
# (unless numbers follow: "Naruto Shippuden Review: Episodes 241-245")
_AFTER_REVIEW = re.compile(rf"\b(?:review|recap)\s*(?::|\s{_DASH}\s|\|)(?!\s*(?:episodes?|eps?\.?|season)\s*\#?\d)", re.I)
_PULL_QUOTE = re.compile(r"\breview\s*:\s*$", re.I)
# A tagline after the series ("… Is A Wild Ride") says nothing about numbers.
_TAGLINE = re.compile(r"\b(?:is|are)\b", re.I)

# --- step 6: what is no single review --------------------------------------------------------------------
# News rather than a review, when nothing says "review".
_NEWS = re.compile(
    r"\b(?:announc\w*|reveal\w*|confirm\w*|trailer|teaser|delay\w*|to watch|premiere date|adds|drops|explained)\b",
    re.I
)
# Listicles, recommendations ("Watch ‘X’ for Halloween!") and forum threads ("The Volume Rating Thread").
_LISTICLE = re.compile(
    r"^(?:the\s+)?(?:\d+|best)\s+(?:anime|shows?|series|manga)\b|^watch\b|\b(?:rating|discussion|forum)\s+thread\b", re.I
)
# Family: multi-show columns ("Spring 2022 Impressions: A, B, C", "Weekly Anime Review (Aug 17 – 23)",
# "Anime Review Blog", "Spring 2024 Wrap-Up", "Manga Haul!", "Winter Season 2018: First Impressions",
# "Seasonal First Impressions Masterpost").
_MULTI_SHOW = re.compile(
    rf"\b{AIRING_SEASON}\s+(?:\d{{4}}|anime\s+season|season\s+\d{{4}})\b|\b(?:anime\s+)?{AIRING_SEASON}\s+\d{{4}}|"
    r"\bseasonal\b|\bmasterpost\b|\bdigest\b|(?<!review\s)\bround-?up\b|"
    rf"\b\d{{4}}\s+{AIRING_SEASON}\b|^{AIRING_SEASON}\s+anime\b|\bweek\s+\#\d+|"
    r"\bweekly\b|\bweek\s+\d+\b|\bwrap-?up\b|\bhaul\b|\breview\s+(?:guide|blog)\b|\bwatch\s*list\b|\bupcoming\b|"
    rf"\bthis\s+(?:{AIRING_SEASON}|season)\b|\bon\s+my\s+radar\b|^top\s+\d+\s+anime\b",
    re.I,
)
# What a roundup column reviews of each show, where its headline says (its series stays unknown):
# Family: first-episode roundup ("Anime Winter 2022 Season: First Episode Impressions"): episode 1 of each show.
# Family: weekly column ("Fall 2023 What-I'm-Watching Summary – Week 5", "The Weekly Orbit", "Winter 2021 Episode
# Reviews"): the week's episodes.
# Family: a column of reviews, not of impressions nor of a week ("Spring 2018 Reviews", "Weeb Report: Fall 2022 Anime
# Review", "Anime Review Blog (November, 2023)", "AG Anime Review Guide"): each show's season.
_ROUNDUP_WEEK = re.compile(r"\bweekly\b|\bweek\s+\#?\d+\b|\bepisodes?\s+reviews?\b|\bep\.?\s*\d+\s+reviews?\b", re.I)
_ROUNDUP_SEASON_REVIEWS = re.compile(r"\breviews?\b", re.I)
# A weekly column's label before one show's episode is no roundup ("Weekly Review: Frieren Episode 5").
_WEEKLY_LABEL = re.compile(r"^weekly\s+(?:anime\s+)?(?:reviews?|recaps?)\s*[:|–—-]\s*(?=.*\bep)", re.I)
# Family: a pun or sentence for a title names no show ("A Tengu Moves In Next Door", "From Clean-Up Crew to
# Kaiju", "Ghosts, Aliens, and the Best Duo of 2024", "Why Murder Drones is a Perfect Watch", "… PAPRIKA?!").
_SENTENCE = re.compile(
    r"^(?:from|why|how|what|when)\s|,[^,]*,|\bthe\s+(?:best|worst|greatest|kindest|finest|biggest|strongest)\b|"
    r"\?!?$|(?-i:\s(?:Is|Are)\s)|\s(?:is|are)\s+(?:a|an|the)\s|"
    r"\s(?:moves|clocks|gets|makes|takes|finds|meets|goes|comes|turns|brings|says|tells|falls|breaks|wins|loses|"
    r"learns|leaves|starts|begins|shows|gives|lets|feels|plays|tries|becomes|needs|wants|runs)\b",
    re.I,
)
_STATEMENT_END = re.compile(r"\s[–—‒|⬢]\s|:\s+(?=[^:\d]*[?!.…]$)")
_ON_STREAMER = re.compile(rf"\son\s+{_STREAMERS}\b", re.I)
_REVIEW_WORD = re.compile(r"\b(?:review|recap)\b", re.I)
