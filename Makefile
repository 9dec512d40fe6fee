# Two commands on a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench screenshots lint format clean messages sheet-font system-packages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files make the installs re-run only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet ".[postgres]"
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet ".[dev,postgres]"
	touch $(VENV)/.installed $@

# The guide's content is a file (content/guide.json): a new database gets it, an existing one
# takes a new release without losing editors' changes (see README, "Content releases").
run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py import_content content/guide.json
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/python manage.py clear_page_cache --verbosity 0
	$(BIN)/python manage.py housekeeping
	$(BIN)/gunicorn --bind $(HOST):$(PORT)

# The browser and production-parity tests need Chromium, nginx, openssl and poppler-utils:
# installed on Debian as root, else make stops with the command to run, before anything
# else. Skipping the browser tests (PYTEST_ARGS="-m 'not browser'") skips the check too.
SYSTEM_CHECK := $(if $(findstring not browser,$(PYTEST_ARGS)),,system-packages)

system-packages:
	tools/system_packages.sh

test: $(SYSTEM_CHECK) $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The real server under load, page by page (tools/bench.py); a few minutes on 2 cores.
# e.g. make bench BENCH_ARGS="--sizes b --seconds 10"
bench: $(VENV)/.installed-dev
	$(BIN)/python -m tools.bench $(BENCH_ARGS)

# Pictures to look at, not tests: the site's pages at desktop and phone widths, in each
# language, and printed sheets, in artifacts/screenshots/ (tools/screenshots.py); then the
# browser tests that keep a picture of what they check (the offline page, the pain log, the
# read-only notice, the handouts) run with SCREENSHOTS=1. A few minutes.
screenshots: system-packages $(VENV)/.installed-dev
	$(BIN)/python -m tools.screenshots
	SCREENSHOTS=1 $(BIN)/python -m pytest -q tests/browser/test_offline.py \
		tests/browser/test_pain_log.py tests/browser/test_failures.py tests/browser/test_handout.py

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# After changing an interface string: collect the strings into locale/*/django.po, translate
# the new entries there, then compile. The compiled .mo files are committed, so `make run`
# needs no gettext tools (tests/test_i18n.py checks they match the .po files).
messages: $(VENV)/.installed-dev
	$(BIN)/python manage.py makemessages --all --no-obsolete \
		--ignore=.venv --ignore=build --ignore=staticfiles --ignore=tests --ignore=tools --ignore=bench-results
	$(BIN)/python manage.py compilemessages --ignore=.venv

# After a content release names a point with new Chinese characters: cut them from Noto Sans
# CJK SC (apt-get install fonts-noto-cjk) into the sheet's font (static/fonts/README.txt).
sheet-font: $(VENV)/.installed-dev
	$(BIN)/python -m tools.sheet_cjk_font

clean:
	rm -rf $(VENV) staticfiles
