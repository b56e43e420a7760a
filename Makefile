# The Tight Rope, annotated. `make book` builds the book; `make test` runs every test.
# Both create the virtualenv and install the pinned requirements on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.installed
BUILD  := _build
PORT   ?= 8000

# What the book is built from. `make book` runs Jupyter Book only when one of these
# files is newer than the last successful build (removing a page means editing _toc.yml).
SOURCES := $(shell find _config.yml _toc.yml references.bib intro.md instructor-guide.md \
	chapters appendices exercises data tightrope _static requirements.txt pyproject.toml \
	-name __pycache__ -prune -o -name .ipynb_checkpoints -prune -o -path exercises/student -prune -o -type f -print)
BUILT    := $(BUILD)/html/.built
STUDENT  := exercises/student/.written

.PHONY: book book-fresh book-without-solutions exercises student lab serve test pdf bench clean

$(READY): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --editable .
	@touch $@

## book: build the HTML book into _build/html (cached: only changed pages re-execute)
book: $(BUILT)
	@echo "The book is in $(BUILD)/html. Open $(BUILD)/html/index.html, or run 'make serve' and visit http://127.0.0.1:$(PORT)"

$(BUILT): $(READY) $(STUDENT) $(SOURCES)
	$(BIN)/jupyter-book build -W -n --keep-going .
	@touch $@

## book-fresh: build from nothing, executing every page
book-fresh: $(READY) $(STUDENT)
	rm -rf $(BUILD)
	$(BIN)/jupyter-book build -W -n --keep-going --all .
	@touch $(BUILT)

## book-without-solutions: the edition for instructors who assign the exercises (_build/no-solutions/_build/html)
book-without-solutions: $(READY) $(STUDENT)
	$(BIN)/python tools/edition_config.py $(BUILD)/no-solutions.yml
	$(BIN)/jupyter-book build -W -n --keep-going --config $(BUILD)/no-solutions.yml --path-output $(BUILD)/no-solutions .
	@echo "The edition without solutions is in $(BUILD)/no-solutions/_build/html"

## exercises: re-run the instructor notebooks from exercises/src/ (after a data edit) and refresh student editions
exercises: $(READY)
	$(BIN)/tightrope instructor
	$(BIN)/tightrope student

## student: write the student editions of the exercises (downloadable from the book)
student: $(READY)
	$(BIN)/tightrope student
	@touch $(STUDENT)

# The student editions, and the students' wheel (the package with the data inside) and pack.
$(STUDENT): $(READY) $(wildcard exercises/[0-9][0-9]-*.ipynb) $(wildcard tightrope/*.py tightrope/*.csv data/*) pyproject.toml _config.yml
	$(BIN)/tightrope student
	@touch $@

## lab: work the exercises: JupyterLab on the student editions, with the book's data and checks
lab: $(READY) $(STUDENT)
	$(BIN)/python -m pip install --quiet -r requirements-lab.txt
	$(BIN)/jupyter lab exercises/student

## serve: preview the built book on http://127.0.0.1:$(PORT)
serve:
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory $(BUILD)/html $(PORT)

## test: every test (builds the book strictly, browser checks, data, exercises, grading in its sandbox, and nbval),
## one worker per core (conftest.py says which tests share a worker)
test: $(READY) $(STUDENT)
	tools/ensure-chromium.sh
	tools/ensure-bubblewrap.sh
	$(BIN)/python -m pytest -n auto tests
	$(BIN)/python -m pytest --nbval exercises --nbval-sanitize-with exercises/sanitize.cfg -p no:cacheprovider

## pdf: print the built book, in reading order with its charts, to _build/pdf/the-tight-rope-annotated.pdf
pdf: book
	tools/ensure-chromium.sh
	$(BIN)/python tools/print_pdf.py

## bench: build times, page sizes and what a browser downloads -> _build/bench.json (TESTS=1 also times the tests)
bench: $(READY) $(STUDENT)
	tools/ensure-chromium.sh
	$(BIN)/python tools/bench.py $(if $(TESTS),--tests)

clean:
	rm -rf $(BUILD) exercises/student
