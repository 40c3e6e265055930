# Two commands matter: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
BIN := $(VENV)/bin

.PHONY: run test lint format migrate clean serve worker

# The pins (Pillow, PyAV, Hypothesis) need Python 3.11: say so before a virtualenv is made,
# so an older Python leaves nothing half-built behind.
$(BIN)/python:
	@version=$$($(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])') || exit 1; \
	case "$$version" in 3.1[1-9]|3.[2-9][0-9]) ;; \
	*) echo "hipthrust needs Python 3.11 or newer; $(PYTHON) is $$version." \
	  "Name another with PYTHON=python3.11 make ..." >&2; exit 1;; esac
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

# Local server on SQLite with the guide loaded (the content arrives with `migrate`)
# and a demo trainee whose credentials are printed; one background worker (video processing)
# runs beside the server and stops with it. The site's address is the server's, port and
# all: canonical links and the links in mails (printed to the console) lead back to it.
DJANGO_SITE_URL ?= http://127.0.0.1:$(PORT)
LOCAL := DJANGO_DEBUG=1 DJANGO_SITE_URL=$(DJANGO_SITE_URL)
run: $(VENV)/.installed
	$(LOCAL) $(BIN)/python manage.py migrate --noinput
	$(LOCAL) $(BIN)/python manage.py seed_demo --if-local
	$(LOCAL) $(BIN)/python manage.py requeue_videos
	$(LOCAL) $(BIN)/python manage.py db_worker --no-reload -v0 & worker=$$!; \
	trap 'kill $$worker' EXIT INT TERM; \
	$(LOCAL) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The whole suite: lint, unit, database and browser tests. DATABASE_URL picks the engine.
# One worker per core, at most four (pytest-xdist): the browser tests wait on Chromium and
# the live server, so a second worker uses the core the first leaves idle. Each worker has
# its own test database; the default scheduling keeps each worker's tests in collection
# order, which pytest-django's database-then-transactional order needs.
TEST_WORKERS ?= auto
test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest --numprocesses=$(TEST_WORKERS) --maxprocesses=4

# Production-like: DEBUG off, hashed static files, gunicorn. Needs DJANGO_SECRET_KEY and the
# other production variables (see README, "Deployment") for anything but localhost.
serve: $(VENV)/.installed
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/gunicorn hipthrust.wsgi

# Production: run one or more of these beside gunicorn (under systemd or similar, restarted
# when they stop); each first queues again any job a killed worker left unfinished.
worker: $(VENV)/.installed
	$(BIN)/python manage.py requeue_videos
	$(BIN)/python manage.py db_worker --no-reload

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .hypothesis
