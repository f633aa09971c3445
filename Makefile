# Two entry points for people: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The browser the tests drive, as tests/conftest.py picks it: the headless shell where installed.
CHROMIUM ?= $(firstword $(wildcard /usr/bin/chromium-headless-shell) /usr/bin/chromium)

.PHONY: run test bench bench-web lint format install setup browser-check ci clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

setup: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_history
	$(PY) manage.py create_demo_accounts

run: setup
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	@if [ -x "$(CHROMIUM)" ]; then \
		echo "Chromium found at $(CHROMIUM): browser tests will run."; \
	else \
		echo "Chromium not found (install Debian's 'chromium-headless-shell' or 'chromium' package): browser tests will be skipped."; \
	fi
	$(BIN)/pytest $(PYTEST_ARGS)

bench: install
	$(PY) -m bench

# The pages under gunicorn and wrk on SQLite and PostgreSQL (BENCH_POSTGRES names the databases'
# prefix; BENCH_PORT the port), then 200 students for 60 s; installs Debian's wrk when root.
bench-web: install
	$(PY) -m bench.web $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis staticfiles
