"""The anime catalogue: bangumi-data's `dist/data.json` (CC BY 4.0), trimmed to one row per entry and upserted into
the `catalogue` table (migration m008).

- `parse_catalogue` reads a whole file and refuses it (CatalogueError, nothing written) when it is too big, not
  JSON, truncated, or not shaped like bangumi-data; `upsert_catalogue` then writes every row in one transaction.
  An entry missing from a newer file keeps its row: a series linked to it stays linked.
- Ids: `bgm:<Bangumi subject id>`. Bangumi (bangumi.tv) is the catalogue bangumi-data is built on: 8,415 of its
  8,483 entries carry a Bangumi id, and the id stays when a title or a date is corrected. A MyAnimeList id would
  not do: 767 entries lack one and two entries split from one show share one. An entry without a Bangumi id (or a
  second entry of one Bangumi subject, the Chinese and Japanese releases of a few donghua) gets
  `h:<sha1 of title and begin date>`.
- Shows: later seasons and cours are entries of their own. `group_shows` gives each entry its show (the first
  entry), its season number and its part (cour), from the markers of its titles (第2期, Season 2, 2nd Season, Ⅱ,
  第2クール, Final Season).
- The shipped snapshot (data/catalogue/bangumi-data.json.gz, rows as written here) fills an empty table, so a
  database works offline: `ensure_catalogue`.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import NamedTuple

import sqlite_utils

from pipelines.series import series_key
from pipelines.store.clock import now_iso

MAX_BYTES = 50 * 1024 * 1024  # the file is 7 MB in 2025
MAX_ENTRIES = 100_000
MAX_TITLE = 500
MAX_TITLES = 50  # translated titles per language
TYPES = ("tv", "movie", "ova", "web")
SNAPSHOT = Path(__file__).resolve().parents[1] / "data" / "catalogue" / "bangumi-data.json.gz"
DEFAULT_URL = "https://cdn.jsdelivr.net/npm/bangumi-data@0.3/dist/data.json"
LINK_SITES = {"mal": "mal", "aniList": "anilist", "anidb": "anidb"}  # bangumi-data site -> column prefix
JST = timezone(timedelta(hours=9))
COLUMNS = ("id", "title", "lang", "title_en", "titles_en", "title_romaji", "type", "begin", "end", "year",
           "airing_season", "mal_id", "anilist_id", "anidb_id", "mal_url", "anilist_url", "anidb_url")


class CatalogueError(ValueError):
    """A catalogue file that cannot be used: nothing is written."""


class Catalogue(NamedTuple):
    rows: list[dict]
    templates: dict[str, str | None]  # bangumi-data site -> URL template ("https://myanimelist.net/anime/{{id}}")


def parse_catalogue(raw: bytes, source: str = "data.json") -> Catalogue:
    """The trimmed rows of a bangumi-data file, or CatalogueError saying what is wrong with it."""
    if len(raw) > MAX_BYTES:
        raise CatalogueError(f"{source}: {len(raw)} bytes, more than the {MAX_BYTES} a catalogue may have")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise CatalogueError(f"{source}: not UTF-8 text ({error})") from None
    except json.JSONDecodeError as error:
        text = raw.strip()
        truncated = text.startswith(b"{") and not text.endswith(b"}")
        where = "ends early (truncated?)" if truncated else "is not valid JSON"
        raise CatalogueError(f"{source}: {where} at line {error.lineno} column {error.colno}: {error.msg}") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list) or not isinstance(
            data.get("siteMeta"), dict):
        raise CatalogueError(f"{source}: not a bangumi-data file (an object with 'siteMeta' and 'items' expected)")
    items = data["items"]
    if not items or len(items) > MAX_ENTRIES:
        raise CatalogueError(f"{source}: {len(items)} entries; 1 to {MAX_ENTRIES} expected")
    templates = {site: (data["siteMeta"].get(site) or {}).get("urlTemplate") for site in LINK_SITES}
    taken: set[str] = set()
    rows = []
    for number, item in enumerate(items):
        try:
            rows.append(trim_entry(item, templates, taken))
        except (KeyError, TypeError, ValueError) as error:
            raise CatalogueError(f"{source}: entry {number} is malformed: {error}") from None
    return Catalogue(rows, templates)


def trim_entry(item: dict, templates: dict, taken: set[str]) -> dict:
    """One catalogue row of a bangumi-data item (the ids already given out in `taken` are not reused)."""
    title = _text(item["title"], "title")
    if not title.strip() or item["type"] not in TYPES:
        raise ValueError(f"title {title!r} / type {item['type']!r}")
    english = [_text(name, "English title") for name in (item.get("titleTranslate") or {}).get("en", [])]
    begin = _jst_date(item["begin"])
    row = {"id": entry_id(item, title, begin, taken), "title": title, "lang": item.get("lang"),
           "title_en": english[0] if english else None,
           "titles_en": json.dumps(english[:MAX_TITLES], ensure_ascii=False) if english else None,
           "title_romaji": None, "type": item["type"], "begin": begin, "end": _jst_date(item.get("end") or ""),
           **dict(zip(("airing_season", "year"), airing_season(begin, item["type"])))}
    site_ids = {site["site"]: str(site["id"]) for site in item.get("sites") or [] if site.get("site") in LINK_SITES}
    for site, column in LINK_SITES.items():
        site_id = site_ids.get(site, "")
        row[f"{column}_id"] = int(site_id) if site_id.isdigit() and len(site_id) < 12 else None
        template = templates.get(site)
        row[f"{column}_url"] = template.replace("{{id}}", site_id) if row[f"{column}_id"] and template else None
    return row


def _text(value, what: str) -> str:
    if not isinstance(value, str) or len(value) > MAX_TITLE:
        raise ValueError(f"{what} {str(value)[:80]!r} is not a string of at most {MAX_TITLE} characters")
    return value


def entry_id(item: dict, title: str, begin: str | None, taken: set[str]) -> str:
    sites = sorted(f"{site.get('site')}:{site.get('id')}" for site in item.get("sites") or [])
    bangumi = next((site[len("bangumi:"):] for site in sites if site.startswith("bangumi:")), "")
    candidate = f"bgm:{bangumi}" if bangumi.isdigit() else ""
    if not candidate or candidate in taken:
        # The entry's own facts: title, date and its ids elsewhere (TMDB tells seasons of one title apart).
        facts = "\n".join([title, begin or "", *sites])
        candidate = "h:" + hashlib.sha1(facts.encode("utf-8")).hexdigest()[:12]
    base, copy = candidate, 1
    while candidate in taken:  # the same entry listed twice
        copy += 1
        candidate = f"{base}-{copy}"
    taken.add(candidate)
    return candidate


def _jst_date(stamp: str) -> str | None:
    """bangumi-data's ISO instants (UTC) as dates in Japan, where the broadcast dates are set."""
    if not stamp:
        return None
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(JST).date().isoformat()


