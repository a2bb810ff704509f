# Scrutineer — `make help` lists the targets. `make run` and `make test` are all a new user needs.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
# PostgreSQL for the second test run: TEST_DATABASE_URL if set, else the local server if it answers.
LOCAL_POSTGRES := postgresql+psycopg://postgres@127.0.0.1:5432/test
CHROMIUM ?= /usr/bin/chromium
# Test processes per run (pytest-xdist): each has its own database, so tests never share state.
PYTEST_WORKERS ?= 2
HOST ?= 127.0.0.1
PORT ?= 5000

.DEFAULT_GOAL := help
.PHONY: help install install-dev assets db demo run serve lint format test test-unit test-postgres \
        test-browser browser bench faults requirements clean

help: ## Show the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  \033[1m%-15s\033[0m %s\n", $$1, $$2}'

$(VENV)/.run-installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.run-installed requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.run-installed ## Create the virtual environment with what Scrutineer needs to run

install-dev: $(VENV)/.dev-installed ## Add the tools for tests, lint and benchmarks

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

app/static/css/app.css: node_modules/.installed $(wildcard assets/*/*) assets/build.mjs
	npm run --silent build

assets: app/static/css/app.css ## Build the GOV.UK Frontend assets (npm)

db: install ## Create or upgrade the database (flask db upgrade)
	$(FLASK) db upgrade

demo: db ## Load the demo organisations, users and campaigns (once) and print the sign-ins
	$(FLASK) demo

run: install assets demo ## Set everything up and serve Scrutineer on http://127.0.0.1:5000
	@echo "Scrutineer is starting on http://$(HOST):$(PORT) (Ctrl+C to stop)"
	$(FLASK) run --host $(HOST) --port $(PORT)

serve: install assets db ## Production-style local run: gunicorn with 4 workers (set SECRET_KEY and SCRUTINEER_ENV)
	$(BIN)/gunicorn --workers 4 --bind $(HOST):$(PORT) --access-logfile - wsgi:app

lint: install-dev ## Check the code with ruff (lint and format)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev ## Format the code with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

browser: ## Install Debian's Chromium for the browser tests if it is missing
	@if [ ! -x "$(CHROMIUM)" ]; then \
		echo "Installing Chromium from Debian's packages"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; \
	fi

test: install-dev assets browser lint test-unit test-postgres test-browser ## Lint, then every test: SQLite, PostgreSQL and browser

test-unit: install-dev assets ## Unit and integration tests on SQLite
	$(BIN)/pytest -q -m "not browser" -p no:cacheprovider -n $(PYTEST_WORKERS)

test-postgres: install-dev ## Integration tests on PostgreSQL (TEST_DATABASE_URL, or the local server if it answers)
	@url="$${TEST_DATABASE_URL:-}"; \
	if [ -z "$$url" ]; then \
		if $(BIN)/python -c "import psycopg; psycopg.connect('host=127.0.0.1 port=5432 dbname=test user=postgres', connect_timeout=3).close()" 2>/dev/null; then \
			url="$(LOCAL_POSTGRES)"; \
		else \
			echo "PostgreSQL is not reachable on 127.0.0.1:5432 and TEST_DATABASE_URL is not set: skipping the PostgreSQL run"; \
			exit 0; \
		fi; \
	fi; \
	echo "Integration tests on PostgreSQL"; \
	TEST_DATABASE_URL="$$url" $(BIN)/pytest -q -m "not browser" -p no:cacheprovider -n $(PYTEST_WORKERS) tests/app

test-browser: install-dev assets browser ## Browser tests: Playwright driving Debian's Chromium, axe-core on every page
	$(BIN)/pytest -q -m browser -p no:cacheprovider tests/browser

bench: install-dev assets ## Benchmarks: print figures and write bench/results.json (several minutes)
	$(BIN)/python -m bench

faults: install-dev assets ## Faults under load: restarts this machine's PostgreSQL and Redis (run it alone)
	$(BIN)/python -m bench.faults

requirements: ## Re-pin requirements.txt and requirements-dev.txt from the .in files
	$(BIN)/pip-compile --quiet --strip-extras --allow-unsafe --no-header --no-emit-index-url --no-emit-find-links requirements.in -o requirements.txt
	$(BIN)/pip-compile --quiet --strip-extras --allow-unsafe --no-header --no-emit-index-url --no-emit-find-links requirements-dev.in -o requirements-dev.txt

clean: ## Remove the virtual environment, node_modules and built assets (keeps instance/)
	rm -rf $(VENV) node_modules app/static .pytest_cache .ruff_cache
