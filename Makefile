# Two commands for a newcomer: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
SECRET_KEY_FILE := .local-secret-key

.PHONY: run test lint format install install-dev migrate reset-db seed static serve dev clean import-imdb

# A fresh virtual environment with the pinned runtime requirements. The stamp
# file makes it re-install only when requirements.txt changes.
$(BIN)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(BIN)/.installed-dev: $(BIN)/.installed requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed
install-dev: $(BIN)/.installed-dev

# The browser tests' tools from npm (vnu-jar, axe-core; package-lock.json),
# installed again only when the lock file changes. --ignore-scripts: vnu-jar's
# install script would download a Java runtime; Debian's is used. Without npm
# they are not installed, and the test run says loudly which tests it skipped.
NPM := $(shell command -v npm 2>/dev/null)
node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# A local secret key, made once and kept out of git, so `make run` serves with
# debug off like production without any key living in the repository.
$(SECRET_KEY_FILE):
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

# Plain HTTP on 127.0.0.1: no HTTPS redirect, HSTS or secure-only cookies.
LOCAL_ENV = DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat $(SECRET_KEY_FILE))}" \
	DJANGO_HTTPS="$${DJANGO_HTTPS:-0}"

# A database made before the migrations were reset (one initial migration per
# app, the custom User model) cannot be migrated forward: say how to start afresh.
migrate: install $(SECRET_KEY_FILE)
	@mkdir -p var; $(LOCAL_ENV) $(BIN)/python manage.py migrate --noinput 2> var/migrate-errors.log \
		|| { cat var/migrate-errors.log >&2; \
		if grep -q InconsistentMigrationHistory var/migrate-errors.log; then \
		echo "" >&2; \
		echo "db.sqlite3 was made by an older version of the site, before its migrations were" >&2; \
		echo "reset and fans' accounts moved to accounts.User. Nothing in it can be carried over." >&2; \
		echo "Start afresh: 'make reset-db' (deletes db.sqlite3), then 'make run'." >&2; \
		fi; exit 1; }

## Delete the local SQLite database (and its WAL files); `make run` makes a new one.
reset-db:
	rm -f db.sqlite3 db.sqlite3-wal db.sqlite3-shm

seed: migrate
	$(LOCAL_ENV) $(BIN)/python manage.py seed_catalogue

## Fill the catalogue from IMDb's six dataset files: make import-imdb FOLDER=~/Downloads/imdb
import-imdb: seed
	@test -n "$(FOLDER)" || { echo "Say where IMDb's files are: make import-imdb FOLDER=/path/to/folder" >&2; exit 2; }
	$(LOCAL_ENV) $(BIN)/python manage.py import_imdb "$(FOLDER)" $(IMPORT_OPTIONS)

static: install $(SECRET_KEY_FILE)
	$(LOCAL_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0

# One machine, no web server in front: the app serves uploaded images too.
serve:
	$(LOCAL_ENV) DJANGO_SERVE_MEDIA="$${DJANGO_SERVE_MEDIA:-1}" PORT=$(PORT) HOST=$(HOST) $(BIN)/gunicorn -c gunicorn.conf.py

## Set everything up and serve the site with the seed catalogue on http://127.0.0.1:8000
run: seed static
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	@$(MAKE) --no-print-directory serve

## Django's development server with debug on and auto-reload.
dev: seed
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Test processes (pytest-xdist): one per core, at most four (each makes its
# own test database, and with REDIS_URL takes a Redis database of its own).
# loadgroup: tests marked xdist_group("x") share one process (the gunicorn
# tests, so each server they start is started once); the rest go wherever a
# process is free.
TEST_PROCESSES ?= auto --maxprocesses=4

## Lint, check imports and migrations, then the whole test suite.
test: install-dev $(if $(NPM),node_modules/.installed)
	@test -n "$(NPM)" || echo "npm is not installed: the browser tests will be skipped (apt-get install npm)." >&2
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) --dist loadgroup $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