SEASON_NAMES = ("Winter", "Spring", "Summer", "Fall")


def airing_season(begin: str | None, kind: str = "tv") -> tuple[str | None, int | None]:
    """('Fall 2024', 2024): the quarter a show began in. A series that begins in the last ten days of a quarter
    belongs to the next (seasons open with premieres from late March, June, September, December: Frieren's
    2023-09-29 premiere is Fall 2023, as MyAnimeList and AniList list it). A film is dated by its release."""
    if not begin:
        return None, None
    day = datetime.strptime(begin, "%Y-%m-%d").date()
    if kind in ("tv", "web") and day.month % 3 == 0 and day.day > 20:
        day += timedelta(days=15)
    return f"{SEASON_NAMES[(day.month - 1) // 3]} {day.year}", day.year


# Season markers of catalogue titles (after NFKC: Ⅱ is II, full-width digits are ASCII).
_KANJI = {"弐": 2, "参": 3, "肆": 4, "伍": 5, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_ROMAN = {"ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6}
_SEASON_PATTERNS = (
    re.compile(r"第\s*([0-9]+|[一二三四五六七八九十])\s*期|(?<![0-9])([0-9])期"),
    re.compile(r"(?:シーズン|season)\s*([0-9]+|ii|iii|iv|v|vi)\b", re.I),
    re.compile(r"([弐参肆伍二三四五])ノ章"),  # 炎炎ノ消防隊 弐ノ章: the second chapter is the second season
    re.compile(r"\bs([0-9]+)$", re.I),  # Fire Force S2
    re.compile(r"([0-9]+)(?:st|nd|rd|th)\s*season", re.I),
    # a Roman numeral right after the name (無職転生Ⅱ, モブサイコ100III) or after a space at a boundary
    re.compile(r"(?<=[^\sa-z])\s?(ii|iii|iv|v|vi)(?=$|[\s～~\-(（:：])", re.I),
)
_PART = re.compile(r"第\s*([0-9]+|[一二三])\s*クール|(後半)クール|\bpart\s*([0-9]+)", re.I)
YEAR_SUFFIX = re.compile(r" (?:19[5-9]|20[0-4])[0-9]$")  # on a series key
_FINAL = re.compile(r"(?:the\s+)?final\s*season|ファイナルシーズン", re.I)


class Marker(NamedTuple):
    season: int | None  # the number a title states (None: none, or "Final Season")
    part: int | None  # the cour it states (第2クール, 後半クール, Part 2)
    final: bool
    bases: tuple[str, ...]  # series keys of what precedes the marker and of the title without it

    @property
    def sequel(self) -> bool:
        return self.final or (self.season or 1) > 1 or (self.part or 1) > 1


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _KANJI.get(text) or _ROMAN[text.lower()]


def season_marker(title: str) -> Marker:
    """What a catalogue title says of its season: 'SPY×FAMILY Season 2' -> season 2 of 'spy x family'."""
    text = unicodedata.normalize("NFKC", title)
    season = part = None
    spans = []
    for pattern in _SEASON_PATTERNS:
        if match := pattern.search(text):
            season = _number(next(group for group in match.groups() if group))
            spans.append(match.span())
            break
    if match := _PART.search(text):
        part = 2 if match.group(2) else _number(match.group(1) or match.group(3))
        spans.append(match.span())
    if final := _FINAL.search(text):
        spans.append(final.span())
    if not spans:
        return Marker(None, None, False, ())
    without = text
    for start, end in sorted(spans, reverse=True):
        without = without[:start] + " " + without[end:]
    before = text[:min(start for start, _ in spans)]
    bases = tuple(dict.fromkeys(key for key in (series_key(before), series_key(without)) if key))
    return Marker(season, part, bool(final), bases)


def group_shows(rows: list[dict]) -> None:
    """Set each row's show_id, season and part. A later season or cour (a title with a sequel marker) joins the
    show of the latest earlier entry (a film only for a film) that has its base name as a Japanese or English
    title; any other entry is a show of its own, season 1 if it is a series (tv, web), no season otherwise."""
    by_name: dict[str, list[dict]] = defaultdict(list)
    for row in sorted(rows, key=lambda row: (row["begin"] or "", row["id"])):
        names = [row["title"], *json.loads(row.get("titles_en") or "[]")]
        found = [marker for marker in map(season_marker, names) if marker.sequel]
        earlier = _earlier_entry(row, found, by_name) if found else None
        if earlier is None:
            row["show_id"], row["season"] = row["id"], 1 if row["type"] in ("tv", "web") else None
        else:  # a numbered season, else a later cour of the season it follows, else (Final Season) unnumbered
            stated = next((marker.season for marker in found if marker.season), None)
            final = any(marker.final for marker in found)
            row["show_id"], row["season"] = earlier["show_id"], stated or (None if final else earlier["season"])
        for name in {YEAR_SUFFIX.sub("", series_key(name)) for name in names} - {""}:
            by_name[name].append(row)  # らんま1/2(2024) is named らんま1/2 too: its 第2期 follows it
    _number_parts(rows)


def _earlier_entry(row: dict, markers: list[Marker], by_name: dict) -> dict | None:
    for base in (base for marker in markers for base in marker.bases):
        earlier = [entry for entry in by_name.get(base, ()) if (entry["type"] == "movie") <= (row["type"] == "movie")]
        if earlier:
            return earlier[-1]
    return None


def _number_parts(rows: list[dict]) -> None:
    """Part 1, 2, ... of each show's season, by begin date; entries without a season each are part 1."""
    seasons: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        if row["season"] is None:
            row["part"] = 1
        else:
            seasons[(row["show_id"], row["season"])].append(row)
    for members in seasons.values():
        for number, row in enumerate(sorted(members, key=lambda r: (r["begin"] or "", r["id"])), start=1):
            row["part"] = number


def romanise(title: str) -> str | None:
    """The title in Hepburn romaji (pykakasi), for matching romaji spellings; None without Japanese script."""
    if not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", title):
        return None
    return " ".join(part["hepburn"] for part in _kakasi().convert(title) if part["hepburn"].strip())


_KAKASI = []


def _kakasi():
    if not _KAKASI:
        import pykakasi  # loads its dictionaries: only when a catalogue file is read
        _KAKASI.append(pykakasi.kakasi())
    return _KAKASI[0]


def upsert_catalogue(db: sqlite_utils.Database, rows: list[dict], source: str) -> dict:
    """Write the rows in one transaction: new entries inserted, listed ones updated, unlisted ones kept; then every
    entry's show, season and part again. Returns the counts of the load (also a catalogue_loads row)."""
    seen = now_iso()
    columns = list(COLUMNS)
    quoted = ", ".join(f'"{column}"' for column in columns)  # "end" is a keyword
    assignments = ", ".join(f'"{column}" = excluded."{column}"' for column in columns[1:])
    with db.atomic():
        before = {row[0]: tuple(row[1:]) for row in db.execute(f"select {quoted} from catalogue")}
        listed = {row["id"] for row in rows}
        counts = {"entries": len(rows), "new": len(listed - before.keys()),
                  "updated": sum(1 for row in rows if row["id"] in before
                                 and before[row["id"]] != tuple(row[c] for c in columns[1:])),
                  "unlisted": len(before.keys() - listed)}
        db.conn.executemany(
            f"insert into catalogue ({quoted}, first_seen, last_seen) values ({', '.join('?' * len(columns))}, ?, ?) "
            f"on conflict (id) do update set {assignments}, last_seen = excluded.last_seen",
            [(*(row[c] for c in columns), seen, seen) for row in rows])
        regroup(db)
        db["catalogue_loads"].insert({"source": source[:1000], "loaded_at": seen, **counts})
    return counts


def regroup(db: sqlite_utils.Database) -> None:
    """Shows, seasons and parts of every entry in the table, listed or not."""
    cursor = db.execute('select id, title, titles_en, type, begin from catalogue')
    rows = [dict(zip([d[0] for d in cursor.description], row)) for row in cursor.fetchall()]
    group_shows(rows)
    db.conn.executemany("update catalogue set show_id = ?, season = ?, part = ? where id = ?",
                        [(row["show_id"], row["season"], row["part"], row["id"]) for row in rows])


def catalogue_rows(db: sqlite_utils.Database) -> list[dict]:
    cursor = db.execute("select * from catalogue")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


# The snapshot stores rows without their URLs (rebuilt from the templates it keeps): half the size.
_SNAPSHOT_COLUMNS = tuple(column for column in COLUMNS if not column.endswith("_url"))


def write_snapshot(rows: list[dict], templates: dict, about: dict, path: Path = SNAPSHOT) -> None:
    payload = {**about, "templates": templates, "columns": _SNAPSHOT_COLUMNS,
               "rows": [[row[column] for column in _SNAPSHOT_COLUMNS] for row in rows]}
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))


def read_snapshot(path: Path = SNAPSHOT) -> list[dict]:
    payload = json.loads(gzip.decompress(path.read_bytes()))
    rows = []
    for values in payload["rows"]:
        row = dict(zip(payload["columns"], values))
        for site, column in LINK_SITES.items():
            template, site_id = payload["templates"].get(site), row[f"{column}_id"]
            row[f"{column}_url"] = template.replace("{{id}}", str(site_id)) if template and site_id else None
        rows.append(row)
    return rows


def ensure_catalogue(db: sqlite_utils.Database, path: Path = SNAPSHOT) -> bool:
    """Fill an empty catalogue table from the shipped snapshot (offline demo and tests). True if it did."""
    if db.execute("select exists (select 1 from catalogue)").fetchone()[0]:
        return False
    upsert_catalogue(db, read_snapshot(path), source=f"snapshot {path.name}")
    return True
