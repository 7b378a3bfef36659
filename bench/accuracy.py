"""How well the readers read real review pages: headlines, score strings and the review's own score.

    python bench/accuracy.py [DEV_SET] [--misses] [--pages DIR]

DEV_SET is a JSON list of real records with their truth (default: ../shared/real-dev/real_reviews_dev.json,
whose README defines the fields). The project never reads it at run or test time; this benchmark does.

What is checked, record by record:
- headline: each field of `series, season, episode_start, episode_end, kind` that the headline states. A
  field the record gives but the headline does not state (the season of "Frieren – 12", the series of a pun)
  is not checked; a field the record leaves empty is checked as "unknown", so a guess is a miss. Series are
  compared by their letters and digits, case aside.
- score strings: `parse_score` on every `score_text`, expected `score_10` (within 0.05), or None where the
  record has no number for it (a verbal tier).
- own score on a page's text: `find_review_score` on the headline and score context of every record whose
  own score is seen, stated absent (`none`) or a roundup's (`multi`, where the right answer is None).
- with --pages DIR: `find_review_score` on whole HTML pages, DIR/*.html each with a DIR/*.json truth
  ({"score_10": 8.0} or {"score_10": null}).
- with --aeb DIR: `find_review_score` on the real pages of the article-extraction benchmark (DIR/html/*.html.gz:
  news, blogs, shops; one is a laptop review scored "4.5 out of 5"): every score it finds is printed, to be
  read by eye. Real pages with no review score are where a finder that guesses shows itself.
The headline figure is given twice: parse_headline as it reads by default, with the anime catalogue shipped in
data/catalogue/ (which tells a film's bare title from a show's and finds a known title inside a phrase:
pipelines/headline_catalogue.py), and its words alone (catalogue=None).
Each figure is printed by family (of headline, of score form) with the misses listed under --misses.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipelines.headlines import parse_headline  # noqa: E402
from pipelines.score_finder import find_review_score  # noqa: E402
from pipelines.scores import parse_score  # noqa: E402

DEFAULT_DEV_SET = ROOT.parent / "shared" / "real-dev" / "real_reviews_dev.json"
# 434 headlines of review posts from 366 sites the dev set does not hold, gathered from stored web pages, with what
# each states as we read it (not an outside truth: a second look at families the dev set has few of).
GATHERED = ROOT / "bench" / "headlines_gathered.json"
# 120 reviewers' own score strings from 103 sites (many not in English), the same way: some are only prose ("я
# ставлю 9") or leave their scale unsaid ("Our Rating: 4.00"), and stay misses: refused, not guessed.
GATHERED_SCORES = ROOT / "bench" / "scores_gathered.json"
FIELDS = ("series", "season", "episode_start", "episode_end", "kind")

NUMBER_WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split()
ORDINAL_WORDS = "zeroth first second third fourth fifth sixth seventh eighth ninth tenth".split()
ROMAN = ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]

# Families of headline, first match wins: the notation that carries the numbers, or the shape of the title.
HEADLINE_FAMILIES = [
    ("two-line heading", r"\n"),
    ("SxxEyy / S2EP9 / E28", r"\bS\d+\s*EP?\d|\bE\d{2,}\b"),
    ("episode range", r"\bep(?:isode)?s?\.?\s*\d+\s*(?:-|–|—|&|and|thru|to)\s*\d+|\b\d+\s*[-–]\s*\d+\s*\["),
    ("number first (Episode 6 – Show)", r"^(?:episodes?|ep\.?)\s*#?\d"),
    ("episode word + number", r"\bep(?:isode)?s?\.?\s*#?\s*\d"),
    ("dash / hash number", r"[–—-]\s*\d{1,4}\b|#\d"),
    ("number words / ordinals / roman", r"\b(?:season|episode|series|volume|part|set)\s+(?:one|two|three|four|five|six|seven|eight|nine|ten)\b|\d(?:st|nd|rd|th)\s+season|\b(?:ii|iii|iv)\b"),
    ("season", r"\bseason\b|\bS\d\b|\(TV \d\)|\bcour\b"),
    ("volume / disc set", r"\bvol(?:ume)?\b|\bv\.\s*\d|\bcollection\b|\bset\b|blu-?ray|\bdvd\b"),
    ("movie / film", r"\bmovie\b|\bfilm\b|\(\d{4}\)"),
    ("first impressions / 3-episode", r"impressions?|episode rule|premiere"),
    ("column label: title", r"^[^:–|]{3,40}(?::|–|\|)\s"),
]
SCORE_FORMS = [
    ("words", r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten)\b.*\bout of\b"),
    ("star glyphs", r"[★☆½⯪]"),
    ("stars word", r"\bstars?\b"),
    ("letter grade", r"(?:^|[:\s])[A-F][+\-−]?\s*$"),
    ("percent", r"%"),
    ("x/100", r"/\s*100\b"),
    ("no scale printed", r"^[^/]*\d(?:[.,]\d+)?\s*$"),
    ("x out of n", r"\bout of\b|\bof\b"),
    ("x/n", r"/"),
]


def family(text: str, families) -> str:
    for name, pattern in families:
        if re.search(pattern, text, re.I):
            return name
    return "other" if families is SCORE_FORMS else "bare title / tagline"


def letters(text) -> str:
    return re.sub(r"[\W_]+", "", str(text or "").casefold())


def states_number(number: int, headline: str) -> bool:
    text = headline.lower()
    if re.search(rf"(?<!\d)0*{number}(?!\d)", text):
        return True
    return any(number < len(table) and table[number] and re.search(rf"\b{table[number]}\b", text)
               for table in (NUMBER_WORDS, ORDINAL_WORDS, ROMAN))


def stated_fields(record: dict) -> list[str]:
    """The fields checked for this record: every unknown one, and every known one the headline states."""
    headline = record["headline"]
    checked = []
    for field in FIELDS:
        truth = record[field]
        if truth is None or field == "kind":
            checked.append(field)
        elif field == "series":
            if letters(truth) in letters(headline):
                checked.append(field)
        elif states_number(truth, headline):
            checked.append(field)
    return checked


def headline_reading(headline: str) -> dict:
    read = parse_headline(headline)
    return {field: getattr(read, field) for field in FIELDS}


def same(field: str, truth, got) -> bool:
    return letters(truth) == letters(got) if field == "series" else truth == got


class Tally:
    def __init__(self, name: str):
        self.name = name
        self.right = 0
        self.total = 0
        self.by_family: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        self.misses: list[str] = []

    def add(self, family_name: str, ok: bool, miss: str) -> None:
        self.right += ok
        self.total += 1
        self.by_family[family_name][0] += ok
        self.by_family[family_name][1] += 1
        if not ok:
            self.misses.append(miss)

    def share(self) -> float:
        return self.right / self.total if self.total else 0.0

    def print(self, misses: bool) -> None:
        print(f"\n{self.name}: {self.right}/{self.total} = {100 * self.share():.1f} %")
        for name, (right, total) in sorted(self.by_family.items(), key=lambda kv: -kv[1][1]):
            print(f"  {name:<36} {right:>4}/{total:<4} {100 * right / total:5.1f} %")
        if misses and self.misses:
            print("  misses:")
            for miss in self.misses:
                print(f"    {miss}")


def words_alone(headline: str) -> dict:
    read = parse_headline(headline, catalogue=None)
    return {field: getattr(read, field) for field in FIELDS}


def headline_tally(records: list[dict], read=headline_reading, name: str = "headline fields") -> Tally:
    tally = Tally(name)
    for record in records:
        if not record["headline"]:
            continue
        got = read(record["headline"])
        fam = family(record["headline"], HEADLINE_FAMILIES)
        for field in stated_fields(record):
            tally.add(fam, same(field, record[field], got[field]),
                      f"{record['id']} {record['headline']!r}: {field} {got[field]!r}, expected {record[field]!r}")
    return tally


def close(score, expected) -> bool:
    if expected is None:
        return score is None
    return score is not None and abs(score.score - expected) <= 0.05


def score_string_tally(records: list[dict], name: str = "score strings (parse_score)") -> Tally:
    tally = Tally(name)
    for record in records:
        if record["score_text"]:
            score = parse_score(record["score_text"])
            tally.add(family(record["score_text"], SCORE_FORMS), close(score, record["score_10"]),
                      f"{record['id']} {record['score_text']!r}: {score and score.score}, expected {record['score_10']}")
    return tally


def page_text_tally(records: list[dict]) -> Tally:
    tally = Tally("own score on a page's text (find_review_score)")
    for record in records:
        status = record["score_status"]
        if status not in ("seen", "none", "multi"):
            continue
        text = "\n\n".join(part for part in (record["headline_context"], record["score_context"]) if part)
        expected = record["score_10"] if status == "seen" else None
        score = find_review_score(text)
        tally.add(status, close(score, expected),
                  f"{record['id']} ({status}) {score and (score.text, score.score)}, expected {expected}")
    return tally


def html_page_tally(folder: Path) -> Tally:
    tally = Tally("own score on whole HTML pages (find_review_score)")
    for page in sorted(folder.glob("*.html")):
        truth = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
        score = find_review_score(page.read_text(encoding="utf-8"))
        expected = truth.get("score_10")
        tally.add(truth.get("family", "page"), close(score, expected),
                  f"{page.name}: {score and (score.text, score.score)}, expected {expected}")
    return tally


def aeb_scores(folder: Path) -> None:
    pages = sorted((folder / "html").glob("*.html.gz"))
    found = []
    for page in pages:
        score = find_review_score(gzip.decompress(page.read_bytes()).decode("utf-8", "replace"))
        if score is not None:
            found.append(f"{page.name[:16]}  {score.text[:70]!r} -> {score.score}")
    print(f"\nscores found on {len(pages)} real pages of {folder}: {len(found)}")
    for line in found:
        print(f"  {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dev_set", nargs="?", default=str(DEFAULT_DEV_SET))
    parser.add_argument("--misses", action="store_true", help="list every miss")
    parser.add_argument("--pages", help="a folder of whole HTML pages with .json truth beside each")
    parser.add_argument("--aeb", help="the article-extraction benchmark's folder (html/*.html.gz)")
    parser.add_argument("--gathered", default=str(GATHERED),
                        help="more real headlines with our own reading of them (default: bench/headlines_gathered.json)")
    parser.add_argument("--gathered-scores", default=str(GATHERED_SCORES),
                        help="more real score strings with our reading (default: bench/scores_gathered.json)")
    args = parser.parse_args()
    records = json.loads(Path(args.dev_set).read_text(encoding="utf-8"))
    print(f"{len(records)} records from {args.dev_set}")
    tallies = [headline_tally(records), headline_tally(records, words_alone, "headline fields, words alone (no catalogue)"),
               score_string_tally(records), page_text_tally(records)]
    if args.gathered and Path(args.gathered).is_file():
        gathered = json.loads(Path(args.gathered).read_text(encoding="utf-8"))
        tallies.insert(2, headline_tally(gathered, name=f"headline fields on {len(gathered)} gathered headlines (our reading)"))
    if args.gathered_scores and Path(args.gathered_scores).is_file():
        gathered = json.loads(Path(args.gathered_scores).read_text(encoding="utf-8"))
        tallies.insert(-1, score_string_tally(gathered, f"{len(gathered)} gathered score strings (parse_score, our reading)"))
    if args.pages:
        tallies.append(html_page_tally(Path(args.pages)))
    for tally in tallies:
        tally.print(args.misses)
    if args.aeb:
        aeb_scores(Path(args.aeb))
    print("\nsummary: " + ", ".join(f"{t.name.split(' (')[0]} {100 * t.share():.1f} %" for t in tallies))


if __name__ == "__main__":
    main()
