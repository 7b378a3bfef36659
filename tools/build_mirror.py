"""Build the bundled offline mirror (`data/mirror/<host>/...`) from review data and site templates.

The review text lives in `tools/mirror_src/<site>.yml` (written by us); each site's chrome lives in
`tools/mirror_src/templates/<site>/`, modelled on the real site's markup. The output is committed, so
a fresh clone crawls without building anything; `tests/test_mirror.py` checks it is up to date.

    python tools/build_mirror.py            # rewrite data/mirror/
    python tools/build_mirror.py --check    # exit 1 if data/mirror/ differs from what would be built
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import re
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import yaml
from jinja2 import Environment, FileSystemLoader, select_autoescape

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as a script: the site modules import tools.build_mirror
SOURCES = ROOT / "tools" / "mirror_src"
MIRROR = ROOT / "data" / "mirror"


def load_source(site: str) -> dict:
    """A site's review data, written by us: tools/mirror_src/<site>.yml."""
    return yaml.safe_load((SOURCES / f"{site}.yml").read_text(encoding="utf-8"))


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def us_date(iso: str) -> str:
    return datetime.fromisoformat(iso).strftime("%m/%d/%Y")


@dataclass
class Page:
    path: str  # under data/mirror/, e.g. "butwhytho.net/2024/09/slug/index.html"
    content: str


# --- all sites ------------------------------------------------------------------------------------

def site_modules() -> dict:
    """Every site's builder: the modules of tools/mirror_sites/, each with a HOST and a build(env)."""
    import tools.mirror_sites as package

    modules = [importlib.import_module(f"tools.mirror_sites.{m.name}") for m in pkgutil.iter_modules(package.__path__)]
    return {module.HOST: module.build for module in modules}


def build_all(only: str | None = None) -> list[Page]:
    env = Environment(
        loader=FileSystemLoader(SOURCES / "templates"),
        autoescape=select_autoescape(["html", "xml"]),
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    pages: list[Page] = []
    for host, build in site_modules().items():
        if only and host != only:
            continue
        pages.extend(build(env))
    return pages


def differences(pages: list[Page], only: str | None = None) -> list[str]:
    hosts = [only] if only else site_modules()
    wanted = {p.path: p.content for p in pages}
    present = {
        str(f.relative_to(MIRROR)): f for f in MIRROR.rglob("*") if f.is_file() and f.parts[len(MIRROR.parts)] in hosts
    }
    changed = [path for path, text in wanted.items() if path not in present or present[path].read_text("utf-8") != text]
    extra = [path for path in present if path not in wanted]
    return sorted(changed + extra)


def write(pages: list[Page], only: str | None = None) -> None:
    for host in [only] if only else site_modules():
        for old in (MIRROR / host).rglob("*") if (MIRROR / host).exists() else []:
            if old.is_file():
                old.unlink()
    for page in pages:
        target = MIRROR / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.content, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report differences")
    parser.add_argument("--site", help="build only this host's pages, e.g. butwhytho.net")
    args = parser.parse_args()
    pages = build_all(args.site)
    if args.check:
        diff = differences(pages, args.site)
        for path in diff:
            print(f"out of date: data/mirror/{path}")
        return 1 if diff else 0
    write(pages, args.site)
    print(f"wrote {len(pages)} files under {MIRROR.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
