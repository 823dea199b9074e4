# storeops — the two commands of the README, and the pieces they are made of.
#   make run    set up, generate demo data when data/ has no table files, serve the dashboard
#   make test   set up and run every test (browser tests included)

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
DATA   ?= $(or $(STOREOPS_DATA),data)
PORT   ?= 8501
APT_PACKAGES := chromium fonts-noto-cjk postgresql poppler-utils openjdk-17-jre-headless

.PHONY: run test setup system-deps demo ingest lint clean bench

# The venv is rebuilt only when requirements.txt changes.
$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

setup: $(VENV)/.installed

# Debian packages the browser tests, Chinese rendering and the engine tests (PostgreSQL, Java for Spark)
# need; installed only when missing.
system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing; \
	fi

# Demo data only when data/ holds no table file: never touches user files.
demo: setup
	@if [ -z "$$(find $(DATA) -type f \( -iname '*.csv' -o -iname '*.parquet' -o -iname '*.xlsx' \) -not -path '*/.*' 2>/dev/null | head -1)" ]; then \
		echo "data/ has no table files: generating demo data"; \
		$(PY) -m storeops demo --data $(DATA); \
	fi

ingest: setup
	$(PY) -m storeops ingest --data $(DATA)

run: demo ingest
	STOREOPS_DATA=$(DATA) $(VENV)/bin/streamlit run dashboard.py --server.port=$(PORT) --browser.gatherUsageStats=false

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: setup system-deps lint
	$(PY) -m pytest -q -n 2 --dist loadgroup

# The full benchmark (not part of make test): writes bench/RESULTS.md and bench/results.json.
ORDER_LINES ?= 10000000
bench: setup
	$(PY) -m storeops bench --order-lines $(ORDER_LINES)

clean:
	rm -rf $(VENV) artifacts .pytest_cache .ruff_cache
