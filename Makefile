# The README's commands. Everything runs from a virtualenv in .venv, created on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in e-mails point to where `make run` serves; a PORTAL_BASE_URL from the environment wins.
# `localhost`, not the IP address runserver binds to: passkeys (WebAuthn) refuse an IP address.
PORTAL_BASE_URL ?= http://localhost:$(PORT)

.PHONY: help install run test lint format messages check bench up down film screenshots api-schema

help:
	@echo "make run    – the portal with demo data on $(PORTAL_BASE_URL) (SQLite, no services)"
	@echo "make test   – the whole test suite"
	@echo "make lint   – ruff lint and format check"
	@echo "make messages – update and compile the translations (needs gettext)"
	@echo "make up     – the full stack with docker compose"
	@echo "make film   – the explainer film in static/film/ (needs chromium and ffmpeg)"
	@echo "make screenshots – the README pictures in docs/screenshots/ (needs chromium)"
	@echo "make api-schema – write docs/api/openapi.json and regenerate the client in clients/"
	@echo "make bench  – the benchmarks in benchmarks/ (BENCHMARKS=\"pages load\" picks some)"

$(BIN)/.installed: requirements/base.txt requirements/production.txt requirements/local.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/local.txt
	@touch $@

install: $(BIN)/.installed

run: install
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	PORTAL_BASE_URL=$(PORTAL_BASE_URL) $(BIN)/python manage.py seed_demo
	PORTAL_BASE_URL=$(PORTAL_BASE_URL) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install
	$(BIN)/python manage.py makemessages --locale de --locale en --ignore '.venv/*' --ignore 'var/*' --no-obsolete
	$(BIN)/python manage.py compilemessages --ignore '.venv/*'

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

# The benchmarks, one after the other (about 45 minutes on 2 cores; each needs PostgreSQL on
# 127.0.0.1:5432 or starts its own): each writes benchmarks/results/<name>.md. Run them on a
# machine that does nothing else: they report ratios measured side by side, but noise stays noise.
BENCHMARKS ?= pages load consumption_import letters letters_job publish_documents erp_import
bench: install
	@for name in $(BENCHMARKS); do echo "== $$name"; $(BIN)/python benchmarks/$$name.py || exit 1; done

# Both start their own portal on a fresh temporary database; var/ is not touched.
# FILM_ARGS="--port 8001" picks the port (default: a free one).
film: install
	$(BIN)/python scripts/film.py $(FILM_ARGS)

screenshots: install
	$(BIN)/python scripts/screenshots.py $(FILM_ARGS)

up:
	docker compose up --build

down:
	docker compose down

# The app API's schema (committed; tests/api/test_schema.py compares) and the typed client
# generated from it (clients/meinthor_client, httpx + attrs).
api-schema: install
	$(BIN)/python scripts/api_schema.py
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/openapi-python-client generate --path docs/api/openapi.json \
		--config clients/generator.yaml --meta none --output-path clients/meinthor_client --overwrite
	$(BIN)/python scripts/api_endpoints.py
