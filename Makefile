# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
STAMP := $(VENV)/.installed
PYTEST_WORKERS ?= auto
PORT ?= 8000

.PHONY: install demo test test-fast e2e lint bench messages clean axe guide

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(UV): $(BIN)/python
	@command -v uv >/dev/null 2>&1 && ln -sf "$$(command -v uv)" $(UV) || $(BIN)/python -m pip install --quiet uv

$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) pip install --python $(BIN)/python --quiet -r requirements.lock
	$(UV) pip install --python $(BIN)/python --quiet --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/khuyencong demo --addrport 127.0.0.1:$(PORT)

test: install
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test-fast: install
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m "not e2e" $(PYTEST_ARGS)

e2e: install
	$(BIN)/pytest -m e2e $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check khuyencong tests
	$(BIN)/ruff format --check khuyencong tests

bench: install
	$(BIN)/python bench/run.py

messages: install
	cd khuyencong && ../$(BIN)/khuyencong makemessages -l vi --no-obsolete && ../$(BIN)/khuyencong compilemessages

# The user guide's screenshots (khuyencong/help/static/help/shots/), from the demo in a throwaway database,
# as every role, in both languages; commit what changed. One role: make guide GUIDE_ARGS="--role judge"
guide: install
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	DATABASE_URL=sqlite:///$$tmp/guide.sqlite3 MEDIA_ROOT=$$tmp/media PRIVATE_MEDIA_ROOT=$$tmp/private \
	$(BIN)/khuyencong guide --load-demo $(GUIDE_ARGS)

lock: | $(UV)
	$(UV) lock
	$(UV) export --frozen --all-extras --no-hashes --no-emit-project -o requirements.lock --quiet

clean:
	rm -rf $(VENV) khuyencong.sqlite3 media staticfiles

# axe-core for the accessibility tests (tests/e2e/test_accessibility.py), vendored: refresh it from npm
axe:
	rm -rf .axe-npm && npm install --prefix .axe-npm --no-audit --no-fund axe-core@4
	cp .axe-npm/node_modules/axe-core/axe.min.js .axe-npm/node_modules/axe-core/LICENSE tests/e2e/axe/
	rm -rf .axe-npm
