"""Series identity: spellings of one show resolve to one series; different shows never merge."""

from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from pipelines.series import SeriesResolver, load_aliases, series_key, similarity

SHIPPED_ALIASES = Path(__file__).resolve().parents[1] / "data" / "series_aliases.yml"

# Spellings of one show, resolved with no alias table: folding and the fuzzy rule alone.
SAME = [
    ("Oshi no Ko", "Oshi no Ko Season 2"),
    ("Oshi no Ko", "[Oshi no Ko] 2nd Season"),
    ("Oshi no Ko", "OSHI NO KO Season II"),
    ("Oshi no Ko", "Oshi no Ko S2"),
    ("Oshi no Ko", "Oshi no Ko Second Season"),
    ("Re:Zero", "Re:Zero: Part 2"),
    ("Attack on Titan", "Attack on Titan: The Final Season Part 2"),
    ("Jujutsu Kaisen", "Jujutsu Kaisen 2nd Season"),
    ("Mushoku Tensei: Jobless Reincarnation", "Mushoku Tensei Jobless Reincarnation Season 2 Part 2"),
    ("Mob Psycho 100", "Mob Psycho 100 II"),
    ("Mob Psycho 100", "Mob Psycho 100 III"),
    ("Spy x Family", "SPY×FAMILY"),
    ("Spy x Family", "Spy X Family"),
    ("Spy x Family", "ＳＰＹ×ＦＡＭＩＬＹ"),
    ("Pokémon Horizons", "Pokemon Horizons"),
    ("Frieren Beyond Journeys End", "Frieren: Beyond Journey’s End"),
    ("Frieren: Beyond Journey's End", "“Frieren: Beyond Journey‘s End”"),
    ("Kaiju No.8", "Kaiju No. 8"),
    ("Bocchi the Rock", "Bocchi the Rock!"),
    ("Kaguya-sama: Love is War", "Kaguya sama - Love Is War?"),
    ("Chainsaw Man", "‘Chainsaw Man’"),
    # spacing
    ("Dan Da Dan", "Dandadan"),
    ("Tasogare Out Focus", "Tasogare Outfocus"),
    ("Ranma1/2", "Ranma ½"),
    ("Ranma1/2", "Ranma 1/2"),
    # typos and romanisation
    ("Twilight Out of Focus", "Twilight Out of Focous"),
    ("Frieren: Beyond Journey's End", "Freiren: Beyond Journey's End"),
    ("Kusuriya no Hitorigoto", "Kusuriya no Hitorigotto"),
    ("Shingeki no Kyojin", "Shingeki no Kyoujin"),
    ("Enen no Shouboutai", "Enen no Shoubotai"),
    ("Haikyu!! To the Top", "Haikyuu!! To the Top"),
    # small words
    ("The Apothecary Diaries", "Apothecary Diaries"),
    ("The Rising of the Shield Hero", "Rising of the Shield Hero"),
]

# Different shows that share words: subtitles, spin-offs, sequels with their own name, near-namesakes.
APART = [
    ("Attack on Titan", "Attack on Titan: Junior High"),
    ("Shingeki no Kyojin", "Shingeki! Kyojin Chuugakkou"),
    ("My Hero Academia", "My Hero Academia: Vigilantes"),
    ("Re:Zero", "Re:Monster"),
    ("Dr. Stone", "Dr. Stone: New World"),  # a season subtitle in reality; one only through an alias
    ("Dragon Ball Super", "Dragon Ball Daima"),
    ("Naruto", "Naruto Shippuden"),
    ("Naruto", "Boruto"),
    ("Fate/Zero", "Fate/stay night"),
    ("Kaguya-sama: Love is War", "Kaguya-sama: Love is War – Ultra Romantic"),
    ("Frieren", "Frieren: Beyond Journey's End"),
    ("Demon Slayer", "Demon Slayer: Kimetsu no Yaiba"),
    ("Spy x Family", "Spy x Family Code: White"),
    ("Tokyo Ghoul", "Tokyo Ghoul:re"),
    ("Mobile Suit Gundam SEED", "Mobile Suit Gundam SEED Destiny"),
    ("Sword Art Online", "Sword Art Offline"),
    ("Persona 4 The Animation", "Persona 5 The Animation"),
    ("Hunter x Hunter", "Hunter x Hunter (2011)"),
    ("Monster", "Monsters"),
    ("Mahouka Koukou no Rettousei", "Mahouka Koukou no Yuutousei"),
    ("Ore no Imouto ga Konnani Kawaii Wake ga Nai", "Ore no Kouhai ga Konnani Kawaii Wake ga Nai"),
    ("Toaru Kagaku no Railgun", "Toaru Kagaku no Accelerator"),
    ("Love Live! Sunshine!!", "Love Live! Superstar!!"),
    ("Pokémon Horizons", "Pokémon Journeys"),
    ("Blue Lock", "Blue Box"),
    ("Dungeon Meshi", "Dungeon People"),
    ("Witch Watch", "Witch Hat Atelier"),
    ("Twilight Out of Focus", "Tasogare Out Focus"),  # English vs romaji: only the alias table knows
]

