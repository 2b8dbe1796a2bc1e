# LSTM, Gate by Gate -- the two commands are `make book` and `make test`.
# Everything runs inside .venv, created on first use from requirements.txt.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed
BUILD  := _build
HTML   := $(BUILD)/html
# Jupyter Book's execution cache keys only on notebook code. The notebooks also
# depend on lstm_lib (code and shipped data), so the cache is dropped whenever
# the hash of lstm_lib changes.
LIB_DIR    := lstm_lib
CACHE      := $(BUILD)/.jupyter_cache
LIB_HASH   := $(BUILD)/.lstm_lib.sha256
# Per-cell timeout (seconds) for nbval; the book build uses execute.timeout in _config.yml.
CELL_TIMEOUT ?= 300
JB_FLAGS   ?= -W -n --keep-going
# The chapters multiply small matrices: BLAS threads only add contention there, and a
# fixed thread count keeps every run's summation order (and so its numbers) the same.
export OPENBLAS_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1

.PHONY: help setup book book-strict pdf test test-lib test-notebooks test-site test-jupyterlab test-student-install lab serve student clean distclean bench lint

help:
	@echo "make setup  - create .venv and install requirements.txt and lstm_lib (the other targets do it on first use)"
	@echo "make book   - set up .venv on first use, execute the notebooks (cached) and build the site into $(HTML), with the PDF"
	@echo "make pdf    - the whole book as one PDF ($(BUILD)/pdf/lstm-gate-by-gate.pdf), printed by the system Chromium"
	@echo "make test   - set up, run tests/, execute every notebook with nbval, build the site strictly, test the built site"
	@echo "make lab    - JupyterLab on the notebooks"
	@echo "make serve  - serve $(HTML) on http://127.0.0.1:8000"
	@echo "make student- nbgrader student versions of every chapter into release/"
	@echo "make test-student-install - install the student zip as its README says, in a fresh venv (run by .ci/run)"
	@echo "make bench  - lstm_lib vs torch.nn speed benchmark"
	@echo "make clean  - remove build outputs (keeps .venv);  make distclean also removes .venv"

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	$(PY) -m pip install --disable-pip-version-check -q -e . --no-deps
	@touch $@

# Drop the execution cache when lstm_lib changed since the last build, and the doctrees
# too: Sphinx would otherwise not re-read the notebooks whose source did not change.
cache-check: $(STAMP)
	@mkdir -p $(dir $(LIB_HASH))
	@new=$$(find $(LIB_DIR) -type f ! -name '*.pyc' ! -path '*__pycache__*' | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1); \
	 old=$$(cat $(LIB_HASH) 2>/dev/null); \
	 if [ "$$new" != "$$old" ]; then \
	   if [ -d $(CACHE) ]; then echo "lstm_lib changed: dropping the notebook execution cache"; fi; \
	   rm -rf $(CACHE) $(BUILD)/.doctrees $(BUILD)/.doctrees-pdf; echo "$$new" > $(LIB_HASH); \
	 fi

# Offline site: MathJax and the widget manager are served from the site itself (issue 8).
# tools/site/vendor_assets.py copies them into book/_static/vendor/ (gitignored).
site-assets: $(STAMP)
	$(PY) tools/site/vendor_assets.py

book: cache-check site-assets student lite
	@$(BIN)/jupyter-book build . $(JB_FLAGS) || { \
	   for log in $(HTML)/reports/*.log; do [ -f "$$log" ] && { echo "=== $$log"; tail -n 60 "$$log"; }; done; \
	   echo "make book: the build failed (notebook execution reports above, if any)"; exit 1; }
	$(PY) tools/site/build_pdf.py
	@echo
	@echo "The site is built. Open: file://$(CURDIR)/$(HTML)/index.html   (or: make serve)"

book-strict: book

# The whole book as one PDF (issue 16): Sphinx's singlehtml build of the same book,
# printed by the system Chromium (no LaTeX); copied next to the site when it exists.
pdf: cache-check site-assets
	$(PY) tools/site/build_pdf.py

test-lib: $(STAMP)
	$(PY) -m pytest tests -m "not browser and not student_install"

test-notebooks: $(STAMP)
	$(PY) -m pytest --nbval-lax --nbval-current-env --nbval-cell-timeout=$(CELL_TIMEOUT) -p no:cacheprovider notebooks

test-site: $(STAMP)
	$(PY) -m pytest tests -m "browser and not jupyterlab"
	$(MAKE) --no-print-directory test-jupyterlab

# A student's session in JupyterLab (Chromium). Its own pytest run: Playwright's sync API
# cannot start while the site tests' browser session is open in the same process.
test-jupyterlab: $(STAMP)
	$(PY) -m pytest tests -m jupyterlab -p no:cacheprovider

test: test-lib test-notebooks book-strict test-site

# The student zip, installed by its README's commands in a fresh venv from a local wheel
# folder (_build/student-wheelhouse): slow and 1 GB of disk, so not part of `make test`.
test-student-install: $(STAMP)
	$(PY) -m pytest tests -m student_install -p no:cacheprovider

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks

serve:
	@test -f $(HTML)/index.html || { echo "Build the site first: make book"; exit 1; }
	$(PY) -m http.server --bind 127.0.0.1 --directory $(HTML) 8000

# Student versions (nbgrader generate_assignment) of every notebooks/*.ipynb, packed into
# release/lstm-gate-by-gate-student.zip; also copies the zip and the exercise list
# (book/_generated/exercises.md) where book/instructors.md picks them up.
student: $(STAMP)
	$(PY) tools/student.py

bench: $(STAMP)
	$(PY) benchmarks/bench_layers.py

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf $(BUILD) build release book/_generated book/_static/vendor .pytest_cache .hypothesis

distclean: clean
	rm -rf $(VENV)

# ---------------------------------------------------------------------------
# Browser version of the chapters (issue 15): JupyterLite + the Pyodide kernel in
# $(HTML)/lite, every file pinned, checksum-verified and cached in $(BUILD)/.lite-cache.
# Built before the book, whose chapter pages link to it (tools/site/lite_links.py).
# Without npm or a registry it is skipped with a message (an error when CI=true).
# make test-lite runs whole chapters in it in Chromium, offline (not part of make test).
.PHONY: lite test-lite
lite: $(STAMP)
	$(PY) tools/site/build_lite.py

test-lite: $(STAMP)
	LITE_TESTS=1 $(PY) -m pytest tests/lite -p no:cacheprovider
