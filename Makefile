# Hongshu — `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install run migrate seed release serve worker beat test lint format suite e2e bench bench-small messages clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the project with its dev tools

migrate: $(STAMP) ## Apply database migrations (and make the rate-limit fallback table)
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable

seed: migrate ## Load the demo data (idempotent)
	$(MANAGE) seed_demo

run: seed ## Set up and serve the demo site on http://127.0.0.1:8000 (or PORT=8001; SQLite, no other service)
	$(MANAGE) runserver 127.0.0.1:$(PORT)

release: migrate ## Before serving a new version: migrations, the fallback table, static files
	$(MANAGE) collectstatic --noinput

serve: $(STAMP) ## Serve as in production: gunicorn with gunicorn.conf.py (run `make release` first)
	$(BIN)/gunicorn --config gunicorn.conf.py

worker: $(STAMP) ## Run a Celery worker (needs REDIS_URL)
	$(BIN)/celery -A community worker --loglevel=info

beat: $(STAMP) ## Run the Celery beat scheduler (needs REDIS_URL)
	$(BIN)/celery -A community beat --loglevel=info

lint: $(STAMP) ## Ruff lint and format check, and models/migrations agreement
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

format: $(STAMP) ## Fix what ruff can fix and format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

suite: $(STAMP) ## Run the whole test suite (without lint)
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/python -m pytest

test: lint suite ## Lint plus the whole test suite

e2e: $(STAMP) ## Only the browser tests (screenshots in tests/e2e/artifacts/)
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/python -m pytest tests/e2e

# The bench runs on its own PostgreSQL database and Redis (127.0.0.1), production-like
# (bench/settings.py); the small one has a database of its own, so neither reseeds the other.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/hongshu_bench
BENCH_SMALL_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/hongshu_bench_small
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/10

bench-tools:
	@command -v wrk >/dev/null 2>&1 || apt-get install -y -qq wrk >/dev/null 2>&1 \
		|| echo "wrk is missing and could not be installed (apt-get install -y wrk): the HTTP rows will say so."

define run_bench
	BENCH_DATABASE_URL=$(1) BENCH_REDIS_URL=$(BENCH_REDIS_URL) $(BIN)/python -m bench.services
	BENCH_DATABASE_URL=$(1) BENCH_REDIS_URL=$(BENCH_REDIS_URL) DJANGO_SETTINGS_MODULE=bench.settings $(MANAGE) migrate --noinput
	BENCH_DATABASE_URL=$(1) BENCH_REDIS_URL=$(BENCH_REDIS_URL) DJANGO_SETTINGS_MODULE=bench.settings $(MANAGE) bench $(2)
endef

bench: $(STAMP) bench-tools ## Seed the large community (once) and measure it: bench/results/latest.{json,md}
	$(call run_bench,$(BENCH_DATABASE_URL),--scale 1)

bench-small: $(STAMP) bench-tools ## The same on a small community in under two minutes: bench/results/latest-small.*
	$(call run_bench,$(BENCH_SMALL_DATABASE_URL),--scale 0.02 --requests 15 --seconds 2)

messages: $(STAMP) ## Refresh the zh-hans and en message catalogues and compile them
	$(MANAGE) makemessages -l zh_Hans -l en --no-obsolete --ignore=.venv --ignore=tests --ignore=staticfiles
	$(MANAGE) compilemessages --ignore=.venv

clean: ## Remove the virtualenv, the SQLite database, media and caches
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache .ruff_cache
