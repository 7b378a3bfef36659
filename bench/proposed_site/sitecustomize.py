"""Loaded at start-up of a crawl process started by `bench/crawl.py --proposed` (this folder is on its PYTHONPATH):
patches bench/proposed.py's code changes into the project's modules, for that process only."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import proposed  # noqa: E402

proposed.install()
