# Two commands do everything: `make demo` and `make test`. See README.md.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_ENV := HAVEN_REQUIRE_2FA=false HAVEN_ENVIRONMENT_LABEL=demo
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: demo test install lint typecheck translations serve clean bench

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

translations: $(STAMP)
	$(BIN)/haven compiletranslations

demo: $(STAMP) translations
	mkdir -p var
	$(BIN)/haven keys init --if-missing
	$(DEMO_ENV) $(BIN)/haven migrate --no-input -v0
	$(DEMO_ENV) $(BIN)/haven demo --reset
	$(DEMO_ENV) $(BIN)/haven demo --serve --host $(HOST) --port $(PORT)

serve: $(STAMP)
	$(DEMO_ENV) $(BIN)/haven demo --serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy haven

test: $(STAMP) translations lint typecheck
	$(BIN)/haven makemigrations --check --dry-run -v0
	$(BIN)/pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/entitlements.py

clean:
	rm -rf $(VENV) var