# With the shipped alias table: English, romaji, Japanese and short names of one show.
ALIASED = [
    ("Tasogare Out Focus", "Twilight Out Of Focus"),
    ("Tasogare Outfocus", "Twilight Out Of Focus"),
    ("黄昏アウトフォーカス", "Twilight Out Of Focus"),
    ("Twilight Out of Focous", "Twilight Out Of Focus"),
    ("Twilight Out of Focus Season 2", "Twilight Out Of Focus"),
    ("Sousou no Frieren", "Frieren: Beyond Journey's End"),
    ("Frieren", "Frieren: Beyond Journey's End"),
    ("【推しの子】", "Oshi no Ko"),
    ("My Star", "Oshi no Ko"),
    ("Dandadan", "Dan Da Dan"),
    ("Kusuriya no Hitorigoto", "The Apothecary Diaries"),
    ("Ore dake Level Up na Ken", "Solo Leveling"),
    ("Solo Leveling Season 2: Arise from the Shadow", "Solo Leveling"),
    ("Shoushimin", "SHOSHIMIN: How to Become Ordinary"),
    ("Kaijuu 8-gou", "Kaiju No. 8"),
    ("Boku no Hero Academia", "My Hero Academia"),
    ("Shingeki no Kyojin", "Attack on Titan"),
    ("Ranma ½", "Ranma1/2"),
    ("Enen no Shouboutai", "Fire Force"),
    ("Re:Zero kara Hajimeru Isekai Seikatsu", "Re:ZERO -Starting Life in Another World-"),
    ("Re:Zero", "Re:ZERO -Starting Life in Another World-"),
    ("Dungeon Meshi", "Delicious in Dungeon"),
    ("GQuuuuuuX", "Mobile Suit Gundam GQuuuuuuX"),
    ("Terminator 0", "Terminator Zero"),
]

# Still different shows with the alias table in play.
ALIASED_APART = [
    ("Re:Zero", "Re:Monster"),
    ("Shingeki no Kyojin", "Attack on Titan: Junior High"),
    ("Boku no Hero Academia", "My Hero Academia: Vigilantes"),
    ("Dungeon Meshi", "Dungeon People"),
    ("Spy x Family", "Spy x Family Code: White"),
]


def keys_of(resolver, *titles):
    return [resolver.resolve(title)[0] for title in titles]


@pytest.mark.parametrize("a, b", SAME)
def test_spellings_of_one_show_resolve_to_one_series(a, b):
    assert len(set(keys_of(SeriesResolver(), a, b))) == 1
    assert len(set(keys_of(SeriesResolver(), b, a))) == 1


@pytest.mark.parametrize("a, b", APART)
def test_different_shows_stay_apart(a, b):
    assert len(set(keys_of(SeriesResolver(), a, b))) == 2
    assert len(set(keys_of(SeriesResolver(), b, a))) == 2


@pytest.fixture(scope="module")
def aliases():
    return load_aliases(SHIPPED_ALIASES)


@pytest.mark.parametrize("spelling, canonical", ALIASED)
def test_alias_table_names_the_series(aliases, spelling, canonical):
    resolver = SeriesResolver(aliases=aliases)
    assert resolver.resolve(spelling) == (series_key(canonical), canonical)
    assert resolver.resolve(canonical) == (series_key(canonical), canonical)


@pytest.mark.parametrize("a, b", ALIASED_APART)
def test_alias_table_keeps_different_shows_apart(aliases, a, b):
    assert len(set(keys_of(SeriesResolver(aliases=aliases), a, b))) == 2


