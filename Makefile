# Aduan: `make run` sets everything up and serves http://127.0.0.1:8000 ; `make test` runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: install run serve test test-postgres migrate demo messages clean otp

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependency list changes, so repeated runs are quick.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput

demo: migrate
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py seed_demo
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py train_router --if-missing
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py refresh_suggestions

# The app on its embedded defaults: SQLite, in-memory channel layer, demo data, DEBUG on.
# The worker (outbox e-mail, SLA sweep) runs beside daphne and stops with it.
run: demo
	@echo "Aduan on http://$(HOST):$(PORT)/  (demo accounts: see README; Ctrl-C stops)"
	@DEBUG=$${DEBUG:-1} $(BIN)/python manage.py run_worker & WORKER=$$!; \
	trap "kill $$WORKER 2>/dev/null" EXIT INT TERM; \
	DEBUG=$${DEBUG:-1} $(BIN)/daphne -b $(HOST) -p $(PORT) config.asgi:application

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The current second-factor code of the demo accounts that need one (admin, supervisor,
# oversight, privacy): seed_demo gives them the published demo TOTP secret.
otp: install
	@$(BIN)/python -c "import base64; from django_otp.oath import totp; \
	from complaints.management.demo_data import DEMO_TOTP_SECRET as S; \
	print(f'{totp(base64.b32decode(S)):06d}')"

# Compile the translation catalogues with polib (no system gettext needed).
messages: install
	$(BIN)/python manage.py compile_translations

clean:
	rm -rf $(VENV) db.sqlite3 var staticfiles .pytest_cache .hypothesis
