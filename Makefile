# One entry point for people and CI. `make demo` and `make test` install what they need first.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
PORT   ?= 8001

.PHONY: install system-deps demo crawl serve test mirror bench clean

install: $(VENV)/.installed

# Debian packages the tests use: chromium for the browser tests (Playwright drives it; it never
# downloads a browser of its own) and redis-server for the distributed crawl (tests start their own).
system-deps:
	@missing=""; command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	if [ -n "$$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --python $(BIN)/python --quiet -e '.[test]'
	touch $@

# The main job: crawl the bundled offline mirror into data/reviews.db, then serve data/ with Datasette.
demo: crawl serve

crawl: install
	$(BIN)/scrapy crawlall

serve: install
	$(BIN)/datasette serve data/ --host 127.0.0.1 --port $(PORT)

# One worker per core, each test file on one worker (its module fixtures built once): half the time on 2 cores.
test: install system-deps
	$(BIN)/python -m pytest -n auto --dist loadfile

# Rebuild data/mirror/ from tools/mirror_src/ after editing review data or site templates.
mirror: install
	$(BIN)/python tools/build_mirror.py

clean:
	rm -rf $(VENV) data/reviews.db data/reviews.db-wal data/reviews.db-shm
