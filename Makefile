# The two commands a newcomer needs: `make run` and `make test` (see README.md).
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
STAMP := $(VENV)/.installed-app
TEST_STAMP := $(VENV)/.installed-test
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast e2e install install-test messages migrate demo lint typecheck bench worker beat clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@ $(STAMP)

install: $(STAMP)
install-test: $(TEST_STAMP)

# gettext catalogues are compiled here, never committed as .mo files.
messages: $(STAMP)
	@command -v msgfmt >/dev/null || { echo "msgfmt not found: install gettext (apt-get install gettext)"; exit 1; }
	$(PY) manage.py compilemessages --ignore='.venv' --verbosity 0

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

# E-mails of `make run` (invitations, notifications) are written as files into sent-mail/ unless
# EMAIL_BACKEND says otherwise; their links point at this server.
run: messages demo
	@echo "Serving on http://$(HOST):$(PORT)/ (demo accounts: password demo-2026; e-mails go to sent-mail/)"
	EMAIL_BACKEND=$${EMAIL_BACKEND:-django.core.mail.backends.filebased.EmailBackend} \
	EMAIL_FILE_PATH=$${EMAIL_FILE_PATH:-sent-mail} \
	PORTAL_BASE_URL=$${PORTAL_BASE_URL:-http://$(HOST):$(PORT)} \
	$(PY) manage.py runserver $(HOST):$(PORT)

# The whole suite (the unit, integration and browser lanes) on a fresh test database, as CI runs it:
# the browser suite (tests/e2e, Debian's /usr/bin/chromium) is included when Chromium is there; under
# CI (CI=true) a missing Chromium or Playwright fails it. A plain `pytest ...` keeps the test database
# between runs (--reuse-db in pyproject.toml); --create-db here starts from the migrations.
test: $(TEST_STAMP) messages
	$(PY) -m pytest --create-db

# The unit lane: no database, no browser, no other process; under a minute.
test-fast: $(TEST_STAMP) messages
	$(PY) -m pytest -m unit

# The browser suite alone; screenshots of each step in e2e-artifacts/.
e2e: $(TEST_STAMP) messages
	$(PY) -m pytest tests/e2e

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check .

# mypy with the Django plugin, configured in pyproject.toml ([tool.mypy]): the whole tree, strict on
# common/ and demo/.
typecheck: $(TEST_STAMP)
	$(VENV)/bin/mypy

worker: $(STAMP)
	$(VENV)/bin/celery -A campaign_portal worker --loglevel=info

beat: $(STAMP)
	$(VENV)/bin/celery -A campaign_portal beat --loglevel=info

bench: $(TEST_STAMP) messages
	$(PY) -m tests.bench

clean:
	rm -rf $(VENV) staticfiles
	find . -name '*.mo' -not -path './.venv/*' -delete
