# polyunit developer targets. `make generate` and `make test` bootstrap .venv on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMP := $(VENV)/.stamp-install
VENV_LINKS = $(firstword $(wildcard build/__editable__.polyunit-*))
EXTRAS := dev,torch,dask,ndonnx
# The strict editable install is a link tree: it must be refreshed when the set of files changes.
FILESET = $(shell find runtime generated -name '*.py' -o -name py.typed | LC_ALL=C sort | cksum | cut -d' ' -f1)

.PHONY: relink install generate check-generated lint typecheck pytest test matrix bench clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip setuptools wheel
	$(PIP) install -q -c constraints.txt -e '.[$(EXTRAS)]' --config-settings editable_mode=strict
	echo $(FILESET) > $@

# Re-link the editable install only when generate added or removed a module.
relink: $(STAMP)
	@if [ "$$(cat $(STAMP))" != "$(FILESET)" ]; then \
	  $(PIP) install -q --no-deps --no-build-isolation -e . --config-settings editable_mode=strict && \
	  echo $(FILESET) > $(STAMP); fi

generate: $(STAMP)
	$(PY) -m codegen write
	@$(MAKE) -s relink

check-generated: $(STAMP)
	$(PY) -m codegen check

lint: $(STAMP)
	$(PY) -m ruff check runtime codegen generated tests bench tools
	$(PY) -m ruff format --check runtime codegen generated tests bench tools

# pyright checks a copy of the installed layout (it does not follow the editable link tree).
typecheck: $(STAMP)
	$(PY) -m mypy -p polyunit -p codegen
	rm -rf build/pyright && mkdir -p build/pyright && cp -RL $(VENV_LINKS)/polyunit build/pyright/
	$(PY) -m pyright

pytest: $(STAMP)
	$(PY) -m pytest -n 2 tests

test: check-generated lint typecheck pytest

# Benchmark deps live apart from the dev extras, so `make test` never needs them. The reference
# (saiunit) declares a Python floor above 3.11 on some releases, hence its own pip line.
BENCH_STAMP := $(VENV)/.stamp-bench
$(BENCH_STAMP): $(STAMP) bench/requirements.txt
	$(PIP) install -q -c constraints.txt -r bench/requirements.txt
	$(PIP) install -q -c constraints.txt --ignore-requires-python saiunit==0.6.0
	touch $@

# BENCH_QUICK=1 make bench: ~1 minute smoke run of the same code path.
bench: $(BENCH_STAMP)
	$(PY) bench/run.py

# Call every spec op on every installed backend; writes docs/support-matrix.md and .json.
matrix: $(STAMP)
	$(PY) tools/support_matrix.py

clean:
	rm -rf $(VENV) build *.egg-info
