"""Benchmark `pipelines.chrome.main_text` against plain `trafilatura.extract` on article-extraction pages.

    python bench/main_text.py DATA_DIR

DATA_DIR is laid out like Scrapinghub's article-extraction-benchmark (MIT): `html/<id>.html.gz` and
`ground-truth.json` mapping each id to {"articleBody": ..., "url": ...}. Scoring follows the benchmark's
evaluate.py: lower-cased \\w+ tokens, shingles of 4 tokens, multiset matching per page, tp/fp/fn normalised
per page; precision is the mean over pages with a prediction, recall the mean over pages with a truth, and
F1 = 2PR/(P+R) of those means. Also printed: the mean of per-page F1 (empty vs empty = 1.0) and the F1 of
the raw tp/fp/fn summed over all pages. main_text runs with url=None so its generic path is what is measured.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from anywhere without installing
from pipelines.chrome import main_text  # noqa: E402

TOKEN_RE = re.compile(r"\w+")
META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)


def decode(raw: bytes) -> str:
    """UTF-8 first (what the benchmark assumes), then the page's own meta charset, then cp1252/latin-1."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    match = META_CHARSET_RE.search(raw[:4096])
    for encoding in ([match.group(1).decode("ascii", "ignore")] if match else []) + ["cp1252"]:
        try:
            return raw.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return raw.decode("latin-1")  # never fails


def load(data_dir: Path) -> tuple[dict[str, str], dict[str, str]]:
    truth = json.loads((data_dir / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {}
    for key in sorted(truth):
        with gzip.open(data_dir / "html" / f"{key}.html.gz", "rb") as f:
            pages[key] = decode(f.read())
    return pages, {key: truth[key].get("articleBody") or "" for key in truth}


def shingles(text: str, n: int = 4) -> Counter:
    tokens = TOKEN_RE.findall((text or "").lower())
    # Like evaluate.py: a text shorter than n tokens is one short shingle; no tokens, no shingle.
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i:i + n])


def match(true: str, pred: str) -> tuple[int, int, int]:
    t, p = shingles(true), shingles(pred)
    tp = sum((t & p).values())
    return tp, sum((p - t).values()), sum((t - p).values())


def page_f1(tp: int, fp: int, fn: int) -> float:
    if fp == fn == 0:
        return 1.0  # includes empty vs empty
    return 2 * tp / (2 * tp + fp + fn)


def scores(counts: list[tuple[int, int, int]]) -> dict[str, float]:
    precisions, recalls = [], []
    for tp, fp, fn in counts:
        total = tp + fp + fn
        if not total:
            continue  # empty vs empty: evaluate.py leaves it out of both means
        tp, fp, fn = tp / total, fp / total, fn / total  # normalised so long pages weigh no more
        if tp + fp > 0:
            precisions.append(1.0 if fp == fn == 0 else tp / (tp + fp))
        if tp + fn > 0:
            recalls.append(1.0 if fp == fn == 0 else tp / (tp + fn))
    precision, recall = statistics.mean(precisions), statistics.mean(recalls)
    tp, fp, fn = (sum(c[i] for c in counts) for i in range(3))
    return {
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "mean_page_f1": statistics.mean(page_f1(*c) for c in counts),
        "micro_f1": 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0,
    }


def trafilatura_default(html: str) -> str:
    return trafilatura.extract(html) or ""


EXTRACTORS = {
    "main_text": lambda html: main_text(html, url=None),
    "trafilatura.extract": trafilatura_default,
}


def run(extractor, pages: dict[str, str], repeat: int = 3) -> tuple[dict[str, str], float]:
    """Outputs of one extractor and its best pages/second over `repeat` timed passes."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        outputs = {key: extractor(html) for key, html in pages.items()}
        best = min(best, time.perf_counter() - start)
    return outputs, len(pages) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path, help="folder with html/<id>.html.gz and ground-truth.json")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes per extractor (best is reported)")
    args = parser.parse_args()

    pages, truth = load(args.data_dir)
    print(f"{len(pages)} pages from {args.data_dir}\n")
    print(f"{'extractor':<22}| precision | recall |   F1  | pages/s | mean page F1 | micro F1")
    per_page_f1 = {}
    for name, extractor in EXTRACTORS.items():
        outputs, speed = run(extractor, pages, args.repeat)
        counts = [match(truth[key], outputs[key]) for key in pages]
        s = scores(counts)
        per_page_f1[name] = {key: page_f1(*c) for key, c in zip(pages, counts)}
        print(f"{name:<22}|   {s['precision']:.3f}   | {s['recall']:.3f}  | {s['f1']:.3f} | {speed:7.1f} |"
              f"     {s['mean_page_f1']:.3f}    |  {s['micro_f1']:.3f}")

    ours, theirs = per_page_f1["main_text"], per_page_f1["trafilatura.extract"]
    losses = sorted((theirs[key] - ours[key], key) for key in pages if theirs[key] - ours[key] > 0.1)
    print(f"\npages where main_text's F1 is more than 0.1 below trafilatura's: {len(losses)}")
    for diff, key in reversed(losses):
        print(f"  {key}  main_text {ours[key]:.3f}  trafilatura {theirs[key]:.3f}")


if __name__ == "__main__":
    main()
