# Two commands do all set-up on a fresh machine with only python3 and make.
# Both install exactly what requirements.lock pins (versions and hashes), so
# every machine runs the same code. The virtual environment is rebuilt from
# scratch when requirements.lock or pyproject.toml changes, so nothing stale
# stays in it.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
LOCK := requirements.lock
LATEST_VENV ?= .venv-latest
DEMO_DATA ?= instance/demo
#: extra arguments for `uv pip compile`, e.g. LOCK_ARGS=--upgrade (everything
#: to the newest allowed) or LOCK_ARGS="--upgrade-package pillow"
LOCK_ARGS ?=
UV_VERSION ?= uv>=0.5

.PHONY: demo test test-latest install lint lock clean translations

install: $(STAMP)

$(STAMP): pyproject.toml $(LOCK)
	rm -rf $(VENV)
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q --require-hashes --no-deps -r $(LOCK)
	$(PY) -m pip install -q --no-deps -e .
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/deltaker --data $(DEMO_DATA) demo examples/u-sving

test: $(STAMP)
	$(PY) -m pytest -q -p no:cacheprovider

# The newest versions pyproject.toml allows, without the lock, in a venv of its
# own: a new release that breaks us shows up here on purpose, not on a user's machine.
test-latest:
	test -x $(LATEST_VENV)/bin/python || python3 -m venv $(LATEST_VENV)
	$(LATEST_VENV)/bin/python -m pip install -q --upgrade pip
	$(LATEST_VENV)/bin/python -m pip install -q --upgrade --upgrade-strategy eager -e '.[test]'
	$(LATEST_VENV)/bin/python -m pip freeze --exclude-editable
	$(LATEST_VENV)/bin/python -m pytest -q -p no:cacheprovider

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# Re-solves pyproject.toml's ranges (with the test extras) into requirements.lock,
# keeping the pinned versions that still fit unless LOCK_ARGS says otherwise.
# uv runs from a throwaway venv, so nothing of it stays on the machine.
lock:
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	python3 -m venv "$$tmp" && \
	"$$tmp/bin/python" -m pip install -q '$(UV_VERSION)' && \
	"$$tmp/bin/uv" pip compile pyproject.toml --extra test --generate-hashes \
		--universal --python-version 3.11 --custom-compile-command 'make lock' \
		--quiet $(LOCK_ARGS) -o $(LOCK)

# The staff pages' catalogues (Flask-Babel): the English texts are read from the code
# and templates (babel.cfg) into messages.pot, merged into each language's messages.po
# (new texts come in untranslated, for a translator to fill in) and compiled to the
# messages.mo files the app reads. Both .po and .mo are committed, so a fresh clone
# shows Norwegian; a test fails when a text is untranslated or a .mo is out of date.
TRANSLATIONS := webapp/translations
PYBABEL := $(VENV)/bin/pybabel
translations: $(STAMP)
	$(PYBABEL) extract -F babel.cfg -k lazy_gettext --no-location --no-wrap --sort-output \
		--project Deltaker --copyright-holder Deltaker -o $(TRANSLATIONS)/messages.pot .
	$(PYBABEL) update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) \
		--no-wrap --ignore-obsolete --ignore-pot-creation-date
	$(PYBABEL) compile -d $(TRANSLATIONS) --statistics

clean:
	rm -rf $(VENV) $(LATEST_VENV) instance build *.egg-info
