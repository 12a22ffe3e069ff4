# Convolution, from integrals to attention -- everyday commands.
#   make book      create .venv if missing, install, build the HTML book (_build/html/index.html)
#   make pdf       the whole book as one PDF with bookmarks (_build/pdf/book.pdf; needs Chromium)
#   make test      every test: library tests, nbval (strict) over all notebooks, book build with
#                  warnings as errors, then nbval again single-threaded (OMP_NUM_THREADS=1)
#   make test NB=path/to/nb.ipynb   nbval on one notebook (or a test file), at the default
#                  thread count and single-threaded
#   make lab       open the notebooks and exercises in JupyterLab (ARGS="--no-browser --port 8890")
#   make wheel     build the convlab package as a wheel in dist/ (to run a downloaded notebook)
#   make format    format the code (ruff, 76 characters) and fix what the linter can; `make test`
#                  first runs `make lint`, which fails on anything left
#   make execute   re-execute notebooks and store their outputs (NB=path/to/one.ipynb for one)
#   make bench     time torch's conv2d and the course's NumPy convolutions (chapter 11's table, < 1 min)

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null || echo python3.11)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
WEB    := web/node_modules/.package-lock.json
VENDOR := _vendor/vendor/require.js
NB     ?= book exercises
JOBS   ?= 2
# Extra options for `make lab`; as root (containers, JupyterHub) jupyter needs --allow-root.
ARGS   ?=
LAB_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

.PHONY: book pdf test test-one lint format test-notebooks-1thread lab execute bench wheel constraints clean

$(STAMP): requirements.txt constraints.txt pyproject.toml tools/check_python.sh
	@sh tools/check_python.sh "$(PYTHON)"
	@if [ -x "$(PY)" ] && ! sh tools/check_python.sh "$(PY)" 2>/dev/null; then \
	    echo "$(VENV) holds another Python version; recreating it"; rm -rf "$(VENV)"; fi
	@[ -x "$(PY)" ] || "$(PYTHON)" -m venv "$(VENV)"
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -c constraints.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

# The book's JavaScript (MathJax, RequireJS, widget manager) comes from the npm registry, pinned in
# web/package-lock.json, and is served by the book itself (offline, no third-party requests).
$(WEB): web/package.json web/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "error: npm (Node.js) is needed to install the book's offline web assets; install Node.js 18 or later" >&2; exit 1; }
	npm ci --prefix web --no-audit --no-fund --loglevel=error
	@touch $(WEB)

$(VENDOR): $(WEB) $(STAMP) tools/vendor_assets.py
	$(PY) tools/vendor_assets.py
	@touch $(VENDOR)

book: $(STAMP) $(VENDOR)
	$(VENV)/bin/jupyter-book build . --warningiserror --nitpick --keep-going
	@echo "The book is built: open _build/html/index.html in a browser."

# Every page printed by headless Chromium (MathJax typeset, print stylesheet tools/print.css),
# joined with a bookmark per part and chapter by pypdf: tools/build_pdf.py.
pdf: book
	$(PY) tools/build_pdf.py --html _build/html --out _build/pdf/book.pdf

# `make test NB=path/to/nb.ipynb` (or NB=tests/test_x.py) tests that one file only.
ifeq ($(origin NB),command line)
test: test-one
else
test: $(STAMP) $(VENDOR) lint
	@sh tools/ensure_chromium.sh
	$(PY) -m pytest -n $(JOBS) --dist loadfile
	$(MAKE) --no-print-directory test-notebooks-1thread
endif

test-one: $(STAMP)
	$(PY) -m pytest $(NB)
	OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(PY) -m pytest $(NB)

# ruff (pinned in requirements.txt, configured in pyproject.toml, book/ruff.toml and
# exercises/ruff.toml): code formatted at 76 characters, lint clean. `make format` fixes what it can.
# tools/import_graph.py: convlab's imports point one way (no import circle).
lint: $(STAMP)
	$(VENV)/bin/ruff format --check --quiet lib tests tools conftest.py book exercises \
	    || { echo "ruff format would change the files above: run 'make format'" >&2; exit 1; }
	$(VENV)/bin/ruff check lib tests tools conftest.py book exercises
	@mkdir -p _build; $(PY) tools/import_graph.py > _build/import_graph.txt 2>&1 || { cat _build/import_graph.txt; exit 1; }; head -1 _build/import_graph.txt

format: $(STAMP)
	$(VENV)/bin/ruff format lib tests tools conftest.py book exercises
	$(VENV)/bin/ruff check --fix lib tests tools conftest.py book exercises

# Printed numbers must not depend on how many threads BLAS/OpenMP use.
test-notebooks-1thread: $(STAMP)
	OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \
	    $(PY) -m pytest -n $(JOBS) --dist loadfile book exercises

# Started through convlab.determinism so that its kernels compute with the CPU code paths the
# stored outputs were computed with (lib/convlab/determinism.py says why).
lab: $(STAMP)
	$(PY) -m convlab.determinism $(VENV)/bin/jupyter lab $(LAB_ROOT) $(ARGS)

execute: $(STAMP)
	$(PY) tools/execute_notebooks.py $(NB)

bench: $(STAMP)
	$(PY) tools/bench_conv.py

# A wheel of convlab, for running a downloaded notebook outside this repository.
wheel: $(STAMP)
	rm -rf build
	$(PY) -m pip wheel --quiet --no-deps --no-build-isolation --wheel-dir dist .
	@ls dist/convlab-*.whl

constraints: $(STAMP)
	$(PY) -m pip freeze --exclude-editable | sed 's/^torch==\([0-9.]*\)+cpu/torch==\1/' > constraints.new
	@head -3 constraints.txt | cat - constraints.new > constraints.txt && rm constraints.new

clean:
	rm -rf _build _vendor