def test_an_alias_entry_merges_a_season_subtitle():
    subtitle = ("Kaguya-sama: Love is War", "Kaguya-sama: Love is War – Ultra Romantic")
    assert len(set(keys_of(SeriesResolver(), *subtitle))) == 2
    resolver = SeriesResolver(aliases={"Kaguya-sama: Love is War – Ultra Romantic": "Kaguya-sama: Love is War"})
    assert keys_of(resolver, *subtitle) == ["kaguya sama love is war"] * 2


def test_known_series_keep_their_database_title(aliases):
    resolver = SeriesResolver(known=[("oshi no ko", "[Oshi no Ko]")], aliases=aliases)
    assert resolver.resolve("【推しの子】") == ("oshi no ko", "[Oshi no Ko]")
    assert resolver.resolve("Oshi no Ko Season 2") == ("oshi no ko", "[Oshi no Ko]")


def test_a_row_saved_under_another_name_of_an_alias_group_is_reused(aliases):
    resolver = SeriesResolver(known=[("dungeon meshi", "Dungeon Meshi")], aliases=aliases)
    assert resolver.resolve("Delicious in Dungeon") == ("dungeon meshi", "Dungeon Meshi")
    assert resolver.resolve("ダンジョン飯") == ("dungeon meshi", "Dungeon Meshi")


def test_new_series_are_remembered_for_later_spellings():
    resolver = SeriesResolver(known=[("blue lock", "Blue Lock")])
    assert resolver.resolve("Twilight Out of Focus") == ("twilight out of focus", "Twilight Out of Focus")
    assert resolver.resolve("Twilight Out of Focous") == ("twilight out of focus", "Twilight Out of Focus")
    assert resolver.resolve("Blue Lock Season 2") == ("blue lock", "Blue Lock")


def test_a_title_without_letters_is_refused():
    with pytest.raises(ValueError):
        SeriesResolver().resolve("!!!")


def test_similarity_is_zero_or_above_the_threshold():
    # The threshold as measured on the tables above: merges score 90+, everything apart scores 0.
    assert all(similarity(series_key(a), series_key(b)) >= 90 for a, b in SAME)
    assert all(similarity(series_key(a), series_key(b)) == 0 for a, b in APART)


def test_shipped_alias_file_loads(aliases):
    assert aliases["tasogare out focus"] == "Twilight Out Of Focus"
    assert aliases[series_key("Twilight Out Of Focus")] == "Twilight Out Of Focus"
    assert aliases[series_key("【推しの子】")] == "Oshi no Ko"
    assert len(set(aliases.values())) >= 25


def test_load_aliases_from_a_file(tmp_path):
    path = tmp_path / "aliases.yml"
    path.write_text(
        "# comment\n"
        '"Frieren: Beyond Journey\'s End": [Sousou no Frieren, Frieren]\n'
        "Blue Lock: ブルーロック\n"  # a single name needs no list
        "Lazarus:\n",  # nor any name at all
        encoding="utf-8",
    )
    assert load_aliases(path) == {
        "frieren beyond journeys end": "Frieren: Beyond Journey's End",
        "sousou no frieren": "Frieren: Beyond Journey's End",
        "frieren": "Frieren: Beyond Journey's End",
        "blue lock": "Blue Lock",
        "ブルーロック": "Blue Lock",
        "lazarus": "Lazarus",
    }


def test_load_aliases_refuses_one_name_for_two_shows(tmp_path):
    path = tmp_path / "aliases.yml"
    path.write_text("Fire Force: [Enen]\nOther Show: [ENEN]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="Enen|ENEN"):
        load_aliases(path)


def test_empty_alias_file(tmp_path):
    path = tmp_path / "aliases.yml"
    path.write_text("# nothing yet\n", encoding="utf-8")
    assert load_aliases(path) == {}


TITLES = st.one_of(
    st.text(),
    st.lists(
        st.sampled_from(
            ["Oshi", "no", "Ko", "Season", "2", "2nd", "II", "S2", "Part", "Final", "×", "Pokémon", "’s", ":", "½"]
        ),
        max_size=8,
    ).map(" ".join),
)


@given(TITLES)
def test_series_key_is_idempotent(title):
    assert series_key(series_key(title)) == series_key(title)


@given(st.lists(TITLES, max_size=5), TITLES)
def test_resolving_a_title_twice_gives_one_series(earlier, title):
    assume(series_key(title))
    resolver = SeriesResolver(aliases=load_aliases(SHIPPED_ALIASES))
    for other in earlier:
        if series_key(other):
            resolver.resolve(other)
    first = resolver.resolve(title)
    resolver.resolve("Twilight Out of Focus")
    assert resolver.resolve(title) == first
