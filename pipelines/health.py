"""Health checks of one spider's run: how a user learns that a site changed its markup, or stopped answering.

Each check returns a sentence naming what looked wrong; a run with any is marked failed (crawler/runs.py),
and crawlall exits with status 1.
"""

from __future__ import annotations


def failed_share(run: dict) -> float:
    """Failed pages among the pages tried: failed / (fetched + failed). `pages` holds the pages fetched
    only (crawler.runs.run_figures), so no page is counted twice."""
    tried = run["pages"] + run["failed_pages"]
    return run["failed_pages"] / tried if tried else 0.0


def run_problems(run: dict, previous: dict | None, limits: dict) -> list[str]:
    """`run` holds a run's figures (crawler.runs.run_figures), `previous` the spider's last full run's crawl_runs
    row (None for a partial run, given start_urls: a page or two says nothing against a whole site), `limits` the
    HEALTH_* settings."""
    problems = []
    found = run["reviews_new"] + run["reviews_updated"] + run["reviews_unchanged"]
    if found < limits["min_reviews"]:
        problems.append(f"found {found} reviews (at least {limits['min_reviews']} expected)")
    if found:
        unscored = run["reviews_unscored"] / found
        if unscored > limits["max_unscored_share"]:
            problems.append(f"{unscored:.0%} of reviews have no score (at most {limits['max_unscored_share']:.0%})")
        no_series = run["reviews_without_series"] / found
        if no_series > limits["max_no_series_share"]:
            problems.append(f"{no_series:.0%} of reviews have no series (at most {limits['max_no_series_share']:.0%})")
    if previous:
        before = previous["reviews_new"] + previous["reviews_updated"] + previous["reviews_unchanged"]
        if before and found < before * (1 - limits["max_drop_share"]):
            problems.append(f"found {found} reviews against {before} in the last full run")
    if run["errors"]:
        problems.append(f"{run['errors']} parse errors (exceptions in the spider or the pipelines)")
    share = failed_share(run)
    if share > limits["max_failed_share"]:
        problems.append(f"{run['failed_pages']} of {run['pages'] + run['failed_pages']} pages could not be fetched"
                        f" ({share:.0%}, at most {limits['max_failed_share']:.0%})")
    return problems
